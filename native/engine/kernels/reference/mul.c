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

static eng_status_t mul_eval(eng_node_t *node) {
  const mul_data_t *d = node->user_data;
  const eng_tensor_t *ta = eng_input(node, 0);
  const eng_tensor_t *tb = eng_input(node, 1);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t n = d->arith.bc.count;
  eng_bcast_iter_t it;
  eng_bcast_begin(&it);
  switch (out->type) {
    case ENG_INT8: {
      const int8_t *a = ta->data, *b = tb->data;
      int8_t *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->arith.bc, &it)) {
        const int32_t prod =
            (d->arith.q.in1_offset + a[it.ia]) * (d->arith.q.in2_offset + b[it.ib]);
        const int32_t v = d->arith.q.out_offset + eng_requantize(prod, d->mult, d->shift);
        y[i] = (int8_t)eng_clamp32(v, d->arith.q.act_min, d->arith.q.act_max);
      }
      break;
    }
    case ENG_INT32: {
      const int32_t *a = ta->data, *b = tb->data;
      int32_t *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->arith.bc, &it)) {
        const int32_t v = (int32_t)((uint32_t)a[it.ia] * (uint32_t)b[it.ib]);
        y[i] = eng_clamp32(v, d->arith.q.act_min, d->arith.q.act_max);
      }
      break;
    }
    default: {
      const float *a = ta->data, *b = tb->data;
      float *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->arith.bc, &it)) {
        y[i] = eng_clampf(a[it.ia] * b[it.ib], d->arith.fmin, d->arith.fmax);
      }
      break;
    }
  }
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
