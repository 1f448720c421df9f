/*
 * rfft.c – SignalRfft (int16): real FFT with the exact fixed-point arithmetic of kissfft
 * v1.3.0 built with FIXED_POINT=16, which TFLM uses: Q15 products rounded half up, every
 * butterfly input pre-divided by its radix, mixed radix 4/2/3/5/generic in kissfft's
 * factor order, twiddles rounded from double-precision cos/sin at plan time.
 */
#include <math.h>
#include <string.h>

#include "signal_kernel.h"

/* ---- complex Q15 values and kissfft's arithmetic (sround / C_MUL / C_FIXDIV) ----
 * cval is one complex sample. On cores with the DSP extension it is the (re, im) pair
 * packed in one register, so a product is one SMLSD/SMLADX with the rounding constant as
 * accumulator and additions are SADD16/SSUB16 (both wrap like kissfft's int16 stores).
 * Elsewhere it is the plain struct. Both give bit-identical results. */

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#define RFFT_PACKED 1
#endif

enum { Q15_HALF = 1 << 14 };

static inline int16_t q15_round(int32_t x) {
  return (int16_t)((x + Q15_HALF) >> 15);
}

#ifdef RFFT_PACKED
typedef int32_t cval; /* re in bits 0..15, im in bits 16..31 */

static inline cval c_load(const eng_sig_cpx16 *p) {
  cval v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline void c_store(eng_sig_cpx16 *p, cval v) {
  memcpy(p, &v, sizeof v);
}
static inline int32_t c_re(cval v) {
  return (int16_t)(v & 0xFFFF);
}
static inline int32_t c_im(cval v) {
  return v >> 16;
}
static inline cval c_make(int32_t re, int32_t im) {
  return (cval)(((uint32_t)re & 0xFFFFu) | ((uint32_t)im << 16));
}
/* (re >> 15, im >> 15) truncated to 16 bits each, in one PKHTB: bits 15..30 of im are
 * the top half of im << 1 (GCC does not find this pattern itself). */
static inline cval c_pack_q15(int32_t re, int32_t im) {
  cval v;
  __asm__("pkhtb %0, %1, %2, asr #15" : "=r"(v) : "r"((int32_t)((uint32_t)im << 1)), "r"(re));
  return v;
}
/* Products of int16 values with twiddles in [-32767, 32767] stay inside int32. */
static inline cval c_mul(cval a, cval b) {
  return c_pack_q15(__smlsd(a, b, Q15_HALF), __smladx(a, b, Q15_HALF));
}
static inline cval c_div(cval c, int32_t q15_recip) {
  return c_pack_q15(__smlabb(c, q15_recip, Q15_HALF), __smlatb(c, q15_recip, Q15_HALF));
}
static inline cval c_add(cval a, cval b) {
  return __sadd16(a, b);
}
static inline cval c_sub(cval a, cval b) {
  return __ssub16(a, b);
}
/* a + (-i) * b and a - (-i) * b: the radix-4 forward rotation */
static inline cval c_add_mj(cval a, cval b) {
  return __ssax(a, b);
}
static inline cval c_sub_mj(cval a, cval b) {
  return __sasx(a, b);
}
/* ((a + b) >> 1, (a - b) >> 1) per component without intermediate wrap (kissfft HALF_OF) */
static inline cval c_half_add(cval a, cval b) {
  return __shadd16(a, b);
}
static inline cval c_half_sub(cval a, cval b) {
  return __shsub16(a, b);
}
#else
typedef eng_sig_cpx16 cval;

static inline cval c_load(const eng_sig_cpx16 *p) {
  return *p;
}
static inline void c_store(eng_sig_cpx16 *p, cval v) {
  *p = v;
}
static inline int32_t c_re(cval v) {
  return v.r;
}
static inline int32_t c_im(cval v) {
  return v.i;
}
static inline cval c_make(int32_t re, int32_t im) {
  cval v = {(int16_t)re, (int16_t)im};
  return v;
}
static inline cval c_mul(cval a, cval b) {
  return c_make(q15_round((int32_t)a.r * b.r - (int32_t)a.i * b.i),
                q15_round((int32_t)a.r * b.i + (int32_t)a.i * b.r));
}
static inline cval c_div(cval c, int32_t q15_recip) {
  return c_make(q15_round(c.r * q15_recip), q15_round(c.i * q15_recip));
}
static inline cval c_add(cval a, cval b) {
  return c_make(a.r + b.r, a.i + b.i);
}
static inline cval c_sub(cval a, cval b) {
  return c_make(a.r - b.r, a.i - b.i);
}
static inline cval c_add_mj(cval a, cval b) {
  return c_make(a.r + b.i, a.i - b.r);
}
static inline cval c_sub_mj(cval a, cval b) {
  return c_make(a.r - b.i, a.i + b.r);
}
static inline cval c_half_add(cval a, cval b) {
  return c_make((a.r + b.r) >> 1, (a.i + b.i) >> 1);
}
static inline cval c_half_sub(cval a, cval b) {
  return c_make((a.r - b.r) >> 1, (a.i - b.i) >> 1);
}
#endif

/* kissfft divides by k as a Q15 multiply by floor(32767 / k), not as an exact division. */
enum { RECIP2 = 32767 / 2, RECIP3 = 32767 / 3, RECIP4 = 32767 / 4, RECIP5 = 32767 / 5 };

/* ---- butterflies: one radix-p recombination of p interleaved length-m sub-FFTs ---- */

static void bfly2(eng_sig_cpx16 *f, const eng_sig_cpx16 *tw, int32_t fstride, int32_t m) {
  for (int32_t k = 0; k < m; ++k) {
    const cval a = c_div(c_load(f + k), RECIP2);
    const cval t = c_mul(c_div(c_load(f + k + m), RECIP2), c_load(tw + k * fstride));
    c_store(f + k + m, c_sub(a, t));
    c_store(f + k, c_add(a, t));
  }
}

static void bfly3(eng_sig_cpx16 *f, const eng_sig_cpx16 *tw, int32_t fstride, int32_t m) {
  const int32_t epi3_i = tw[fstride * m].i;
  for (int32_t k = 0; k < m; ++k) {
    const cval a = c_div(c_load(f + k), RECIP3);
    const cval s1 = c_mul(c_div(c_load(f + k + m), RECIP3), c_load(tw + k * fstride));
    const cval s2 = c_mul(c_div(c_load(f + k + 2 * m), RECIP3), c_load(tw + 2 * k * fstride));
    const cval s3 = c_add(s1, s2);
    const cval s0 = c_sub(s1, s2);
    const int32_t br = (int16_t)(c_re(a) - (c_re(s3) >> 1));
    const int32_t bi = (int16_t)(c_im(a) - (c_im(s3) >> 1));
    const int32_t s0r = q15_round(c_re(s0) * epi3_i);
    const int32_t s0i = q15_round(c_im(s0) * epi3_i);
    c_store(f + k, c_add(a, s3));
    c_store(f + k + 2 * m, c_make(br + s0i, bi - s0r));
    c_store(f + k + m, c_make(br - s0i, bi + s0r));
  }
}

static void bfly4(eng_sig_cpx16 *f, const eng_sig_cpx16 *tw, int32_t fstride, int32_t m) {
  eng_sig_cpx16 *f1 = f + m;
  eng_sig_cpx16 *f2 = f + 2 * m;
  eng_sig_cpx16 *f3 = f + 3 * m;
  const eng_sig_cpx16 *tw1 = tw, *tw2 = tw, *tw3 = tw;
  for (int32_t k = 0; k < m; ++k) {
    cval a = c_div(c_load(f + k), RECIP4);
    const cval s0 = c_mul(c_div(c_load(f1 + k), RECIP4), c_load(tw1));
    const cval s1 = c_mul(c_div(c_load(f2 + k), RECIP4), c_load(tw2));
    const cval s2 = c_mul(c_div(c_load(f3 + k), RECIP4), c_load(tw3));
    tw1 += fstride;
    tw2 += 2 * fstride;
    tw3 += 3 * fstride;
    const cval s5 = c_sub(a, s1);
    a = c_add(a, s1);
    const cval s3 = c_add(s0, s2);
    const cval s4 = c_sub(s0, s2);
    c_store(f2 + k, c_sub(a, s3));
    c_store(f + k, c_add(a, s3));
    c_store(f1 + k, c_add_mj(s5, s4));
    c_store(f3 + k, c_sub_mj(s5, s4));
  }
}

static inline int32_t smul(int32_t a, int32_t b) {
  return q15_round(a * b);
}

static void bfly5(eng_sig_cpx16 *f, const eng_sig_cpx16 *tw, int32_t fstride, int32_t m) {
  const int32_t yar = tw[fstride * m].r, yai = tw[fstride * m].i;
  const int32_t ybr = tw[fstride * 2 * m].r, ybi = tw[fstride * 2 * m].i;
  for (int32_t u = 0; u < m; ++u) {
    const cval s0 = c_div(c_load(f + u), RECIP5);
    const cval s1 = c_mul(c_div(c_load(f + u + m), RECIP5), c_load(tw + u * fstride));
    const cval s2 = c_mul(c_div(c_load(f + u + 2 * m), RECIP5), c_load(tw + 2 * u * fstride));
    const cval s3 = c_mul(c_div(c_load(f + u + 3 * m), RECIP5), c_load(tw + 3 * u * fstride));
    const cval s4 = c_mul(c_div(c_load(f + u + 4 * m), RECIP5), c_load(tw + 4 * u * fstride));
    const cval s7 = c_add(s1, s4);
    const cval s10 = c_sub(s1, s4);
    const cval s8 = c_add(s2, s3);
    const cval s9 = c_sub(s2, s3);
    c_store(f + u, c_make(c_re(s0) + (c_re(s7) + c_re(s8)), c_im(s0) + (c_im(s7) + c_im(s8))));
    const cval s5 = c_make(c_re(s0) + smul(c_re(s7), yar) + smul(c_re(s8), ybr),
                           c_im(s0) + smul(c_im(s7), yar) + smul(c_im(s8), ybr));
    const cval s6 = c_make(smul(c_im(s10), yai) + smul(c_im(s9), ybi),
                           -smul(c_re(s10), yai) - smul(c_re(s9), ybi));
    c_store(f + u + m, c_sub(s5, s6));
    c_store(f + u + 4 * m, c_add(s5, s6));
    const cval s11 = c_make(c_re(s0) + smul(c_re(s7), ybr) + smul(c_re(s8), yar),
                            c_im(s0) + smul(c_im(s7), ybr) + smul(c_im(s8), yar));
    const cval s12 = c_make(-smul(c_im(s10), ybi) + smul(c_im(s9), yai),
                            smul(c_re(s10), ybi) - smul(c_re(s9), yai));
    c_store(f + u + 2 * m, c_add(s11, s12));
    c_store(f + u + 3 * m, c_sub(s11, s12));
  }
}

static void bfly_generic(eng_sig_cpx16 *f, const eng_sig_cpx16 *tw, int32_t fstride, int32_t m,
                         int32_t p, int32_t n) {
  cval scratch[ENG_SIG_FFT_MAX_RADIX];
  const int32_t recip = 32767 / p;
  for (int32_t u = 0; u < m; ++u) {
    for (int32_t q = 0; q < p; ++q) {
      scratch[q] = c_div(c_load(f + u + q * m), recip);
    }
    for (int32_t q1 = 0; q1 < p; ++q1) {
      const int32_t k = u + q1 * m;
      int32_t twidx = 0;
      cval acc = scratch[0];
      for (int32_t q = 1; q < p; ++q) {
        twidx += fstride * k;
        if (twidx >= n) {
          twidx -= n;
        }
        acc = c_add(acc, c_mul(scratch[q], c_load(tw + twidx)));
      }
      c_store(f + k, acc);
    }
  }
}

/* ---- plan ---- */

static int32_t isqrt32(int32_t n) {
  int32_t r = 0;
  while ((int64_t)(r + 1) * (r + 1) <= n) {
    ++r;
  }
  return r;
}

/* kissfft's kf_factor: powers of 4 first, then 2, then odd numbers; once the trial
 * divisor passes floor(sqrt(original n)) the remainder is taken as one factor. */
static int factor(int32_t n, eng_sig_rfft_plan *plan) {
  const int32_t limit = isqrt32(n);
  int32_t p = 4;
  int32_t stages = 0;
  do {
    while (n % p) {
      p = p == 4 ? 2 : (p == 2 ? 3 : p + 2);
      if (p > limit) {
        p = n;
      }
    }
    if (stages == ENG_SIG_FFT_MAX_STAGES || p > ENG_SIG_FFT_MAX_RADIX) {
      return -1;
    }
    n /= p;
    plan->radix[stages] = p;
    plan->span[stages] = n;
    ++stages;
  } while (n > 1);
  plan->num_stages = stages;
  return 0;
}

/* twiddles, super twiddles, then the uint16 input permutation padded to 4 bytes (the
 * work array, when it shares the block, follows at a 4-byte boundary). */
static size_t tables_bytes(size_t ncfft) {
  return sizeof(eng_sig_cpx16) * (ncfft + ncfft / 2) +
         ((sizeof(uint16_t) * ncfft + 3u) & ~(size_t)3u);
}

size_t eng_sig_rfft_memory_bytes(int32_t fft_length) {
  if (fft_length < 4 || (fft_length & 1) || fft_length > ENG_SIG_FFT_MAX_LENGTH) {
    return 0;
  }
  eng_sig_rfft_plan probe;
  if (factor(fft_length / 2, &probe) != 0) {
    return 0;
  }
  const size_t ncfft = (size_t)fft_length / 2;
  return tables_bytes(ncfft) + sizeof(eng_sig_cpx16) * ncfft;
}

size_t eng_sig_rfft_work_bytes(int32_t fft_length) {
  return eng_sig_rfft_memory_bytes(fft_length) == 0
             ? 0
             : sizeof(eng_sig_cpx16) * (size_t)(fft_length / 2);
}

/* kf_cexp with FIXED_POINT: floor(0.5 + 32767 * cos/sin(phase)). */
static eng_sig_cpx16 twiddle(double phase) {
  eng_sig_cpx16 t;
  t.r = (int16_t)floor(0.5 + 32767.0 * cos(phase));
  t.i = (int16_t)floor(0.5 + 32767.0 * sin(phase));
  return t;
}

/* floor(0.5 + 32767 * v) for an approximation v of a libm value; clears *ok when
 * 32767 * v lies so close to a rounding boundary that the approximation could round
 * differently from libm. */
static int16_t round_q15(double v, int *ok) {
  const double x = 0.5 + 32767.0 * v;
  const double f = floor(x);
  if (x - f < 1e-6 || f + 1.0 - x < 1e-6) {
    *ok = 0;
  }
  return (int16_t)f;
}

/* table[i] = twiddle(phase(i)) for i < count, where phase(i) = start + i * step in exact
 * arithmetic. cos/sin come from a rotation recurrence re-anchored every 128 steps (error
 * ~1e-14, far inside the 1e-6 margin) instead of two libm calls per entry, which made plan setup cost more than an
 * FFT; any entry near a rounding boundary is recomputed with libm from kissfft's own
 * phase expression, so the table is exactly kissfft's. */
static void twiddle_table(eng_sig_cpx16 *table, int32_t count, int32_t ncfft, int super) {
  const double pi = 3.14159265358979323846264338327950288;
  const double start = super ? -pi * (1.0 / ncfft + .5) : 0.0;
  const double step = super ? -pi / ncfft : -2 * pi / ncfft;
  const double cd = cos(step), sd = sin(step);
  double c = 0.0, s = 0.0;
  for (int32_t i = 0; i < count; ++i) {
    if ((i & 127) == 0) { /* re-anchor so the recurrence error cannot build up */
      c = cos(start + i * step);
      s = sin(start + i * step);
    }
    int ok = 1;
    table[i].r = round_q15(c, &ok);
    table[i].i = round_q15(s, &ok);
    if (!ok) {
      /* the same expression shapes as kissfft so the double phase rounds identically */
      table[i] = twiddle(super ? -pi * ((double)(i + 1) / ncfft + .5) : -2 * pi * i / ncfft);
    }
    const double cn = c * cd - s * sd;
    s = s * cd + c * sd;
    c = cn;
  }
}

int eng_sig_rfft_init(eng_sig_rfft_plan *plan, int32_t fft_length, void *mem, size_t mem_bytes) {
  const size_t need = eng_sig_rfft_memory_bytes(fft_length);
  if (need == 0 || mem == NULL || mem_bytes < need ||
      eng_sig_rfft_init_tables(plan, fft_length, mem, mem_bytes) != 0) {
    return -1;
  }
  plan->work = (eng_sig_cpx16 *)(void *)((uint8_t *)mem + tables_bytes((size_t)plan->ncfft));
  return 0;
}

int eng_sig_rfft_init_tables(eng_sig_rfft_plan *plan, int32_t fft_length, void *mem,
                             size_t mem_bytes) {
  const size_t total = eng_sig_rfft_memory_bytes(fft_length);
  if (total == 0 || mem == NULL || mem_bytes < total - eng_sig_rfft_work_bytes(fft_length) ||
      ((uintptr_t)mem & 3u) != 0) {
    return -1;
  }
  memset(plan, 0, sizeof(*plan));
  plan->fft_length = fft_length;
  plan->ncfft = fft_length / 2;
  if (factor(plan->ncfft, plan) != 0) {
    return -1;
  }
  const int32_t ncfft = plan->ncfft;
  plan->twiddles = (eng_sig_cpx16 *)mem;
  plan->super_twiddles = plan->twiddles + ncfft;
  plan->work = NULL;
  plan->perm = (uint16_t *)(void *)(plan->super_twiddles + ncfft / 2);
  twiddle_table(plan->twiddles, ncfft, ncfft, 0);
  twiddle_table(plan->super_twiddles, ncfft / 2, ncfft, 1);
  /* kissfft recurses (decimation in time), so output slot j of the leaf copies holds
   * input element sum(q_s * stride_s) where q_s are j's mixed-radix digits (weights
   * span[s]) and stride_s the product of the earlier radices. Count j up like an
   * odometer, last digit fastest. */
  int32_t in_stride[ENG_SIG_FFT_MAX_STAGES];
  int32_t digit[ENG_SIG_FFT_MAX_STAGES];
  int32_t stride = 1;
  for (int32_t s = 0; s < plan->num_stages; ++s) {
    in_stride[s] = stride;
    digit[s] = 0;
    stride *= plan->radix[s];
  }
  int32_t src = 0;
  for (int32_t j = 0; j < ncfft; ++j) {
    plan->perm[j] = (uint16_t)src;
    for (int32_t s = plan->num_stages - 1; s >= 0; --s) {
      src += in_stride[s];
      if (++digit[s] < plan->radix[s]) {
        break;
      }
      src -= plan->radix[s] * in_stride[s];
      digit[s] = 0;
    }
  }
  return 0;
}

/* ---- transform ---- */

/* Complex FFT of the real input viewed as ncfft (re, im) pairs, zero-padded past
 * in_length, into plan->work: the leaf copies in kissfft's order, then the same
 * butterflies level by level, innermost first (the recursion's arithmetic exactly). */
static void cfft(const eng_sig_rfft_plan *plan, const int16_t *in, int32_t in_length) {
  eng_sig_cpx16 *out = plan->work;
  const int32_t n = plan->ncfft;
  const uint16_t *perm = plan->perm;
  const int32_t full_pairs = in_length / 2; /* pairs with both samples present */
  for (int32_t j = 0; j < n; ++j) {
    const int32_t k = perm[j];
    if (k < full_pairs) {
      memcpy(out + j, in + 2 * k, sizeof *out);
    } else {
      out[j].r = 2 * k < in_length ? in[2 * k] : 0;
      out[j].i = 0;
    }
  }
  int32_t fstride = n;
  for (int32_t s = plan->num_stages - 1; s >= 0; --s) {
    const int32_t p = plan->radix[s];
    const int32_t m = plan->span[s];
    fstride /= p; /* product of the radices before stage s */
    for (int32_t b = 0; b < fstride; ++b) {
      eng_sig_cpx16 *blk = out + b * p * m;
      switch (p) {
        case 2: bfly2(blk, plan->twiddles, fstride, m); break;
        case 3: bfly3(blk, plan->twiddles, fstride, m); break;
        case 4: bfly4(blk, plan->twiddles, fstride, m); break;
        case 5: bfly5(blk, plan->twiddles, fstride, m); break;
        default: bfly_generic(blk, plan->twiddles, fstride, m, p, n); break;
      }
    }
  }
}

void eng_sig_rfft(const eng_sig_rfft_plan *plan, const int16_t *in, int32_t in_length,
                  eng_sig_cpx16 *out) {
  cfft(plan, in, in_length);
  const eng_sig_cpx16 *w = plan->work;
  const int32_t n = plan->ncfft;
  /* Split the packed even/odd transform into the real signal's spectrum (kiss_fftr). */
  const cval dc = c_div(c_load(w), RECIP2);
  c_store(out, c_make(c_re(dc) + c_im(dc), 0));
  c_store(out + n, c_make(c_re(dc) - c_im(dc), 0));
  for (int32_t k = 1; k <= n / 2; ++k) {
    const cval fpk = c_div(c_load(w + k), RECIP2);
    const cval wn = c_load(w + n - k);
    const cval fpnk = c_div(c_make(c_re(wn), -c_im(wn)), RECIP2); /* conjugate, then scale */
    const cval f1k = c_add(fpk, fpnk);
    const cval tw = c_mul(c_sub(fpk, fpnk), c_load(plan->super_twiddles + k - 1));
    c_store(out + k, c_half_add(f1k, tw));
    /* (f1k.r - tw.r) / 2, (tw.i - f1k.i) / 2; at k == n/2 this overwrites the store
     * above, in kissfft's order */
    c_store(out + n - k, c_make(c_re(c_half_sub(f1k, tw)), c_im(c_half_sub(tw, f1k))));
  }
}

/* ---- kernel ---- */

typedef struct {
  eng_sig_rfft_plan plan;
  int32_t batches;       /* frames in the input (outer dimensions) */
  int32_t input_length;  /* samples per frame (last input dimension) */
  int32_t output_length; /* int16 values per output frame (last output dimension) */
  int32_t work_index;    /* scratch: the plan's work array */
} rfft_data_t;

static eng_status_t rfft_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 1, 1)) != ENG_OK) return st;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  eng_flex_value_t opts;
  if ((st = eng_sig_options(node, &opts)) != ENG_OK) return st;
  int32_t type, fft_length;
  if ((st = eng_sig_int_option(node, &opts, "T", 0, 255, &type)) != ENG_OK) return st;
  if (type != ENG_INT16) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "only the int16 RFFT is supported (T=%s)",
                    eng_type_name((eng_type_t)type));
  }
  if ((st = eng_sig_int_option(node, &opts, "fft_length", 4, 1 << 20, &fft_length)) != ENG_OK)
    return st;
  if ((st = eng_sig_tensor(node, in, "input", ENG_INT16, -1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, out, "output", ENG_INT16, in->rank)) != ENG_OK) return st;
  const size_t table_bytes = eng_sig_rfft_memory_bytes(fft_length);
  if (table_bytes == 0) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE,
                    "fft_length %d unsupported (must be even with prime factors <= %d)", fft_length,
                    ENG_SIG_FFT_MAX_RADIX);
  }
  const int32_t in_len = eng_dim(in, -1);
  const int32_t out_len = eng_dim(out, -1);
  const int32_t batches = in_len > 0 ? (int32_t)(eng_tensor_elements(in) / (uint32_t)in_len) : 0;
  if (in_len <= 0 || in_len > fft_length || out_len != fft_length + 2 ||
      eng_tensor_elements(out) != (uint32_t)batches * (uint32_t)out_len) {
    return eng_fail(node, ENG_ERR_SHAPE,
                    "frames of %d samples need fft_length >= them and %d outputs per frame", in_len,
                    fft_length + 2);
  }
  rfft_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) return eng_fail(node, ENG_ERR_ARENA, "op data");
  /* Twiddles and permutation persist; the complex work array is planned scratch (it
   * holds nothing between invokes). */
  const size_t work_bytes = eng_sig_rfft_work_bytes(fft_length);
  void *tables = eng_alloc_persistent(node, table_bytes - work_bytes);
  if (tables == NULL) return eng_fail(node, ENG_ERR_ARENA, "FFT tables");
  if (eng_sig_rfft_init_tables(&d->plan, fft_length, tables, table_bytes - work_bytes) != 0) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "fft_length %d", fft_length);
  }
  if ((st = eng_request_scratch(node, work_bytes, &d->work_index)) != ENG_OK) return st;
  d->batches = batches;
  d->input_length = in_len;
  d->output_length = out_len;
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t rfft_eval(eng_node_t *node) {
  rfft_data_t *d = node->user_data;
  d->plan.work = eng_scratch(node, d->work_index);
  const int16_t *in = eng_input(node, 0)->data;
  int16_t *out = eng_output(node, 0)->data;
  for (int32_t b = 0; b < d->batches; ++b) {
    eng_sig_rfft(&d->plan, in + b * d->input_length, d->input_length,
                 (eng_sig_cpx16 *)(void *)(out + b * d->output_length));
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_rfft = {ENG_OP_CUSTOM, "SignalRfft", rfft_prepare, rfft_eval};
