/*
 * quantize.c – QUANTIZE, TFLM reference semantics: float32 → int8 (round half away
 * from zero of x / scale in float32) and int8 → int8 requantization.
 */
#include <math.h>

#include "kernel.h"
#include "quant.h"

typedef struct quantize_data {
  float scale;
  int32_t in_zp, out_zp;
  int32_t multiplier, shift;
} quantize_data_t;

static xs_status_t quantize_prepare(xs_node_t *node) {
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *out = xs_output(node, 0);
  if (in == NULL || out == NULL || xs_tensor_elements(in) != xs_tensor_elements(out)) {
    return xs_fail(node, XS_ERR_SHAPE, "input and output must have the same size");
  }
  if (out->quant_count != 1) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "output needs exactly one scale (has %u)",
                   (uint32_t)out->quant_count);
  }
  if (out->type != XS_INT8 || (in->type != XS_FLOAT32 && in->type != XS_INT8)) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "%s -> %s", xs_type_name((xs_type_t)in->type),
                   xs_type_name((xs_type_t)out->type));
  }
  if (!(out->scale > 0.0f) || out->scale > 3.0e38f) {
    return xs_fail(node, XS_ERR_MALFORMED, "output scale must be positive and finite");
  }
  quantize_data_t *d = xs_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return xs_fail(node, XS_ERR_ARENA, "op data");
  }
  d->scale = out->scale;
  d->out_zp = out->zero_point;
  if (in->type == XS_INT8) {
    if (in->quant_count == 0) {
      return xs_fail(node, XS_ERR_MALFORMED, "int8 input needs quantization parameters");
    }
    d->in_zp = in->zero_point;
    xs_quantize_multiplier((double)in->scale / (double)out->scale, &d->multiplier, &d->shift);
  }
  node->user_data = d;
  return XS_OK;
}

static xs_status_t quantize_eval(xs_node_t *node) {
  const quantize_data_t *d = node->user_data;
  const xs_tensor_t *in = xs_input(node, 0);
  xs_tensor_t *out = xs_output(node, 0);
  const uint32_t n = xs_tensor_elements(in);
  int8_t *y = out->data;
  if (in->type == XS_FLOAT32) {
    const float *x = in->data;
    for (uint32_t i = 0; i < n; i++) {
      float r = roundf(x[i] / d->scale);
      /* Keep the float→int conversion defined for huge, infinite or NaN inputs; any
       * value this clamp changes saturates to -128/127 anyway (NaN → zero point). */
      r = r != r ? 0.0f : (r > 1e9f ? 1e9f : (r < -1e9f ? -1e9f : r));
      const int32_t q = (int32_t)r + d->out_zp;
      y[i] = (int8_t)xs_clamp32(q, -128, 127);
    }
    return XS_OK;
  }
  const int8_t *x = in->data;
  for (uint32_t i = 0; i < n; i++) {
    const int32_t q = xs_mul_by_quantized_multiplier((int32_t)x[i] - d->in_zp, d->multiplier, d->shift) + d->out_zp;
    y[i] = (int8_t)xs_clamp32(q, -128, 127);
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_quantize_ref = {XS_OP_QUANTIZE, NULL, quantize_prepare, quantize_eval};
