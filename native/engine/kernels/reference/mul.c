/*
 * mul.c – MUL, TFLM reference semantics: int8 (product of offset operands rescaled by
 * in1*in2/out), int32 and float32, broadcasting up to ENG_MAX_DIMS, fused activation.
 */
#include <stdint.h>

#include <stddef.h>

#include "broadcast.h"
#include "kernel.h"
#include "quant.h"

typedef struct mul_data {
  eng_bcast_arith_t arith; /* int32 uses arith.q's clamp only */
  int32_t mult, shift;
} mul_data_t;
_Static_assert(offsetof(mul_data_t, arith) == 0,
               "eng_bcast_arith_prepare initialises the first member");

static eng_status_t mul_prepare(eng_node_t *node) {
  const eng_tensor_t *a, *b, *out;
  eng_status_t st;
  mul_data_t *d = eng_bcast_arith_prepare(node, sizeof(*d), &a, &b, &out, &st);
  if (d == NULL) {
    return st;
  }
  if (out->type == ENG_INT32) {
    eng_activation_range_int32(node->options->arith.activation, &d->arith.q.act_min,
                               &d->arith.q.act_max);
  } else if (out->type == ENG_INT8) {
    eng_quantize_multiplier((double)a->scale * (double)b->scale / (double)out->scale, &d->mult,
                            &d->shift);
  }
  node->user_data = d;
  return ENG_OK;
}

static inline int8_t mul_s8(const void *data, int8_t x, int8_t y) {
  const mul_data_t *d = data;
  const int32_t prod = (d->arith.q.in1_offset + x) * (d->arith.q.in2_offset + y);
  const int32_t v = d->arith.q.out_offset + eng_requantize(prod, d->mult, d->shift);
  return (int8_t)eng_clamp32(v, d->arith.q.act_min, d->arith.q.act_max);
}

static inline int32_t mul_i32(const void *data, int32_t x, int32_t y) {
  const mul_data_t *d = data;
  const int32_t v = (int32_t)((uint32_t)x * (uint32_t)y);
  return eng_clamp32(v, d->arith.q.act_min, d->arith.q.act_max);
}

static inline float mul_f32(const void *data, float x, float y) {
  const mul_data_t *d = data;
  return eng_clampf(x * y, d->arith.fmin, d->arith.fmax);
}

static eng_status_t mul_eval(eng_node_t *node) {
  eng_bcast_arith_eval(node, mul_s8, mul_i32, mul_f32);
  return ENG_OK;
}

eng_status_t eng_parse_mul_options(eng_node_t *node, eng_options_reader_t *r,
                                   eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 21); /* MulOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->arith.activation = (eng_activation_t)eng_option_i8(r, 0, 0);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_mul_ref = {ENG_OP_MUL, NULL, eng_parse_mul_options, mul_prepare,
                                         mul_eval};
