/*
 * rfft.c – SignalRfft (int16): the real FFT of TFLM's signal library, bit-exact.
 *
 * TFLM computes this op with kissfft (v1.3.0, FIXED_POINT=16). This file is our own
 * power-of-two transform: an iterative decimation-in-time FFT of the N/2 complex values
 * (x[2t], x[2t+1]) in radix-4 passes, preceded by one radix-2 pass when N/2 is not a
 * power of four, then the split of that half-length transform into the real signal's
 * spectrum. The output equals kissfft's to the bit because the values rounded, and where,
 * are the same. Those rounding points are facts of TFLM's output, listed here:
 *
 * R1  Scaling. A pass of radix r first scales each of its r inputs, per component, by
 *     floor(32767 / r) / 32768 (8191 for r = 4, 16383 for r = 2) with round half up:
 *     (v * floor(32767 / r) + 2^14) >> 15. The scale is applied before the twiddle.
 * R2  Twiddle products. A scaled input times a Q15 twiddle w is (re, im) =
 *     ((a.re w.re - a.im w.im + 2^14) >> 15, (a.re w.im + a.im w.re + 2^14) >> 15): one
 *     rounding per component of the exact 32-bit sum, kept as int16. Input 0 of each
 *     butterfly is not multiplied; inputs 1..r-1 are, by W^(q k s) even where that
 *     twiddle is W^0 = (32767, 0), which is not the identity.
 * R3  Sums. The radix-4 and radix-2 DFTs of the rotated inputs use only +, -, and
 *     multiplication by -i, each kept as int16. Wrapping is addition modulo 2^16, which
 *     is associative, so the grouping of these sums does not change any bit; on cores with
 *     the DSP extension they are SADD16/SSUB16/SASX/SSAX, which wrap the same way.
 * R4  Factor order. The passes are radix 4 except the innermost (span 1) one, which is
 *     radix 2 when N/2 = 2 * 4^k: kissfft factors out 4s first and the last factor is the
 *     innermost, so each value passes the same scalings (R1) in the same order.
 * R5  Twiddles are floor(0.5 + 32767 * cos/sin(phase)) with phase = -2 pi i / (N/2) for
 *     the complex transform and -pi ((i + 1) / (N/2) + 1/2) for the split, both evaluated
 *     in double with those expression shapes (twiddle_table below).
 * R6  The split. For 0 < k <= N/4, with Z the complex transform, a = Z[k] and b = the
 *     conjugate of Z[N/2 - k] (negated imaginary part kept as int16: -(-32768) stays
 *     -32768), both scaled by R1 with r = 2 after conjugation; e = a + b and
 *     o = (a - b) * S[k - 1] (R2) as int16; then X[k] = (e + o) >> 1 and
 *     X[N/2 - k] = ((e.re - o.re) >> 1, (o.im - e.im) >> 1), each shift of the exact
 *     32-bit sum (no int16 wrap before it), the result kept as int16. At k = N/4 both
 *     name the same bin and the second form is the value. X[0] and X[N/2] are
 *     (z.re + z.im, 0) and (z.re - z.im, 0) of z = Z[0] scaled by R1, r = 2, as int16.
 *
 * The mathematics: z[t] = x[2t] + i x[2t+1] has DFT Z; E[k] = (Z[k] + conj Z[N/2-k]) / 2
 * and O[k] = (Z[k] - conj Z[N/2-k]) / 2i are the DFTs of the even and odd samples, and
 * X[k] = E[k] + e^(-2 pi i k / N) O[k] = E[k] + S (Z[k] - conj Z[N/2-k]) / 2 with
 * S = e^(-i pi (k / (N/2) + 1/2)). Every pass divides by its radix, the split by 2, so
 * the output is the DFT divided by N (test/engine/signal-harness.c checks against a
 * double DFT; the golden frames check the bits).
 *
 * Other lengths are refused: kissfft's radix-3 and radix-5 butterflies have rounding
 * points of their own that this file does not reproduce.
 */
#include <math.h>
#include <string.h>

#include "signal_kernel.h"

/* ---- complex Q15 values ----
 * cval is one complex sample. On cores with the DSP extension it is the (re, im) pair
 * packed in one register, so a product (R2) is one SMLSD/SMLADX with the rounding
 * constant as accumulator and sums (R3) are SADD16/SSUB16. Elsewhere it is the plain
 * struct. Both give bit-identical results. */

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
static inline cval c_scale(cval c, int32_t q15_recip) {
  return c_pack_q15(__smlabb(c, q15_recip, Q15_HALF), __smlatb(c, q15_recip, Q15_HALF));
}
static inline cval c_add(cval a, cval b) {
  return __sadd16(a, b);
}
static inline cval c_sub(cval a, cval b) {
  return __ssub16(a, b);
}
/* a + (-i) * b and a - (-i) * b */
static inline cval c_add_mj(cval a, cval b) {
  return __ssax(a, b);
}
static inline cval c_sub_mj(cval a, cval b) {
  return __sasx(a, b);
}
/* ((a + b) >> 1) and ((a - b) >> 1) per component of the exact sum (R6) */
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
static inline cval c_scale(cval c, int32_t q15_recip) {
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

/* R1: the scale factors of a radix-4 and a radix-2 pass. */
enum { SCALE4 = 32767 / 4, SCALE2 = 32767 / 2 };

static inline cval c_conj(cval v) {
  return c_make(c_re(v), -c_im(v));
}

/* ---- the complex transform: passes over sub-transforms ----
 * Before a pass of radix r and span m, z holds n / m independent transforms of length m,
 * each in m consecutive entries; the pass merges every r neighbours into one transform of
 * length r * m. Output k + q m of a merged transform (0 <= q < r) is the r-point DFT over
 * its inputs j, k + j m, taken after scaling (R1) and multiplying input j by the twiddle
 * W_{r m}^(j k) = W_n^(j k n / (r m)) (R2). The loops run over k outside, so each k loads
 * its twiddles once for all n / (r m) groups. */

static void pass_radix4(eng_sig_cpx16 *z, int32_t n, int32_t m, const eng_sig_cpx16 *tw) {
  const int32_t len = 4 * m;
  const int32_t step = n / len;
  for (int32_t k = 0; k < m; ++k) {
    const cval w1 = c_load(tw + k * step);
    const cval w2 = c_load(tw + 2 * k * step);
    const cval w3 = c_load(tw + 3 * k * step);
    for (eng_sig_cpx16 *g = z + k; g < z + n; g += len) {
      const cval x0 = c_scale(c_load(g), SCALE4);
      const cval x1 = c_mul(c_scale(c_load(g + m), SCALE4), w1);
      const cval x2 = c_mul(c_scale(c_load(g + 2 * m), SCALE4), w2);
      const cval x3 = c_mul(c_scale(c_load(g + 3 * m), SCALE4), w3);
      /* 4-point DFT (W_4 = -i) as two 2-point steps (R3) */
      const cval even_sum = c_add(x0, x2);
      const cval even_diff = c_sub(x0, x2);
      const cval odd_sum = c_add(x1, x3);
      const cval odd_diff = c_sub(x1, x3);
      c_store(g, c_add(even_sum, odd_sum));
      c_store(g + m, c_add_mj(even_diff, odd_diff));
      c_store(g + 2 * m, c_sub(even_sum, odd_sum));
      c_store(g + 3 * m, c_sub_mj(even_diff, odd_diff));
    }
  }
}

static void pass_radix2(eng_sig_cpx16 *z, int32_t n, int32_t m, const eng_sig_cpx16 *tw) {
  const int32_t len = 2 * m;
  const int32_t step = n / len;
  for (int32_t k = 0; k < m; ++k) {
    const cval w1 = c_load(tw + k * step);
    for (eng_sig_cpx16 *g = z + k; g < z + n; g += len) {
      const cval x0 = c_scale(c_load(g), SCALE2);
      const cval x1 = c_mul(c_scale(c_load(g + m), SCALE2), w1);
      c_store(g, c_add(x0, x1));
      c_store(g + m, c_sub(x0, x1));
    }
  }
}

/* ---- plan ---- */

/* log2(v) if v is a power of two, else -1 */
static int32_t exact_log2(int32_t v) {
  int32_t l = 0;
  while (l < 31 && ((int32_t)1 << l) < v) {
    ++l;
  }
  return v > 0 && ((int32_t)1 << l) == v ? l : -1;
}

/* Pass radices in execution order (R4): a radix-2 pass first when log2(n) is odd. */
static void plan_passes(eng_sig_rfft_plan *plan, int32_t log2n) {
  int32_t s = 0;
  if (log2n & 1) {
    plan->radix[s++] = 2;
  }
  for (int32_t b = log2n & 1; b < log2n; b += 2) {
    plan->radix[s++] = 4;
  }
  plan->num_stages = s;
}

static int length_supported(int32_t fft_length) {
  return fft_length >= 4 && fft_length <= ENG_SIG_FFT_MAX_LENGTH && exact_log2(fft_length) > 0;
}

/* twiddles, super twiddles, then the uint16 input permutation padded to 4 bytes (the
 * work array, when it shares the block, follows at a 4-byte boundary). */
static size_t tables_bytes(size_t ncfft) {
  return sizeof(eng_sig_cpx16) * (ncfft + ncfft / 2) +
         ((sizeof(uint16_t) * ncfft + 3u) & ~(size_t)3u);
}

size_t eng_sig_rfft_memory_bytes(int32_t fft_length) {
  if (!length_supported(fft_length)) {
    return 0;
  }
  const size_t ncfft = (size_t)fft_length / 2;
  return tables_bytes(ncfft) + sizeof(eng_sig_cpx16) * ncfft;
}

size_t eng_sig_rfft_work_bytes(int32_t fft_length) {
  return length_supported(fft_length) ? sizeof(eng_sig_cpx16) * (size_t)(fft_length / 2) : 0;
}

/* R5 for one phase, with libm. */
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
 * ~1e-14, far inside the 1e-6 margin) instead of two libm calls per entry, which would
 * make plan setup cost more than an FFT; an entry near a rounding boundary is recomputed
 * with libm from the phase expression of R5, so the table is exactly TFLM's. */
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
  const int32_t n = plan->ncfft;
  const int32_t log2n = exact_log2(n);
  plan_passes(plan, log2n);
  plan->twiddles = (eng_sig_cpx16 *)mem;
  plan->super_twiddles = plan->twiddles + n;
  plan->work = NULL;
  plan->perm = (uint16_t *)(void *)(plan->super_twiddles + n / 2);
  twiddle_table(plan->twiddles, n, n, 0);
  twiddle_table(plan->super_twiddles, n / 2, n, 1);
  /* Input order of the decimation in time: read slot j's index in the mixed radix of the
   * passes (pass s's digit has weight = its span m_s, the product of the earlier radices)
   * and write the digits back with reversed weights (n / (m_s r_s)). All are powers of
   * two, so digits are bit fields. */
  for (int32_t j = 0; j < n; ++j) {
    int32_t src = 0;
    int32_t span_bits = 0;
    for (int32_t s = 0; s < plan->num_stages; ++s) {
      const int32_t radix_bits = plan->radix[s] == 4 ? 2 : 1;
      const int32_t digit = (j >> span_bits) & (plan->radix[s] - 1);
      src |= digit << (log2n - span_bits - radix_bits);
      span_bits += radix_bits;
    }
    plan->perm[j] = (uint16_t)src;
  }
  return 0;
}

/* ---- transform ---- */

/* The complex transform of the input pairs, zero-padded past in_length, into plan->work:
 * loaded in the permuted order, then the passes from span 1 upwards. */
static void complex_transform(const eng_sig_rfft_plan *plan, const int16_t *in, int32_t in_length) {
  eng_sig_cpx16 *z = plan->work;
  const int32_t n = plan->ncfft;
  const uint16_t *perm = plan->perm;
  const int32_t full_pairs = in_length / 2; /* pairs with both samples present */
  for (int32_t j = 0; j < n; ++j) {
    const int32_t t = perm[j];
    if (t < full_pairs) {
      memcpy(z + j, in + 2 * t, sizeof *z);
    } else {
      z[j].r = 2 * t < in_length ? in[2 * t] : 0;
      z[j].i = 0;
    }
  }
  int32_t m = 1;
  for (int32_t s = 0; s < plan->num_stages; ++s) {
    if (plan->radix[s] == 4) {
      pass_radix4(z, n, m, plan->twiddles);
    } else {
      pass_radix2(z, n, m, plan->twiddles);
    }
    m *= plan->radix[s];
  }
}

/* R6 for one k: e = a + b and o = (a - b) S[k - 1]. */
static inline void split_terms(const eng_sig_rfft_plan *plan, int32_t k, cval *e, cval *o) {
  const eng_sig_cpx16 *z = plan->work;
  const cval a = c_scale(c_load(z + k), SCALE2);
  const cval b = c_scale(c_conj(c_load(z + plan->ncfft - k)), SCALE2);
  *e = c_add(a, b);
  *o = c_mul(c_sub(a, b), c_load(plan->super_twiddles + k - 1));
}

/* X[n - k] of R6: the conjugate of (e - o) / 2, halving the exact differences. */
static inline cval split_upper(cval e, cval o) {
  return c_make(c_re(c_half_sub(e, o)), c_im(c_half_sub(o, e)));
}

void eng_sig_rfft(const eng_sig_rfft_plan *plan, const int16_t *in, int32_t in_length,
                  eng_sig_cpx16 *out) {
  complex_transform(plan, in, in_length);
  const int32_t n = plan->ncfft;
  const cval z0 = c_scale(c_load(plan->work), SCALE2);
  c_store(out, c_make(c_re(z0) + c_im(z0), 0));
  c_store(out + n, c_make(c_re(z0) - c_im(z0), 0));
  cval e, o;
  for (int32_t k = 1; k < n / 2; ++k) {
    split_terms(plan, k, &e, &o);
    c_store(out + k, c_half_add(e, o));
    c_store(out + n - k, split_upper(e, o));
  }
  split_terms(plan, n / 2, &e, &o);
  c_store(out + n / 2, split_upper(e, o));
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
                    "fft_length %d unsupported (must be a power of two, 4..%d)", fft_length,
                    ENG_SIG_FFT_MAX_LENGTH);
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

const eng_kernel_t eng_kernel_signal_rfft = {ENG_OP_CUSTOM, "SignalRfft", NULL, rfft_prepare,
                                             rfft_eval};
