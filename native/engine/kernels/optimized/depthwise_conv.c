/* depthwise_conv.c – optimized DEPTHWISE_CONV_2D, bit-exact with the reference:
 * - depth multiplier 1 (filters up to DW_MAX_TAPS taps): four channels at a time from a
 *   ring of widened input rows with the padding built in (no border case), the group's
 *   doubled taps on the stack, SMLABB/SMLATT per tap, 3x3 taps fully unrolled;
 * - any other multiplier (micro_speech's 1 channel x 8), one input channel or larger
 *   filters: per input channel a column of its taps and the 2x2 matrix kernel over that
 *   channel's `multiplier` outputs.
 * Float32 and ops whose requantization cannot be proven fast run the reference core. */

#include <stddef.h>
#include <stdint.h>

#include "../reference/conv_common.h"
#include "opt_common.h"
#include "quant.h"

/* Widened weight tables above this stay in the model (reference core instead). */
#define DW_W16_MAX_BYTES (64 * 1024)
/* Taps and ring rows the multiplier-1 path keeps on the stack; larger filters take the
 * columns. */
#define DW_MAX_TAPS      64
#define DW_MAX_RING      64
/* Tap pairs of the column kernel in asm (filters up to 16 x 1). */
#define DW_COL_PAIRS     8

/* Size-optimized builds (the F413's full flash) keep one instance of group_rows and run
 * every filter, 3x3 and columns too, through the ring and the tap-offset loop: the same
 * results, fewer bytes of code. */
#if defined(__OPTIMIZE_SIZE__)
#define DW_SPECIALIZE   0
#define DW_ROWS_LINKAGE static __attribute__((noinline))
#else
#define DW_SPECIALIZE   1
#define DW_ROWS_LINKAGE ENG_OPT_INLINE
#endif

typedef struct dw_opt {
  eng_conv_op_t *ref; /* reference-core arguments: only for the fallback and float32 */
  int32_t batches, out_h, out_w, out_c, depth_multiplier;
  int32_t fast;
  int32_t mode; /* MODE_* */
  eng_opt_geom_t geom;
  eng_opt_ch_t *ch; /* MODE_COLUMNS */
  int32_t *mult;    /* MODE_M1: see m1_quant */
  int8_t *shift;
  eng_opt_out_t out;
  const uint32_t *w16;
  int32_t k; /* taps */
  int32_t scratch;
  /* MODE_COLUMNS: interior output box (every tap of these positions is inside the image) */
  int32_t oy_lo, oy_hi, ox_lo, ox_hi;
  /* MODE_M1: rows of the widened-input ring and pixels per ring row; column: one
   * pixel per row and one output per row (str_ww's fh x 1 filters on W = 1), so the whole
   * padded column of col_rows pixels is widened at once and the positions run down it
   * (1), or without padding the taps read the input in place (2); 3: stride 1 and at
   * most 2 * DW_COL_PAIRS taps, the scratch holds group_col_asm's pair column (requested
   * on every specialized build, so the plan is the same on every target) and groups the
   * asm does not take run as 1 */
  int32_t ring_rows, ring_w;
  int32_t column, col_rows;
} dw_opt_t;

enum { MODE_M1 = 1, MODE_COLUMNS = 2 };

/* Pair entries of a column (group_col_asm; 16 bytes each). */
static int32_t col_entries(int32_t out_h, int32_t K) {
  return out_h + 2 * ((K + 1) / 2) - 2;
}

/* Interior range of outputs along one axis: o with 0 <= o*s - p and
 * o*s - p + (f-1)*d < n. Empty when lo >= hi. */
static void interior(int32_t n, int32_t f, int32_t s, int32_t d, int32_t p, int32_t out,
                     int32_t *lo, int32_t *hi) {
  int32_t a = (p + s - 1) / s;
  const int32_t last = n - 1 - (f - 1) * d + p; /* o*s <= last */
  int32_t b = last < 0 ? 0 : last / s + 1;
  if (b > out) b = out;
  if (a > b) a = b;
  *lo = a;
  *hi = b;
}

/* MODE_M1 quantization, 5 bytes a channel (the arena's largest per-op part): the fast
 * form's proof exactly as eng_opt_make_fast, but the folded bias is not kept: each eval
 * folds the model's bias with the sum of the channel's taps it widens anyway. mult[c],
 * shift[c]: a channel's multiplier and e - 1 (0..30); multiplier 0 (dead: the output is
 * the zero point); shift -1 for all-zero taps (the constant output: mult holds x, see
 * eng_opt_make_fast, and the group runs it as bias 4x, multiplier 2^30, shift 0). *fast =
 * 0 when some channel is outside the proven domain (nothing allocated then). */
static eng_status_t m1_quant(eng_node_t *node, dw_opt_t *op, const eng_tensor_t *input,
                             const eng_tensor_t *filter, const eng_tensor_t *bias,
                             const eng_tensor_t *output, eng_activation_t act, int32_t C, int32_t K,
                             int *fast) {
  *fast = 0;
  eng_status_t st = eng_conv_quant_check(node, input, filter, bias, output, C, 3);
  if (st != ENG_OK) return st;
  if ((st = eng_conv_act_range(node, output, act, &op->out.act_min, &op->out.act_max)) != ENG_OK)
    return st;
  const int8_t *w = filter->data;
  const int32_t *b = bias != NULL ? (const int32_t *)bias->data : NULL;
  const int32_t zp_in = input->zero_point, zp_out = output->zero_point;
  const int64_t max_in = zp_in >= 0 ? 128 + (int64_t)zp_in : 127 - (int64_t)zp_in;
  const int64_t limit = (INT64_C(1) << 30) - 1;
  int32_t *m = NULL;
  int8_t *sh = NULL;
  /* pass 0 proves, pass 1 writes */
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      m = eng_alloc_persistent(node, (size_t)C * sizeof *m);
      sh = eng_alloc_persistent(node, (size_t)C);
      if (m == NULL || sh == NULL) {
        return eng_fail(node, ENG_ERR_ARENA, "per-channel multipliers");
      }
    }
    for (int32_t c = 0; c < C; c++) {
      int32_t mult, shift;
      if ((st = eng_conv_channel_multiplier(node, input, filter, output, c, &mult, &shift)) !=
          ENG_OK)
        return st;
      const int32_t s8 = eng_opt_shift8(shift), e = -s8;
      const int32_t bc = b != NULL ? b[c] : 0;
      int64_t taps = 0;
      for (int32_t t = 0; t < K; t++) {
        const int32_t v = w[(size_t)t * (size_t)C + (size_t)c];
        taps += (v < 0 ? -v : v) * max_in;
      }
      if (pass == 0) {
        const int64_t bound = bc < 0 ? -(int64_t)bc : (int64_t)bc;
        if (mult != 0 && taps != 0 && (mult < 0 || e < 1 || e > 31 || bound + taps > limit)) {
          return ENG_OK;
        }
        continue;
      }
      if (mult == 0) {
        m[c] = 0;
        sh[c] = 0;
      } else if (taps == 0) {
        const int32_t v =
            eng_clamp32((int32_t)((uint32_t)eng_requantize(bc, mult, s8) + (uint32_t)zp_out),
                        op->out.act_min, op->out.act_max);
        const int32_t d = 2 * (v - zp_out);
        m[c] = d >= 0 ? d : d + 1;
        sh[c] = -1;
      } else {
        m[c] = mult;
        sh[c] = (int8_t)(e - 1);
      }
    }
  }
  op->mult = m;
  op->shift = sh;
  op->out.k = 2 * zp_out + 1;
  op->out.sat = op->out.act_min == -128 && op->out.act_max == 127 && zp_out == -128;
  *fast = 1;
  return ENG_OK;
}

static eng_status_t dw_prepare(eng_node_t *node) {
  const eng_dwconv_options_t *opt = &node->options->dwconv;
  dw_opt_t *op = eng_alloc_persistent(node, sizeof *op);
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
  if (st == ENG_OK) st = eng_dwconv_check_filter(node, opt->depth_multiplier, r);
  if (st == ENG_OK) st = eng_conv_prepare_geometry(node, &t, &g, r);
  if (st != ENG_OK) return st;
  const eng_tensor_t *input = t.input, *filter = t.filter, *bias = t.bias, *output = t.output;
  eng_conv_params_t *p = &r->params;
  op->batches = r->in.n;
  op->out_h = r->out.h;
  op->out_w = r->out.w;
  op->out_c = r->out.c;
  op->depth_multiplier = p->depth_multiplier;
  node->user_data = op;
  if (r->type == ENG_FLOAT32) {
    return eng_conv_keep_full(node, r, &op->ref);
  }
  op->k = r->filter.h * r->filter.w;
  op->ring_rows = (r->filter.h - 1) * p->dilation_h + 1;
  op->ring_w = (r->out.w - 1) * p->stride_w + (r->filter.w - 1) * p->dilation_w + 1;
  op->mode = p->depth_multiplier == 1 && r->in.c > 1 && op->k <= DW_MAX_TAPS &&
                     op->ring_rows <= DW_MAX_RING
                 ? MODE_M1
                 : MODE_COLUMNS;
  if (op->mode == MODE_M1 && filter->is_const && (bias == NULL || bias->is_const)) {
    int fast;
    if ((st = m1_quant(node, op, input, filter, bias, output, opt->activation, r->out.c, op->k,
                       &fast)) != ENG_OK) {
      return st;
    }
    if (fast) {
      /* 2: every channel's K = k << e fits the asm rows' requantization (|K| < 2^30) */
      const int64_t ka = op->out.k < 0 ? -(int64_t)op->out.k : op->out.k;
      op->fast = 2;
      for (int32_t c = 0; c < r->out.c; c++) {
        if (op->shift[c] >= 0 && (ka << op->shift[c]) >= (INT64_C(1) << 30)) op->fast = 1;
      }
      op->geom = (eng_opt_geom_t){r->in.h,       r->in.w,     r->in.c,     r->filter.h,
                                  r->filter.w,   p->stride_h, p->stride_w, p->dilation_h,
                                  p->dilation_w, p->pad_h,    p->pad_w,    input->zero_point};
      op->col_rows = (r->out.h - 1) * p->stride_h + op->ring_rows;
      op->column = DW_SPECIALIZE && op->ring_w == 1 && r->out.w == 1;
      if (op->column && p->stride_h == 1 && op->k <= 2 * DW_COL_PAIRS) {
        op->column = 3;
      }
      if (op->column == 1 && p->pad_h == 0 && p->pad_w == 0 && op->col_rows <= r->in.h) {
        /* every tap inside the image: the taps read the input in place, no scratch */
        op->column = 2;
        op->scratch = -1;
        return ENG_OK;
      }
      /* the ring: two copies of R rows, two words per pixel; a column: col_rows pixels */
      size_t bytes =
          op->column ? (size_t)op->col_rows * 8 : (size_t)op->ring_rows * (size_t)op->ring_w * 16;
      if (op->column == 3) {
        const size_t pairs = (size_t)col_entries(op->out_h, op->k) * 16;
        bytes = pairs > bytes ? pairs : bytes;
      }
      return eng_request_scratch(node, bytes, &op->scratch);
    }
    /* not provable: the tables below, then the reference core */
    op->mode = MODE_COLUMNS;
  }
  st = eng_opt_conv_quant(node, input, filter, bias, output, opt->activation, r->out.c, 3, &op->ch,
                          &op->shift, &op->out);
  if (st != ENG_OK) {
    return st;
  }
  p->input_offset = -input->zero_point;
  p->output_offset = output->zero_point;
  p->act_min = op->out.act_min;
  p->act_max = op->out.act_max;

  const int32_t out_c = r->out.c;
  const int32_t k4 = eng_opt_k4(op->k);
  const int consts = filter->is_const && (bias == NULL || bias->is_const);
  /* MODE_COLUMNS keeps a small doubled w16 table per channel (its taps are strided by C
   * in the model). */
  const int64_t w16_bytes = op->mode == MODE_COLUMNS ? (int64_t)out_c * k4 * 2 : 0;
  const eng_opt_filter_t f = {filter->data, out_c, op->k, 1, out_c};
  if (consts && w16_bytes <= DW_W16_MAX_BYTES &&
      eng_opt_make_fast(op->ch, op->shift, &op->out, &f, input->zero_point, output->zero_point,
                        1)) {
    op->fast = 1;
    op->geom = (eng_opt_geom_t){r->in.h,       r->in.w,     r->in.c,     r->filter.h,
                                r->filter.w,   p->stride_h, p->stride_w, p->dilation_h,
                                p->dilation_w, p->pad_h,    p->pad_w,    input->zero_point};
    uint32_t *w = eng_alloc_persistent(node, (size_t)w16_bytes);
    if (w == NULL) {
      return eng_fail(node, ENG_ERR_ARENA, "widened weights");
    }
    eng_opt_make_w16(&f, p->depth_multiplier, w);
    op->w16 = w;
    interior(r->in.h, r->filter.h, p->stride_h, p->dilation_h, p->pad_h, r->out.h, &op->oy_lo,
             &op->oy_hi);
    interior(r->in.w, r->filter.w, p->stride_w, p->dilation_w, p->pad_w, r->out.w, &op->ox_lo,
             &op->ox_hi);
    /* column pair (k4 words) and a raw patch (k4 bytes) */
    return eng_request_scratch(node, (size_t)k4 * 5 + 16, &op->scratch);
  }
  int32_t *m, *s;
  if ((st = eng_opt_ref_multipliers(node, op->ch, op->shift, out_c, &m, &s)) != ENG_OK) {
    return st;
  }
  r->multipliers = m;
  r->shifts = s;
  return eng_conv_keep_full(node, r, &op->ref);
}

/* ---- multiplier 1 ----
 * Channels run in groups of four (one input word); inside a group the output positions
 * run row by row. The input rows a group needs are widened once into a ring in planner
 * scratch: R = (fh - 1) * dh + 1 rows (a window's height), each stored twice (slots s and
 * s + R) so that the R rows of any window are consecutive slots. The ring is column-major:
 * pixel (column j, slot s) is the word pair at (j * 2R + s) * 2 (SXTB16 order: lanes
 * (c0, c2), then (c1, c3)); input row iy lives in slots iy mod R and that + R. Columns
 * span every column a window touches (padding columns hold the zero point), rows outside
 * the image are all zero point, so no position needs a border case and every window has
 * the same tap offsets from its first word. The group's taps sit widened and doubled on
 * the stack: a tap costs one LDRD of input, one of weights and four SMLABB/SMLATT. */

/* n (1..4) bytes as one word (unused bytes 0); reads exactly n bytes. */
static inline uint32_t load_n(const int8_t *p, int32_t n) {
  if (n == 4) {
    return eng_ld32(p);
  }
  uint32_t v = 0;
  for (int32_t j = 0; j < n; j++) {
    v |= (uint32_t)(uint8_t)p[j] << (8 * j);
  }
  return v;
}

/* Both lanes doubled: lane 0's carry out of bit 15 lands in bit 16, which a doubled
 * lane 1 always has clear. */
static inline uint32_t dw_dbl16(uint32_t v) {
  return (v << 1) & 0xFFFEFFFFu;
}

/* Input row iy (channels c0 .. c0 + n - 1) into ring slots s and s + R. */
static __attribute__((noinline)) void fill_row(const dw_opt_t *op, const int8_t *in, int32_t iy,
                                               int32_t c0, int32_t n, uint32_t zpw,
                                               uint32_t *ring) {
  const eng_opt_geom_t *g = &op->geom;
  const int32_t R = op->ring_rows, bw = op->ring_w, stride = R * 4;
  uint32_t *dst = ring + (size_t)((iy + g->pad_h) % R) * 2; /* iy >= -pad_h */
  int32_t lo = g->pad_w, hi = g->pad_w + g->in_w;           /* ring columns in the image */
  if (iy < 0 || iy >= g->in_h) {
    lo = hi = bw;
  }
  if (hi > bw) hi = bw;
  if (lo > hi) lo = hi;
  uint32_t *d0 = dst, *d1 = dst + R * 2; /* the two copies */
  const uint32_t zpw2 = zpw;
  int32_t j = 0;
  for (; j < lo; j++, d0 += stride, d1 += stride) {
    d0[0] = zpw;
    d0[1] = zpw2;
    d1[0] = zpw;
    d1[1] = zpw2;
  }
  const int32_t C = g->in_c;
  const int8_t *src = in + ((size_t)iy * (size_t)g->in_w + (size_t)(j - g->pad_w)) * (size_t)C + c0;
  if (n == 4) {
    for (; j < hi; j++, d0 += stride, d1 += stride, src += C) {
      const uint32_t v = eng_ld32(src);
      const uint32_t e = eng_sxtb16(v), o = eng_sxtb16_ror8(v);
      d0[0] = e;
      d0[1] = o;
      d1[0] = e;
      d1[1] = o;
    }
  } else {
    for (; j < hi; j++, d0 += stride, d1 += stride, src += C) {
      const uint32_t v = load_n(src, n);
      const uint32_t e = eng_sxtb16(v), o = eng_sxtb16_ror8(v);
      d0[0] = e;
      d0[1] = o;
      d1[0] = e;
      d1[1] = o;
    }
  }
  for (; j < bw; j++, d0 += stride, d1 += stride) {
    d0[0] = zpw;
    d0[1] = zpw2;
    d1[0] = zpw;
    d1[1] = zpw2;
  }
}

/* What the row kernels need of one channel group. */
typedef struct dw_group {
  int32_t bias[4]; /* folded, doubled */
  eng_opt_ch_t ch[4];
  int32_t shift[4];
  const eng_opt_out_t *out;
  int32_t n; /* channels in the group, 1..4 */
} dw_group_t;

/* One tap of four channels: x and w are (c0, c2), (c1, c3) word pairs. */
#define DW_TAP(xp, wp)             \
  do {                             \
    const uint32_t xe_ = (xp)[0];  \
    const uint32_t xo_ = (xp)[1];  \
    const uint32_t we_ = (wp)[0];  \
    const uint32_t wo_ = (wp)[1];  \
    a0 = eng_smlabb(xe_, we_, a0); \
    a2 = eng_smlatt(xe_, we_, a2); \
    a1 = eng_smlabb(xo_, wo_, a1); \
    a3 = eng_smlatt(xo_, wo_, a3); \
  } while (0)

/* How a group clamps: DW_SAT (eng_opt_out_t.sat: range [-128, 127] and zero point -128,
 * the [x < 0] term is dropped), DW_FULL (range [-128, 127], any zero point: SSAT clamps),
 * DW_CLAMP (the activation's range). */
enum { DW_CLAMP = 0, DW_SAT = 1, DW_FULL = 2 };

static inline int dw_sat_mode(const eng_opt_out_t *o) {
  return o->sat ? DW_SAT : (o->act_min == -128 && o->act_max == 127 ? DW_FULL : DW_CLAMP);
}

/* One requantized lane; m, e: its multiplier and fast shift, k = 2 * output zero point
 * + 1, lo/hi the activation range, sat a DW_* mode. */
ENG_OPT_INLINE int8_t dw_requant(int32_t acc2, int32_t m, int32_t e, int32_t k, int32_t lo,
                                 int32_t hi, const int sat) {
  const int32_t x = eng_smmulr(acc2, m);
  if (sat == DW_SAT) {
    return (int8_t)eng_ssat8(((x >> e) + k) >> 1);
  }
  if (sat == DW_FULL) {
    return (int8_t)eng_ssat8((((x - (int32_t)((uint32_t)x >> 31)) >> e) + k) >> 1);
  }
  int32_t y = (((x - (int32_t)((uint32_t)x >> 31)) >> e) + k) >> 1;
  y = y < lo ? lo : y;
  y = y > hi ? hi : y;
  return (int8_t)y;
}

/* The lanes' constants as locals: int8 stores cannot alias them, so the compiler keeps
 * them in registers or reloads them from the stack, never from the group record. */
#define DW_CONSTS(q)                                                                            \
  const int32_t b0 = (q)->bias[0], b1 = (q)->bias[1], b2 = (q)->bias[2], b3 = (q)->bias[3];     \
  const int32_t m0 = (q)->ch[0].mult, m1 = (q)->ch[1].mult, m2 = (q)->ch[2].mult,               \
                m3 = (q)->ch[3].mult;                                                           \
  const int32_t e0 = (q)->shift[0], e1 = (q)->shift[1], e2 = (q)->shift[2], e3 = (q)->shift[3]; \
  const int32_t kk = (q)->out->k, lo = (q)->out->act_min, hi = (q)->out->act_max;               \
  const int32_t n = (q)->n

#define DW_STORE(dst)                                              \
  do {                                                             \
    dst[0] = dw_requant(a0, m0, e0, kk, lo, hi, sat);              \
    if (n == 4) {                                                  \
      dst[1] = dw_requant(a1, m1, e1, kk, lo, hi, sat);            \
      dst[2] = dw_requant(a2, m2, e2, kk, lo, hi, sat);            \
      dst[3] = dw_requant(a3, m3, e3, kk, lo, hi, sat);            \
    } else {                                                       \
      if (n > 1) dst[1] = dw_requant(a1, m1, e1, kk, lo, hi, sat); \
      if (n > 2) dst[2] = dw_requant(a2, m2, e2, kk, lo, hi, sat); \
    }                                                              \
  } while (0)

/* The 9 taps of a 3x3 window without dilation: x at px + fx * 12 + fy * 2 (ring columns
 * of 2R = 6 slots), weights w[2t], w[2t + 1] for t = fy * 3 + fx. Device: one asm block
 * (LDRD pairs; GCC splits them into single loads and spills); elsewhere the same in C. */
#if ENG_OPT_DSP
#define DW_T9(xo, wo)                     \
  "ldrd %[xe], %[xd], [%[px], #" #xo      \
  "]\n\t"                                 \
  "ldrd %[we], %[wd], [%[wp], #" #wo      \
  "]\n\t"                                 \
  "smlabb %[a0], %[xe], %[we], %[a0]\n\t" \
  "smlatt %[a2], %[xe], %[we], %[a2]\n\t" \
  "smlabb %[a1], %[xd], %[wd], %[a1]\n\t" \
  "smlatt %[a3], %[xd], %[wd], %[a3]\n\t"
#define DW_WINDOW3X3(px, w)                                                                  \
  do {                                                                                       \
    uint32_t xe_, xd_, we_, wd_;                                                             \
    __asm__(DW_T9(0, 0) DW_T9(48, 8) DW_T9(96, 16) DW_T9(8, 24) DW_T9(56, 32) DW_T9(104, 40) \
                DW_T9(16, 48) DW_T9(64, 56) DW_T9(112, 64)                                   \
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [xe] "=&r"(xe_),   \
              [xd] "=&r"(xd_), [we] "=&r"(we_), [wd] "=&r"(wd_)                              \
            : [px] "r"(px), [wp] "r"(w), "m"(*(const uint32_t(*)[30])(px)),                  \
              "m"(*(const uint32_t(*)[18])(w)));                                             \
  } while (0)
#else
#define DW_WINDOW3X3(px, w)      \
  do {                           \
    DW_TAP(px, w);               \
    DW_TAP((px) + 12, (w) + 2);  \
    DW_TAP((px) + 24, (w) + 4);  \
    DW_TAP((px) + 2, (w) + 6);   \
    DW_TAP((px) + 14, (w) + 8);  \
    DW_TAP((px) + 26, (w) + 10); \
    DW_TAP((px) + 4, (w) + 12);  \
    DW_TAP((px) + 16, (w) + 14); \
    DW_TAP((px) + 28, (w) + 16); \
  } while (0)
#endif

/* Every output row of one channel group: the rows each needs are added to the ring, then
 * its positions run, the window's first word `step` words after the previous one. full3:
 * a 3x3 filter without dilation (taps at px + fx * 12 + fy * 2, ring columns of 2R = 6
 * slots); otherwise tap t at px + toff[t]. A leaf but for fill_row, so the compiler keeps
 * the accumulators in registers and the group's constants on the stack. */
DW_ROWS_LINKAGE void group_rows(const dw_opt_t *op, const dw_group_t *q, uint32_t *ring,
                                const int8_t *in, int32_t c0, const uint32_t *w,
                                const int32_t *toff, int8_t *dst, const int full3, const int sat) {
  DW_CONSTS(q);
  const eng_opt_geom_t *g = &op->geom;
  const int32_t C = g->in_c, K = op->k, R = op->ring_rows, out_w = op->out_w;
  const int32_t step = g->stride_w * R * 4;
  const int32_t row_bytes = out_w * C;
  const int32_t stride_h = g->stride_h, pad_h = g->pad_h;
  const uint32_t zpw = eng_sxtb16((uint32_t)(uint8_t)g->zp * 0x01010101u);
#if DW_SPECIALIZE
  if (!full3 && op->column == 2) {
    /* one pixel per row, no padding: filter row fy of output row oy is input row
     * oy * stride_h + fy * dh, read in place and split by SXTB16 */
    const size_t row = (size_t)g->in_w * (size_t)C;
    const size_t tap = (size_t)g->dil_h * row, down = (size_t)stride_h * row;
    const int8_t *px = in + c0;
    for (int32_t oy = 0; oy < op->out_h; oy++, px += down, dst += C) {
      int32_t a0 = b0, a1 = b1, a2 = b2, a3 = b3;
      const uint32_t *wt = w;
      const int8_t *xp = px;
      for (int32_t t = 0; t < K; t++, wt += 2, xp += tap) {
        const uint32_t v = n == 4 ? eng_ld32(xp) : load_n(xp, n);
        const uint32_t xv[2] = {eng_sxtb16(v), eng_sxtb16_ror8(v)};
        DW_TAP(xv, wt);
      }
      DW_STORE(dst);
    }
    return;
  }
  if (!full3 && op->column) {
    /* the padded column, pixel r = input row r - pad_h at ring + 2r */
    const int8_t *src = in + c0;
    for (int32_t r = 0; r < op->col_rows; r++) {
      const int32_t iy = r - pad_h;
      uint32_t e = zpw, o = zpw;
      if (iy >= 0 && iy < g->in_h && g->pad_w == 0) {
        const uint32_t v = load_n(src + (size_t)iy * (size_t)g->in_w * (size_t)C, n);
        e = eng_sxtb16(v);
        o = eng_sxtb16_ror8(v);
      }
      ring[2 * r] = e;
      ring[2 * r + 1] = o;
    }
    const uint32_t *px = ring;
    for (int32_t oy = 0; oy < op->out_h; oy++, px += stride_h * 2, dst += C) {
      int32_t a0 = b0, a1 = b1, a2 = b2, a3 = b3;
      const uint32_t *wt = w;
      for (int32_t t = 0; t < K; t++, wt += 2) {
        DW_TAP(px + toff[t], wt);
      }
      DW_STORE(dst);
    }
    return;
  }
#endif
  int32_t next = -pad_h; /* rows below this are in the ring */
  int32_t s0 = 0;        /* slot of the window's first row */
  for (int32_t oy = 0; oy < op->out_h; oy++, dst += row_bytes) {
    const int32_t iy0 = oy * stride_h - pad_h;
    for (int32_t iy = next > iy0 ? next : iy0; iy < iy0 + R; iy++) {
      fill_row(op, in, iy, c0, n, zpw, ring);
    }
    next = iy0 + R;
    const uint32_t *px = ring + s0 * 2;
    s0 += stride_h;
    while (s0 >= R) s0 -= R;
    int8_t *d = dst;
    for (int32_t ox = 0; ox < out_w; ox++, px += step, d += C) {
      int32_t a0 = b0, a1 = b1, a2 = b2, a3 = b3;
      if (DW_SPECIALIZE && full3) {
        DW_WINDOW3X3(px, w);
      } else {
        const uint32_t *wt = w;
        for (int32_t t = 0; t < K; t++, wt += 2) {
          DW_TAP(px + toff[t], wt);
        }
      }
      DW_STORE(d);
    }
  }
}
#undef DW_TAP
#undef DW_CONSTS
#undef DW_STORE
#undef DW_WINDOW3X3

#if DW_SPECIALIZE && ENG_OPT_DSP
/* ---- 3x3 rows in asm (DW_SAT and DW_FULL groups of four channels) ----
 * One call runs `count` positions of one output row. Every value it needs is in one
 * block, read with LDM in this order (words):
 *   0..3    the four accumulators' start (folded, doubled bias)
 *   4..21   the 9 taps' weight pairs, column by column (tap fx * 3 + fy)
 *   22..33  per channel: multiplier m, K = k << e, E = e + 1
 *   34..37  output pointer, positions left, output step (C), ring step back
 * The accumulators are r2..r5, the taps' input r6..r9 (LDM of two ring slots, LDRD of
 * the third), their weights r10..r12 and lr: each load brings two taps, so 9 taps are 11
 * loads and 36 SMLABB/SMLATT. The requantization is SMMLAR (x + K), ASR by E and SSAT:
 * ((x >> e) + k) >> 1 equals (x + (k << e)) >> (e + 1), exact while |k << e| < 2^30 (the
 * proof keeps |x| <= 2^30); DW_FULL subtracts [x < 0] first (SMMULR, ADD ASR #31,
 * ADD K). Written as one function so that every register is ours: GCC runs out of
 * registers for this many asm operands. */
#define DW_BLK_WORDS 38
#define DW_A_TAP(xe, xo, we, wo) \
  "smlabb r2, " xe ", " we       \
  ", r2\n\t"                     \
  "smlatt r4, " xe ", " we       \
  ", r4\n\t"                     \
  "smlabb r3, " xo ", " wo       \
  ", r3\n\t"                     \
  "smlatt r5, " xo ", " wo ", r5\n\t"
#define DW_A_TAPS \
  "ldm r1!, {r2-r5}\n\t"                                                                  \
  "ldm r0!, {r6-r9}\n\t"                                                                  \
  "ldm r1!, {r10-r12, lr}\n\t" DW_A_TAP("r6", "r7", "r10", "r11")                         \
      DW_A_TAP("r8", "r9", "r12", "lr") "ldrd r6, r7, [r0], #32\n\t"                      \
      "ldm r1!, {r10-r12, lr}\n\t" DW_A_TAP("r6", "r7", "r10", "r11")                     \
      "ldm r0!, {r6-r9}\n\t" DW_A_TAP("r6", "r7", "r12", "lr")                            \
      "ldm r1!, {r10-r12, lr}\n\t" DW_A_TAP("r8", "r9", "r10", "r11")                     \
      "ldrd r6, r7, [r0], #32\n\t" DW_A_TAP("r6", "r7", "r12", "lr")                      \
      "ldm r0!, {r6-r9}\n\t"                                                              \
      "ldm r1!, {r10-r12, lr}\n\t" DW_A_TAP("r6", "r7", "r10", "r11")                     \
          DW_A_TAP("r8", "r9", "r12", "lr") "ldrd r6, r7, [r0], #32\n\t"                  \
          "ldrd r10, r11, [r1], #8\n\t" DW_A_TAP("r6", "r7", "r10", "r11")
/* the outputs of r2..r5 stored, the next position's pointers: r1 back to the block */
#define DW_A_TAIL         \
  "ssat r2, #8, r2\n\t"   \
  "ssat r3, #8, r3\n\t"   \
  "ssat r4, #8, r4\n\t"   \
  "ssat r5, #8, r5\n\t"   \
  "ldm r1, {r6-r9}\n\t"   \
  "strb r2, [r6]\n\t"     \
  "strb r3, [r6, #1]\n\t" \
  "strb r4, [r6, #2]\n\t" \
  "strb r5, [r6, #3]\n\t" \
  "add r6, r6, r8\n\t"    \
  "subs r7, r7, #1\n\t"   \
  "stm r1, {r6, r7}\n\t"  \
  "sub r0, r0, r9\n\t"    \
  "sub r1, r1, #136\n\t"  \
  "bne 1b\n\t"            \
  "pop {r4-r11, pc}\n\t"
/* DW_SAT: x + K in one SMMLAR */
#define DW_A_RQ_SAT(a, m, kk, e)    \
  "smmlar " a ", " a ", " m ", " kk \
  "\n\t"                            \
  "asr " a ", " a ", " e "\n\t"
/* DW_FULL: x - [x < 0] + K */
#define DW_A_RQ_FULL(a, m, kk, e) \
  "smmulr " a ", " a ", " m       \
  "\n\t"                          \
  "add " a ", " a ", " a          \
  ", asr #31\n\t"                 \
  "add " a ", " a ", " kk         \
  "\n\t"                          \
  "asr " a ", " a ", " e "\n\t"
#define DW_A_BODY(RQ)                                                                 \
  "push {r4-r11, lr}\n\t"                                                             \
  "1:\n\t" DW_A_TAPS "ldm r1!, {r6-r11}\n\t" RQ("r2", "r6", "r7", "r8")               \
      RQ("r3", "r9", "r10", "r11") "ldm r1!, {r6-r11}\n\t" RQ("r4", "r6", "r7", "r8") \
          RQ("r5", "r9", "r10", "r11") DW_A_TAIL

/* A naked function of (px, blk) whose whole body is one asm routine: the arguments arrive
 * in r0 and r1 (AAPCS), a uintptr_t result is left in r0. */
#define DW_NAKED(ret, name, body)                                                          \
  __attribute__((naked, noinline, noipa)) static ret name(                                 \
      __attribute__((unused)) const uint32_t *px, __attribute__((unused)) uint32_t *blk) { \
    __asm__(body);                                                                         \
  }

DW_NAKED(void, dw_rows3x3_sat, DW_A_BODY(DW_A_RQ_SAT))
DW_NAKED(void, dw_rows3x3_full, DW_A_BODY(DW_A_RQ_FULL))

/* ---- fh x 1 columns in asm (DW_SAT and DW_FULL groups of four channels, stride 1) ----
 * The group's padded column is widened once into pairs of consecutive rows: P[r] is four
 * words, channel c's (x[r], x[r + 1]) as int16 lanes, and the filter into pairs of taps
 * (w[2p], w[2p + 1]), the last one (w[K - 1], 0) for odd K. A position oy then reads
 * P[oy], P[oy + 2], ...: one SMLAD per channel and tap pair. P[r] is stored by the parity
 * of r (even rows from the scratch's start, odd ones `odd` bytes after), so the pairs of
 * one position are consecutive; even positions run first, then odd ones. Block (words):
 *   0..3    accumulator start (folded, doubled bias)
 *   4       entry into the unrolled tap pairs (Thumb address, DW_COL_PAIRS - np pairs in)
 *   5..     np tap pairs, four words each (c0..c3), then per channel m, K, E (as above),
 *           then output pointer, positions left, output step, px step back, block size */
#define DW_COL_WORDS (5 + 4 * DW_COL_PAIRS + 12 + 5)
#define DW_C_PAIR                \
  "ldm.w r0!, {r6-r9}\n\t"       \
  "ldm.w r1!, {r10-r12, lr}\n\t" \
  "smlad r2, r6, r10, r2\n\t"    \
  "smlad r3, r7, r11, r3\n\t"    \
  "smlad r4, r8, r12, r4\n\t"    \
  "smlad r5, r9, lr, r5\n\t"
#define DW_C_BODY(RQ) \
  "cmp r0, #0\n\t"                                                                          \
  "bne 1f\n\t"                                                                              \
  "adr.w r0, 3f\n\t"                                                                        \
  "bx lr\n\t"                                                                               \
  "1:\n\t"                                                                                  \
  "push {r4-r11, lr}\n\t"                                                                   \
  "2:\n\t"                                                                                  \
  "ldm r1!, {r2-r5}\n\t"                                                                    \
  "ldr pc, [r1], #4\n\t" DW_C_PAIR DW_C_PAIR DW_C_PAIR DW_C_PAIR DW_C_PAIR DW_C_PAIR       \
      DW_C_PAIR DW_C_PAIR "3:\n\t"                                                          \
      "ldm r1!, {r6-r11}\n\t" RQ("r2", "r6", "r7", "r8") RQ("r3", "r9", "r10", "r11")       \
          "ldm r1!, {r6-r11}\n\t" RQ("r4", "r6", "r7", "r8") RQ("r5", "r9", "r10", "r11")   \
              "ssat r2, #8, r2\n\t"                                                         \
              "ssat r3, #8, r3\n\t"                                                         \
              "ssat r4, #8, r4\n\t"                                                         \
              "ssat r5, #8, r5\n\t"                                                         \
              "ldm r1, {r6-r10}\n\t"                                                        \
              "strb r2, [r6]\n\t"                                                           \
              "strb r3, [r6, #1]\n\t"                                                       \
              "strb r4, [r6, #2]\n\t"                                                       \
              "strb r5, [r6, #3]\n\t"                                                       \
              "add r6, r6, r8\n\t"                                                          \
              "subs r7, r7, #1\n\t"                                                         \
              "stm r1, {r6, r7}\n\t"                                                        \
              "sub r0, r0, r9\n\t"                                                          \
              "sub r1, r1, r10\n\t"                                                         \
              "bne 2b\n\t"                                                                  \
              "pop {r4-r11, pc}\n\t"

/* px == NULL: returns the address after the unrolled pairs (each pair is 24 bytes). */
DW_NAKED(uintptr_t, dw_cols_sat, DW_C_BODY(DW_A_RQ_SAT))
DW_NAKED(uintptr_t, dw_cols_full, DW_C_BODY(DW_A_RQ_FULL))

/* Column rows r and r + 1 of four channels as the four pair words of P[r]; x, y: the
 * rows' SXTAB16 forms, lanes (c0, c2), then (c1, c3). */
ENG_OPT_INLINE void col_pairs(uint32_t *d, uint32_t xe, uint32_t xo, uint32_t ye, uint32_t yo) {
  d[0] = eng_pack_lo(xe, ye);
  d[1] = eng_pack_lo(xo, yo);
  d[2] = eng_pack_hi(xe, ye);
  d[3] = eng_pack_hi(xo, yo);
}

/* A column group of four channels through dw_cols_* (op->fast == 2: every K fits). The
 * inputs are widened with the zero point subtracted (SXTAB16 of -zp), so the accumulators
 * start at the model's bias, doubled, and no tap sum is folded; padding rows are 0. */
static __attribute__((noinline)) void group_col_asm(const dw_opt_t *op, uint32_t *scratch,
                                                    const int8_t *in, const int8_t *filter,
                                                    const int32_t *bias, int32_t c0, int8_t *dst,
                                                    int full) {
  const eng_opt_geom_t *g = &op->geom;
  const int32_t K = op->k, np = (K + 1) / 2, out_h = op->out_h, C = g->in_c;
  uint32_t blk[DW_COL_WORDS] __attribute__((aligned(8)));
  const int32_t k = op->out.k;
  uint32_t *cq = blk + 5 + 4 * np;
  for (int32_t j = 0; j < 4; j++) {
    const int32_t c = c0 + j, mult = op->mult[c], sh = op->shift[c];
    int32_t b2 = 0, m = 0, e = 0;
    if (sh < 0) {
      b2 = 4 * mult; /* a constant channel (m1_quant) */
      m = INT32_C(1) << 30;
    } else if (mult != 0) {
      b2 = (int32_t)((uint32_t)(bias != NULL ? bias[c] : 0) << 1);
      m = mult;
      e = sh;
    }
    blk[j] = (uint32_t)b2;
    cq[3 * j] = (uint32_t)m;
    cq[3 * j + 1] = (uint32_t)k << e;
    cq[3 * j + 2] = (uint32_t)(e + 1);
  }
  const uintptr_t end = full ? dw_cols_full(NULL, NULL) : dw_cols_sat(NULL, NULL);
  blk[4] = (uint32_t)((end - (uintptr_t)np * 24) | 1u);
  /* tap pairs, doubled (|2w| <= 256 fits a lane) */
  const int8_t *f = filter + c0;
  for (int32_t p = 0; p < np; p++, f += 2 * (size_t)C) {
    const uint32_t v0 = eng_ld32(f), v1 = 2 * p + 1 < K ? eng_ld32(f + C) : 0;
    uint32_t *d = blk + 5 + 4 * p;
    col_pairs(d, dw_dbl16(eng_sxtb16(v0)), dw_dbl16(eng_sxtb16_ror8(v0)), dw_dbl16(eng_sxtb16(v1)),
              dw_dbl16(eng_sxtb16_ror8(v1)));
  }
  /* the column: row r is input row r - pad_h, 0 outside; P[r] even at scratch, odd at
   * scratch + 4 * half */
  const int32_t n_ent = col_entries(out_h, K), half = (n_ent + 1) / 2;
  const int32_t rows = g->in_h, pad_h = g->pad_h;
  const size_t row = (size_t)g->in_w * (size_t)C;
  const uint32_t off = ((uint32_t)(-g->zp) & 0xFFFFu) * 0x00010001u;
  const int inside = g->pad_w == 0; /* W = 1: the one column is the image's */
  uint32_t *ev = scratch, *od = scratch + 4 * half;
  uint32_t pe = 0, po = 0;
  int32_t r = 0;
  if (inside && pad_h == 0) {
    /* while rows r + 1 and r + 2 are inside the image: two entries a pass, no checks */
    const int8_t *src = in + c0;
    const uint32_t v = eng_ld32(src);
    pe = eng_sxtab16(off, v);
    po = eng_sxtab16_ror8(off, v);
    const int32_t last =
        rows - 1 < n_ent ? rows - 1 : n_ent; /* entries whose row r + 1 is inside */
    for (; r + 2 <= last; r += 2, ev += 4, od += 4) {
      src += 2 * row;
      const uint32_t a = eng_ld32(src - row), b = eng_ld32(src);
      const uint32_t ae = eng_sxtab16(off, a), ao = eng_sxtab16_ror8(off, a);
      const uint32_t be = eng_sxtab16(off, b), bo = eng_sxtab16_ror8(off, b);
      col_pairs(ev, pe, po, ae, ao);
      col_pairs(od, ae, ao, be, bo);
      pe = be;
      po = bo;
    }
  }
  for (; r < n_ent; r++) {
    const int32_t iy = r + 1 - pad_h;
    uint32_t ce = 0, co = 0;
    if (inside && iy >= 0 && iy < rows) {
      const uint32_t v = eng_ld32(in + (size_t)iy * row + c0);
      ce = eng_sxtab16(off, v);
      co = eng_sxtab16_ror8(off, v);
    }
    col_pairs(scratch + ((r & 1) ? half * 4 : 0) + (r >> 1) * 4, pe, po, ce, co);
    pe = ce;
    po = co;
  }
  cq[12 + 2] = (uint32_t)(2 * C);
  cq[12 + 3] = (uint32_t)(np * 16 - 16);
  cq[12 + 4] = (uint32_t)((5 + 4 * np + 12) * 4);
  for (int32_t par = 0; par < 2 && par < out_h; par++) {
    cq[12] = (uint32_t)(uintptr_t)(dst + par * C);
    cq[12 + 1] = (uint32_t)((out_h - par + 1) / 2);
    if (full) {
      dw_cols_full(scratch + par * half * 4, blk);
    } else {
      dw_cols_sat(scratch + par * half * 4, blk);
    }
  }
}

/* One ring row of four channels (the 3-row ring: slots s and s + 3, ring columns 48 bytes
 * apart) from d: na columns of the zero point, nb pixels widened from src (one every C
 * bytes), nc columns of the zero point; each column two STRDs. */
ENG_OPT_INLINE void fill_row3(uint32_t *d, const int8_t *src, int32_t C, int32_t na, int32_t nb,
                              int32_t nc, uint32_t zpw) {
  uint32_t v, e, o;
  __asm__ volatile(
      "cmp %[a], #0\n\t"
      "beq 2f\n"
      "1:\n\t"
      "strd %[z], %[z], [%[d], #24]\n\t"
      "strd %[z], %[z], [%[d]], #48\n\t"
      "subs %[a], %[a], #1\n\t"
      "bne 1b\n"
      "2:\n\t"
      "cmp %[b], #0\n\t"
      "beq 4f\n"
      "3:\n\t"
      "ldr %[v], [%[s]]\n\t"
      "add %[s], %[s], %[C]\n\t"
      "sxtb16 %[e], %[v]\n\t"
      "sxtb16 %[o], %[v], ror #8\n\t"
      "strd %[e], %[o], [%[d], #24]\n\t"
      "strd %[e], %[o], [%[d]], #48\n\t"
      "subs %[b], %[b], #1\n\t"
      "bne 3b\n"
      "4:\n\t"
      "cmp %[c], #0\n\t"
      "beq 6f\n"
      "5:\n\t"
      "strd %[z], %[z], [%[d], #24]\n\t"
      "strd %[z], %[z], [%[d]], #48\n\t"
      "subs %[c], %[c], #1\n\t"
      "bne 5b\n"
      "6:\n\t"
      : [d] "+r"(d), [s] "+r"(src), [a] "+r"(na), [b] "+r"(nb), [c] "+r"(nc), [v] "=&r"(v),
        [e] "=&r"(e), [o] "=&r"(o)
      : [z] "r"(zpw), [C] "r"(C)
      : "cc", "memory");
}

/* A group of four channels through dw_rows3x3_* (op->fast == 2: every K fits). */
static __attribute__((noinline)) void group_3x3_asm(const dw_opt_t *op, const dw_group_t *q,
                                                    uint32_t *ring, const int8_t *in, int32_t c0,
                                                    const uint32_t *w, int8_t *dst, int full) {
  uint32_t blk[DW_BLK_WORDS] __attribute__((aligned(8)));
  const int32_t k = op->out.k;
  for (int32_t j = 0; j < 4; j++) {
    const int32_t e = q->shift[j];
    blk[j] = (uint32_t)q->bias[j];
    blk[22 + 3 * j] = (uint32_t)q->ch[j].mult;
    blk[23 + 3 * j] = (uint32_t)k << e;
    blk[24 + 3 * j] = (uint32_t)(e + 1);
  }
  for (int32_t fx = 0; fx < 3; fx++) {
    for (int32_t fy = 0; fy < 3; fy++) {
      const int32_t u = fx * 3 + fy, t = fy * 3 + fx;
      blk[4 + 2 * u] = w[2 * t];
      blk[5 + 2 * u] = w[2 * t + 1];
    }
  }
  const eng_opt_geom_t *g = &op->geom;
  const int32_t C = g->in_c, R = 3, bw = op->ring_w, out_w = op->out_w;
  const int32_t stride_h = g->stride_h, pad_h = g->pad_h;
  blk[36] = (uint32_t)C;
  blk[37] = (uint32_t)(3 * R * 16 - g->stride_w * R * 16);
  int32_t lo = g->pad_w, hi = g->pad_w + g->in_w;
  if (hi > bw) hi = bw;
  if (lo > hi) lo = hi;
  const uint32_t zpw = eng_sxtb16((uint32_t)(uint8_t)g->zp * 0x01010101u);
  const int32_t in_h = g->in_h, nb = hi - lo, nc = bw - hi;
  /* the first pixel a row widens: ring column lo is image column lo - pad_w */
  const int8_t *src0 = in + (ptrdiff_t)(lo - g->pad_w) * C + c0;
  const ptrdiff_t row = (ptrdiff_t)g->in_w * C;
  int32_t next = -pad_h, s0 = 0;
  for (int32_t oy = 0; oy < op->out_h; oy++, dst += out_w * C) {
    const int32_t iy0 = oy * stride_h - pad_h;
    for (int32_t iy = next > iy0 ? next : iy0; iy < iy0 + R; iy++) {
      uint32_t *d = ring + ((iy + pad_h) % R) * 2; /* iy >= -pad_h */
      if (iy < 0 || iy >= in_h) {
        fill_row3(d, src0, C, bw, 0, 0, zpw);
      } else {
        fill_row3(d, src0 + iy * row, C, lo, nb, nc, zpw);
      }
    }
    next = iy0 + R;
    blk[34] = (uint32_t)(uintptr_t)dst;
    blk[35] = (uint32_t)out_w;
    if (full) {
      dw_rows3x3_full(ring + s0 * 2, blk);
    } else {
      dw_rows3x3_sat(ring + s0 * 2, blk);
    }
    s0 += stride_h;
    while (s0 >= R) s0 -= R;
  }
}
#endif

#if defined(__OPTIMIZE_SIZE__)
/* sat and full3 at run time */
static void group_3x3(const dw_opt_t *op, const dw_group_t *q, uint32_t *ring, const int8_t *in,
                      int32_t c0, const uint32_t *w, int8_t *dst) {
  group_rows(op, q, ring, in, c0, w, NULL, dst, 1, dw_sat_mode(&op->out));
}

static void group_any(const dw_opt_t *op, const dw_group_t *q, uint32_t *ring, const int8_t *in,
                      int32_t c0, const uint32_t *w, const int32_t *toff, int8_t *dst) {
  group_rows(op, q, ring, in, c0, w, toff, dst, 0, dw_sat_mode(&op->out));
}
#else
static __attribute__((noinline)) void group_3x3(const dw_opt_t *op, const dw_group_t *q,
                                                uint32_t *ring, const int8_t *in, int32_t c0,
                                                const uint32_t *w, int8_t *dst) {
  switch (dw_sat_mode(&op->out)) {
    case DW_SAT: group_rows(op, q, ring, in, c0, w, NULL, dst, 1, DW_SAT); break;
    case DW_FULL: group_rows(op, q, ring, in, c0, w, NULL, dst, 1, DW_FULL); break;
    default: group_rows(op, q, ring, in, c0, w, NULL, dst, 1, DW_CLAMP); break;
  }
}

static __attribute__((noinline)) void group_any(const dw_opt_t *op, const dw_group_t *q,
                                                uint32_t *ring, const int8_t *in, int32_t c0,
                                                const uint32_t *w, const int32_t *toff,
                                                int8_t *dst) {
  switch (dw_sat_mode(&op->out)) {
    case DW_SAT: group_rows(op, q, ring, in, c0, w, toff, dst, 0, DW_SAT); break;
    case DW_FULL: group_rows(op, q, ring, in, c0, w, toff, dst, 0, DW_FULL); break;
    default: group_rows(op, q, ring, in, c0, w, toff, dst, 0, DW_CLAMP); break;
  }
}
#endif

static void m1_group(const dw_opt_t *op, uint32_t *ring, const int8_t *in, const int8_t *filter,
                     const int32_t *bias, int32_t c0, int32_t n, int8_t *out) {
  const eng_opt_geom_t *g = &op->geom;
  const int32_t C = g->in_c, K = op->k, R = op->ring_rows;
  const int32_t fw = g->fw;
  const int full3 = DW_SPECIALIZE && g->fh == 3 && fw == 3 && g->dil_h == 1 && g->dil_w == 1;
#if DW_SPECIALIZE && ENG_OPT_DSP
  if (op->column == 3 && op->fast == 2 && n == 4 && dw_sat_mode(&op->out) != DW_CLAMP) {
    group_col_asm(op, ring, in, filter, bias, c0, out + c0, dw_sat_mode(&op->out) == DW_FULL);
    return;
  }
#endif
  uint32_t w[DW_MAX_TAPS * 2];
  int32_t toff[DW_MAX_TAPS];
  dw_group_t q;
  const int32_t col = R * 4;     /* words per ring column */
  uint32_t sum_e = 0, sum_o = 0; /* tap sums, lanes (c0, c2) and (c1, c3) */
  for (int32_t t = 0; t < K; t++) {
    const uint32_t v = load_n(filter + (size_t)t * (size_t)C + c0, n);
    w[2 * t] = dw_dbl16(eng_sxtb16(v));
    w[2 * t + 1] = dw_dbl16(eng_sxtb16_ror8(v));
    sum_e = eng_sxtab16(sum_e, v);
    sum_o = eng_sxtab16_ror8(sum_o, v);
    toff[t] = (t / fw) * g->dil_h * 2 + (t % fw) * g->dil_w * col;
  }
  /* |sum| <= 64 * 128: each fits its int16 lane */
  const int32_t sums[4] = {(int16_t)(uint16_t)(sum_e & 0xFFFFu),
                           (int16_t)(uint16_t)(sum_o & 0xFFFFu), (int16_t)(uint16_t)(sum_e >> 16),
                           (int16_t)(uint16_t)(sum_o >> 16)};
  for (int32_t j = 0; j < 4; j++) {
    int32_t b2 = 0, m = 0, e = 0;
    if (j < n) {
      const int32_t c = c0 + j;
      const int32_t mult = op->mult[c], s = op->shift[c];
      if (s < 0) {
        b2 = 4 * mult; /* a constant channel (m1_quant) */
        m = INT32_C(1) << 30;
      } else if (mult != 0) {
        /* bias - input_zp * sum(w), doubled: wrapping, exactly as eng_opt_make_fast */
        const uint32_t folded =
            (uint32_t)(bias != NULL ? bias[c] : 0) - (uint32_t)g->zp * (uint32_t)sums[j];
        b2 = (int32_t)(folded << 1);
        m = mult;
        e = s;
      }
    }
    q.ch[j] = (eng_opt_ch_t){b2, m};
    q.bias[j] = b2;
    q.shift[j] = e;
  }
  q.out = &op->out;
  q.n = n;
  if (full3) {
#if DW_SPECIALIZE && ENG_OPT_DSP
    const int mode = dw_sat_mode(&op->out);
    if (op->fast == 2 && n == 4 && mode != DW_CLAMP) {
      group_3x3_asm(op, &q, ring, in, c0, w, out + c0, mode == DW_FULL);
      return;
    }
#endif
    group_3x3(op, &q, ring, in, c0, w, out + c0);
  } else {
    group_any(op, &q, ring, in, c0, w, toff, out + c0);
  }
}

static void dw_m1(const dw_opt_t *op, const eng_node_t *node, const int8_t *input,
                  const int8_t *filter, const int32_t *bias, int8_t *output) {
  const eng_opt_geom_t *g = &op->geom;
  const int32_t C = g->in_c;
  const size_t in_image = (size_t)g->in_h * (size_t)g->in_w * (size_t)C;
  const size_t out_image = (size_t)op->out_h * (size_t)op->out_w * (size_t)C;
  uint32_t *ring = op->scratch >= 0 ? eng_scratch(node, op->scratch) : NULL;
  for (int32_t b = 0; b < op->batches; b++) {
    const int8_t *in = input + (size_t)b * in_image;
    int8_t *out = output + (size_t)b * out_image;
    for (int32_t c0 = 0; c0 < C; c0 += 4) {
      const int32_t n = C - c0 < 4 ? C - c0 : 4;
      m1_group(op, ring, in, filter, bias, c0, n, out);
    }
  }
}

/* ---- other multipliers: columns per input channel ---- */

static void dw_columns(const dw_opt_t *op, const eng_node_t *node, const int8_t *input,
                       int8_t *output) {
  const eng_opt_geom_t *geo = &op->geom;
  const int32_t C = geo->in_c, mult = op->depth_multiplier;
  const int32_t out_c = op->out_c;
  const int32_t out_h = op->out_h, out_w = op->out_w;
  const int32_t k4 = eng_opt_k4(op->k);
  uint32_t *col = eng_scratch(node, op->scratch);
  int8_t *raw = (int8_t *)(col + k4);
  const size_t in_image = (size_t)geo->in_h * (size_t)geo->in_w * (size_t)C;
  const int32_t npix = out_h * out_w;
  eng_opt_gemm_t g = {op->ch, op->shift, &op->out, op->w16, op->k, mult, op->out.sat};
  const int direct = C == 1 && geo->dil_h == 1 && geo->dil_w == 1 && (geo->fw & 3) == 0;
  const int32_t row_step = geo->in_w;
  for (int32_t b = 0; b < op->batches; b++) {
    const int8_t *in = input + (size_t)b * in_image;
    int8_t *out = output + (size_t)b * (size_t)npix * (size_t)out_c;
    int32_t pix = 0;
    for (; pix + 2 <= npix; pix += 2, out += 2 * out_c) {
      const int32_t oy = pix / out_w, ox = pix % out_w;
      const int32_t oy1 = (pix + 1) / out_w, ox1 = (pix + 1) % out_w;
      /* One input channel, rows of whole groups, both positions inside: widen the
       * input rows straight into the column pair. */
      if (direct && oy >= op->oy_lo && oy < op->oy_hi && ox >= op->ox_lo && ox < op->ox_hi &&
          oy1 >= op->oy_lo && oy1 < op->oy_hi && ox1 >= op->ox_lo && ox1 < op->ox_hi) {
        const int8_t *r0 =
            in + (oy * geo->stride_h - geo->pad_h) * geo->in_w + (ox * geo->stride_w - geo->pad_w);
        const int8_t *r1 = in + (oy1 * geo->stride_h - geo->pad_h) * geo->in_w +
                           (ox1 * geo->stride_w - geo->pad_w);
        uint32_t *dst = col;
        for (int32_t fy = 0; fy < geo->fh; fy++, r0 += row_step, r1 += row_step) {
          for (int32_t q = 0; q < geo->fw; q += 4, dst += 4) {
            const uint32_t v0 = eng_ld32(r0 + q), v1 = eng_ld32(r1 + q);
            dst[0] = eng_sxtb16(v0);
            dst[1] = eng_sxtb16_ror8(v0);
            dst[2] = eng_sxtb16(v1);
            dst[3] = eng_sxtb16_ror8(v1);
          }
        }
        eng_opt_gemm2_w16(&g, col, out, out + out_c);
        continue;
      }
      for (int32_t ic = 0; ic < C; ic++) {
        eng_opt_gather(geo, in, oy, ox, ic, 1, raw);
        eng_opt_widen(raw, op->k, col, 4);
        eng_opt_gather(geo, in, oy1, ox1, ic, 1, raw);
        eng_opt_widen(raw, op->k, col + 2, 4);
        g.ch = op->ch + ic * mult;
        g.shift = op->shift + ic * mult;
        g.weights = op->w16 + (size_t)ic * (size_t)mult * (size_t)(k4 / 2);
        eng_opt_gemm2_w16(&g, col, out + ic * mult, out + out_c + ic * mult);
      }
    }
    if (pix < npix) {
      const int32_t oy = pix / out_w, ox = pix % out_w;
      for (int32_t ic = 0; ic < C; ic++) {
        eng_opt_gather(geo, in, oy, ox, ic, 1, raw);
        eng_opt_widen(raw, op->k, col, 2);
        g.ch = op->ch + ic * mult;
        g.shift = op->shift + ic * mult;
        g.weights = op->w16 + (size_t)ic * (size_t)mult * (size_t)(k4 / 2);
        eng_opt_gemm1_w16(&g, col, out + ic * mult);
      }
    }
  }
}

static eng_status_t dw_eval(eng_node_t *node) {
  const dw_opt_t *op = node->user_data;
  const eng_tensor_t *input = eng_input(node, 0);
  const eng_tensor_t *filter = eng_input(node, 1);
  const eng_tensor_t *bias = eng_input(node, 2);
  eng_tensor_t *output = eng_output(node, 0);
  if (op->fast) {
    if (op->mode == MODE_M1) {
      dw_m1(op, node, input->data, filter->data, bias != NULL ? bias->data : NULL, output->data);
    } else {
      dw_columns(op, node, input->data, output->data);
    }
    return ENG_OK;
  }
  const eng_conv_op_t *r = op->ref;
  const void *bias_data = bias != NULL ? bias->data : NULL;
  if (r->type == ENG_INT8) {
    eng_ref_depthwise_conv_s8(&r->params, r->multipliers, r->shifts, &r->in, input->data,
                              &r->filter, filter->data, bias_data, &r->out, output->data);
  } else {
    eng_ref_depthwise_conv_f32(&r->params, &r->in, input->data, &r->filter, filter->data, bias_data,
                               &r->out, output->data);
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_depthwise_conv_2d_opt = {
    ENG_OP_DEPTHWISE_CONV_2D, NULL, eng_parse_dwconv_options, dw_prepare, dw_eval};
