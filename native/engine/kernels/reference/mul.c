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
  eng_bcast_t bc;
  eng_bcast_q8_t q; /* int32 uses its clamp only */
  int32_t mult, shift;
  float fmin, fmax;
} mul_data_t;
_Static_assert(offsetof(mul_data_t, bc) == 0, "eng_bcast_prepare initialises the first member");

static eng_status_t mul_prepare(eng_node_t *node) {
  const eng_tensor_t *a, *b, *out;
  eng_status_t st;
  /* bc is the op data's first member: eng_bcast_prepare initialises it. */
  mul_data_t *d = eng_bcast_prepare(node, sizeof(*d), &a, &b, &out, &st);
  if (d == NULL) {
    return st;
  }
  const eng_activation_t act = node->options->arith.activation;
  switch (out->type) {
    case ENG_FLOAT32: eng_activation_range_float(act, &d->fmin, &d->fmax); break;
    case ENG_INT32: eng_activation_range_int32(act, &d->q.act_min, &d->q.act_max); break;
    case ENG_INT8:
      if ((st = eng_bcast_q8_prepare(node, a, b, out, act, &d->q)) != ENG_OK) {
        return st;
      }
      eng_quantize_multiplier((double)a->scale * (double)b->scale / (double)out->scale, &d->mult,
                              &d->shift);
      break;
    default:
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "type %s",
                      eng_type_name((eng_type_t)out->type));
  }
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t mul_eval(eng_node_t *node) {
  const mul_data_t *d = node->user_data;
  const eng_tensor_t *ta = eng_input(node, 0);
  const eng_tensor_t *tb = eng_input(node, 1);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t n = d->bc.count;
  eng_bcast_iter_t it;
  eng_bcast_begin(&it);
  switch (out->type) {
    case ENG_INT8: {
      const int8_t *a = ta->data, *b = tb->data;
      int8_t *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->bc, &it)) {
        const int32_t prod = (d->q.in1_offset + a[it.ia]) * (d->q.in2_offset + b[it.ib]);
        const int32_t v = d->q.out_offset + eng_requantize(prod, d->mult, d->shift);
        y[i] = (int8_t)eng_clamp32(v, d->q.act_min, d->q.act_max);
      }
      break;
    }
    case ENG_INT32: {
      const int32_t *a = ta->data, *b = tb->data;
      int32_t *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->bc, &it)) {
        const int32_t v = (int32_t)((uint32_t)a[it.ia] * (uint32_t)b[it.ib]);
        y[i] = eng_clamp32(v, d->q.act_min, d->q.act_max);
      }
      break;
    }
    default: {
      const float *a = ta->data, *b = tb->data;
      float *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->bc, &it)) {
        y[i] = eng_clampf(a[it.ia] * b[it.ib], d->fmin, d->fmax);
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
