/* depthwise_conv.c – optimized DEPTHWISE_CONV_2D, bit-exact with the reference:
 * - depth multiplier 1: four channels at a time, every tap one word of input and one word
 *   of the model's int8 filter, both split by SXTB16 (SMLABB/SMLATT; no widened copy in
 *   the arena), interior positions straight from the input,
 *   border positions from a zero-point padded patch; 3x3 taps fully unrolled;
 * - any other multiplier (micro_speech's 1 channel x 8): per input channel a column of
 *   its taps and the 2x2 matrix kernel over that channel's `multiplier` outputs.
 * Float32 and ops whose requantization cannot be proven fast run the reference core. */

#include <stddef.h>
#include <stdint.h>

#include "../reference/conv_common.h"
#include "opt_common.h"
#include "quant.h"

/* Widened weight tables above this stay in the model (reference core instead). */
#define DW_W16_MAX_BYTES (64 * 1024)

typedef struct dw_opt {
  eng_conv_op_t *ref; /* reference-core arguments: only for the fallback and float32 */
  int32_t batches, out_h, out_w, out_c, depth_multiplier;
  int32_t fast;
  int32_t mode; /* MODE_* */
  eng_opt_geom_t geom;
  eng_opt_ch_t *ch;
  int8_t *shift;
  eng_opt_out_t out;
  const uint32_t *w16;
  int32_t k; /* taps */
  int32_t scratch;
  /* interior output box: every tap of these positions is inside the image */
  int32_t oy_lo, oy_hi, ox_lo, ox_hi;
} dw_opt_t;

enum { MODE_M1 = 1, MODE_COLUMNS = 2 };

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
  op->k = r->filter.h * r->filter.w;
  const int32_t k4 = eng_opt_k4(op->k);
  const int consts = filter->is_const && (bias == NULL || bias->is_const);
  op->mode = p->depth_multiplier == 1 && r->in.c > 1 ? MODE_M1 : MODE_COLUMNS;
  /* MODE_M1 reads the model's int8 filter directly: its [1, h, w, C] layout already has
   * four channels of one tap in one word, SXTB16 splits them into the (c0, c2), (c1, c3)
   * pairs the accumulators want, so no widened copy costs arena. MODE_COLUMNS keeps a
   * small doubled w16 table per channel (its taps are strided by C in the model). */
  const int64_t w16_bytes = op->mode == MODE_COLUMNS ? (int64_t)out_c * k4 * 2 : 0;
  const eng_opt_filter_t f = {filter->data, out_c, op->k, 1, out_c};
  if (consts && w16_bytes <= DW_W16_MAX_BYTES &&
      eng_opt_make_fast(op->ch, op->shift, &op->out, &f, input->zero_point, output->zero_point,
                        op->mode == MODE_COLUMNS)) {
    op->fast = 1;
    if (op->mode == MODE_COLUMNS) {
      uint32_t *w = eng_alloc_persistent(node, (size_t)w16_bytes);
      if (w == NULL) {
        return eng_fail(node, ENG_ERR_ARENA, "widened weights");
      }
      eng_opt_make_w16(&f, p->depth_multiplier, w);
      op->w16 = w;
    }
    op->geom = (eng_opt_geom_t){r->in.h,       r->in.w,     r->in.c,     r->filter.h,
                                r->filter.w,   p->stride_h, p->stride_w, p->dilation_h,
                                p->dilation_w, p->pad_h,    p->pad_w,    input->zero_point};
    interior(r->in.h, r->filter.h, p->stride_h, p->dilation_h, p->pad_h, r->out.h, &op->oy_lo,
             &op->oy_hi);
    interior(r->in.w, r->filter.w, p->stride_w, p->dilation_w, p->pad_w, r->out.w, &op->ox_lo,
             &op->ox_hi);
    /* MODE_M1: one padded patch (k * in_c bytes), only when some position reaches the
     * padding (interior positions read the input in place); MODE_COLUMNS: column pair
     * (k4 words) and a raw patch (k4 bytes). */
    if (op->mode == MODE_M1 && op->oy_lo == 0 && op->oy_hi == r->out.h && op->ox_lo == 0 &&
        op->ox_hi == r->out.w) {
      op->scratch = -1;
      return ENG_OK;
    }
    const size_t bytes =
        op->mode == MODE_M1 ? (size_t)op->k * (size_t)r->in.c + 4 : (size_t)k4 * 5 + 16;
    return eng_request_scratch(node, bytes, &op->scratch);
  }
  int32_t *m, *s;
  if ((st = eng_opt_ref_multipliers(node, op->ch, op->shift, out_c, &m, &s)) != ENG_OK) {
    return st;
  }
  r->multipliers = m;
  r->shifts = s;
  return eng_conv_keep_full(node, r, &op->ref);
}

/* ---- multiplier 1 ---- */

/* One output position, all channels. base = tap (0, 0) channel 0; dx/dy = bytes between
 * horizontal / vertical taps; wts = the model's filter (tap t, channel c at t * C + c).
 * Accumulators hold acc (not doubled): the bias is folded undoubled for this mode. */
static inline void m1_position(const dw_opt_t *op, const int8_t *wts, const int8_t *base,
                               int32_t dx, int32_t dy, int8_t *out) {
  const int32_t C = op->geom.in_c;
  const int32_t fh = op->geom.fh, fw = op->geom.fw;
  const int sat = op->out.sat;
  const eng_opt_ch_t *ch = op->ch;
  const int8_t *sh = op->shift;
  int32_t c = 0;
  for (; c + 4 <= C; c += 4, ch += 4, sh += 4) {
    int32_t a0 = ch[0].bias, a1 = ch[1].bias, a2 = ch[2].bias, a3 = ch[3].bias;
    const int8_t *w = wts + c;
#define DW_TAP(ptr, wp)                      \
  do {                                       \
    const uint32_t xv = eng_ld32(ptr);       \
    const uint32_t wv = eng_ld32(wp);        \
    const uint32_t xe = eng_sxtb16(xv);      \
    const uint32_t xo = eng_sxtb16_ror8(xv); \
    const uint32_t we = eng_sxtb16(wv);      \
    const uint32_t wo = eng_sxtb16_ror8(wv); \
    a0 = eng_smlabb(xe, we, a0);             \
    a2 = eng_smlatt(xe, we, a2);             \
    a1 = eng_smlabb(xo, wo, a1);             \
    a3 = eng_smlatt(xo, wo, a3);             \
  } while (0)
    if (fh == 3 && fw == 3) {
      const int8_t *r0 = base + c;
      const int8_t *r1 = r0 + dy;
      const int8_t *r2 = r1 + dy;
      DW_TAP(r0, w);
      DW_TAP(r0 + dx, w + C);
      DW_TAP(r0 + 2 * dx, w + 2 * C);
      DW_TAP(r1, w + 3 * C);
      DW_TAP(r1 + dx, w + 4 * C);
      DW_TAP(r1 + 2 * dx, w + 5 * C);
      DW_TAP(r2, w + 6 * C);
      DW_TAP(r2 + dx, w + 7 * C);
      DW_TAP(r2 + 2 * dx, w + 8 * C);
    } else {
      const int8_t *row = base + c;
      const int8_t *wt = w;
      for (int32_t fy = 0; fy < fh; fy++, row += dy) {
        const int8_t *px = row;
        for (int32_t fx = 0; fx < fw; fx++, px += dx, wt += C) {
          DW_TAP(px, wt);
        }
      }
    }
#undef DW_TAP
    out[c] = eng_opt_requant((int32_t)((uint32_t)a0 << 1), &ch[0], sh[0], &op->out, sat);
    out[c + 1] = eng_opt_requant((int32_t)((uint32_t)a1 << 1), &ch[1], sh[1], &op->out, sat);
    out[c + 2] = eng_opt_requant((int32_t)((uint32_t)a2 << 1), &ch[2], sh[2], &op->out, sat);
    out[c + 3] = eng_opt_requant((int32_t)((uint32_t)a3 << 1), &ch[3], sh[3], &op->out, sat);
  }
  /* Last C % 4 channels, one at a time. */
  for (; c < C; c++, ch++, sh++) {
    int32_t acc = ch->bias;
    const int8_t *wt = wts + c;
    const int8_t *row = base + c;
    for (int32_t fy = 0; fy < fh; fy++, row += dy) {
      const int8_t *px = row;
      for (int32_t fx = 0; fx < fw; fx++, px += dx, wt += C) {
        acc = (int32_t)((uint32_t)acc + (uint32_t)((int32_t)*wt * (int32_t)*px));
      }
    }
    out[c] = eng_opt_requant((int32_t)((uint32_t)acc << 1), ch, *sh, &op->out, sat);
  }
}

static void dw_m1(const dw_opt_t *op, const eng_node_t *node, const int8_t *input,
                  const int8_t *wts, int8_t *output) {
  const eng_opt_geom_t *g = &op->geom;
  const int32_t C = g->in_c;
  const int32_t out_h = op->out_h, out_w = op->out_w;
  const int32_t row = g->in_w * C;
  const int32_t dx = g->dil_w * C, dy = g->dil_h * row;
  int8_t *patch = op->scratch >= 0 ? eng_scratch(node, op->scratch) : NULL;
  const size_t in_image = (size_t)g->in_h * (size_t)row;
  for (int32_t b = 0; b < op->batches; b++) {
    const int8_t *in = input + (size_t)b * in_image;
    int8_t *out = output + (size_t)b * (size_t)out_h * (size_t)out_w * (size_t)C;
    for (int32_t oy = 0; oy < out_h; oy++) {
      const int inside_y = oy >= op->oy_lo && oy < op->oy_hi;
      for (int32_t ox = 0; ox < out_w; ox++, out += C) {
        if (inside_y && ox >= op->ox_lo && ox < op->ox_hi) {
          const int32_t at =
              (oy * g->stride_h - g->pad_h) * row + (ox * g->stride_w - g->pad_w) * C;
          m1_position(op, wts, in + at, dx, dy, out);
        } else {
          eng_opt_gather(g, in, oy, ox, 0, C, patch);
          m1_position(op, wts, patch, C, g->fw * C, out);
        }
      }
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
      dw_m1(op, node, input->data, filter->data, output->data);
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
