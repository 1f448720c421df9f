/*
 * signal_math.c – integer helpers shared by the signal ops: bit length, rounded square
 * roots and the fixed-point natural log, matching TFLM's signal/src arithmetic exactly.
 */
#include "signal_dsp.h"

#if !defined(__GNUC__)
/* Bit length of x (0 for 0), one shift at a time. */
static uint32_t bit_length(uint64_t x) {
  uint32_t n = 0;
  while (x) {
    x >>= 1;
    ++n;
  }
  return n;
}
#endif

uint32_t eng_sig_msb32(uint32_t x) {
  if (x == 0) {
    return 32; /* TFLM's GCC path (32 - clz) special-cases zero to 32, not 0 */
  }
#if defined(__GNUC__)
  return 32u - (uint32_t)__builtin_clz(x);
#else
  return bit_length(x);
#endif
}

uint32_t eng_sig_msb64(uint64_t x) {
  if (x == 0) {
    return 64;
  }
#if defined(__GNUC__)
  return 64u - (uint32_t)__builtin_clzll(x);
#else
  return bit_length(x);
#endif
}

/* Digit-by-digit square root of x, two bits per step from the highest even bit at or
 * below the top set bit: leaves floor(sqrt(x)) and the remainder x - root^2, exactly
 * what TFLM's Sqrt32/Sqrt64 loops compute before their rounding step. */
static uint32_t sqrt32_floor(uint32_t x, uint32_t *rem) {
  uint32_t root = 0;
  if (x != 0) {
    uint32_t bit = 1u << ((eng_sig_msb32(x) - 1u) & ~1u);
    while (bit != 0) {
      if (x >= root + bit) {
        x -= root + bit;
        root = (root >> 1) + bit;
      } else {
        root >>= 1;
      }
      bit >>= 2;
    }
  }
  *rem = x;
  return root;
}

/* The final step rounds to nearest (remainder above the root) unless the root is already
 * the type's maximum. */
uint16_t eng_sig_sqrt32(uint32_t x) {
  uint32_t rem;
  const uint32_t root = sqrt32_floor(x, &rem);
  return (uint16_t)(rem > root && root != 0xFFFFu ? root + 1u : root);
}

uint32_t eng_sig_sqrt64(uint64_t x) {
  /* TFLM takes the 32-bit path whenever the high word is clear; its rounding there caps
   * at 0xFFFF, so keep the same split to stay bit-exact near 2^32. */
  if ((x >> 32) == 0) {
    return eng_sig_sqrt32((uint32_t)x);
  }
  /* Same digits as a 64-bit digit-by-digit loop, but the leading ones (all but the last
   * `pairs` bit pairs) come from the cheaper 32-bit loop on x >> (2 * pairs). */
  const uint32_t pairs = (eng_sig_msb64(x) - 31u) / 2u; /* makes x >> 2*pairs fit 32 bits */
  uint32_t rem32;
  uint64_t root = sqrt32_floor((uint32_t)(x >> (2u * pairs)), &rem32);
  uint64_t rem = rem32;
  for (int32_t i = (int32_t)pairs - 1; i >= 0; --i) {
    rem = (rem << 2) | ((x >> (2 * i)) & 3u);
    const uint64_t trial = (root << 2) | 1u;
    root <<= 1;
    if (rem >= trial) {
      rem -= trial;
      root |= 1u;
    }
  }
  return (uint32_t)(rem > root && root != 0xFFFFFFFFu ? root + 1u : root);
}

/* Correction table for log2(1 + f) - f, f in [0, 1) in 128 segments, scaled by 2^16:
 * entry i = floor(65536 * (log2(1 + i/128) - i/128) + 0.5), plus one zero pad. Generated
 * from that formula (test/engine checks it against libm). */
static const uint16_t k_log2_correction[130] = {
    0,    224,  442,  654,  861,  1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646,
    2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460,
    4549, 4633, 4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408,
    5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633,
    5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249,
    5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341,
    4264, 4184, 4103, 4020, 3935, 3848, 3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981,
    2875, 2768, 2659, 2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224,
    1094, 963,  830,  695,  559,  421,  282,  142,  0,    0};

enum {
  LOG_SCALE_BITS = 16,  /* log2 values carry 16 fractional bits */
  LOG_SEGMENT_BITS = 7, /* 128 table segments */
  LOG_LN2_Q16 = 45426   /* round(ln(2) * 2^16) */
};

/* Fractional part of log2(x) with 16 fractional bits, given floor(log2(x)). */
static uint32_t log2_fraction(uint32_t x, uint32_t log2x) {
  int32_t frac = (int32_t)(x - (1u << log2x)); /* x < 2^(log2x+1), so it fits */
  if (log2x < LOG_SCALE_BITS) {
    frac = (int32_t)((uint32_t)frac << (LOG_SCALE_BITS - log2x));
  } else {
    frac >>= (log2x - LOG_SCALE_BITS);
  }
  const uint32_t seg = (uint32_t)frac >> (LOG_SCALE_BITS - LOG_SEGMENT_BITS);
  const int32_t c0 = k_log2_correction[seg];
  const int32_t c1 = k_log2_correction[seg + 1];
  const int32_t seg_base = (int32_t)(seg << (LOG_SCALE_BITS - LOG_SEGMENT_BITS));
  const int32_t rel = ((c1 - c0) * (frac - seg_base)) >> LOG_SCALE_BITS;
  return (uint32_t)(frac + c0 + rel);
}

uint32_t eng_sig_log32(uint32_t x, uint32_t out_scale) {
  const uint32_t integer = eng_sig_msb32(x) - 1u;
  const uint32_t log2 = (integer << LOG_SCALE_BITS) + log2_fraction(x, integer);
  const uint32_t half = 1u << (LOG_SCALE_BITS - 1);
  const uint32_t loge = (uint32_t)(((uint64_t)LOG_LN2_Q16 * log2 + half) >> LOG_SCALE_BITS);
  return (out_scale * loge + half) >> LOG_SCALE_BITS;
}
