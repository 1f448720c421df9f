/*
 * quant.h – the one home of the engine's fixed-point and quantization math, with TFLM's
 * exact rounding (reference kernels, default build: double rounding, not
 * TFLITE_SINGLE_ROUNDING). Every kernel uses these; none re-implements them.
 */
#ifndef XSINFER_ENGINE_QUANT_H
#define XSINFER_ENGINE_QUANT_H

#include <stdint.h>

#include "kernel.h"

/* real multiplier → (Q31 multiplier, shift), shift > 0 = left: the mantissa of frexp in
 * [0.5, 1) scaled by 2^31 and rounded half away from zero (a mantissa that rounds up to
 * 2^31 becomes 2^30 with the exponent one higher). 0 or non-finite → (0, 0); exponents
 * below -31 flush to (0, 0). Matches TFLM's QuantizeMultiplier. */
void eng_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift);

/* The hot requantization primitives are inline so kernel loops keep their registers.
 * Shift amounts come from model data: out-of-range ones (hostile models) are clamped so
 * no shift is undefined behaviour; valid models never reach the clamps.
 *
 * Semantics matched (facts of TFLM's integer kernels, default build with double rounding,
 * not TFLITE_SINGLE_ROUNDING): gemmlowp's SaturatingRoundingDoublingHighMul (eng_q31_mul)
 * and RoundingDivideByPOT (eng_shr_round), and TFLM's MultiplyByQuantizedMultiplier family
 * built from them (eng_requantize*). */
static inline uint32_t eng_pow2_u32(int32_t shift) {
  return shift >= 0 && shift < 32 ? (1U << shift) : 0U;
}

/* a * b / 2^31 rounded to nearest with ties toward +infinity, i.e. floor((a b + 2^30) /
 * 2^31). The only product whose result leaves int32 is INT32_MIN * INT32_MIN (= 2^62):
 * it saturates to INT32_MAX. */
static inline int32_t eng_q31_mul(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) {
    return INT32_MAX;
  }
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* x / 2^e rounded to nearest, ties away from zero (e <= 0: x; e > 31 acts as 31): floor,
 * plus one when the dropped low bits exceed half of 2^e; for negative x a dropped value
 * of exactly one half also rounds down (away from zero), so the limit is one higher. */
static inline int32_t eng_shr_round(int32_t x, int32_t e) {
  if (e <= 0) {
    return x;
  }
  if (e > 31) {
    e = 31;
  }
  const uint32_t low_mask = (1U << e) - 1U;
  const uint32_t limit = (low_mask >> 1) + ((uint32_t)x >> 31);
  return (x >> e) + (((uint32_t)x & low_mask) > limit ? 1 : 0);
}

/* The same for int64 values (e > 63 acts as 63). */
int64_t eng_shr_round64(int64_t x, int32_t e);

/* x * multiplier * 2^shift (multiplier Q31, shift > 0 = left) with two roundings: a left
 * shift that wraps in int32, eng_q31_mul, then eng_shr_round by the right shift. TFLM's
 * MultiplyByQuantizedMultiplier(int32_t, ...). */
static inline int32_t eng_requantize(int32_t x, int32_t multiplier, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  const int32_t shifted = (int32_t)((uint32_t)x * eng_pow2_u32(left));
  return eng_shr_round(eng_q31_mul(shifted, multiplier), right);
}

/* Only the right-shift half (left_shift <= 0) and only the left-shift half (>= 0) of
 * eng_requantize: TFLM's ...SmallerThanOneExp and ...GreaterThanOne. */
static inline int32_t eng_requantize_right(int32_t x, int32_t multiplier, int32_t left_shift) {
  return eng_shr_round(eng_q31_mul(x, multiplier), -left_shift);
}

static inline int32_t eng_requantize_left(int32_t x, int32_t multiplier, int32_t left_shift) {
  const int32_t shifted = (int32_t)((uint32_t)x * eng_pow2_u32(left_shift));
  return eng_q31_mul(shifted, multiplier);
}

/* int64 x (the int16 kernels' accumulators) with the multiplier reduced to 16 bits:
 * (x * round(multiplier / 2^16) + 2^(t-1)) >> t with t = 15 - shift (clamped to 1..62),
 * the product wrapping in 64 bits. TFLM's MultiplyByQuantizedMultiplier(int64_t, ...). */
int32_t eng_requantize64(int64_t x, int32_t multiplier, int32_t shift);

/* round half away from zero (TfLiteRound / std::round). */
float eng_roundf(float x);
double eng_round(double x);

/* Clamping range for a fused activation on a quantized output (TFLM
 * CalculateActivationRangeQuantized). type: ENG_INT8, ENG_INT16, ENG_UINT8 or ENG_INT32. */
eng_status_t eng_activation_range_quantized(eng_activation_t act, eng_type_t type, float scale,
                                            int32_t zero_point, int32_t *act_min, int32_t *act_max);
/* Same for float outputs (TFLM CalculateActivationRange<float>). */
void eng_activation_range_float(eng_activation_t act, float *act_min, float *act_max);
/* Same for int32 outputs (TFLM CalculateActivationRange<int32_t>): no quantization. */
void eng_activation_range_int32(eng_activation_t act, int32_t *act_min, int32_t *act_max);
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

/* Q-format fixed point for the int8 softmax and logistic kernels. Values are raw int32;
 * "Qm" below means m integer bits and 31 - m fraction bits. Each function reproduces the
 * rounding of gemmlowp's fixed-point library (the source of TFLM's results), so these are
 * its algorithms operation by operation; quant.c states them. */

/* exp(a) for a <= 0 given in Q(integer_bits), result in Q0 (exp(0) = INT32_MAX). */
int32_t eng_q31_exp_neg(int32_t a, int32_t integer_bits);
/* 1 / (1 + x) for x in [0, 1) in Q0, result in Q0. */
int32_t eng_q31_recip_one_plus(int32_t x);
/* Converts Q(src_integer_bits) to Q(dst_integer_bits), saturating (a power-of-two multiply
 * rounded as eng_shr_round when it narrows). */
int32_t eng_q31_rescale(int32_t x, int32_t src_integer_bits, int32_t dst_integer_bits);

/* 1 / x for x > 0 in Q(x_integer_digits): a Q0 value v with 1/x = v * 2^num_bits_over_unit
 * (TFLM's GetReciprocal). */
int32_t eng_q31_reciprocal(int32_t x, int32_t x_integer_digits, int32_t *num_bits_over_unit);
/* The largest input magnitude whose rescaled value still fits: floor((2^input_integer_bits
 * - 1) * 2^(total_signed_bits - input_integer_bits) / 2^input_left_shift) (TFLM's
 * CalculateInputRadius); 0 for out-of-range arguments. */
int32_t eng_input_radius(int32_t input_integer_bits, int32_t input_left_shift,
                         int32_t total_signed_bits);

#endif
