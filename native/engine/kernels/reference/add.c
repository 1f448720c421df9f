/*
 * add.c – ADD, TFLM reference semantics: int8 (rescale both operands to a common
 * 2^20-scaled domain, add, rescale), int32 and float32, with broadcasting up to
 * ENG_MAX_DIMS and fused activation (int32 ADD ignores it, as TFLM does).
 */
#include <stddef.h>

#include "broadcast.h"
#include "kernel.h"
#include "quant.h"

typedef struct add_data {
  eng_bcast_arith_t arith;
  int32_t left_shift;
  int32_t in1_mult, in1_shift, in2_mult, in2_shift, out_mult, out_shift;
} add_data_t;
_Static_assert(offsetof(add_data_t, arith) == 0,
               "eng_bcast_arith_prepare initialises the first member");

static eng_status_t add_prepare(eng_node_t *node) {
  const eng_tensor_t *a, *b, *out;
  eng_status_t st;
  add_data_t *d = eng_bcast_arith_prepare(node, sizeof(*d), &a, &b, &out, &st);
  if (d == NULL) {
    return st;
  }
  if (out->type == ENG_INT8) {
    d->left_shift = 20;
    const double twice_max = 2.0 * (double)(a->scale > b->scale ? a->scale : b->scale);
    eng_quantize_multiplier((double)a->scale / twice_max, &d->in1_mult, &d->in1_shift);
    eng_quantize_multiplier((double)b->scale / twice_max, &d->in2_mult, &d->in2_shift);
    eng_quantize_multiplier(twice_max / ((double)(1 << d->left_shift) * (double)out->scale),
                            &d->out_mult, &d->out_shift);
    if (d->in1_shift > 0 || d->in2_shift > 0 || d->out_shift > 0) {
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "scales give a multiplier >= 1");
    }
  }
  node->user_data = d;
  return ENG_OK;
}

static inline int8_t add_s8(const void *data, int8_t x, int8_t y) {
  const add_data_t *d = data;
  const int32_t a = (int32_t)((uint32_t)(d->arith.q.in1_offset + x) << d->left_shift);
  const int32_t b = (int32_t)((uint32_t)(d->arith.q.in2_offset + y) << d->left_shift);
  const int32_t sa = eng_requantize_right(a, d->in1_mult, d->in1_shift);
  const int32_t sb = eng_requantize_right(b, d->in2_mult, d->in2_shift);
  const int32_t raw =
      eng_requantize_right(sa + sb, d->out_mult, d->out_shift) + d->arith.q.out_offset;
  return (int8_t)eng_clamp32(raw, d->arith.q.act_min, d->arith.q.act_max);
}

/* int32 ADD ignores the fused activation, as TFLM does. */
static inline int32_t add_i32(const void *data, int32_t x, int32_t y) {
  (void)data;
  return (int32_t)((uint32_t)x + (uint32_t)y);
}

static inline float add_f32(const void *data, float x, float y) {
  const add_data_t *d = data;
  return eng_clampf(x + y, d->arith.fmin, d->arith.fmax);
}

static eng_status_t add_eval(eng_node_t *node) {
  eng_bcast_arith_eval(node, add_s8, add_i32, add_f32);
  return ENG_OK;
}

eng_status_t eng_parse_add_options(eng_node_t *node, eng_options_reader_t *r,
                                   eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 11); /* AddOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->arith.activation = (eng_activation_t)eng_option_i8(r, 0, 0);
  o->arith.pot_scale_int16 = eng_option_bool(r, 1, 1);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_add_ref = {ENG_OP_ADD, NULL, eng_parse_add_options, add_prepare,
                                         add_eval};
