/*
 * logistic.c – LOGISTIC, TFLM reference semantics: float32, and int8 → int8 via the
 * gemmlowp fixed-point logistic on a Q4.27 input (output zero point -128, scale 1/256).
 */
#include <math.h>

#include "kernel.h"
#include "quant.h"

#define INPUT_INTEGER_BITS 4

typedef struct logistic_data {
  int32_t input_zp, input_multiplier, input_left_shift, input_range_radius;
} logistic_data_t;

static eng_status_t logistic_prepare(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  if (in == NULL || out == NULL || eng_tensor_elements(in) != eng_tensor_elements(out)) {
    return eng_fail(node, ENG_ERR_SHAPE, "input and output must have the same size");
  }
  if (in->type != out->type) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "input %s, output %s",
                    eng_type_name((eng_type_t)in->type), eng_type_name((eng_type_t)out->type));
  }
  if (in->type == ENG_FLOAT32) {
    return ENG_OK;
  }
  if (in->type != ENG_INT8) {
    return eng_fail_type(node, in);
  }
  if (in->quant_count == 0 || out->quant_count == 0) {
    return eng_fail(node, ENG_ERR_MALFORMED, "int8 tensors need quantization parameters");
  }
  if (out->zero_point != -128) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "output zero point %d, must be -128",
                    out->zero_point);
  }
  logistic_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  /* TFLM computes this multiplier with frexp directly (no 2^31 carry or flush). */
  const double real = (double)in->scale * (double)(1 << (31 - INPUT_INTEGER_BITS));
  int exp = 0;
  const double q = frexp(real, &exp);
  d->input_multiplier = (int32_t)round(q * (double)(1LL << 31));
  d->input_left_shift = exp;
  d->input_zp = in->zero_point;
  d->input_range_radius = eng_input_radius(INPUT_INTEGER_BITS, d->input_left_shift, 31);
  node->user_data = d;
  return ENG_OK;
}

/* gemmlowp logistic for a Q4.27 input, result Q0.31. */
static int32_t fixed_logistic(int32_t a) {
  if (a == 0) {
    return 1 << 30;
  }
  const int32_t abs_a = a > 0 ? a : -a;
  const int32_t e = eng_q31_exp_neg(-abs_a, INPUT_INTEGER_BITS);
  const int32_t pos = eng_q31_recip_one_plus(e);
  return a > 0 ? pos : (int32_t)((uint32_t)INT32_MAX - (uint32_t)pos);
}

static eng_status_t logistic_eval(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t n = eng_tensor_elements(in);
  if (in->type == ENG_FLOAT32) {
    const float *x = in->data;
    float *y = out->data;
    for (uint32_t i = 0; i < n; i++) {
      const float v = x[i];
      if (v > 16.619047164916992188f) {
        y[i] = 1.0f;
      } else if (v < -9.0f) {
        y[i] = expf(v);
      } else {
        y[i] = 1.0f / (1.0f + expf(-v));
      }
    }
    return ENG_OK;
  }
  const logistic_data_t *d = node->user_data;
  const int8_t *x = in->data;
  int8_t *y = out->data;
  for (uint32_t i = 0; i < n; i++) {
    const int32_t v = (int32_t)x[i] - d->input_zp;
    if (v <= -d->input_range_radius) {
      y[i] = -128;
    } else if (v >= d->input_range_radius) {
      y[i] = 127;
    } else {
      const int32_t q4 = eng_requantize(v, d->input_multiplier, d->input_left_shift);
      const int32_t q0 = fixed_logistic(q4);
      const int32_t o = eng_shr_round(q0, 31 - 8) - 128;
      y[i] = (int8_t)eng_clamp32(o, -128, 127);
    }
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_logistic_ref = {ENG_OP_LOGISTIC, NULL, NULL, logistic_prepare,
                                              logistic_eval};
