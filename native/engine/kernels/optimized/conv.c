/* conv.c – optimized CONV_2D: int8 through columns (im2col, or the input itself for 1x1
 * stride-1 convolutions) and SMLAD matrix kernels with the fast exact requantization;
 * bit-exact with the reference. Float32, grouped convolutions and ops whose
 * requantization cannot be proven fast run the reference core.
 *
 * Output positions run in blocks of six (then one of four): the block's columns are
 * widened once into one interleaved buffer, and each weight word feeds two SMLADs per
 * position. Per four taps of six positions: 6 LDRD of inputs, 12 SMLAD, and one LDR +
 * two SXTB16 of the model's int8 weights (w8) or one LDRD of widened ones (w16): 21 or
 * 19 instructions for 24 MACs, where the 2x2 kernels needed 18 or 14 for 16. The
 * accumulators (six, plus four temporaries and three pointers/counters: 13 registers)
 * stay in registers only in asm. The last one to three positions of an image run the
 * pair and single kernels of opt_common.h. Size-optimized builds (the F413) keep only
 * those.
 *
 * Ops with int8 weights, k % 4 == 0 and an all-int8 clamp ("sat": ReLU into zero point
 * -128, most convs of the MLPerf models) run the fused channel loop instead (DSP builds):
 * blocks of up to seven positions, one asm loop over the channels doing the dot products
 * (24 instructions per 28 MACs), the requantization (SMMLAR folds the zero point in) and
 * the stores, its state on the stack so that the dot product has all 14 registers. */

#include <stddef.h>
#include <stdint.h>

#include "../reference/conv_common.h"
#include "opt_common.h"
#include "quant.h"

/* Small filters of ops the fused loop does not take run from widened (int16, doubled)
 * weights, rebuilt in planner scratch at every eval: the scratch overlaps other buffers,
 * the rebuild costs about 2 instructions per weight against the whole op's MACs, and the
 * arena keeps no widened copy. Above this the w8 kernels read the model's int8 rows
 * directly. */
#define CONV_W16_MAX_BYTES 4096

#if defined(__OPTIMIZE_SIZE__)
#define CONV_BLOCKS 0
#else
#define CONV_BLOCKS 1
#endif

/* The fused channel loop (dot products and requantization of a block in one asm loop
 * over the channels): DSP builds with blocks only. */
#define CONV_FUSED (CONV_BLOCKS && ENG_OPT_DSP)

enum { COLS_GATHER = 0, COLS_POINTWISE = 1, COLS_RGB3 = 2, COLS_ROWS4 = 3 };

typedef struct conv_opt {
  eng_conv_op_t *ref; /* reference-core arguments: only for the fallback and float32 */
  int32_t batches, out_h, out_w, out_c;
  eng_opt_geom_t geom;
  eng_opt_ch_t *ch;
  int8_t *shift;
  eng_opt_out_t out;
  int32_t w16_scratch;
  int32_t k, k4;
  int32_t scratch;
  uint8_t fast;
  uint8_t w16; /* widened weights in scratch w16_scratch; 0: w8 rows from the model */
  /* 1x1, stride 1, no padding: columns come straight from the input (COLS_POINTWISE);
   * windows the block columns read without a raw patch when inside (COLS_RGB3,
   * COLS_ROWS4, see build_block_impl); others gather (0) */
  uint8_t pointwise;
  /* int8 weights, k % 4 == 0, k >= 8, sat, and every channel's k << shift below 2^30:
   * the blocks run the fused channel loop (FUSED_FN); the widest block's positions
   * (its column's width), else 0 */
  uint8_t fused;
} conv_opt_t;

/* Whether the fused loop's requantization, y = SSAT8(((x + (k << s)) >> s) >> 1) with
 * x = SMMULR(2 * acc, m) (SMMLAR adds k << s: floor((x + k * 2^s) / 2^s) = (x >> s) + k),
 * cannot overflow: |x| <= 2^30, so |k| * 2^s < 2^30 is enough. */
static int fused_fits(const conv_opt_t *op) {
  if (!CONV_FUSED || !op->out.sat || (op->k & 3) != 0 || op->k < 8) {
    return 0;
  }
  const int64_t k = op->out.k < 0 ? -(int64_t)op->out.k : (int64_t)op->out.k;
  for (int32_t c = 0; c < op->out_c; c++) {
    const int32_t s = op->shift[c];
    if (s < 0 || s > 30 || (k << s) >= (INT64_C(1) << 30)) {
      return 0;
    }
  }
  return 1;
}

static eng_status_t conv_prepare(eng_node_t *node) {
  const eng_conv_options_t *opt = &node->options->conv;
  conv_opt_t *op = eng_alloc_persistent(node, sizeof *op);
  if (op == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  /* Validated on the stack; only ops that run the reference core keep a copy. */
  eng_conv_op_t ref;
  eng_conv_op_t *r = &ref;
  eng_conv_tensors_t t;
  const eng_conv_geometry_t g = {opt->padding,    opt->stride_h,   opt->stride_w,
                                 opt->dilation_h, opt->dilation_w, opt->activation};
  eng_status_t st = eng_conv_prepare_tensors(node, &t, r);
  if (st == ENG_OK) st = eng_conv_check_filter(node, r);
  if (st == ENG_OK) st = eng_conv_prepare_geometry(node, &t, &g, r);
  if (st != ENG_OK) return st;
  const eng_tensor_t *input = t.input, *filter = t.filter, *bias = t.bias, *output = t.output;
  eng_conv_params_t *p = &r->params;
  op->batches = r->in.n;
  op->out_h = r->out.h;
  op->out_w = r->out.w;
  op->out_c = r->out.c;
  node->user_data = op;
  if (r->type == ENG_FLOAT32) {
    return eng_conv_keep_full(node, r, &op->ref);
  }
  st = eng_opt_conv_quant(node, input, filter, bias, output, opt->activation, r->out.c, 0, &op->ch,
                          &op->shift, &op->out);
  if (st != ENG_OK) {
    return st;
  }
  p->input_offset = -input->zero_point;
  p->output_offset = output->zero_point;
  p->act_min = op->out.act_min;
  p->act_max = op->out.act_max;

  op->k = r->filter.h * r->filter.w * r->filter.c;
  op->k4 = eng_opt_k4(op->k);
  const int groups = r->in.c != r->filter.c;
  const int consts = filter->is_const && (bias == NULL || bias->is_const);
  /* Larger blocks too when the input and the block together are no larger than the
   * output (kws' first conv: 490 B in, 8,000 B out, a 5,120 B block): the op's working
   * set then stays within what an op reading and writing tensors of the output's size
   * needs, so the widened block does not raise the arena's peak there. */
  const int64_t w16_bytes = (int64_t)r->out.c * op->k4 * 2;
  const int use_w16 = w16_bytes <= CONV_W16_MAX_BYTES ||
                      (w16_bytes <= CONV_W16_MAX_BYTES * 4 &&
                       w16_bytes + (int64_t)input->bytes <= (int64_t)output->bytes);
  const eng_opt_filter_t f = {filter->data, r->out.c, op->k, op->k, 1};
  if (!groups && consts &&
      eng_opt_make_fast(op->ch, op->shift, &op->out, &f, input->zero_point, output->zero_point,
                        0)) {
    op->fast = 1;
    /* the fused loop reads int8 rows and takes precedence over widened weights */
    const int fused = fused_fits(op);
    if (use_w16 && !fused) {
      op->w16 = 1;
      for (int32_t c = 0; c < r->out.c; c++) {
        op->ch[c].bias = (int32_t)((uint32_t)op->ch[c].bias << 1); /* make_fast's doubled */
      }
      if ((st = eng_request_scratch(node, (size_t)r->out.c * (size_t)op->k4 * 2,
                                    &op->w16_scratch)) != ENG_OK) {
        return st;
      }
    }
    op->geom = (eng_opt_geom_t){r->in.h,       r->in.w,     r->in.c,     r->filter.h,
                                r->filter.w,   p->stride_h, p->stride_w, p->dilation_h,
                                p->dilation_w, p->pad_h,    p->pad_w,    input->zero_point};
    op->pointwise = r->filter.h == 1 && r->filter.w == 1 && p->stride_h == 1 && p->stride_w == 1 &&
                            p->pad_h == 0 && p->pad_w == 0
                        ? COLS_POINTWISE
                        : COLS_GATHER;
    if (CONV_BLOCKS && !op->pointwise && (r->in.c & 3) != 0 && p->dilation_w == 1) {
      if (r->in.c == 3 && r->filter.h == 3 && r->filter.w == 3 && p->dilation_h == 1) {
        op->pointwise = COLS_RGB3;
      } else if (((r->filter.w * r->in.c) & 3) == 0) {
        op->pointwise = COLS_ROWS4;
      }
    }
    /* Blocks: six columns (6 * k4 int16) + one raw patch (k4 bytes); size-optimized
     * builds: a column pair (2 * k4 int16) + raw patches (2 * k4 bytes). Pointwise
     * columns are widened from the input in place and need no raw patch. */
    if (fused) {
      /* the widest block: blocks of at most FUSED_P positions, as even as they go */
      const int32_t npix = op->out_h * op->out_w;
      const int32_t blocks = (npix + 6) / 7;
      op->fused = (uint8_t)((npix + blocks - 1) / blocks);
    }
    /* bytes per tap: 2 per position of a block column (a lone position: a column pair) */
    const size_t cols =
        CONV_BLOCKS ? (op->fused ? 2 * (size_t)(op->fused < 2 ? 2 : op->fused) : 12) : 4;
    const size_t raws = op->pointwise == COLS_POINTWISE ? 0 : (CONV_BLOCKS ? 1 : 2);
    return eng_request_scratch(node, (size_t)op->k4 * (cols + raws) + 16, &op->scratch);
  }
  int32_t *m, *s;
  if ((st = eng_opt_ref_multipliers(node, op->ch, op->shift, r->out.c, &m, &s)) != ENG_OK) {
    return st;
  }
  r->multipliers = m;
  r->shifts = s;
  return eng_conv_keep_full(node, r, &op->ref);
}

/* Column (or column pair lane, step 4) of output position (oy, ox). */
static inline void build_col(const conv_opt_t *op, const int8_t *in, int32_t oy, int32_t ox,
                             int8_t *raw, uint32_t *col, int32_t step) {
  if (op->pointwise == COLS_POINTWISE) {
    eng_opt_widen(in + ((size_t)oy * (size_t)op->geom.in_w + (size_t)ox) * (size_t)op->geom.in_c,
                  op->k, col, step);
    return;
  }
  eng_opt_gather(&op->geom, in, oy, ox, 0, op->geom.in_c, raw);
  eng_opt_widen(raw, op->k, col, step);
}

#if CONV_BLOCKS
/* The k % 4 last taps of a weight row as one word, zero padded (reads only existing
 * bytes: the last row may end the tensor). */
static inline uint32_t tail_word(const int8_t *src, int32_t n) {
  uint32_t a = 0;
  for (int32_t j = 0; j < n; j++) {
    a |= (uint32_t)(uint8_t)src[j] << (8 * j);
  }
  return a;
}

/* Block column of P positions (P = 6 or 4): group g of four taps is 2P words, position
 * p's (even, odd) pair at words 2p, 2p + 1 (the column format of opt_common.h, P
 * positions interleaved). */
#if ENG_OPT_DSP
/* One group of four taps: the weight word widened once, two SMLADs per position. */
// clang-format off
#define BLOCK_MACS(a)                                   \
  "smlad %[" #a "], %[xe], %[we], %[" #a "]\n\t"        \
  "smlad %[" #a "], %[xo], %[w], %[" #a "]\n\t"
#define BLOCK_POS(a)                                    \
  "ldrd %[xe], %[xo], [%[xp]], #8\n\t" BLOCK_MACS(a)
#define GROUP4                                          \
  "ldr %[w], [%[wp]], #4\n\t"                           \
  "ldrd %[xe], %[xo], [%[xp]], #8\n\t"                  \
  "sxtb16 %[we], %[w]\n\t"                              \
  "sxtb16 %[w], %[w], ror #8\n\t"                       \
  BLOCK_MACS(a0) BLOCK_POS(a1) BLOCK_POS(a2) BLOCK_POS(a3)
#define GROUP6 GROUP4 BLOCK_POS(a4) BLOCK_POS(a5)
#define OPERANDS4                                                       \
  [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),           \
  [xp] "+r"(x), [wp] "+r"(wp),                                          \
  [xe] "=&r"(xe), [xo] "=&r"(xo), [we] "=&r"(we), [w] "=&r"(wv)
#define OPERANDS6 OPERANDS4, [a4] "+r"(a4), [a5] "+r"(a5)
/* Widened weights (w16, a channel pair's words interleaved: 16 bytes from one group of
 * a channel to its next): one LDRD, no widening. */
#define GROUP4_W16                                      \
  "ldrd %[we], %[w], [%[wp]], #16\n\t"                  \
  BLOCK_POS(a0) BLOCK_POS(a1) BLOCK_POS(a2) BLOCK_POS(a3)
#define GROUP6_W16 GROUP4_W16 BLOCK_POS(a4) BLOCK_POS(a5)
// clang-format on
/* Dot products of P positions with one int8 row over `groups` groups: one group alone
 * when the count is odd, then two per loop pass (2P + 7 registers, at most 13: no
 * spill inside the loop). */
#define BLOCK_DOT(GROUP, OPERANDS)                   \
  do {                                               \
    uint32_t xe, xo, we, wv;                         \
    if (groups & 1) {                                \
      __asm__ volatile(GROUP:OPERANDS : : "memory"); \
    }                                                \
    int32_t n_ = groups >> 1;                        \
    if (n_ > 0) {                                    \
      __asm__ volatile("1:\n\t" GROUP GROUP          \
                       "subs %[n], %[n], #1\n\t"     \
                       "bne 1b\n\t"                  \
                       : OPERANDS, [n] "+r"(n_)      \
                       :                             \
                       : "cc", "memory");            \
    }                                                \
  } while (0)
#endif

/* One group of four taps (weight word wv) into the accumulators of P positions. */
#define BLOCK_SMLADS(x, wv, P)                                      \
  do {                                                              \
    const uint32_t we_ = eng_sxtb16(wv), wo_ = eng_sxtb16_ror8(wv); \
    a0 = eng_smlad(x[1], wo_, eng_smlad(x[0], we_, a0));            \
    a1 = eng_smlad(x[3], wo_, eng_smlad(x[2], we_, a1));            \
    a2 = eng_smlad(x[5], wo_, eng_smlad(x[4], we_, a2));            \
    a3 = eng_smlad(x[7], wo_, eng_smlad(x[6], we_, a3));            \
    if ((P) == 6) {                                                 \
      a4 = eng_smlad(x[9], wo_, eng_smlad(x[8], we_, a4));          \
      a5 = eng_smlad(x[11], wo_, eng_smlad(x[10], we_, a5));        \
    }                                                               \
  } while (0)

/* The same with widened weights: even and odd word given. */
#define BLOCK_SMLADS16(x, we_, wo_, P)                       \
  do {                                                       \
    a0 = eng_smlad(x[1], wo_, eng_smlad(x[0], we_, a0));     \
    a1 = eng_smlad(x[3], wo_, eng_smlad(x[2], we_, a1));     \
    a2 = eng_smlad(x[5], wo_, eng_smlad(x[4], we_, a2));     \
    a3 = eng_smlad(x[7], wo_, eng_smlad(x[6], we_, a3));     \
    if ((P) == 6) {                                          \
      a4 = eng_smlad(x[9], wo_, eng_smlad(x[8], we_, a4));   \
      a5 = eng_smlad(x[11], wo_, eng_smlad(x[10], we_, a5)); \
    }                                                        \
  } while (0)

/* P positions (outputs out + p * out_c) of every channel from a block column and the
 * model's int8 rows. */
ENG_OPT_INLINE void block_w8_impl(const conv_opt_t *op, const uint32_t *col, const int8_t *w8,
                                  int8_t *out, const int P, const int sat) {
  const eng_opt_out_t o = op->out; /* a local copy: the int8 stores cannot alias it */
  const int32_t groups = op->k >> 2, rest = op->k & 3;
  const size_t stride = (size_t)op->out_c;
  const eng_opt_ch_t *ch = op->ch, *const end = op->ch + op->out_c;
  const int8_t *sh = op->shift;
  /* the rows are consecutive: the weight pointer runs on from one channel to the next */
  const int8_t *wp = w8;
  for (; ch != end; ch++, sh++, out++) {
    const eng_opt_ch_t cw = *ch; /* locals, so the stores below force no reloads */
    const int32_t s = *sh;
    /* scalars, not an array: all six must be registers for the asm */
    int32_t a0 = cw.bias, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    const uint32_t *x = col;
#if ENG_OPT_DSP
    if (P == 6) {
      BLOCK_DOT(GROUP6, OPERANDS6);
    } else {
      BLOCK_DOT(GROUP4, OPERANDS4);
    }
#else
    for (int32_t i = 0; i < groups; i++) {
      const uint32_t wv = eng_ld32(wp);
      wp += 4;
      BLOCK_SMLADS(x, wv, P);
      x += 2 * P;
    }
#endif
    if (rest) {
      const uint32_t wv = tail_word(wp, rest);
      wp += rest;
      BLOCK_SMLADS(x, wv, P);
    }
    /* Opaque to the optimizer: P stores at out + p * stride cost one STRB each; left
     * visible, GCC keeps P output pointers and spills them. */
    __asm__("" : "+r"(out));
    out[0] = eng_opt_requant((int32_t)((uint32_t)a0 << 1), &cw, s, &o, sat);
    out[stride] = eng_opt_requant((int32_t)((uint32_t)a1 << 1), &cw, s, &o, sat);
    out[2 * stride] = eng_opt_requant((int32_t)((uint32_t)a2 << 1), &cw, s, &o, sat);
    out[3 * stride] = eng_opt_requant((int32_t)((uint32_t)a3 << 1), &cw, s, &o, sat);
    if (P == 6) {
      out[4 * stride] = eng_opt_requant((int32_t)((uint32_t)a4 << 1), &cw, s, &o, sat);
      out[5 * stride] = eng_opt_requant((int32_t)((uint32_t)a5 << 1), &cw, s, &o, sat);
    }
  }
}

/* sat is a constant inside each instantiation (one requantization path per loop). Not
 * inlined: conv_eval, which runs them, is placed in the F769's 16 KB ITCM by name and
 * has no room for them; they run from flash behind the ART accelerator and cache. */
__attribute__((noinline)) static void block6_w8(const conv_opt_t *op, const uint32_t *col,
                                                const void *w8, int8_t *out) {
  if (op->out.sat) {
    block_w8_impl(op, col, w8, out, 6, 1);
  } else {
    block_w8_impl(op, col, w8, out, 6, 0);
  }
}
__attribute__((noinline)) static void block4_w8(const conv_opt_t *op, const uint32_t *col,
                                                const int8_t *w8, int8_t *out) {
  if (op->out.sat) {
    block_w8_impl(op, col, w8, out, 4, 1);
  } else {
    block_w8_impl(op, col, w8, out, 4, 0);
  }
}

#if CONV_FUSED
/* Positions per fused block at most. An op's column is as wide as its largest block
 * (2 bytes per tap and position): its blocks are as even as its position count allows,
 * P or P - 1 positions (str_ww's 24: 6 x 4, 12 bytes per tap; 15: 5 x 3). */
#define FUSED_P 7

/* The fused loop's state, which the asm stores on the stack below the caller's frame
 * (sp-relative, so all 14 allocatable registers are free for the dot product: seven
 * accumulators, four temporaries, two pointers and the counter). Byte offsets: */
#define FC_COL    "0"  /* the block column */
#define FC_CH     "4"  /* the next channel's table entry (advanced) */
#define FC_SHIFT  "8"  /* its fast shift (advanced) */
#define FC_OUT    "12" /* its output at the block's first position (advanced) */
#define FC_END    "16" /* the block's first position + out_c */
#define FC_STRIDE "20" /* out_c */
#define FC_K      "24" /* 2 * output zero point + 1 */
#define FC_ENTRY  "28" /* where the group loop is entered (Thumb address) */
#define FC_PASSES "32" /* passes of the eight-group loop */

// clang-format off
/* One group of four taps of P positions: the weight word widened once, one LDRD of the
 * column and two SMLADs per position; S(a) is the pair of SMLADs (onto the bias in n for
 * a channel's first group). Every instruction is 32 bits wide (the loop is entered by
 * address: a group is 4 * (3 + 3P) bytes). */
#define F_HEAD                                          \
  "ldr.w %[w], [%[wp]], #4\n\t"                         \
  "ldrd %[xe], %[xo], [%[xp]], #8\n\t"                  \
  "sxtb16 %[we], %[w]\n\t"                              \
  "sxtb16 %[w], %[w], ror #8\n\t"
#define F_LD "ldrd %[xe], %[xo], [%[xp]], #8\n\t"
#define F_FIRST(a)                                      \
  "smlad %[" #a "], %[xe], %[we], %[n]\n\t"             \
  "smlad %[" #a "], %[xo], %[w], %[" #a "]\n\t"
#define F_NEXT(a)                                       \
  "smlad %[" #a "], %[xe], %[we], %[" #a "]\n\t"        \
  "smlad %[" #a "], %[xo], %[w], %[" #a "]\n\t"
/* L: the last position's LDRD, which steps over the column's unused words in blocks one
 * position shorter than the column (F_LD8): still one instruction. */
#define F_LD8 "ldrd %[xe], %[xo], [%[xp]], #16\n\t"
#define F_POS2(S, L) S(a0) L S(a1)
#define F_POS3(S, L) S(a0) F_LD S(a1) L S(a2)
#define F_POS4(S, L) S(a0) F_LD S(a1) F_LD S(a2) L S(a3)
#define F_POS5(S, L) S(a0) F_LD S(a1) F_LD S(a2) F_LD S(a3) L S(a4)
#define F_POS6(S, L) S(a0) F_LD S(a1) F_LD S(a2) F_LD S(a3) F_LD S(a4) L S(a5)
#define F_POS7(S, L) S(a0) F_LD S(a1) F_LD S(a2) F_LD S(a3) F_LD S(a4) F_LD S(a5) L S(a6)
#define F_GROUP(P, S, L) F_HEAD F_POS##P(S, L)
/* Requantization of one accumulator: xo = multiplier, we = fast shift s, w = k << s. */
#define F_RQ(a)                                         \
  "lsl %[" #a "], %[" #a "], #1\n\t"                    \
  "smmlar %[" #a "], %[" #a "], %[xo], %[w]\n\t"        \
  "asr %[" #a "], %[" #a "], %[we]\n\t"                 \
  "ssat %[" #a "], #8, %[" #a "], asr #1\n\t"
#define F_RQS2 F_RQ(a0) F_RQ(a1)
#define F_RQS3 F_RQS2 F_RQ(a2)
#define F_RQS4 F_RQS3 F_RQ(a3)
#define F_RQS5 F_RQS4 F_RQ(a4)
#define F_RQS6 F_RQS5 F_RQ(a5)
#define F_RQS7 F_RQS6 F_RQ(a6)
/* Stores at xp + p * stride (n = stride). */
#define F_ST2 "strb %[a0], [%[xp]]\n\t" "strb %[a1], [%[xp], %[n]]\n\t"
#define F_ST3 F_ST2 "add %[xe], %[xp], %[n], lsl #1\n\t" "strb %[a2], [%[xe]]\n\t"
#define F_ST4 F_ST3 "strb %[a3], [%[xe], %[n]]\n\t"
#define F_ST5 F_ST4 "add %[xe], %[xe], %[n], lsl #1\n\t" "strb %[a4], [%[xe]]\n\t"
#define F_ST6 F_ST5 "strb %[a5], [%[xe], %[n]]\n\t"
#define F_ST7 F_ST6 "add %[xe], %[xe], %[n], lsl #1\n\t" "strb %[a6], [%[xe]]\n\t"
/* The asm: the state onto the stack (from the registers it arrives in), the loop entry
 * (a0 = skipped groups * group size), then per channel the first group onto the bias,
 * the other groups eight per pass (entered part-way for the remainder), the
 * requantization and the stores; the channel's table entry, shift and output pointer
 * advance on the stack. */
#define F_BODY(P, L)                                     \
  "sub sp, sp, #40\n\t"                                 \
  "str %[a1], [sp, #" FC_COL "]\n\t"                    \
  "str %[a2], [sp, #" FC_CH "]\n\t"                     \
  "str %[a3], [sp, #" FC_SHIFT "]\n\t"                  \
  "str %[a4], [sp, #" FC_OUT "]\n\t"                    \
  "str %[a5], [sp, #" FC_END "]\n\t"                    \
  "str %[a6], [sp, #" FC_STRIDE "]\n\t"                 \
  "str %[xe], [sp, #" FC_K "]\n\t"                      \
  "str %[xo], [sp, #" FC_PASSES "]\n\t"                 \
  "adr.w %[n], 1f\n\t"                                  \
  "add %[n], %[n], %[a0]\n\t"                           \
  "orr %[n], %[n], #1\n\t"                              \
  "str %[n], [sp, #" FC_ENTRY "]\n\t"                   \
  "0:\n\t"                                              \
  "ldr %[xp], [sp, #" FC_COL "]\n\t"                    \
  "ldr %[n], [sp, #" FC_CH "]\n\t"                      \
  "ldr %[n], [%[n]]\n\t"                                \
  F_GROUP(P, F_FIRST, L)                                   \
  "ldr %[w], [sp, #" FC_ENTRY "]\n\t"                   \
  "ldr %[n], [sp, #" FC_PASSES "]\n\t"                  \
  "bx %[w]\n\t"                                         \
  ".p2align 2\n\t"                                      \
  "1:\n\t"                                              \
  F_GROUP(P, F_NEXT, L) F_GROUP(P, F_NEXT, L)                 \
  F_GROUP(P, F_NEXT, L) F_GROUP(P, F_NEXT, L)                 \
  F_GROUP(P, F_NEXT, L) F_GROUP(P, F_NEXT, L)                 \
  F_GROUP(P, F_NEXT, L) F_GROUP(P, F_NEXT, L)                 \
  "subs %[n], %[n], #1\n\t"                             \
  "bne 1b\n\t"                                          \
  "ldr %[n], [sp, #" FC_CH "]\n\t"                      \
  "ldr %[xo], [%[n], #4]\n\t"                           \
  "add %[n], %[n], #8\n\t"                              \
  "str %[n], [sp, #" FC_CH "]\n\t"                      \
  "ldr %[n], [sp, #" FC_SHIFT "]\n\t"                   \
  "ldrsb %[we], [%[n]], #1\n\t"                         \
  "str %[n], [sp, #" FC_SHIFT "]\n\t"                   \
  "ldr %[w], [sp, #" FC_K "]\n\t"                       \
  "lsl %[w], %[w], %[we]\n\t"                           \
  F_RQS##P                                              \
  "ldr %[xp], [sp, #" FC_OUT "]\n\t"                    \
  "ldr %[n], [sp, #" FC_STRIDE "]\n\t"                  \
  F_ST##P                                               \
  "add %[xp], %[xp], #1\n\t"                            \
  "str %[xp], [sp, #" FC_OUT "]\n\t"                    \
  "ldr %[n], [sp, #" FC_END "]\n\t"                     \
  "cmp %[xp], %[n]\n\t"                                 \
  "bne 0b\n\t"                                          \
  "add sp, sp, #40\n\t"
// clang-format on

/* P positions (outputs out + p * out_c, p < P) of every channel from the op's block
 * column (P wide, or P + 1 with L = F_LD8) and the model's int8 rows (fused ops: k % 4 == 0, k >= 8). The groups
 * after the first run eight per loop pass, the first pass entered part-way. */
#define FUSED_FN(P, L, NAME)                                                                       \
  __attribute__((noinline)) static void NAME(const conv_opt_t *op, const uint32_t *col,            \
                                             const void *w8, int8_t *out) {                        \
    const uint32_t rest = (uint32_t)(op->k >> 2) - 1, skip = (8 - (rest & 7)) & 7;                 \
    const uint32_t group_bytes = 4 * (3 + 3 * (P));                                                \
    uint32_t a0 = skip * group_bytes, a1 = (uint32_t)col, a2 = (uint32_t)op->ch;                   \
    uint32_t a3 = (uint32_t)op->shift, a4 = (uint32_t)out, a5 = (uint32_t)(out + op->out_c);       \
    uint32_t a6 = (uint32_t)op->out_c, xe = (uint32_t)op->out.k, xo = (rest + 7) >> 3;             \
    uint32_t we, wv, n;                                                                            \
    const uint32_t *xp;                                                                            \
    const int8_t *wp = w8;                                                                         \
    __asm__ volatile(F_BODY(P, L)                                                                  \
                     : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [a4] "+r"(a4),  \
                       [a5] "+r"(a5), [a6] "+r"(a6), [xe] "+r"(xe), [xo] "+r"(xo), [we] "=&r"(we), \
                       [w] "=&r"(wv), [xp] "=&r"(xp), [n] "=&r"(n), [wp] "+r"(wp)                  \
                     :                                                                             \
                     : "cc", "memory");                                                            \
  }
/* Blocks as wide as the column (fusedP), and one position shorter (fusedP_short). */
FUSED_FN(7, F_LD, fused7)
FUSED_FN(6, F_LD, fused6)
FUSED_FN(5, F_LD, fused5)
FUSED_FN(4, F_LD, fused4)
FUSED_FN(3, F_LD, fused3)
FUSED_FN(2, F_LD, fused2)
FUSED_FN(6, F_LD8, fused6_short)
FUSED_FN(5, F_LD8, fused5_short)
FUSED_FN(4, F_LD8, fused4_short)
FUSED_FN(3, F_LD8, fused3_short)
FUSED_FN(2, F_LD8, fused2_short)
#endif

/* The same from widened weights (w16 ops: doubled values, zero padded to k4, so no tail
 * and no doubling of the accumulators). Channel pairs interleave group by group
 * (opt_common.h); an odd last channel runs alone in C. */
ENG_OPT_INLINE void block_w16_impl(const conv_opt_t *op, const uint32_t *col, const uint32_t *w16,
                                   int8_t *out, const int P, const int sat) {
  const eng_opt_out_t o = op->out; /* a local copy: the int8 stores cannot alias it */
  const int32_t groups = op->k4 >> 2;
  const size_t stride = (size_t)op->out_c;
  const int32_t out_c = op->out_c;
  for (int32_t c = 0; c < out_c; c++, out++) {
    const eng_opt_ch_t cw = op->ch[c]; /* locals, so the stores below force no reloads */
    const int32_t s = op->shift[c];
    int32_t a0 = cw.bias, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    const uint32_t *x = col;
    const int lone = c == out_c - 1 && (out_c & 1);
    const uint32_t *wp = w16 + (size_t)(c & ~1) * (size_t)(op->k4 >> 1) + (lone ? 0 : 2 * (c & 1));
#if ENG_OPT_DSP
    if (!lone) {
      uint32_t xe, xo, we, wv;
      int32_t n_ = groups;
      if (P == 6) {
        __asm__ volatile("1:\n\t" GROUP6_W16
                         "subs %[n], %[n], #1\n\t"
                         "bne 1b\n\t"
                         : OPERANDS6, [n] "+r"(n_)
                         :
                         : "cc", "memory");
      } else {
        __asm__ volatile("1:\n\t" GROUP4_W16
                         "subs %[n], %[n], #1\n\t"
                         "bne 1b\n\t"
                         : OPERANDS4, [n] "+r"(n_)
                         :
                         : "cc", "memory");
      }
    } else
#endif
    {
      const int32_t step = lone ? 2 : 4;
      for (int32_t i = 0; i < groups; i++, wp += step, x += 2 * P) {
        BLOCK_SMLADS16(x, wp[0], wp[1], P);
      }
    }
    __asm__("" : "+r"(out)); /* see block_w8_impl */
    out[0] = eng_opt_requant(a0, &cw, s, &o, sat);
    out[stride] = eng_opt_requant(a1, &cw, s, &o, sat);
    out[2 * stride] = eng_opt_requant(a2, &cw, s, &o, sat);
    out[3 * stride] = eng_opt_requant(a3, &cw, s, &o, sat);
    if (P == 6) {
      out[4 * stride] = eng_opt_requant(a4, &cw, s, &o, sat);
      out[5 * stride] = eng_opt_requant(a5, &cw, s, &o, sat);
    }
  }
}

__attribute__((noinline)) static void block6_w16(const conv_opt_t *op, const uint32_t *col,
                                                 const void *w16, int8_t *out) {
  if (op->out.sat) {
    block_w16_impl(op, col, w16, out, 6, 1);
  } else {
    block_w16_impl(op, col, w16, out, 6, 0);
  }
}
__attribute__((noinline)) static void block4_w16(const conv_opt_t *op, const uint32_t *col,
                                                 const uint32_t *w16, int8_t *out) {
  if (op->out.sat) {
    block_w16_impl(op, col, w16, out, 4, 1);
  } else {
    block_w16_impl(op, col, w16, out, 4, 0);
  }
}

/* Widen n bytes (n % 4 == 0) of `src` into consecutive groups of a block column, `words`
 * apart: per four bytes one load, two SXTB16 and one double store (asm: GCC kept two
 * stores and a pointer copy per group). */
ENG_OPT_INLINE uint32_t *widen_groups(const int8_t *src, int32_t n, uint32_t *dst,
                                      const int32_t words) {
#if ENG_OPT_DSP
  const int8_t *end = src + n;
  uint32_t a, b, e, o;
  if (n & 4) {
    __asm__ volatile(
        "ldr %[a], [%[s]], #4\n\t"
        "sxtb16 %[e], %[a]\n\t"
        "sxtb16 %[o], %[a], ror #8\n\t"
        "strd %[e], %[o], [%[d]], %[st]\n\t"
        : [s] "+r"(src), [d] "+r"(dst), [a] "=&r"(a), [e] "=&r"(e), [o] "=&r"(o)
        : [st] "i"(words * 4)
        : "memory");
  }
  if (src != end) {
    __asm__ volatile(
        "1:\n\t"
        "ldr %[a], [%[s]], #4\n\t"
        "ldr %[b], [%[s]], #4\n\t"
        "sxtb16 %[e], %[a]\n\t"
        "sxtb16 %[o], %[a], ror #8\n\t"
        "strd %[e], %[o], [%[d]], %[st]\n\t"
        "sxtb16 %[e], %[b]\n\t"
        "sxtb16 %[o], %[b], ror #8\n\t"
        "strd %[e], %[o], [%[d]], %[st]\n\t"
        "cmp %[s], %[end]\n\t"
        "bne 1b\n\t"
        : [s] "+r"(src), [d] "+r"(dst), [a] "=&r"(a), [b] "=&r"(b), [e] "=&r"(e), [o] "=&r"(o)
        : [st] "i"(words * 4), [end] "r"(end)
        : "cc", "memory");
  }
  return dst;
#else
  for (const int8_t *end = src + n; src != end; src += 4, dst += words) {
    const uint32_t a = eng_ld32(src);
    dst[0] = eng_sxtb16(a);
    dst[1] = eng_sxtb16_ror8(a);
  }
  return dst;
#endif
}

#if CONV_FUSED
/* The same with the stride in a register (fused ops' columns are as wide as their
 * largest block): one ADD more per four bytes. */
ENG_OPT_INLINE uint32_t *widen_groups_rt(const int8_t *src, int32_t n, uint32_t *dst,
                                         int32_t words) {
  const int8_t *end = src + n;
  const uint32_t step = (uint32_t)words * 4;
  uint32_t a, e, o;
  if (src != end) {
    __asm__ volatile(
        "1:\n\t"
        "ldr %[a], [%[s]], #4\n\t"
        "sxtb16 %[e], %[a]\n\t"
        "sxtb16 %[o], %[a], ror #8\n\t"
        "strd %[e], %[o], [%[d]]\n\t"
        "add %[d], %[d], %[st]\n\t"
        "cmp %[s], %[end]\n\t"
        "bne 1b\n\t"
        : [s] "+r"(src), [d] "+r"(dst), [a] "=&r"(a), [e] "=&r"(e), [o] "=&r"(o)
        : [st] "r"(step), [end] "r"(end)
        : "cc", "memory");
  }
  return dst;
}
#endif

/* widen_groups for a constant stride, widen_groups_rt for the fused ops' own. */
#if CONV_FUSED
#define WIDEN_GROUPS(src, n, dst, words)                                  \
  (__builtin_constant_p(words) ? widen_groups((src), (n), (dst), (words)) \
                               : widen_groups_rt((src), (n), (dst), (words)))
#else
#define WIDEN_GROUPS(src, n, dst, words) widen_groups((src), (n), (dst), (words))
#endif

/* n groups of padding taps (the input zero point, widened). */
ENG_OPT_INLINE uint32_t *fill_groups(uint32_t zp2, int32_t n, uint32_t *dst, const int32_t words) {
  for (int32_t i = 0; i < n; i++, dst += words) {
    dst[0] = zp2;
    dst[1] = zp2;
  }
  return dst;
}

/* One group of four int8 taps into a block column: (even, odd) lanes. */
ENG_OPT_INLINE void put_group(uint32_t *d, uint32_t v) {
  d[0] = eng_sxtb16(v);
  d[1] = eng_sxtb16_ror8(v);
}

/* Block column of the P positions starting at (oy, ox), which it advances past them.
 * Pointwise positions are consecutive input pixels, widened in place. Windows whose
 * channel count is a multiple of 4 are widened straight from the input too: every tap's
 * channels are whole groups, so a tap is either widened input or zero-point groups (no
 * raw patch). Others gather a raw patch first. */
ENG_OPT_INLINE void build_block_impl(const conv_opt_t *op, const int8_t *in, int32_t *oy,
                                     int32_t *ox, int8_t *raw, uint32_t *col, const int32_t P,
                                     const int kind, int32_t count) {
  const eng_opt_geom_t *g = &op->geom;
  const int32_t words = 2 * P;
  const int direct = (g->in_c & 3) == 0;
  /* COLS_RGB3, 3x3 windows on 3 channels (the image convs of vww and ResNet): 27 taps in
   * rows of 9 bytes, read as seven words without a raw patch whenever the window is
   * inside. COLS_ROWS4, filter rows of whole groups (kws' 10x4 on 1 channel): inside the
   * image's columns each row widens straight from the input. */
  const int rgb3 = kind == COLS_RGB3, rows4 = kind == COLS_ROWS4;
  const size_t row3 = (size_t)g->in_w * 3;
  const uint32_t zp2 = eng_sxtb16((uint32_t)(uint8_t)g->zp * 0x01010101u);
  for (int32_t p = 0; p < count; p++) {
    uint32_t *d = col + 2 * p;
    if (!rgb3 && !rows4 && op->pointwise) {
      const size_t pix = (size_t)*oy * (size_t)g->in_w + (size_t)*ox;
      const int8_t *src = in + pix * (size_t)g->in_c;
      d = WIDEN_GROUPS(src, op->k & ~3, d, words);
      if (op->k & 3) {
        eng_opt_widen(src + (op->k & ~3), op->k & 3, d, words);
      }
    } else if (!rgb3 && !rows4 && direct) {
      const int32_t iy0 = *oy * g->stride_h - g->pad_h, ix0 = *ox * g->stride_w - g->pad_w;
      const int32_t cg = g->in_c >> 2; /* groups per tap */
      const int inside = g->dil_w == 1 && ix0 >= 0 && ix0 + g->fw <= g->in_w;
      for (int32_t fy = 0; fy < g->fh; fy++) {
        const int32_t iy = iy0 + fy * g->dil_h;
        if (iy < 0 || iy >= g->in_h) {
          d = fill_groups(zp2, g->fw * cg, d, words);
          continue;
        }
        const int8_t *row = in + (size_t)iy * (size_t)g->in_w * (size_t)g->in_c;
        if (inside) {
          d = WIDEN_GROUPS(row + (size_t)ix0 * (size_t)g->in_c, g->fw * g->in_c, d, words);
          continue;
        }
        for (int32_t fx = 0; fx < g->fw; fx++) {
          const int32_t ix = ix0 + fx * g->dil_w;
          if (ix < 0 || ix >= g->in_w) {
            d = fill_groups(zp2, cg, d, words);
          } else {
            d = WIDEN_GROUPS(row + (size_t)ix * (size_t)g->in_c, g->in_c, d, words);
          }
        }
      }
    } else if (rows4 && *ox * g->stride_w >= g->pad_w &&
               *ox * g->stride_w - g->pad_w + g->fw <= g->in_w) {
      const int32_t iy0 = *oy * g->stride_h - g->pad_h, ix0 = *ox * g->stride_w - g->pad_w;
      const int32_t rb = g->fw * g->in_c; /* whole groups */
      for (int32_t fy = 0; fy < g->fh; fy++) {
        const int32_t iy = iy0 + fy * g->dil_h;
        if (iy < 0 || iy >= g->in_h) {
          d = fill_groups(zp2, rb >> 2, d, words);
        } else {
          d = WIDEN_GROUPS(in + ((size_t)iy * (size_t)g->in_w + (size_t)ix0) * (size_t)g->in_c, rb,
                           d, words);
        }
      }
    } else if (rgb3 && *oy * g->stride_h >= g->pad_h && *ox * g->stride_w >= g->pad_w &&
               *oy * g->stride_h - g->pad_h + 3 <= g->in_h &&
               *ox * g->stride_w - g->pad_w + 3 <= g->in_w) {
      const int8_t *r0 = in + ((size_t)(*oy * g->stride_h - g->pad_h) * (size_t)g->in_w +
                               (size_t)(*ox * g->stride_w - g->pad_w)) *
                                  3;
      const int8_t *r1 = r0 + row3, *r2 = r1 + row3;
      /* taps 0..27 as words, each load inside the window's rows (r1 - 1 is r0's row or
       * later: in_w >= 3); tap 27 is 0 (its weights are 0) */
      const uint32_t v0 = eng_ld32(r0), v1 = eng_ld32(r0 + 4);
      const uint32_t v2 = (eng_ld32(r1 - 1) & 0xFFFFFF00u) | (uint32_t)(uint8_t)r0[8];
      const uint32_t v3 = eng_ld32(r1 + 3);
      const uint32_t v4 = (eng_ld32(r1 + 5) >> 16) | (eng_ld32(r2) << 16);
      const uint32_t v5 = eng_ld32(r2 + 2), v6 = eng_ld32(r2 + 5) >> 8;
      put_group(d, v0);
      put_group(d + words, v1);
      put_group(d + 2 * words, v2);
      put_group(d + 3 * words, v3);
      put_group(d + 4 * words, v4);
      put_group(d + 5 * words, v5);
      put_group(d + 6 * words, v6);
      d += 7 * words;
    } else {
      eng_opt_gather(g, in, *oy, *ox, 0, g->in_c, raw);
      d = WIDEN_GROUPS(raw, op->k & ~3, d, words);
      if (op->k & 3) {
        eng_opt_widen(raw + (op->k & ~3), op->k & 3, d, words);
      }
    }
    if (++*ox == op->out_w) {
      *ox = 0;
      ++*oy;
    }
  }
}

/* The two block sizes, each with its column stride a constant. */
__attribute__((noinline)) static void build_block6(const conv_opt_t *op, const int8_t *in,
                                                   int32_t *oy, int32_t *ox, int8_t *raw,
                                                   uint32_t *col) {
  build_block_impl(op, in, oy, ox, raw, col, 6, COLS_GATHER, 6);
}
__attribute__((noinline)) static void build_block6_rgb3(const conv_opt_t *op, const int8_t *in,
                                                        int32_t *oy, int32_t *ox, int8_t *raw,
                                                        uint32_t *col) {
  build_block_impl(op, in, oy, ox, raw, col, 6, COLS_RGB3, 6);
}
__attribute__((noinline)) static void build_block6_rows4(const conv_opt_t *op, const int8_t *in,
                                                         int32_t *oy, int32_t *ox, int8_t *raw,
                                                         uint32_t *col) {
  build_block_impl(op, in, oy, ox, raw, col, 6, COLS_ROWS4, 6);
}
#if CONV_FUSED
/* The first `count` positions of a fused op's block column (op->fused wide: a constant
 * stride for seven, the widest and most common). */
__attribute__((noinline)) static void build_block_fused(const conv_opt_t *op, const int8_t *in,
                                                        int32_t *oy, int32_t *ox, int8_t *raw,
                                                        uint32_t *col, int32_t count) {
  if (op->pointwise == COLS_ROWS4) {
    build_block_impl(op, in, oy, ox, raw, col, op->fused, COLS_ROWS4, count);
  } else if (op->fused == FUSED_P) {
    build_block_impl(op, in, oy, ox, raw, col, FUSED_P, COLS_GATHER, count);
  } else {
    build_block_impl(op, in, oy, ox, raw, col, op->fused, COLS_GATHER, count);
  }
}
#endif
__attribute__((noinline)) static void build_block4(const conv_opt_t *op, const int8_t *in,
                                                   int32_t *oy, int32_t *ox, int8_t *raw,
                                                   uint32_t *col) {
  if (op->pointwise == COLS_RGB3) {
    build_block_impl(op, in, oy, ox, raw, col, 4, COLS_RGB3, 4);
  } else if (op->pointwise == COLS_ROWS4) {
    build_block_impl(op, in, oy, ox, raw, col, 4, COLS_ROWS4, 4);
  } else {
    build_block_impl(op, in, oy, ox, raw, col, 4, COLS_GATHER, 4);
  }
}
#endif

#if CONV_FUSED
/* One image of a fused op: blocks of at most seven positions, their sizes as even as
 * the count allows (15 positions: 5 + 5 + 5, not 7 + 7 + 1), so op->fused or one less;
 * a single position runs the matrix kernel. */
typedef void (*fused_fn_t)(const conv_opt_t *, const uint32_t *, const void *, int8_t *);
__attribute__((noinline)) static void fused_image(const conv_opt_t *op, const int8_t *in,
                                                  int8_t *raw, uint32_t *col, const int8_t *w8,
                                                  int8_t *out, int32_t npix) {
  static const fused_fn_t wide[FUSED_P + 1] = {NULL,   NULL,   fused2, fused3,
                                               fused4, fused5, fused6, fused7};
  static const fused_fn_t shorter[FUSED_P + 1] = {
      NULL, NULL, NULL, fused2_short, fused3_short, fused4_short, fused5_short, fused6_short};
  const int32_t out_c = op->out_c;
  int32_t oy = 0, ox = 0;
  if (npix == 1) {
    const eng_opt_gemm_t g = {op->ch, op->shift, &op->out, w8, op->k, out_c, op->out.sat};
    build_col(op, in, oy, ox, raw, col, 2);
    eng_opt_gemm1_w8(&g, col, out);
    return;
  }
  const int32_t p = op->fused;
  const fused_fn_t full = wide[p], part = shorter[p];
  const int32_t blocks = (npix + FUSED_P - 1) / FUSED_P;
  const int32_t larger = npix % blocks; /* blocks of p when the count is uneven */
  for (int32_t b = 0; b < blocks; b++) {
    const int32_t count = larger == 0 || b < larger ? p : p - 1;
    build_block_fused(op, in, &oy, &ox, raw, col, count);
    (count == p ? full : part)(op, col, w8, out);
    out += (size_t)count * (size_t)out_c;
  }
}
#endif

static void conv_fast(const conv_opt_t *op, const eng_node_t *node, const int8_t *input,
                      int8_t *output) {
  uint32_t *col = eng_scratch(node, op->scratch);
  /* the raw patch follows the column block (6 positions, op->fused for fused ops, or a
   * pair) */
  int8_t *raw =
      (int8_t *)(col + (CONV_BLOCKS ? (op->fused ? (op->fused < 2 ? 2 : op->fused) * op->k4 / 2
                                                 : 3 * op->k4)
                                    : op->k4));
  const int32_t out_h = op->out_h, out_w = op->out_w, out_c = op->out_c;
  const int8_t *w8 = eng_input(node, 1)->data;
  uint32_t *w16 = NULL;
  if (op->w16) {
    w16 = eng_scratch(node, op->w16_scratch);
    eng_opt_widen_w16(w8, out_c, op->k, w16);
  }
  const eng_opt_gemm_t g = {op->ch, op->shift, &op->out,   w16 != NULL ? (const void *)w16 : w8,
                            op->k,  out_c,     op->out.sat};
  const size_t in_image = (size_t)op->geom.in_h * (size_t)op->geom.in_w * (size_t)op->geom.in_c;
  const int32_t npix = out_h * out_w;
  for (int32_t b = 0; b < op->batches; b++) {
    const int8_t *in = input + (size_t)b * in_image;
    int8_t *out = output + (size_t)b * (size_t)npix * (size_t)out_c;
    int32_t oy = 0, ox = 0;
    int32_t pix = 0;
#if CONV_BLOCKS
    /* chosen once: a test per block would cost the gathering convs instructions */
    void (*const build6)(const conv_opt_t *, const int8_t *, int32_t *, int32_t *, int8_t *,
                         uint32_t *) = op->pointwise == COLS_RGB3    ? build_block6_rgb3
                                       : op->pointwise == COLS_ROWS4 ? build_block6_rows4
                                                                     : build_block6;
#if CONV_FUSED
    if (op->fused) {
      fused_image(op, in, raw, col, w8, out, npix);
      continue;
    }
#endif
    void (*const block6)(const conv_opt_t *, const uint32_t *, const void *, int8_t *) =
        w16 != NULL ? block6_w16 : block6_w8;
    const void *const weights = w16 != NULL ? (const void *)w16 : (const void *)w8;
    for (; pix + 6 <= npix; pix += 6) {
      build6(op, in, &oy, &ox, raw, col);
      block6(op, col, weights, out);
      out += 6 * out_c;
    }
    if (pix + 4 <= npix) {
      build_block4(op, in, &oy, &ox, raw, col);
      if (w16 != NULL) {
        block4_w16(op, col, w16, out);
      } else {
        block4_w8(op, col, w8, out);
      }
      out += 4 * out_c;
      pix += 4;
    }
#endif
    for (; pix + 2 <= npix; pix += 2) {
      build_col(op, in, oy, ox, raw, col, 4);
      if (++ox == out_w) {
        ox = 0;
        oy++;
      }
      build_col(op, in, oy, ox, raw, col + 2, 4);
      if (++ox == out_w) {
        ox = 0;
        oy++;
      }
      if (w16 != NULL) {
        eng_opt_gemm2_w16(&g, col, out, out + out_c);
      } else {
        eng_opt_gemm2_w8(&g, col, out, out + out_c);
      }
      out += 2 * out_c;
    }
    if (pix < npix) {
      build_col(op, in, oy, ox, raw, col, 2);
      if (w16 != NULL) {
        eng_opt_gemm1_w16(&g, col, out);
      } else {
        eng_opt_gemm1_w8(&g, col, out);
      }
    }
  }
}

static eng_status_t conv_eval(eng_node_t *node) {
  const conv_opt_t *op = node->user_data;
  const eng_tensor_t *input = eng_input(node, 0);
  const eng_tensor_t *filter = eng_input(node, 1);
  const eng_tensor_t *bias = eng_input(node, 2);
  eng_tensor_t *output = eng_output(node, 0);
  if (op->fast) {
    conv_fast(op, node, input->data, output->data);
    return ENG_OK;
  }
  const eng_conv_op_t *r = op->ref;
  const void *bias_data = bias != NULL ? bias->data : NULL;
  if (r->type == ENG_INT8) {
    eng_ref_conv_s8(&r->params, r->multipliers, r->shifts, &r->in, input->data, &r->filter,
                    filter->data, bias_data, &r->out, output->data);
  } else {
    eng_ref_conv_f32(&r->params, &r->in, input->data, &r->filter, filter->data, bias_data, &r->out,
                     output->data);
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_conv_2d_opt = {ENG_OP_CONV_2D, NULL, eng_parse_conv_options,
                                             conv_prepare, conv_eval};
