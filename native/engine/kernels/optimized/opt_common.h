/*
 * opt_common.h – what the optimized int8 kernels share: the per-channel requantization
 * table with its exact fast form, the column (im2col) format and the small matrix
 * kernels that CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED run on.
 *
 * Contract
 * - Fast requantization. For an accumulator acc (int32, what TFLM accumulates:
 *   bias + sum w * (x - input_zp)) and a channel with TFLM multiplier m (in [2^30, 2^31)
 *   or 0) and shift s <= -1, let e = -s. TFLM computes
 *     y = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc, m), e) + zp
 *   and clamps. Since m >= 0, SRDHM(acc, m) = floor((acc*m + 2^30) / 2^31)
 *   = SMMULR(2*acc, m) whenever |2*acc| < 2^31, and RoundingDivideByPOT(x, e) =
 *   floor((x + 2^(e-1) - [x < 0]) / 2^e). Adding zp * 2^e inside the floor is exact, so
 *     y = (SMMULR(2*acc, m) + round - [x < 0]) >> e,  round = 2^(e-1) + zp * 2^e,
 *   evaluated as y = (((x' >> (e-1)) + k) >> 1) with x' = x - [x < 0] and k = 2 zp + 1
 *   (floor(floor(v / 2^(e-1)) / 2) = floor(v / 2^e) for integers), so a channel needs
 *   only (bias, m) and e - 1, and k is per op.
 *   When the clamp range is exactly [-128, 127] and zp == -128, every x < 0 ends at
 *   -128 with or without the [x < 0] term, so "sat" channels drop it and clamp with
 *   SSAT. eng_opt_make_fast() only enables the fast form ("fast" = 1) when it proved for
 *   every channel, from the constant weights and bias, that |acc| < 2^30 for any int8
 *   input (the evaluated form never adds round to x, so nothing else can overflow);
 *   otherwise the kernel runs the reference core for that op. Two kinds of channel need
 *   no proof (pruned "dead" channels: tiny scales, biases near the int32 limits): a
 *   multiplier of 0 (TFLM zeroes those below 2^-32) outputs SRDHM(acc, 0) + zp = zp for
 *   any acc (bias 0, shift 0); all-zero weights make acc = bias for every input, so the
 *   reference's output v is computed once and the channel becomes m = 2^30, e = 1 with
 *   a bias whose requantization is v. test/engine/optimized-*.test.ts check it against the reference
 *   formula (kernel-diff "requant" mode).
 * - Folded input offset: bias' = bias - input_zp * sum(w) (int32, wrapping, exactly as
 *   the int32 accumulation would), so inner loops multiply raw int8 inputs. Taps in the
 *   padding are filled with input_zp, which contributes w * zp - zp * w = 0.
 * - Column format ("col"): K values of one output position, sign-extended to int16 and
 *   grouped by 4 in SXTB16 order: word 2g = (x[4g], x[4g+2]), word 2g+1 =
 *   (x[4g+1], x[4g+3]); K4 = K rounded up to 4. A column pair interleaves two positions
 *   group by group: [g][p0 even, p0 odd, p1 even, p1 odd].
 * - Weights: "w8" = the model's int8 rows (out_c x K), read 4 bytes at a time, the last
 *   K % 4 taps by a scalar tail; "w16" = K4 int16 per channel in SXTB16 order, zero
 *   padded, values doubled (the matrix kernels only run fast ops; the accumulator then
 *   is already 2*acc), laid out in blocks of `block` channels (the channels one matrix
 *   call produces): inside a block, channel pairs interleave group by group
 *   [g][c0 even, c0 odd, c1 even, c1 odd] (K4 words per pair), an odd last channel
 *   follows alone [g][even, odd].
 * - Arena: persistent data is the op structs and 9 bytes per output channel (bias, m,
 *   shift); CONV_2D rebuilds its small w16 blocks in planner scratch at each eval,
 *   DEPTHWISE_CONV_2D with multiplier 1 reads the model's int8 filter directly, and only
 *   depthwise with other multipliers keeps a (small) persistent w16 table.
 */
#ifndef XSINFER_KERNELS_OPTIMIZED_COMMON_H
#define XSINFER_KERNELS_OPTIMIZED_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "opt_dsp.h"

/* One output channel (8 bytes, one LDRD). Its shift lives in a parallel int8 array
 * (per-channel data is most of the optimized set's arena: 9 bytes a channel in all):
 * TFLM's shift clamped to int8 until eng_opt_make_fast, then e - 1 = -TFLM shift - 1 in
 * [0, 30]. (Clamping loses nothing: every TFLM shift >= 32 multiplies by 2^32 mod 2^32
 * = 0 in the reference, like 127 does; eng_quantize_multiplier never gives < -31.) */
typedef struct eng_opt_ch {
  int32_t bias; /* folded bias (doubled for w16 fast ops) */
  int32_t mult; /* TFLM quantized multiplier */
} eng_opt_ch_t;

/* Output side of an int8 op. */
typedef struct eng_opt_out {
  int32_t act_min, act_max;
  int32_t k;   /* fast: 2 * output zero point + 1 */
  uint8_t sat; /* clamp range is [-128, 127] and zp == -128 */
} eng_opt_out_t;

/* Prepare-time description of the filter for eng_opt_channels: weight of channel c, tap k
 * is filter[c * oc_stride + k * k_stride], k < taps. */
typedef struct eng_opt_filter {
  const int8_t *data;
  int32_t channels, taps, oc_stride, k_stride;
} eng_opt_filter_t;

/*
 * CONV_2D / DEPTHWISE_CONV_2D quantization checks exactly as the reference kernels'
 * (eng_conv_quant_prepare: TFLM PopulateConvolutionQuantizationParams), writing into a
 * new persistent table and shift array: mult / shifts[c] = TFLM multiplier and shift
 * (int8, see eng_opt_ch_t) per channel (per-tensor scales broadcast), bias = raw bias (0
 * when absent); *out gets the activation range.
 */
eng_status_t eng_opt_conv_quant(eng_node_t *node, const eng_tensor_t *input,
                                const eng_tensor_t *filter, const eng_tensor_t *bias,
                                const eng_tensor_t *output, eng_activation_t act, int32_t channels,
                                int32_t channel_dim, eng_opt_ch_t **table, int8_t **shifts,
                                eng_opt_out_t *out);

/* int8 copy of a TFLM shift (see eng_opt_ch_t). */
static inline int8_t eng_opt_shift8(int32_t shift) {
  return (int8_t)(shift > 127 ? 127 : (shift < -128 ? -128 : shift));
}

/*
 * Turns a table of TFLM values (as eng_opt_conv_quant leaves it) into the fast form when
 * that is exact for every channel: folds input_zp into the bias (doubled when
 * `doubled`), sets the fast shifts, out->k and out->sat. Returns 1 when converted; 0
 * leaves the table untouched (the kernel then runs the reference core). output_zp: the
 * output zero point.
 */
int eng_opt_make_fast(eng_opt_ch_t *table, int8_t *shifts, eng_opt_out_t *out,
                      const eng_opt_filter_t *f, int32_t input_zp, int32_t output_zp, int doubled);

/* Reference-core arguments rebuilt from a table of TFLM values (persistent). */
eng_status_t eng_opt_ref_multipliers(eng_node_t *node, const eng_opt_ch_t *table,
                                     const int8_t *table_shifts, int32_t channels,
                                     int32_t **multipliers, int32_t **shifts);

/* round of a fast channel: 2^(e-1) + zp * 2^e (exact in int64; make_fast checked that it
 * fits with room for x). */
static inline int64_t eng_opt_round64(int32_t e, int32_t zp) {
  return (INT64_C(1) << (e - 1)) + (int64_t)zp * (INT64_C(1) << e);
}

/* Requantize one accumulator. acc2 = 2 * acc; shift = the channel's fast shift (e - 1). */
ENG_OPT_INLINE int8_t eng_opt_requant(int32_t acc2, const eng_opt_ch_t *ch, int32_t shift,
                                      const eng_opt_out_t *o, const int sat) {
  const int32_t x = eng_smmulr(acc2, ch->mult);
  if (sat) {
    return (int8_t)eng_ssat8(((x >> shift) + o->k) >> 1);
  }
  int32_t y = (((x - (int32_t)((uint32_t)x >> 31)) >> shift) + o->k) >> 1;
  y = y < o->act_min ? o->act_min : y;
  y = y > o->act_max ? o->act_max : y;
  return (int8_t)y;
}

/* ---- columns ---- */

ENG_OPT_INLINE int32_t eng_opt_k4(int32_t k) {
  return (k + 3) & ~3;
}

/* Widen n bytes (any n) into column groups; dst advances `step` words per group (2 for a
 * single column, 4 inside a column pair). Reads exactly n source bytes. */
void eng_opt_widen(const int8_t *src, int32_t n, uint32_t *dst, int32_t step);

/* Geometry of a windowed op on NHWC input (CONV_2D / DEPTHWISE_CONV_2D). */
typedef struct eng_opt_geom {
  int32_t in_h, in_w, in_c;
  int32_t fh, fw;
  int32_t stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
  int32_t zp; /* input zero point: the value of padding taps */
} eng_opt_geom_t;

/* Raw patch of output position (oy, ox) of one batch image `in`: for every tap (fy, fx)
 * in filter order, n channels starting at channel c0 (zp for taps in the padding);
 * writes fh * fw * n bytes. */
void eng_opt_gather(const eng_opt_geom_t *g, const int8_t *in, int32_t oy, int32_t ox, int32_t c0,
                    int32_t n, int8_t *raw);

/* ---- matrix kernels: outputs of 2 (or 1) positions x n_oc channels ---- */

/* Arguments common to the matrix kernels. */
typedef struct eng_opt_gemm {
  const eng_opt_ch_t *ch; /* channel table, first channel of this call */
  const int8_t *shift;    /* its fast shifts, same channel */
  const eng_opt_out_t *out;
  const void *weights; /* w8: int8 rows of k; w16: one block (see the contract) */
  int32_t k;           /* taps per channel */
  int32_t n_oc;        /* channels to produce */
  int32_t sat;
} eng_opt_gemm_t;

/* Two positions: col = column pair; writes out0[c], out1[c] for c < n_oc. */
void eng_opt_gemm2_w8(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0, int8_t *out1);
void eng_opt_gemm2_w16(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0, int8_t *out1);
/* One position: col = single column. */
void eng_opt_gemm1_w8(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0);
void eng_opt_gemm1_w16(const eng_opt_gemm_t *g, const uint32_t *col, int8_t *out0);

/* Lay out w16 weights (doubled values) from a filter description in blocks of `block`
 * channels (channels % block == 0); dst has channels * k4 / 2 words. */
void eng_opt_make_w16(const eng_opt_filter_t *f, int32_t block, uint32_t *dst);

/* The same layout, fast, for int8 rows of k taps (w8: channel c at w + c * k) as one
 * block of `channels`: what CONV_2D builds in planner scratch at every eval instead of
 * keeping a widened copy in persistent memory. */
void eng_opt_widen_w16(const int8_t *w, int32_t channels, int32_t k, uint32_t *dst);

/* ---- gemmlowp fixed point, inline (SOFTMAX) ---- */

/* SaturatingRoundingDoublingHighMul for every (a, b) except a == b == INT32_MIN (the
 * saturating case; callers never reach it): TFLM's nudge-and-truncate equals
 * floor((a*b + 2^30) / 2^31) for both signs. */
ENG_OPT_INLINE int32_t eng_opt_srdhm(int32_t a, int32_t b) {
  return (int32_t)(((int64_t)a * (int64_t)b + (INT64_C(1) << 30)) >> 31);
}

/* RoundingDivideByPOT(x, e) for 1 <= e <= 31: floor((x + 2^(e-1) - [x < 0]) / 2^e),
 * computed in int64 so no sum overflows. */
ENG_OPT_INLINE int32_t eng_opt_rdbp(int32_t x, int32_t e) {
  return (int32_t)(((int64_t)x + (INT64_C(1) << (e - 1)) - (x < 0)) >> e);
}

/* gemmlowp exp_on_negative_values for a Q5.26 argument a <= 0 (SOFTMAX's
 * SCALED_DIFF_INTEGER_BITS = 5), result Q0.31: exactly
 * eng_q31_exp_neg(a, 5) (kernel-diff "softexp" mode checks it). */
ENG_OPT_INLINE int32_t eng_opt_exp_q5(int32_t a) {
  const int32_t quarter = 1 << 24;
  const int32_t amq = (int32_t)((uint32_t)(a & (quarter - 1)) - (uint32_t)quarter);
  /* exp on [-1/4, 0): Rescale<5 -> 0> of amq in [-2^24, 0) is an exact << 5 */
  const int32_t x = (int32_t)((uint32_t)amq << 5) + (1 << 28);
  const int32_t x2 = eng_opt_srdhm(x, x);
  const int32_t x3 = eng_opt_srdhm(x2, x);
  const int32_t x4 = eng_opt_srdhm(x2, x2);
  const int32_t x4_over_4 = eng_opt_rdbp(x4, 2);
  const int32_t poly = eng_opt_rdbp(
      (int32_t)((uint32_t)eng_opt_srdhm((int32_t)((uint32_t)x4_over_4 + (uint32_t)x3), 715827883) +
                (uint32_t)x2),
      1);
  const int32_t c = 1895147668; /* exp(-1/8) */
  const int32_t xp = (int32_t)((uint32_t)x + (uint32_t)poly);
  int32_t r = (int32_t)((uint32_t)c + (uint32_t)eng_opt_srdhm(c, xp));
  /* the barrel shifter over the whole quarters of -a */
  const uint32_t rem = (uint32_t)amq - (uint32_t)a;
  if (rem & (1u << 24)) r = eng_opt_srdhm(r, 1672461947);
  if (rem & (1u << 25)) r = eng_opt_srdhm(r, 1302514674);
  if (rem & (1u << 26)) r = eng_opt_srdhm(r, 790015084);
  if (rem & (1u << 27)) r = eng_opt_srdhm(r, 290630308);
  if (rem & (1u << 28)) r = eng_opt_srdhm(r, 39332535);
  if (rem & (1u << 29)) r = eng_opt_srdhm(r, 720401);
  if (rem & (1u << 30)) r = eng_opt_srdhm(r, 242);
  return a == 0 ? INT32_MAX : r;
}

/* Prepare of a kernel that keeps the reference as its fallback: the reference prepare
 * (TFLM's validation and its own op data), then `size` bytes of optimized op data whose
 * first member is a `void *` that receives the reference's op data; node->user_data is
 * the new op data. NULL with *st set when either step fails. */
static inline void *eng_opt_prepare_ref(eng_node_t *node, const eng_kernel_t *ref, size_t size,
                                        eng_status_t *st) {
  *st = ref->prepare(node);
  if (*st != ENG_OK) return NULL;
  void **op = eng_alloc_persistent(node, size);
  if (op == NULL) {
    *st = eng_fail(node, ENG_ERR_ARENA, "op data");
    return NULL;
  }
  *op = node->user_data;
  node->user_data = op;
  return op;
}

/* Eval of an op prepare left on the reference path: the reference kernel runs with its
 * own op data (kept in ref_data), then the node gets the optimized op data back. */
static inline eng_status_t eng_opt_eval_ref(eng_node_t *node, const eng_kernel_t *ref,
                                            void *ref_data) {
  void *own = node->user_data;
  node->user_data = ref_data;
  const eng_status_t st = ref->eval(node);
  node->user_data = own;
  return st;
}

#endif
