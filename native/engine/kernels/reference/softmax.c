/*
 * softmax.c – SOFTMAX over the last dimension, TFLM reference semantics: float32, and
 * int8 → int8 with gemmlowp fixed-point exp (Q5.26 differences, Q12 accumulation).
 */
#include <float.h>
#include <math.h>

#include "kernel.h"
#include "quant.h"

#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUM_INTEGER_BITS       12

typedef struct softmax_data {
  uint32_t outer, depth;
  float beta;
  int32_t input_multiplier, input_left_shift, diff_min;
} softmax_data_t;

static eng_status_t softmax_prepare(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  if (in == NULL || out == NULL || in->rank < 1 || !eng_same_shape(in, out)) {
    return eng_fail(node, ENG_ERR_SHAPE, "input and output must have the same shape (rank >= 1)");
  }
  softmax_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  d->depth = (uint32_t)eng_dim(in, -1);
  d->outer = d->depth ? eng_tensor_elements(in) / d->depth : 0;
  d->beta = node->options->softmax.beta;
  if (in->type == ENG_FLOAT32 && out->type == ENG_FLOAT32) {
    node->user_data = d;
    return ENG_OK;
  }
  if (in->type != ENG_INT8 || out->type != ENG_INT8) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "%s -> %s", eng_type_name((eng_type_t)in->type),
                    eng_type_name((eng_type_t)out->type));
  }
  if (in->quant_count == 0 || out->quant_count == 0) {
    return eng_fail(node, ENG_ERR_MALFORMED, "int8 tensors need quantization parameters");
  }
  /* TFLM requires the int8 output coding of probabilities: zero point -128, scale 1/256. */
  if (out->zero_point != -128) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "output zero point %d, must be -128",
                    out->zero_point);
  }
  if (out->scale != 1.0f / 256) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "output scale must be 1/256");
  }
  /* PreprocessSoftmaxScaling (double rounding build): cap at 2^31 - 1. */
  double real =
      (double)d->beta * (double)in->scale * (double)(1 << (31 - SCALED_DIFF_INTEGER_BITS));
  const double max_real = (double)((1LL << 31) - 1);
  if (real > max_real) {
    real = max_real;
  }
  eng_quantize_multiplier(real, &d->input_multiplier, &d->input_left_shift);
  if (d->input_left_shift < 0) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "beta * input scale too small");
  }
  d->diff_min = -eng_input_radius(SCALED_DIFF_INTEGER_BITS, d->input_left_shift, 31);
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t softmax_eval(eng_node_t *node) {
  const softmax_data_t *d = node->user_data;
  const eng_tensor_t *in = eng_input(node, 0);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t depth = d->depth;
  if (in->type == ENG_FLOAT32) {
    const float *x = in->data;
    float *y = out->data;
    for (uint32_t i = 0; i < d->outer; i++) {
      const float *xr = x + i * depth;
      float *yr = y + i * depth;
      float max = -FLT_MAX;
      for (uint32_t c = 0; c < depth; c++) {
        max = xr[c] > max ? xr[c] : max;
      }
      float sum = 0.0f;
      for (uint32_t c = 0; c < depth; c++) {
        const float e = expf((xr[c] - max) * d->beta);
        yr[c] = e;
        sum += e;
      }
      for (uint32_t c = 0; c < depth; c++) {
        yr[c] = yr[c] / sum;
      }
    }
    return ENG_OK;
  }
  const int8_t *x = in->data;
  int8_t *y = out->data;
  for (uint32_t i = 0; i < d->outer; i++) {
    const int8_t *xr = x + i * depth;
    int8_t *yr = y + i * depth;
    int32_t max = -128;
    for (uint32_t c = 0; c < depth; c++) {
      max = xr[c] > max ? xr[c] : max;
    }
    int32_t sum_of_exps = 0; /* Q12.19 */
    for (uint32_t c = 0; c < depth; c++) {
      const int32_t diff = (int32_t)xr[c] - max;
      if (diff >= d->diff_min) {
        const int32_t scaled = eng_requantize_left(diff, d->input_multiplier, d->input_left_shift);
        const int32_t e = eng_q31_exp_neg(scaled, SCALED_DIFF_INTEGER_BITS);
        sum_of_exps =
            (int32_t)((uint32_t)sum_of_exps + (uint32_t)eng_q31_rescale(e, 0, ACCUM_INTEGER_BITS));
      }
    }
    int32_t num_bits_over_unit;
    const int32_t shifted_scale =
        eng_q31_reciprocal(sum_of_exps, ACCUM_INTEGER_BITS, &num_bits_over_unit);
    const int32_t exponent = num_bits_over_unit + 31 - 8;
    for (uint32_t c = 0; c < depth; c++) {
      const int32_t diff = (int32_t)xr[c] - max;
      if (diff >= d->diff_min) {
        const int32_t scaled = eng_requantize_left(diff, d->input_multiplier, d->input_left_shift);
        const int32_t e = eng_q31_exp_neg(scaled, SCALED_DIFF_INTEGER_BITS);
        const int32_t unsat = eng_shr_round(eng_q31_mul(shifted_scale, e), exponent);
        yr[c] = (int8_t)eng_clamp32(unsat - 128, -128, 127);
      } else {
        yr[c] = -128;
      }
    }
  }
  return ENG_OK;
}

eng_status_t eng_parse_softmax_options(eng_node_t *node, eng_options_reader_t *r,
                                       eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 9); /* SoftmaxOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->softmax.beta = eng_option_f32(r, 0, 0.0f);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_softmax_ref = {ENG_OP_SOFTMAX, NULL, eng_parse_softmax_options,
                                             softmax_prepare, softmax_eval};
