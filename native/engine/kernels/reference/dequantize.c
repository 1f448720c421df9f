/*
 * dequantize.c – DEQUANTIZE int8 → float32, TFLM reference semantics:
 * (float)((double)scale * (q - zero_point)).
 */
#include "kernel.h"

typedef struct dequantize_data {
  double scale;
  int32_t zero_point;
} dequantize_data_t;

static eng_status_t dequantize_prepare(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  if (in == NULL || out == NULL || eng_tensor_elements(in) != eng_tensor_elements(out)) {
    return eng_fail(node, ENG_ERR_SHAPE, "input and output must have the same size");
  }
  if ((in->type != ENG_INT8 && in->type != ENG_INT16) || out->type != ENG_FLOAT32) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "%s -> %s", eng_type_name((eng_type_t)in->type),
                    eng_type_name((eng_type_t)out->type));
  }
  if (in->quant_count == 0) {
    return eng_fail(node, ENG_ERR_MALFORMED, "input needs quantization parameters");
  }
  dequantize_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  d->scale = (double)in->scale;
  d->zero_point = in->zero_point;
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t dequantize_eval(eng_node_t *node) {
  const dequantize_data_t *d = node->user_data;
  const eng_tensor_t *in = eng_input(node, 0);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t n = eng_tensor_elements(in);
  float *y = out->data;
  if (in->type == ENG_INT8) {
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
  return ENG_OK;
}

const eng_kernel_t eng_kernel_dequantize_ref = {ENG_OP_DEQUANTIZE, NULL, NULL, dequantize_prepare,
                                                dequantize_eval};
