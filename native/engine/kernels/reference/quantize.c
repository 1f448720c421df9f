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

static eng_status_t quantize_prepare(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  if (in == NULL || out == NULL || eng_tensor_elements(in) != eng_tensor_elements(out)) {
    return eng_fail(node, ENG_ERR_SHAPE, "input and output must have the same size");
  }
  if (out->quant_count != 1) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "output needs exactly one scale (has %u)",
                    (uint32_t)out->quant_count);
  }
  if (out->type != ENG_INT8 || (in->type != ENG_FLOAT32 && in->type != ENG_INT8)) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "%s -> %s", eng_type_name((eng_type_t)in->type),
                    eng_type_name((eng_type_t)out->type));
  }
  if (!(out->scale > 0.0f) || out->scale > 3.0e38f) {
    return eng_fail(node, ENG_ERR_MALFORMED, "output scale must be positive and finite");
  }
  quantize_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  d->scale = out->scale;
  d->out_zp = out->zero_point;
  if (in->type == ENG_INT8) {
    if (in->quant_count == 0) {
      return eng_fail(node, ENG_ERR_MALFORMED, "int8 input needs quantization parameters");
    }
    d->in_zp = in->zero_point;
    eng_quantize_multiplier((double)in->scale / (double)out->scale, &d->multiplier, &d->shift);
  }
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t quantize_eval(eng_node_t *node) {
  const quantize_data_t *d = node->user_data;
  const eng_tensor_t *in = eng_input(node, 0);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t n = eng_tensor_elements(in);
  int8_t *y = out->data;
  if (in->type == ENG_FLOAT32) {
    const float *x = in->data;
    for (uint32_t i = 0; i < n; i++) {
      float r = roundf(x[i] / d->scale);
      /* Keep the float→int conversion defined for huge, infinite or NaN inputs; any
       * value this clamp changes saturates to -128/127 anyway (NaN → zero point). */
      r = r != r ? 0.0f : (r > 1e9f ? 1e9f : (r < -1e9f ? -1e9f : r));
      const int32_t q = (int32_t)r + d->out_zp;
      y[i] = (int8_t)eng_clamp32(q, -128, 127);
    }
    return ENG_OK;
  }
  const int8_t *x = in->data;
  for (uint32_t i = 0; i < n; i++) {
    const int32_t q = eng_requantize((int32_t)x[i] - d->in_zp, d->multiplier, d->shift) + d->out_zp;
    y[i] = (int8_t)eng_clamp32(q, -128, 127);
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_quantize_ref = {ENG_OP_QUANTIZE, NULL, NULL, quantize_prepare,
                                              quantize_eval};
