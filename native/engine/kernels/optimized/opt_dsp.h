/*
 * opt_dsp.h – the SIMD primitives of the optimized kernels: Cortex-M DSP instructions
 * through ACLE (inline asm only where ACLE has no intrinsic), with portable C twins that
 * give the same bits on every other target (host builds, tests).
 *
 * Contract
 * - Every function returns exactly what the named Armv7E-M instruction returns
 *   (wrapping, never saturating, except eng_ssat*). The Q flag is never read.
 * - "Pairs" are two int16 lanes in one uint32: lane 0 = bits 0..15, lane 1 = 16..31.
 * - Loads/stores of words are little endian and may be unaligned (the Cortex-M4 and M7 handle
 *   unaligned LDR/STR; the C twin uses memcpy). 64-bit loads need 8-byte alignment on
 *   the device (LDRD), so eng_ld64 is only for buffers we lay out ourselves.
 */
#ifndef XSINFER_KERNELS_OPTIMIZED_DSP_H
#define XSINFER_KERNELS_OPTIMIZED_DSP_H

#include <stdint.h>
#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define ENG_OPT_DSP 1
#else
#define ENG_OPT_DSP 0
#endif

#define ENG_OPT_INLINE static inline __attribute__((always_inline))

/* Unaligned little-endian word access (LDR/STR on the M4/M7, memcpy elsewhere). */
ENG_OPT_INLINE uint32_t eng_ld32(const void *p) {
  uint32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}
ENG_OPT_INLINE void eng_st32(void *p, uint32_t v) {
  memcpy(p, &v, sizeof v);
}

#if ENG_OPT_DSP

/* Bytes 0 and 2 sign-extended into the two int16 lanes. */
ENG_OPT_INLINE uint32_t eng_sxtb16(uint32_t x) {
  return (uint32_t)__sxtb16((int8x4_t)x);
}
/* Bytes 1 and 3 sign-extended (SXTB16 with ROR #8; ACLE has no rotate form). */
ENG_OPT_INLINE uint32_t eng_sxtb16_ror8(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
/* acc + lane0(a)*lane0(b) + lane1(a)*lane1(b), wrapping. */
ENG_OPT_INLINE int32_t eng_smlad(uint32_t a, uint32_t b, int32_t acc) {
  return __smlad((int16x2_t)a, (int16x2_t)b, acc);
}
/* acc + lane0(a)*lane0(b) / lane1(a)*lane1(b). */
ENG_OPT_INLINE int32_t eng_smlabb(uint32_t a, uint32_t b, int32_t acc) {
  return __smlabb((int32_t)a, (int32_t)b, acc);
}
ENG_OPT_INLINE int32_t eng_smlatt(uint32_t a, uint32_t b, int32_t acc) {
  return __smlatt((int32_t)a, (int32_t)b, acc);
}
/* Lane 0 of a, lane 0 of b in lane 1 (PKHBT a, b, LSL #16). */
ENG_OPT_INLINE uint32_t eng_pack_lo(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
/* Lane 1 of a in lane 0, lane 1 of b in lane 1 (PKHTB b, a, ASR #16). */
ENG_OPT_INLINE uint32_t eng_pack_hi(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("pkhtb %0, %2, %1, asr #16" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
/* (a*b + 2^31) >> 32: SMMULR. */
ENG_OPT_INLINE int32_t eng_smmulr(int32_t a, int32_t b) {
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
/* Signed saturation to int8 (SSAT #8). */
ENG_OPT_INLINE int32_t eng_ssat8(int32_t x) {
  return __ssat(x, 8);
}
/* Per-byte signed maximum of four int8 lanes (SSUB8 sets GE, SEL picks). */
ENG_OPT_INLINE uint32_t eng_max4(uint32_t a, uint32_t b) {
  (void)__ssub8((int8x4_t)a, (int8x4_t)b);
  return (uint32_t)__sel((uint8x4_t)a, (uint8x4_t)b);
}

/* acc + bytes 0 and 2 of x (sign-extended) lane by lane, each lane wrapping (SXTAB16). */
ENG_OPT_INLINE uint32_t eng_sxtab16(uint32_t acc, uint32_t x) {
  return (uint32_t)__sxtab16((int16x2_t)acc, (int8x4_t)x);
}
/* Same with bytes 1 and 3 (SXTAB16 with ROR #8). */
ENG_OPT_INLINE uint32_t eng_sxtab16_ror8(uint32_t acc, uint32_t x) {
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(acc), "r"(x));
  return r;
}

#else /* portable twins */

ENG_OPT_INLINE uint32_t eng_sxtb16(uint32_t x) {
  return (uint32_t)(uint16_t)(int16_t)(int8_t)(x & 0xFFu) |
         ((uint32_t)(uint16_t)(int16_t)(int8_t)((x >> 16) & 0xFFu) << 16);
}
ENG_OPT_INLINE uint32_t eng_sxtb16_ror8(uint32_t x) {
  return eng_sxtb16(x >> 8);
}
ENG_OPT_INLINE int32_t eng_lane0(uint32_t a) {
  return (int32_t)(int16_t)(uint16_t)(a & 0xFFFFu);
}
ENG_OPT_INLINE int32_t eng_lane1(uint32_t a) {
  return (int32_t)(int16_t)(uint16_t)(a >> 16);
}
ENG_OPT_INLINE int32_t eng_smlad(uint32_t a, uint32_t b, int32_t acc) {
  /* Products fit int32; the sum wraps like the instruction. */
  return (int32_t)((uint32_t)acc + (uint32_t)(eng_lane0(a) * eng_lane0(b)) +
                   (uint32_t)(eng_lane1(a) * eng_lane1(b)));
}
ENG_OPT_INLINE int32_t eng_smlabb(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(eng_lane0(a) * eng_lane0(b)));
}
ENG_OPT_INLINE int32_t eng_smlatt(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(eng_lane1(a) * eng_lane1(b)));
}
ENG_OPT_INLINE uint32_t eng_pack_lo(uint32_t a, uint32_t b) {
  return (a & 0xFFFFu) | (b << 16);
}
ENG_OPT_INLINE uint32_t eng_pack_hi(uint32_t a, uint32_t b) {
  return (a >> 16) | (b & 0xFFFF0000u);
}
ENG_OPT_INLINE int32_t eng_smmulr(int32_t a, int32_t b) {
  /* The sum cannot overflow int64: |a*b| <= 2^62. Shift of a negative value is
   * arithmetic on every compiler we build with (GCC/Clang document it). */
  return (int32_t)(((int64_t)a * (int64_t)b + INT64_C(0x80000000)) >> 32);
}
ENG_OPT_INLINE int32_t eng_ssat8(int32_t x) {
  return x < -128 ? -128 : (x > 127 ? 127 : x);
}
ENG_OPT_INLINE uint32_t eng_max4(uint32_t a, uint32_t b) {
  uint32_t r = 0;
  for (int i = 0; i < 32; i += 8) {
    const int8_t x = (int8_t)(a >> i), y = (int8_t)(b >> i);
    r |= (uint32_t)(uint8_t)(x >= y ? x : y) << i;
  }
  return r;
}

ENG_OPT_INLINE uint32_t eng_sxtab16(uint32_t acc, uint32_t x) {
  const uint32_t lo = (acc + (uint32_t)(int32_t)(int8_t)(x & 0xFFu)) & 0xFFFFu;
  const uint32_t hi = ((acc >> 16) + (uint32_t)(int32_t)(int8_t)((x >> 16) & 0xFFu)) & 0xFFFFu;
  return lo | (hi << 16);
}
ENG_OPT_INLINE uint32_t eng_sxtab16_ror8(uint32_t acc, uint32_t x) {
  return eng_sxtab16(acc, (x >> 8) | (x << 24));
}

#endif

/* Two int16 lanes from two ints (low 16 bits each). */
ENG_OPT_INLINE uint32_t eng_pair(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
}

#endif
