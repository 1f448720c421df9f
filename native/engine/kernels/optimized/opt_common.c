/* opt_common.c – prepare helpers (quantization table, fast-requantization proof, w16
 * layout) and the column/matrix kernels shared by the optimized int8 kernels. */

#include "opt_common.h"

#include <math.h>
#include <stddef.h>

#include "../reference/conv_common.h"
#include "quant.h"

eng_status_t eng_opt_conv_quant(eng_node_t *node, const eng_tensor_t *input,
                                const eng_tensor_t *filter, const eng_tensor_t *bias,
                                const eng_tensor_t *output, eng_activation_t act, int32_t channels,
                                int32_t channel_dim, eng_opt_ch_t **table, int8_t **shifts,
                                eng_opt_out_t *out) {
  /* The reference's checks, order and messages (eng_conv_quant_check). */
  eng_status_t st = eng_conv_quant_check(node, input, filter, bias, output, channels, channel_dim);
  if (st != ENG_OK) return st;
  eng_opt_ch_t *t = eng_alloc_persistent(node, (size_t)channels * sizeof *t);
  int8_t *sh = eng_alloc_persistent(node, (size_t)channels);
  if (t == NULL || sh == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "per-channel multipliers");
  }
  const int32_t *b = bias != NULL ? (const int32_t *)bias->data : NULL;
  for (int32_t c = 0; c < channels; c++) {
    int32_t shift;
    if ((st = eng_conv_channel_multiplier(node, input, filter, output, c, &t[c].mult, &shift)) !=
        ENG_OK)
      return st;
    sh[c] = eng_opt_shift8(shift);
    t[c].bias = b != NULL ? b[c] : 0;
  }
  if ((st = eng_conv_act_range(node, output, act, &out->act_min, &out->act_max)) != ENG_OK)
    return st;
  out->sat = 0;
  *table = t;
  *shifts = sh;
  return ENG_OK;
}

int eng_opt_make_fast(eng_opt_ch_t *table, int8_t *shifts, eng_opt_out_t *out,
                      const eng_opt_filter_t *f, int32_t input_zp, int32_t output_zp, int doubled) {
  /* Largest |x - input_zp| over int8 x. */
  const int64_t max_in = input_zp >= 0 ? 128 + (int64_t)input_zp : 127 - (int64_t)input_zp;
  const int64_t limit = (INT64_C(1) << 30) - 1;
  /* First pass: prove, change nothing. */
  for (int32_t c = 0; c < f->channels; c++) {
    const eng_opt_ch_t *t = &table[c];
    const int32_t e = -(int32_t)shifts[c];
    if (t->mult == 0) {
      /* SRDHM(acc, 0) = 0 whatever acc and shift: the output is the zero point, so the
       * accumulator needs no bound (dead channels with tiny scales have huge biases). */
      continue;
    }
    int64_t bound = t->bias < 0 ? -(int64_t)t->bias : (int64_t)t->bias;
    int64_t taps = 0;
    const int8_t *w = f->data + (size_t)c * (size_t)f->oc_stride;
    for (int32_t k = 0; k < f->taps; k++) {
      const int32_t v = w[(size_t)k * (size_t)f->k_stride];
      taps += (v < 0 ? -v : v) * max_in;
    }
    if (taps == 0) {
      continue; /* all weights zero: a constant channel (second pass) */
    }
    if (t->mult < 0 || e < 1 || e > 31 || bound + taps > limit) {
      return 0;
    }
  }
  for (int32_t c = 0; c < f->channels; c++) {
    eng_opt_ch_t *t = &table[c];
    if (t->mult == 0) {
      t->bias = 0; /* SMMULR(acc2, 0) = 0 for any acc2 */
      shifts[c] = 0;
      continue;
    }
    uint32_t sum = 0, nonzero = 0;
    const int8_t *w = f->data + (size_t)c * (size_t)f->oc_stride;
    for (int32_t k = 0; k < f->taps; k++) {
      const int32_t v = w[(size_t)k * (size_t)f->k_stride];
      sum += (uint32_t)v;
      nonzero |= (uint32_t)v;
    }
    if (nonzero == 0) {
      /* acc = bias for every input: the reference's output v is a constant. With
       * m = 2^30 and e = 1, SMMULR(4x, m) = x, and x' = 2 (v - zp) (x = x' + 1 when
       * negative, which only a non-saturating range allows) gives (x' + 2 zp + 1) >> 1 = v. */
      const int32_t v = eng_clamp32(
          (int32_t)((uint32_t)eng_requantize(t->bias, t->mult, shifts[c]) + (uint32_t)output_zp),
          out->act_min, out->act_max);
      const int32_t d = 2 * (v - output_zp);
      const int32_t x = d >= 0 ? d : d + 1;
      t->mult = INT32_C(1) << 30;
      t->bias = doubled ? 4 * x : 2 * x;
      shifts[c] = 0;
      continue;
    }
    const int32_t e = -(int32_t)shifts[c];
    uint32_t folded = (uint32_t)t->bias - (uint32_t)input_zp * sum;
    if (doubled) {
      folded <<= 1;
    }
    t->bias = (int32_t)folded;
    shifts[c] = (int8_t)(e - 1);
  }
  out->k = 2 * output_zp + 1;
  out->sat = out->act_min == -128 && out->act_max == 127 && output_zp == -128;
  return 1;
}

eng_status_t eng_opt_ref_multipliers(eng_node_t *node, const eng_opt_ch_t *table,
                                     const int8_t *table_shifts, int32_t channels,
                                     int32_t **multipliers, int32_t **shifts) {
  int32_t *m = eng_alloc_persistent(node, (size_t)channels * sizeof(int32_t));
  int32_t *s = eng_alloc_persistent(node, (size_t)channels * sizeof(int32_t));
  if (m == NULL || s == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "per-channel multipliers");
  }
  for (int32_t c = 0; c < channels; c++) {
    m[c] = table[c].mult;
    s[c] = table_shifts[c];
  }
  *multipliers = m;
  *shifts = s;
  return ENG_OK;
}

void eng_opt_make_w16(const eng_opt_filter_t *f, int32_t block, uint32_t *dst) {
  const int32_t k4 = eng_opt_k4(f->taps);
  for (int32_t c = 0; c < f->channels; c++) {
    const int8_t *w = f->data + (size_t)c * (size_t)f->oc_stride;
    const int32_t in_block = c % block;
    const int32_t block_start = c - in_block;
    /* Pairs (c0, c1) share K4 words; a lone last channel has K4 / 2. */
    const int lone = (in_block & 1) == 0 && in_block + 1 == block;
    uint32_t *base = dst + (size_t)(block_start + (in_block & ~1)) * (size_t)(k4 / 2);
    const int32_t stride = lone ? 2 : 4;
    const int32_t lane = lone ? 0 : (in_block & 1) * 2;
    for (int32_t g = 0; g < k4 / 4; g++) {
      int32_t v[4];
      for (int32_t j = 0; j < 4; j++) {
        const int32_t k = 4 * g + j;
        v[j] = k < f->taps ? 2 * (int32_t)w[(size_t)k * (size_t)f->k_stride] : 0;
      }
      base[g * stride + lane] = eng_pair(v[0], v[2]);
      base[g * stride + lane + 1] = eng_pair(v[1], v[3]);
    }
  }
}

/* Both lanes doubled: lane 0's carry out of bit 15 lands in bit 16, which a doubled
 * lane 1 always has clear. */
static inline uint32_t dbl16(uint32_t v) {
  return (v << 1) & 0xFFFEFFFFu;
}

/* The k % 4 last taps of a row as one word, zero padded (reads only existing bytes). */
static inline uint32_t tail_word(const int8_t *src, int32_t n) {
  uint32_t a = 0;
  for (int32_t j = 0; j < n; j++) {
    a |= (uint32_t)(uint8_t)src[j] << (8 * j);
  }
  return a;
}

void eng_opt_widen_w16(const int8_t *w, int32_t channels, int32_t k, uint32_t *dst) {
  const int32_t groups = k >> 2, rest = k & 3;
  int32_t c = 0;
  for (; c + 2 <= channels; c += 2) {
    const int8_t *r0 = w + (size_t)c * (size_t)k, *r1 = r0 + k;
    for (int32_t g = 0; g < groups; g++, dst += 4) {
      const uint32_t a = eng_ld32(r0 + 4 * g), b = eng_ld32(r1 + 4 * g);
      dst[0] = dbl16(eng_sxtb16(a));
      dst[1] = dbl16(eng_sxtb16_ror8(a));
      dst[2] = dbl16(eng_sxtb16(b));
      dst[3] = dbl16(eng_sxtb16_ror8(b));
    }
    if (rest) {
      const uint32_t a = tail_word(r0 + 4 * groups, rest), b = tail_word(r1 + 4 * groups, rest);
      dst[0] = dbl16(eng_sxtb16(a));
      dst[1] = dbl16(eng_sxtb16_ror8(a));
      dst[2] = dbl16(eng_sxtb16(b));
      dst[3] = dbl16(eng_sxtb16_ror8(b));
      dst += 4;
    }
  }
  if (c < channels) {
    const int8_t *r0 = w + (size_t)c * (size_t)k;
    for (int32_t g = 0; g < groups; g++, dst += 2) {
      const uint32_t a = eng_ld32(r0 + 4 * g);
      dst[0] = dbl16(eng_sxtb16(a));
      dst[1] = dbl16(eng_sxtb16_ror8(a));
    }
    if (rest) {
      const uint32_t a = tail_word(r0 + 4 * groups, rest);
      dst[0] = dbl16(eng_sxtb16(a));
      dst[1] = dbl16(eng_sxtb16_ror8(a));
    }
  }
}

void eng_opt_widen(const int8_t *src, int32_t n, uint32_t *dst, int32_t step) {
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint32_t a = eng_ld32(src + i);
    const uint32_t b = eng_ld32(src + i + 4);
    dst[0] = eng_sxtb16(a);
    dst[1] = eng_sxtb16_ror8(a);
    dst[step] = eng_sxtb16(b);
    dst[step + 1] = eng_sxtb16_ror8(b);
    dst += 2 * step;
  }
  if (i + 4 <= n) {
    const uint32_t a = eng_ld32(src + i);
    dst[0] = eng_sxtb16(a);
    dst[1] = eng_sxtb16_ror8(a);
    dst += step;
    i += 4;
  }
  if (i < n) {
    /* Partial group: read only the bytes that exist; the rest is never used (w16 rows
     * are zero there, w8 kernels stop at k). */
    uint32_t a = 0;
    for (int32_t j = 0; i + j < n; j++) {
      a |= (uint32_t)(uint8_t)src[i + j] << (8 * j);
    }
    dst[0] = eng_sxtb16(a);
    dst[1] = eng_sxtb16_ror8(a);
  }
}

/* Small copies and fills with word accesses and explicit tails (a byte loop here would
 * become a libc call per row). */
static inline void copy_bytes(int8_t *dst, const int8_t *src, int32_t n) {
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    eng_st32(dst + i, eng_ld32(src + i));
  }
  if (n & 2) {
    dst[i] = src[i];
    dst[i + 1] = src[i + 1];
    i += 2;
  }
  if (n & 1) {
    dst[i] = src[i];
  }
}

static inline void fill_bytes(int8_t *dst, uint32_t word, int32_t n) {
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    eng_st32(dst + i, word);
  }
  if (n & 2) {
    dst[i] = (int8_t)word;
    dst[i + 1] = (int8_t)word;
    i += 2;
  }
  if (n & 1) {
    dst[i] = (int8_t)word;
  }
}

void eng_opt_gather(const eng_opt_geom_t *g, const int8_t *in, int32_t oy, int32_t ox, int32_t c0,
                    int32_t n, int8_t *raw) {
  const int32_t iy0 = oy * g->stride_h - g->pad_h;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  const int32_t row_bytes = g->fw * n;
  const uint32_t zp = (uint32_t)(uint8_t)g->zp * 0x01010101u;
  /* One run per filter row when its taps are adjacent channels-complete pixels. */
  const int contiguous = g->dil_w == 1 && n == g->in_c && ix0 >= 0 && ix0 + g->fw <= g->in_w;
  for (int32_t fy = 0; fy < g->fh; fy++) {
    const int32_t iy = iy0 + fy * g->dil_h;
    if (iy < 0 || iy >= g->in_h) {
      fill_bytes(raw, zp, row_bytes);
      raw += row_bytes;
      continue;
    }
    const int8_t *row = in + ((size_t)iy * (size_t)g->in_w) * (size_t)g->in_c + c0;
    if (contiguous) {
      copy_bytes(raw, row + (size_t)ix0 * (size_t)g->in_c, row_bytes);
      raw += row_bytes;
      continue;
    }
    for (int32_t fx = 0; fx < g->fw; fx++) {
      const int32_t ix = ix0 + fx * g->dil_w;
      if (ix < 0 || ix >= g->in_w) {
        fill_bytes(raw, zp, n);
      } else if (n == 1) {
        *raw = row[(size_t)ix * (size_t)g->in_c];
      } else {
        copy_bytes(raw, row + (size_t)ix * (size_t)g->in_c, n);
      }
      raw += n;
    }
  }
}

/* ---- matrix kernels ----
 * Accumulators start at the folded bias. w8 rows: the group loop reads 4 weight bytes,
 * the last k % 4 taps are scalar (weights past k are never read). */

/* acc + a * b with the int32 wrap-around of the reference accumulation. */
static inline int32_t mac(int32_t acc, int32_t a, int32_t b) {
  return (int32_t)((uint32_t)acc + (uint32_t)(a * b));
}

/* Lane j of group g of a column with `step` words per group. */
static inline int32_t col_tap(const uint32_t *col, int32_t step, int32_t k) {
  const uint32_t word = col[(k >> 2) * step + (k & 1)];
  return (k & 2) ? (int32_t)(int16_t)(uint16_t)(word >> 16) : (int32_t)(int16_t)(uint16_t)word;
}

ENG_OPT_INLINE void gemm2_w8_impl(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0,
                                  int8_t *out1, const int sat) {
  /* a local copy: the int8 stores below cannot alias it, so k stays in a register */
  const eng_opt_out_t out_ = *g->out;
  const int32_t k = g->k;
  const int32_t groups = k >> 2;
  const int8_t *wrow = g->weights;
  const eng_opt_ch_t *ch = g->ch;
  const int8_t *sh = g->shift;
  int32_t c = 0;
  for (; c + 2 <= g->n_oc; c += 2, ch += 2, sh += 2, wrow += 2 * k) {
    const int8_t *w0 = wrow;
    const int8_t *w1 = wrow + k;
    const uint32_t *x = col;
    int32_t a00 = ch[0].bias, a01 = ch[1].bias, a10 = ch[0].bias, a11 = ch[1].bias;
    for (int32_t i = 0; i < groups; i++) {
      const uint32_t p0e = x[0], p0o = x[1], p1e = x[2], p1o = x[3];
      x += 4;
      uint32_t w = eng_ld32(w0);
      w0 += 4;
      uint32_t we = eng_sxtb16(w), wo = eng_sxtb16_ror8(w);
      a00 = eng_smlad(p0e, we, a00);
      a00 = eng_smlad(p0o, wo, a00);
      a10 = eng_smlad(p1e, we, a10);
      a10 = eng_smlad(p1o, wo, a10);
      w = eng_ld32(w1);
      w1 += 4;
      we = eng_sxtb16(w);
      wo = eng_sxtb16_ror8(w);
      a01 = eng_smlad(p0e, we, a01);
      a01 = eng_smlad(p0o, wo, a01);
      a11 = eng_smlad(p1e, we, a11);
      a11 = eng_smlad(p1o, wo, a11);
    }
    for (int32_t t = groups << 2; t < k; t++) {
      const int32_t x0 = col_tap(col, 4, t), x1 = col_tap(col + 2, 4, t);
      a00 = mac(a00, x0, wrow[t]);
      a10 = mac(a10, x1, wrow[t]);
      a01 = mac(a01, x0, wrow[k + t]);
      a11 = mac(a11, x1, wrow[k + t]);
    }
    out0[c] = eng_opt_requant((int32_t)((uint32_t)a00 << 1), &ch[0], sh[0], &out_, sat);
    out0[c + 1] = eng_opt_requant((int32_t)((uint32_t)a01 << 1), &ch[1], sh[1], &out_, sat);
    out1[c] = eng_opt_requant((int32_t)((uint32_t)a10 << 1), &ch[0], sh[0], &out_, sat);
    out1[c + 1] = eng_opt_requant((int32_t)((uint32_t)a11 << 1), &ch[1], sh[1], &out_, sat);
  }
  if (c < g->n_oc) {
    const uint32_t *x = col;
    const int8_t *w0 = wrow;
    int32_t a0 = ch[0].bias, a1 = ch[0].bias;
    for (int32_t i = 0; i < groups; i++) {
      const uint32_t w = eng_ld32(w0);
      w0 += 4;
      const uint32_t we = eng_sxtb16(w), wo = eng_sxtb16_ror8(w);
      a0 = eng_smlad(x[0], we, a0);
      a0 = eng_smlad(x[1], wo, a0);
      a1 = eng_smlad(x[2], we, a1);
      a1 = eng_smlad(x[3], wo, a1);
      x += 4;
    }
    for (int32_t t = groups << 2; t < k; t++) {
      a0 = mac(a0, col_tap(col, 4, t), wrow[t]);
      a1 = mac(a1, col_tap(col + 2, 4, t), wrow[t]);
    }
    out0[c] = eng_opt_requant((int32_t)((uint32_t)a0 << 1), &ch[0], sh[0], &out_, sat);
    out1[c] = eng_opt_requant((int32_t)((uint32_t)a1 << 1), &ch[0], sh[0], &out_, sat);
  }
}

/* sat is a constant inside each instantiation (one requantization path per loop). */
void eng_opt_gemm2_w8(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0, int8_t *out1) {
  if (g->sat) {
    gemm2_w8_impl(g, col, out0, out1, 1);
  } else {
    gemm2_w8_impl(g, col, out0, out1, 0);
  }
}

ENG_OPT_INLINE void gemm1_w8_impl(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0,
                                  const int sat) {
  /* a local copy: the int8 stores below cannot alias it, so k stays in a register */
  const eng_opt_out_t out_ = *g->out;
  const int32_t k = g->k;
  const int32_t groups = k >> 2;
  const int8_t *wrow = g->weights;
  const eng_opt_ch_t *ch = g->ch;
  const int8_t *sh = g->shift;
  int32_t c = 0;
  for (; c + 2 <= g->n_oc; c += 2, ch += 2, sh += 2, wrow += 2 * k) {
    const int8_t *w0 = wrow;
    const int8_t *w1 = wrow + k;
    const uint32_t *x = col;
    int32_t a0 = ch[0].bias, a1 = ch[1].bias;
    for (int32_t i = 0; i < groups; i++) {
      const uint32_t pe = x[0], po = x[1];
      x += 2;
      uint32_t w = eng_ld32(w0);
      w0 += 4;
      a0 = eng_smlad(pe, eng_sxtb16(w), a0);
      a0 = eng_smlad(po, eng_sxtb16_ror8(w), a0);
      w = eng_ld32(w1);
      w1 += 4;
      a1 = eng_smlad(pe, eng_sxtb16(w), a1);
      a1 = eng_smlad(po, eng_sxtb16_ror8(w), a1);
    }
    for (int32_t t = groups << 2; t < k; t++) {
      const int32_t x0 = col_tap(col, 2, t);
      a0 = mac(a0, x0, wrow[t]);
      a1 = mac(a1, x0, wrow[k + t]);
    }
    out0[c] = eng_opt_requant((int32_t)((uint32_t)a0 << 1), &ch[0], sh[0], &out_, sat);
    out0[c + 1] = eng_opt_requant((int32_t)((uint32_t)a1 << 1), &ch[1], sh[1], &out_, sat);
  }
  if (c < g->n_oc) {
    const uint32_t *x = col;
    const int8_t *w0 = wrow;
    int32_t a0 = ch[0].bias;
    for (int32_t i = 0; i < groups; i++) {
      const uint32_t w = eng_ld32(w0);
      w0 += 4;
      a0 = eng_smlad(x[0], eng_sxtb16(w), a0);
      a0 = eng_smlad(x[1], eng_sxtb16_ror8(w), a0);
      x += 2;
    }
    for (int32_t t = groups << 2; t < k; t++) {
      a0 = mac(a0, col_tap(col, 2, t), wrow[t]);
    }
    out0[c] = eng_opt_requant((int32_t)((uint32_t)a0 << 1), &ch[0], sh[0], &out_, sat);
  }
}

/* sat is a constant inside each instantiation (one requantization path per loop). */
void eng_opt_gemm1_w8(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0) {
  if (g->sat) {
    gemm1_w8_impl(g, col, out0, 1);
  } else {
    gemm1_w8_impl(g, col, out0, 0);
  }
}

/* Dot products of the w16 kernels over `groups` groups of 4 taps. Device: SMLAD loops in
 * asm (GCC spills the 2x2 register block); elsewhere the same sums in C. */
#if ENG_OPT_DSP
#define DOT2X2(x, w, n, a00, a01, a10, a11)                                                     \
  do {                                                                                          \
    uint32_t x0e_, x0o_, x1e_, x1o_, we_, wo_;                                                  \
    __asm__ volatile(                                                                           \
        "1:\n\t"                                                                                \
        "ldrd %[x0e], %[x0o], [%[xp]], #8\n\t"                                                  \
        "ldrd %[x1e], %[x1o], [%[xp]], #8\n\t"                                                  \
        "ldrd %[we], %[wo], [%[wp]], #8\n\t"                                                    \
        "smlad %[r00], %[x0e], %[we], %[r00]\n\t"                                               \
        "smlad %[r00], %[x0o], %[wo], %[r00]\n\t"                                               \
        "smlad %[r10], %[x1e], %[we], %[r10]\n\t"                                               \
        "smlad %[r10], %[x1o], %[wo], %[r10]\n\t"                                               \
        "ldrd %[we], %[wo], [%[wp]], #8\n\t"                                                    \
        "smlad %[r01], %[x0e], %[we], %[r01]\n\t"                                               \
        "smlad %[r01], %[x0o], %[wo], %[r01]\n\t"                                               \
        "smlad %[r11], %[x1e], %[we], %[r11]\n\t"                                               \
        "smlad %[r11], %[x1o], %[wo], %[r11]\n\t"                                               \
        "subs %[cnt], %[cnt], #1\n\t"                                                           \
        "bne 1b\n\t"                                                                            \
        : [r00] "+r"(a00), [r01] "+r"(a01), [r10] "+r"(a10), [r11] "+r"(a11), [xp] "+r"(x),     \
          [wp] "+r"(w), [cnt] "+r"(n), [x0e] "=&r"(x0e_), [x0o] "=&r"(x0o_), [x1e] "=&r"(x1e_), \
          [x1o] "=&r"(x1o_), [we] "=&r"(we_), [wo] "=&r"(wo_)                                   \
        :                                                                                       \
        : "cc", "memory");                                                                      \
  } while (0)
#define DOT1X2(x, w, n, a0, a1)                                                    \
  do {                                                                             \
    uint32_t xe_, xo_, we_, wo_;                                                   \
    __asm__ volatile(                                                              \
        "1:\n\t"                                                                   \
        "ldrd %[xe], %[xo], [%[xp]], #8\n\t"                                       \
        "ldrd %[we], %[wo], [%[wp]], #8\n\t"                                       \
        "smlad %[r0], %[xe], %[we], %[r0]\n\t"                                     \
        "smlad %[r0], %[xo], %[wo], %[r0]\n\t"                                     \
        "ldrd %[we], %[wo], [%[wp]], #8\n\t"                                       \
        "smlad %[r1], %[xe], %[we], %[r1]\n\t"                                     \
        "smlad %[r1], %[xo], %[wo], %[r1]\n\t"                                     \
        "subs %[cnt], %[cnt], #1\n\t"                                              \
        "bne 1b\n\t"                                                               \
        : [r0] "+r"(a0), [r1] "+r"(a1), [xp] "+r"(x), [wp] "+r"(w), [cnt] "+r"(n), \
          [xe] "=&r"(xe_), [xo] "=&r"(xo_), [we] "=&r"(we_), [wo] "=&r"(wo_)       \
        :                                                                          \
        : "cc", "memory");                                                         \
  } while (0)
#else
#define DOT2X2(x, w, n, a00, a01, a10, a11)                    \
  do {                                                         \
    for (; n > 0; n--, x += 4, w += 4) {                       \
      a00 = eng_smlad(x[1], w[1], eng_smlad(x[0], w[0], a00)); \
      a10 = eng_smlad(x[3], w[1], eng_smlad(x[2], w[0], a10)); \
      a01 = eng_smlad(x[1], w[3], eng_smlad(x[0], w[2], a01)); \
      a11 = eng_smlad(x[3], w[3], eng_smlad(x[2], w[2], a11)); \
    }                                                          \
  } while (0)
#define DOT1X2(x, w, n, a0, a1)                              \
  do {                                                       \
    for (; n > 0; n--, x += 2, w += 4) {                     \
      a0 = eng_smlad(x[1], w[1], eng_smlad(x[0], w[0], a0)); \
      a1 = eng_smlad(x[1], w[3], eng_smlad(x[0], w[2], a1)); \
    }                                                        \
  } while (0)
#endif

ENG_OPT_INLINE void gemm2_w16_impl(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0,
                                   int8_t *out1, const int sat) {
  const int32_t groups = eng_opt_k4(g->k) >> 2;
  const uint32_t *w = g->weights;
  const eng_opt_ch_t *ch = g->ch;
  const int8_t *sh = g->shift;
  const eng_opt_out_t o_ = *g->out; /* a local copy, see gemm2_w8_impl */
  const eng_opt_out_t *o = &o_;
  int32_t c = 0;
  for (; c + 2 <= g->n_oc; c += 2, ch += 2, sh += 2) {
    const uint32_t *x = col;
    int32_t n = groups;
    int32_t a00 = ch[0].bias, a01 = ch[1].bias, a10 = ch[0].bias, a11 = ch[1].bias;
    DOT2X2(x, w, n, a00, a01, a10, a11);
    out0[c] = eng_opt_requant(a00, &ch[0], sh[0], o, sat);
    out0[c + 1] = eng_opt_requant(a01, &ch[1], sh[1], o, sat);
    out1[c] = eng_opt_requant(a10, &ch[0], sh[0], o, sat);
    out1[c + 1] = eng_opt_requant(a11, &ch[1], sh[1], o, sat);
  }
  if (c < g->n_oc) {
    const uint32_t *x = col;
    int32_t a0 = ch[0].bias, a1 = ch[0].bias;
    for (int32_t i = 0; i < groups; i++, x += 4, w += 2) {
      a0 = eng_smlad(x[1], w[1], eng_smlad(x[0], w[0], a0));
      a1 = eng_smlad(x[3], w[1], eng_smlad(x[2], w[0], a1));
    }
    out0[c] = eng_opt_requant(a0, &ch[0], sh[0], o, sat);
    out1[c] = eng_opt_requant(a1, &ch[0], sh[0], o, sat);
  }
}

/* sat is a constant inside each instantiation (one requantization path per loop). */
void eng_opt_gemm2_w16(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0, int8_t *out1) {
  if (g->sat) {
    gemm2_w16_impl(g, col, out0, out1, 1);
  } else {
    gemm2_w16_impl(g, col, out0, out1, 0);
  }
}

ENG_OPT_INLINE void gemm1_w16_impl(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0,
                                   const int sat) {
  const int32_t groups = eng_opt_k4(g->k) >> 2;
  const uint32_t *w = g->weights;
  const eng_opt_ch_t *ch = g->ch;
  const int8_t *sh = g->shift;
  const eng_opt_out_t o_ = *g->out; /* a local copy, see gemm2_w8_impl */
  const eng_opt_out_t *o = &o_;
  int32_t c = 0;
  for (; c + 2 <= g->n_oc; c += 2, ch += 2, sh += 2) {
    const uint32_t *x = col;
    int32_t n = groups;
    int32_t a0 = ch[0].bias, a1 = ch[1].bias;
    DOT1X2(x, w, n, a0, a1);
    out0[c] = eng_opt_requant(a0, &ch[0], sh[0], o, sat);
    out0[c + 1] = eng_opt_requant(a1, &ch[1], sh[1], o, sat);
  }
  if (c < g->n_oc) {
    const uint32_t *x = col;
    int32_t a0 = ch[0].bias;
    for (int32_t i = 0; i < groups; i++, x += 2, w += 2) {
      a0 = eng_smlad(x[1], w[1], eng_smlad(x[0], w[0], a0));
    }
    out0[c] = eng_opt_requant(a0, &ch[0], sh[0], o, sat);
  }
}

/* sat is a constant inside each instantiation (one requantization path per loop). */
void eng_opt_gemm1_w16(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0) {
  if (g->sat) {
    gemm1_w16_impl(g, col, out0, 1);
  } else {
    gemm1_w16_impl(g, col, out0, 0);
  }
}
