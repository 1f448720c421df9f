/*
 * quant.h – the one home of the engine's fixed-point and quantization math, with TFLM's
 * exact rounding (reference kernels, default build: double rounding, not
 * TFLITE_SINGLE_ROUNDING). Every kernel uses these; none re-implements them.
 */
#ifndef XSINFER_ENGINE_QUANT_H
#define XSINFER_ENGINE_QUANT_H

#include <stdint.h>

#include "kernel.h"

/* real multiplier → (Q31 multiplier, shift), shift > 0 = left. 0 → (0, 0); shifts below
 * -31 flush to (0, 0). Same as TFLM QuantizeMultiplier (frexp + round half away). */
void eng_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift);

/* Like eng_rounding_divide_by_pot for int64 values (TFLM's int64 overload). */
int64_t eng_rounding_divide_by_pot64(int64_t x, int32_t exponent);

/* TFLM's int64 overload (reduced 16-bit multiplier; int16 kernels use it). */
int32_t eng_mul_by_quantized_multiplier64(int64_t x, int32_t multiplier, int32_t shift);

/* The hot requantization primitives are inline so kernel loops keep their registers.
 * Shift amounts come from model data: out-of-range ones (hostile models) are clamped so
 * no shift is undefined behaviour; valid models never reach the clamps. */
static inline uint32_t eng_pow2_u32(int32_t shift) {
  return shift >= 0 && shift < 32 ? (1U << shift) : 0U;
}

/* gemmlowp SaturatingRoundingDoublingHighMul and RoundingDivideByPOT, exactly. */
static inline int32_t eng_sat_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) {
    return INT32_MAX;
  }
  const int64_t ab = (int64_t)a * (int64_t)b;
  const int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
  return (int32_t)((ab + nudge) / (1LL << 31));
}

static inline int32_t eng_rounding_divide_by_pot(int32_t x, int32_t exponent) {
  if (exponent <= 0) {
    return x;
  }
  if (exponent > 31) {
    exponent = 31;
  }
  const int32_t mask = (int32_t)((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * multiplier * 2^shift with TFLM's double rounding (the 32-bit overload). */
static inline int32_t eng_mul_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                      int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  /* TFLM writes x * (1 << left) in int32; wrap the same way without UB. */
  const int32_t shifted = (int32_t)((uint32_t)x * eng_pow2_u32(left));
  return eng_rounding_divide_by_pot(eng_sat_rounding_doubling_high_mul(shifted, multiplier), right);
}

/* TFLM MultiplyByQuantizedMultiplierSmallerThanOneExp / GreaterThanOne. */
static inline int32_t eng_mul_by_quantized_multiplier_smaller_than_one(int32_t x,
                                                                       int32_t multiplier,
                                                                       int32_t left_shift) {
  return eng_rounding_divide_by_pot(eng_sat_rounding_doubling_high_mul(x, multiplier), -left_shift);
}

static inline int32_t eng_mul_by_quantized_multiplier_greater_than_one(int32_t x,
                                                                       int32_t multiplier,
                                                                       int32_t left_shift) {
  const int32_t shifted = (int32_t)((uint32_t)x * eng_pow2_u32(left_shift));
  return eng_sat_rounding_doubling_high_mul(shifted, multiplier);
}

/* round half away from zero (TfLiteRound / std::round). */
float eng_roundf(float x);
double eng_round(double x);

/* Clamping range for a fused activation on a quantized output (TFLM
 * CalculateActivationRangeQuantized). type: ENG_INT8, ENG_INT16, ENG_UINT8 or ENG_INT32. */
eng_status_t eng_activation_range_quantized(eng_activation_t act, eng_type_t type, float scale,
                                            int32_t zero_point, int32_t *act_min, int32_t *act_max);
/* Same for float outputs (TFLM CalculateActivationRange<float>). */
void eng_activation_range_float(eng_activation_t act, float *act_min, float *act_max);
/* Integer limits of a quantized type (int8 -128..127, ...). */
void eng_type_range(eng_type_t type, int32_t *qmin, int32_t *qmax);

/* Float activation with clamping as TFLM's ActivationFunctionWithMinMax. */
static inline float eng_clampf(float x, float lo, float hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}
static inline int32_t eng_clamp32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

/* TFLM GetQuantizedConvolutionMultipler: (double)(input_scale * filter_scale) /
 * output_scale, where the scale product is computed in float as TFLM does. */
double eng_conv_real_multiplier(float input_scale, float filter_scale, float output_scale);

/* TFLM PopulateConvolutionQuantizationParams per-channel part: for every output channel
 * c, real = (double)input_scale * (double)filter_scale[c] / (double)output_scale,
 * quantized into multipliers[c]/shifts[c]. channels = filter->quant_count (≥ 1); when
 * the filter is per-tensor, every channel gets the same value. */
void eng_per_channel_multipliers(const eng_tensor_t *input, const eng_tensor_t *filter,
                                 const eng_tensor_t *output, uint32_t channels,
                                 int32_t *multipliers, int32_t *shifts);

/* gemmlowp fixed-point helpers used by the int8 softmax/logistic/tanh kernels.
 * Values are int32 raw fixed-point numbers; integer_bits says the format. */
int32_t eng_fp_exp_on_negative_values(int32_t a, int32_t integer_bits); /* result Q0.31 */
int32_t eng_fp_one_over_one_plus_x_for_x_in_0_1(int32_t a);             /* Q0.31 → Q0.31 */
int32_t eng_fp_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a);
int32_t eng_fp_rescale(int32_t x, int32_t src_integer_bits, int32_t dst_integer_bits);
int32_t eng_fp_rounding_half_sum(int32_t a, int32_t b);
int32_t eng_saturating_add32(int32_t a, int32_t b);

/* TFLM CalculateInputRadius. */
int32_t eng_calculate_input_radius(int32_t input_integer_bits, int32_t input_left_shift,
                                   int32_t total_signed_bits);
/* TFLM GetReciprocal: 1/x in fixed point, for softmax's sum. */
int32_t eng_get_reciprocal(int32_t x, int32_t x_integer_digits, int32_t *num_bits_over_unit);
/* Count leading zeros of a uint32 (32 for 0). */
int32_t eng_clz32(uint32_t x);

#endif
