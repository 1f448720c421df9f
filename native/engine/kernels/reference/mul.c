/*
 * mul.c – MUL, TFLM reference semantics: int8 (product of offset operands rescaled by
 * in1*in2/out), int32 and float32, broadcasting up to XS_MAX_DIMS, fused activation.
 */
#include <stdint.h>

#include <stddef.h>

#include "broadcast.h"
#include "kernel.h"
#include "quant.h"

typedef struct mul_data {
  xs_bcast_t bc;
  int32_t in1_offset, in2_offset, out_offset;
  int32_t mult, shift;
  int32_t act_min, act_max;
  float fmin, fmax;
} mul_data_t;
_Static_assert(offsetof(mul_data_t, bc) == 0, "xs_bcast_prepare initialises the first member");

static xs_status_t mul_prepare(xs_node_t *node) {
  const xs_tensor_t *a, *b, *out;
  xs_status_t st;
  /* bc is the op data's first member: xs_bcast_prepare initialises it. */
  mul_data_t *d = xs_bcast_prepare(node, sizeof(*d), &a, &b, &out, &st);
  if (d == NULL) {
    return st;
  }
  const xs_activation_t act = node->options->arith.activation;
  switch (out->type) {
    case XS_FLOAT32:
      xs_activation_range_float(act, &d->fmin, &d->fmax);
      break;
    case XS_INT32:
      /* TFLM CalculateActivationRange<int32_t>. */
      d->act_min = INT32_MIN;
      d->act_max = INT32_MAX;
      if (act == XS_ACT_RELU) {
        d->act_min = 0;
      } else if (act == XS_ACT_RELU6) {
        d->act_min = 0;
        d->act_max = 6;
      } else if (act == XS_ACT_RELU_N1_TO_1) {
        d->act_min = -1;
        d->act_max = 1;
      }
      break;
    case XS_INT8:
      if (a->quant_count == 0 || b->quant_count == 0 || out->quant_count == 0) {
        return xs_fail(node, XS_ERR_MALFORMED, "int8 tensors need quantization parameters");
      }
      d->in1_offset = -a->zero_point;
      d->in2_offset = -b->zero_point;
      d->out_offset = out->zero_point;
      xs_quantize_multiplier((double)a->scale * (double)b->scale / (double)out->scale, &d->mult, &d->shift);
      if (xs_activation_range_quantized(act, XS_INT8, out->scale, out->zero_point, &d->act_min, &d->act_max) !=
          XS_OK) {
        return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "activation %d", (int32_t)act);
      }
      break;
    default:
      return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "type %s", xs_type_name((xs_type_t)out->type));
  }
  node->user_data = d;
  return XS_OK;
}

static xs_status_t mul_eval(xs_node_t *node) {
  const mul_data_t *d = node->user_data;
  const xs_tensor_t *ta = xs_input(node, 0);
  const xs_tensor_t *tb = xs_input(node, 1);
  xs_tensor_t *out = xs_output(node, 0);
  const uint32_t n = d->bc.count;
  xs_bcast_iter_t it;
  xs_bcast_begin(&it);
  switch (out->type) {
    case XS_INT8: {
      const int8_t *a = ta->data, *b = tb->data;
      int8_t *y = out->data;
      for (uint32_t i = 0; i < n; i++, xs_bcast_next(&d->bc, &it)) {
        const int32_t prod = (d->in1_offset + a[it.ia]) * (d->in2_offset + b[it.ib]);
        const int32_t v = d->out_offset + xs_mul_by_quantized_multiplier(prod, d->mult, d->shift);
        y[i] = (int8_t)xs_clamp32(v, d->act_min, d->act_max);
      }
      break;
    }
    case XS_INT32: {
      const int32_t *a = ta->data, *b = tb->data;
      int32_t *y = out->data;
      for (uint32_t i = 0; i < n; i++, xs_bcast_next(&d->bc, &it)) {
        const int32_t v = (int32_t)((uint32_t)a[it.ia] * (uint32_t)b[it.ib]);
        y[i] = xs_clamp32(v, d->act_min, d->act_max);
      }
      break;
    }
    default: {
      const float *a = ta->data, *b = tb->data;
      float *y = out->data;
      for (uint32_t i = 0; i < n; i++, xs_bcast_next(&d->bc, &it)) {
        y[i] = xs_clampf(a[it.ia] * b[it.ib], d->fmin, d->fmax);
      }
      break;
    }
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_mul_ref = {XS_OP_MUL, NULL, mul_prepare, mul_eval};
