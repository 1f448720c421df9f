/*
 * quant.c – fixed-point and quantization helpers with TFLM/gemmlowp rounding, written
 * from the documented semantics (see quant.h). Signed overflow is avoided by doing the
 * wrapping steps in unsigned arithmetic.
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

int64_t eng_rounding_divide_by_pot64(int64_t x, int32_t exponent) {
  if (exponent <= 0) {
    return x;
  }
  if (exponent > 63) {
    exponent = 63;
  }
  const int64_t mask = (int64_t)((1ULL << exponent) - 1);
  const int64_t remainder = x & mask;
  const int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t eng_mul_by_quantized_multiplier64(int64_t x, int32_t multiplier, int32_t shift) {
  const int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  int32_t total_shift = 15 - shift;
  if (total_shift < 1) {
    total_shift = 1;
  } else if (total_shift > 62) {
    total_shift = 62;
  }
  const int64_t v =
      (int64_t)((uint64_t)x * (uint64_t)(int64_t)reduced) + ((int64_t)1 << (total_shift - 1));
  return (int32_t)(v >> total_shift);
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

/* ---- gemmlowp fixed point ---- */

static int32_t wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}
static int32_t wrap_sub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* SaturatingRoundingMultiplyByPOT<exponent>. */
static int32_t sat_mul_pot(int32_t x, int32_t exponent) {
  if (exponent == 0) {
    return x;
  }
  if (exponent < 0) {
    return eng_rounding_divide_by_pot(x, -exponent);
  }
  if (exponent > 31) {
    return x > 0 ? INT32_MAX : (x < 0 ? INT32_MIN : 0);
  }
  const int32_t threshold = (int32_t)((1LL << (31 - exponent)) - 1);
  if (x > threshold) {
    return INT32_MAX;
  }
  if (x < -threshold) {
    return INT32_MIN;
  }
  return (int32_t)((uint32_t)x << exponent);
}

int32_t eng_fp_rescale(int32_t x, int32_t src_integer_bits, int32_t dst_integer_bits) {
  return sat_mul_pot(x, src_integer_bits - dst_integer_bits);
}

int32_t eng_fp_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

int32_t eng_saturating_add32(int32_t a, int32_t b) {
  const int64_t s = (int64_t)a + (int64_t)b;
  return s > INT32_MAX ? INT32_MAX : (s < INT32_MIN ? INT32_MIN : (int32_t)s);
}

#define SRDHM eng_sat_rounding_doubling_high_mul

int32_t eng_fp_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t constant_term = 1895147668;    /* exp(-1/8), Q0.31 */
  const int32_t constant_1_over_3 = 715827883; /* 1/3 */
  const int32_t x = wrap_add(a, 1 << 28);      /* a + 1/8 */
  const int32_t x2 = SRDHM(x, x);
  const int32_t x3 = SRDHM(x2, x);
  const int32_t x4 = SRDHM(x2, x2);
  const int32_t x4_over_4 = sat_mul_pot(x4, -2);
  const int32_t poly =
      sat_mul_pot(wrap_add(SRDHM(wrap_add(x4_over_4, x3), constant_1_over_3), x2), -1);
  return wrap_add(constant_term, SRDHM(constant_term, wrap_add(x, poly)));
}

int32_t eng_fp_exp_on_negative_values(int32_t a, int32_t integer_bits) {
  const int32_t fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)(1 << (fractional_bits - 2));
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = wrap_sub(a & mask, one_quarter);
  int32_t result = eng_fp_exp_on_interval_between_negative_one_quarter_and_0_excl(
      eng_fp_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  const int32_t remainder = wrap_sub(a_mod_quarter_minus_one_quarter, a);
  static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                         39332535,   720401,     242};
  for (int32_t e = -2; e <= 4; e++) {
    if (integer_bits > e) {
      const int32_t shift = fractional_bits + e;
      if ((remainder & (int32_t)(1U << shift)) != 0) {
        result = SRDHM(result, multipliers[e + 2]);
      }
    }
  }
  if (integer_bits > 5) {
    const int32_t clamp = -(1 << (36 - integer_bits));
    if (a < clamp) {
      result = 0;
    }
  }
  if (a == 0) {
    result = INT32_MAX;
  }
  return result;
}

int32_t eng_fp_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = eng_fp_rounding_half_sum(a, INT32_MAX);
  const int32_t c48_17 = 1515870810;     /* Q2.29 */
  const int32_t cneg32_17 = -1010580540; /* Q2.29 */
  const int32_t one_f2 = 1 << 29;
  int32_t x = wrap_add(c48_17, SRDHM(half_denominator, cneg32_17));
  for (int i = 0; i < 3; i++) {
    const int32_t hdx = SRDHM(half_denominator, x);
    const int32_t one_minus = wrap_sub(one_f2, hdx);
    x = wrap_add(x, eng_fp_rescale(SRDHM(x, one_minus), 4, 2));
  }
  /* ExactMulByPot<-1> turns Q2 into Q1 (same raw), then Rescale<0>. */
  return eng_fp_rescale(x, 1, 0);
}

int32_t eng_clz32(uint32_t x) {
  if (x == 0) {
    return 32;
  }
  return (int32_t)__builtin_clz(x);
}

int32_t eng_get_reciprocal(int32_t x, int32_t x_integer_digits, int32_t *num_bits_over_unit) {
  const int32_t headroom_plus_one = eng_clz32((uint32_t)x);
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const int32_t shifted_sum_minus_one =
      (int32_t)((headroom_plus_one < 32 ? ((uint32_t)x << headroom_plus_one) : 0U) - (1U << 31));
  return eng_fp_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

int32_t eng_calculate_input_radius(int32_t input_integer_bits, int32_t input_left_shift,
                                   int32_t total_signed_bits) {
  if (input_left_shift < 0 || input_left_shift > 62 || input_integer_bits < 0 ||
      input_integer_bits > 30 || total_signed_bits < input_integer_bits || total_signed_bits > 62) {
    return 0;
  }
  const double max_input_rescaled = 1.0 * (double)((1 << input_integer_bits) - 1) *
                                    (double)(1LL << (total_signed_bits - input_integer_bits)) /
                                    (double)(1LL << input_left_shift);
  return (int32_t)floor(max_input_rescaled);
}
