/*
 * quant.c – the engine's quantization math (quant.h states each function's semantics and
 * the TFLM / gemmlowp function whose results it reproduces). Signed overflow is avoided by
 * doing the wrapping steps in unsigned arithmetic.
 */
#include "quant.h"

#include <float.h>
#include <math.h>

float eng_roundf(float x) {
  return roundf(x);
}
double eng_round(double x) {
  return round(x);
}

void eng_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift) {
  if (real == 0.0 || !isfinite(real)) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exp = 0;
  const double q = frexp(real, &exp);
  int64_t q_fixed = (int64_t)round(q * (double)(1LL << 31));
  if (q_fixed == (1LL << 31)) {
    q_fixed /= 2;
    ++exp;
  }
  if (exp < -31) {
    exp = 0;
    q_fixed = 0;
  }
  *multiplier = (int32_t)q_fixed;
  *shift = exp;
}

int64_t eng_shr_round64(int64_t x, int32_t e) {
  if (e <= 0) {
    return x;
  }
  if (e > 63) {
    e = 63;
  }
  const uint64_t low_mask = (1ULL << e) - 1ULL;
  const uint64_t limit = (low_mask >> 1) + ((uint64_t)x >> 63);
  return (x >> e) + (((uint64_t)x & low_mask) > limit ? 1 : 0);
}

int32_t eng_requantize64(int64_t x, int32_t multiplier, int32_t shift) {
  const int32_t m16 = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  int32_t t = 15 - shift;
  t = t < 1 ? 1 : (t > 62 ? 62 : t);
  const uint64_t product = (uint64_t)x * (uint64_t)(int64_t)m16;
  return (int32_t)((int64_t)(product + (1ULL << (t - 1))) >> t);
}

void eng_type_range(eng_type_t type, int32_t *qmin, int32_t *qmax) {
  switch (type) {
    case ENG_INT8:
      *qmin = -128;
      *qmax = 127;
      break;
    case ENG_UINT8:
      *qmin = 0;
      *qmax = 255;
      break;
    case ENG_INT16:
      *qmin = -32768;
      *qmax = 32767;
      break;
    default:
      *qmin = INT32_MIN;
      *qmax = INT32_MAX;
      break;
  }
}

/* TFLM's quantize lambda: zero_point + round(f / scale) in float, INT32_MAX on overflow. */
static int32_t quantize_for_range(float f, float scale, int32_t zero_point) {
  const float tmp = roundf(f / scale);
  if (!(tmp >= (float)INT32_MIN && tmp <= (float)INT32_MAX)) {
    return INT32_MAX;
  }
  return (int32_t)((uint32_t)zero_point + (uint32_t)(int32_t)tmp);
}

eng_status_t eng_activation_range_quantized(eng_activation_t act, eng_type_t type, float scale,
                                            int32_t zero_point, int32_t *act_min,
                                            int32_t *act_max) {
  int32_t qmin, qmax;
  eng_type_range(type, &qmin, &qmax);
  switch (act) {
    case ENG_ACT_NONE:
      *act_min = qmin;
      *act_max = qmax;
      return ENG_OK;
    case ENG_ACT_RELU: {
      const int32_t z = quantize_for_range(0.0f, scale, zero_point);
      *act_min = z > qmin ? z : qmin;
      *act_max = qmax;
      return ENG_OK;
    }
    case ENG_ACT_RELU6: {
      const int32_t z = quantize_for_range(0.0f, scale, zero_point);
      const int32_t six = quantize_for_range(6.0f, scale, zero_point);
      *act_min = z > qmin ? z : qmin;
      *act_max = six < qmax ? six : qmax;
      return ENG_OK;
    }
    case ENG_ACT_RELU_N1_TO_1: {
      const int32_t lo = quantize_for_range(-1.0f, scale, zero_point);
      const int32_t hi = quantize_for_range(1.0f, scale, zero_point);
      *act_min = lo > qmin ? lo : qmin;
      *act_max = hi < qmax ? hi : qmax;
      return ENG_OK;
    }
    default: return ENG_ERR_UNSUPPORTED_TYPE;
  }
}

void eng_activation_range_float(eng_activation_t act, float *act_min, float *act_max) {
  switch (act) {
    case ENG_ACT_RELU:
      *act_min = 0.0f;
      *act_max = FLT_MAX;
      break;
    case ENG_ACT_RELU6:
      *act_min = 0.0f;
      *act_max = 6.0f;
      break;
    case ENG_ACT_RELU_N1_TO_1:
      *act_min = -1.0f;
      *act_max = 1.0f;
      break;
    default:
      *act_min = -FLT_MAX;
      *act_max = FLT_MAX;
      break;
  }
}

void eng_activation_range_int32(eng_activation_t act, int32_t *act_min, int32_t *act_max) {
  *act_min = INT32_MIN;
  *act_max = INT32_MAX;
  if (act == ENG_ACT_RELU) {
    *act_min = 0;
  } else if (act == ENG_ACT_RELU6) {
    *act_min = 0;
    *act_max = 6;
  } else if (act == ENG_ACT_RELU_N1_TO_1) {
    *act_min = -1;
    *act_max = 1;
  }
}

double eng_conv_real_multiplier(float input_scale, float filter_scale, float output_scale) {
  const double product = (double)(input_scale * filter_scale);
  return product / (double)output_scale;
}

void eng_per_channel_multipliers(const eng_tensor_t *input, const eng_tensor_t *filter,
                                 const eng_tensor_t *output, uint32_t channels,
                                 int32_t *multipliers, int32_t *shifts) {
  const uint32_t n = filter->quant_count;
  for (uint32_t c = 0; c < channels; c++) {
    const float fs = eng_channel_scale(filter, n > 1 ? c : 0);
    const double real = (double)input->scale * (double)fs / (double)output->scale;
    eng_quantize_multiplier(real, &multipliers[c], &shifts[c]);
  }
}

/* ---- Q-format fixed point (int8 softmax / logistic) ----
 * Every rounding below is part of TFLM's int8 results, so the algorithms are gemmlowp's
 * (fixedpoint.h) operation for operation; the arrangement and names are ours. */

static int32_t wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}
static int32_t wrap_sub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* x * 2^e, saturating when e > 0 and rounding (eng_shr_round) when e < 0. */
static int32_t scale_pow2(int32_t x, int32_t e) {
  if (e <= 0) {
    return eng_shr_round(x, -e);
  }
  if (e > 31) {
    return x > 0 ? INT32_MAX : (x < 0 ? INT32_MIN : 0);
  }
  const int32_t limit = (int32_t)((1LL << (31 - e)) - 1);
  if (x > limit) {
    return INT32_MAX;
  }
  if (x < -limit) {
    return INT32_MIN;
  }
  return (int32_t)((uint32_t)x << e);
}

int32_t eng_q31_rescale(int32_t x, int32_t src_integer_bits, int32_t dst_integer_bits) {
  return scale_pow2(x, src_integer_bits - dst_integer_bits);
}

/* (a + b) / 2 rounded half away from zero, without overflow. */
static int32_t half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(x) for x in [-1/4, 0), Q0 in and out: exp(-1/8) * exp(y) with y = x + 1/8, exp(y)
 * by its Taylor polynomial to y^4, evaluated as 1 + y + (y^2 + (y^3 + y^4 / 4) / 3) / 2. */
static int32_t exp_quarter(int32_t x) {
  enum { EXP_MINUS_1_8 = 1895147668, ONE_THIRD = 715827883 }; /* round(2^31 * value) */
  const int32_t y = wrap_add(x, 1 << 28);
  const int32_t y2 = eng_q31_mul(y, y);
  const int32_t y3 = eng_q31_mul(y2, y);
  const int32_t y4 = eng_q31_mul(y2, y2);
  const int32_t cubic_quartic = eng_q31_mul(wrap_add(scale_pow2(y4, -2), y3), ONE_THIRD);
  const int32_t beyond_linear = scale_pow2(wrap_add(cubic_quartic, y2), -1);
  return wrap_add(EXP_MINUS_1_8, eng_q31_mul(EXP_MINUS_1_8, wrap_add(y, beyond_linear)));
}

int32_t eng_q31_exp_neg(int32_t a, int32_t integer_bits) {
  /* a = f + w with f in [-1/4, 0) and w <= 0 a multiple of 1/4: exp(a) = exp(f) times
   * exp(-2^k) for every set bit k of -w (k = -2..4; in Q0 these are round(2^31 exp(-2^k))). */
  static const int32_t exp_minus_pow2[7] = {1672461947, 1302514674, 790015084, 290630308,
                                            39332535,   720401,     242};
  const int32_t frac_bits = 31 - integer_bits;
  const int32_t quarter = (int32_t)(1 << (frac_bits - 2));
  const int32_t f = wrap_sub(a & (quarter - 1), quarter);
  const int32_t minus_w = wrap_sub(f, a);
  int32_t result = exp_quarter(eng_q31_rescale(f, integer_bits, 0));
  for (int32_t k = -2; k <= 4 && k < integer_bits; k++) {
    if ((minus_w & (int32_t)(1U << (frac_bits + k))) != 0) {
      result = eng_q31_mul(result, exp_minus_pow2[k + 2]);
    }
  }
  /* with more than 5 integer bits, a below -32 gives exactly 0 */
  if (integer_bits > 5 && a < -(1 << (36 - integer_bits))) {
    result = 0;
  }
  return a == 0 ? INT32_MAX : result;
}

int32_t eng_q31_recip_one_plus(int32_t x) {
  /* 1 / d for d = (1 + x) / 2 in [1/2, 1) by Newton-Raphson in Q2: start from
   * 48/17 - 32/17 d, then r += r (1 - d r) three times; 1 / (1 + x) = r / 2. */
  enum { C48_17 = 1515870810, C_MINUS_32_17 = -1010580540, ONE_Q2 = 1 << 29 };
  const int32_t d = half_sum(x, INT32_MAX);
  int32_t r = wrap_add(C48_17, eng_q31_mul(d, C_MINUS_32_17));
  for (int i = 0; i < 3; i++) {
    const int32_t error = wrap_sub(ONE_Q2, eng_q31_mul(d, r));
    r = wrap_add(r, eng_q31_rescale(eng_q31_mul(r, error), 4, 2));
  }
  /* r / 2 in Q1 has the raw bits of r in Q2; then Q1 → Q0 */
  return eng_q31_rescale(r, 1, 0);
}

int32_t eng_q31_reciprocal(int32_t x, int32_t x_integer_digits, int32_t *num_bits_over_unit) {
  /* x = 2^(digits - lz) * (1 + u) with u in [0, 1): normalise, take 1 / (1 + u) */
  const int32_t lz = x == 0 ? 32 : (int32_t)__builtin_clz((uint32_t)x);
  *num_bits_over_unit = x_integer_digits - lz;
  const uint32_t normalised = lz < 32 ? (uint32_t)x << lz : 0U;
  return eng_q31_recip_one_plus((int32_t)(normalised - (1U << 31)));
}

int32_t eng_input_radius(int32_t input_integer_bits, int32_t input_left_shift,
                         int32_t total_signed_bits) {
  if (input_left_shift < 0 || input_left_shift > 62 || input_integer_bits < 0 ||
      input_integer_bits > 30 || total_signed_bits < input_integer_bits || total_signed_bits > 62) {
    return 0;
  }
  const double radius = (double)((1 << input_integer_bits) - 1) *
                        (double)(1LL << (total_signed_bits - input_integer_bits)) /
                        (double)(1LL << input_left_shift);
  return (int32_t)floor(radius);
}
