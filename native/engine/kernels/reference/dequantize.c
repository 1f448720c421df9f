/*
 * dequantize.c – DEQUANTIZE int8 → float32, TFLM reference semantics:
 * (float)((double)scale * (q - zero_point)).
 */
#include "kernel.h"

typedef struct dequantize_data {
  double scale;
  int32_t zero_point;
} dequantize_data_t;

static xs_status_t dequantize_prepare(xs_node_t *node) {
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *out = xs_output(node, 0);
  if (in == NULL || out == NULL || xs_tensor_elements(in) != xs_tensor_elements(out)) {
    return xs_fail(node, XS_ERR_SHAPE, "input and output must have the same size");
  }
  if ((in->type != XS_INT8 && in->type != XS_INT16) || out->type != XS_FLOAT32) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "%s -> %s", xs_type_name((xs_type_t)in->type),
                   xs_type_name((xs_type_t)out->type));
  }
  if (in->quant_count == 0) {
    return xs_fail(node, XS_ERR_MALFORMED, "input needs quantization parameters");
  }
  dequantize_data_t *d = xs_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return xs_fail(node, XS_ERR_ARENA, "op data");
  }
  d->scale = (double)in->scale;
  d->zero_point = in->zero_point;
  node->user_data = d;
  return XS_OK;
}

static xs_status_t dequantize_eval(xs_node_t *node) {
  const dequantize_data_t *d = node->user_data;
  const xs_tensor_t *in = xs_input(node, 0);
  xs_tensor_t *out = xs_output(node, 0);
  const uint32_t n = xs_tensor_elements(in);
  float *y = out->data;
  if (in->type == XS_INT8) {
    const int8_t *x = in->data;
    for (uint32_t i = 0; i < n; i++) {
      y[i] = (float)(d->scale * (double)((int32_t)x[i] - d->zero_point));
    }
  } else {
    const int16_t *x = in->data;
    for (uint32_t i = 0; i < n; i++) {
      y[i] = (float)(d->scale * (double)((int32_t)x[i] - d->zero_point));
    }
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_dequantize_ref = {XS_OP_DEQUANTIZE, NULL, dequantize_prepare, dequantize_eval};
