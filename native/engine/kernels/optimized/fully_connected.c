/* fully_connected.c – optimized FULLY_CONNECTED: int8 rows as 1x1 convolutions (input rows
 * widened once, SMLAD matrix kernels over int8 weight rows, input offset folded into the
 * bias, fast exact requantization); bit-exact with the reference. Float32, weight zero
 * points and ops outside the fast requantization run the reference code path. */

#include "kernel.h"
#include <stddef.h>

#include "opt_common.h"
#include "quant.h"

extern const eng_kernel_t eng_kernel_fully_connected_ref;

typedef struct fc_opt {
  void *ref_data; /* the reference kernel's op data (fallback) */
  int32_t fast;
  eng_opt_ch_t *ch;
  int8_t *shift;
  eng_opt_out_t out;
  uint32_t batches, out_depth, depth;
  int32_t scratch;
} fc_opt_t;
_Static_assert(offsetof(fc_opt_t, ref_data) == 0, "eng_opt_prepare_ref fills the first member");

static eng_status_t fc_prepare(eng_node_t *node) {
  /* The reference prepare validates exactly as TFLM and builds its own op data; keep it
   * for the fallback and for float32. */
  eng_status_t st;
  fc_opt_t *op = eng_opt_prepare_ref(node, &eng_kernel_fully_connected_ref, sizeof *op, &st);
  if (op == NULL) {
    return st;
  }
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *w = eng_input(node, 1);
  const eng_tensor_t *bias = eng_input(node, 2);
  const eng_tensor_t *out = eng_output(node, 0);
  if (in->type != ENG_INT8 || w->zero_point != 0 || !w->is_const ||
      (bias != NULL && !bias->is_const)) {
    return ENG_OK;
  }
  op->out_depth = (uint32_t)w->dims[0];
  op->depth = (uint32_t)w->dims[1];
  op->batches = eng_tensor_elements(out) / op->out_depth;
  const uint32_t n = op->out_depth;
  eng_opt_ch_t *t = eng_alloc_persistent(node, (size_t)n * sizeof *t);
  int8_t *sh = eng_alloc_persistent(node, n);
  if (t == NULL || sh == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "channel table");
  }
  const int32_t *b = bias != NULL ? (const int32_t *)bias->data : NULL;
  /* The multipliers exactly as the reference computes them (per-tensor: float product). */
  int32_t m0 = 0, s0 = 0;
  if (w->quant_count <= 1) {
    eng_quantize_multiplier(eng_conv_real_multiplier(in->scale, w->scale, out->scale), &m0, &s0);
  }
  for (uint32_t c = 0; c < n; c++) {
    if (w->quant_count > 1) {
      const double real = (double)in->scale * (double)eng_channel_scale(w, c) / (double)out->scale;
      int32_t shift;
      eng_quantize_multiplier(real, &t[c].mult, &shift);
      sh[c] = eng_opt_shift8(shift);
    } else {
      t[c].mult = m0;
      sh[c] = eng_opt_shift8(s0);
    }
    t[c].bias = b != NULL ? b[c] : 0;
  }
  if (eng_activation_range_quantized(node->options->fc.activation, ENG_INT8, out->scale,
                                     out->zero_point, &op->out.act_min,
                                     &op->out.act_max) != ENG_OK) {
    return ENG_OK;
  }
  const eng_opt_filter_t f = {w->data, (int32_t)n, (int32_t)op->depth, (int32_t)op->depth, 1};
  if (!eng_opt_make_fast(t, sh, &op->out, &f, in->zero_point, out->zero_point, 0)) {
    return ENG_OK;
  }
  op->ch = t;
  op->shift = sh;
  op->fast = 1;
  /* Widened row pairs only pay (and only cost arena) with two or more rows. */
  if (op->batches < 2) {
    return ENG_OK;
  }
  return eng_request_scratch(node, (size_t)eng_opt_k4((int32_t)op->depth) * 4 + 16, &op->scratch);
}

/* One row, no scratch: input and weights both sign-extended on the fly, two outputs per
 * pass sharing the input words. */
static void fc_row(const eng_opt_gemm_t *g, const int8_t *x, int8_t *y) {
  const int32_t k = g->k, groups = k >> 2;
  const int8_t *wrow = g->weights;
  const eng_opt_ch_t *ch = g->ch;
  const int8_t *sh = g->shift;
  int32_t c = 0;
  for (; c < g->n_oc; c += 2, ch += 2, sh += 2, wrow += 2 * k) {
    const int two = c + 1 < g->n_oc;
    const int8_t *w0 = wrow, *w1 = two ? wrow + k : wrow;
    int32_t a0 = ch[0].bias, a1 = two ? ch[1].bias : 0;
    const int8_t *xp = x;
    for (int32_t i = 0; i < groups; i++, xp += 4, w0 += 4, w1 += 4) {
      const uint32_t xv = eng_ld32(xp);
      const uint32_t xe = eng_sxtb16(xv), xo = eng_sxtb16_ror8(xv);
      const uint32_t v0 = eng_ld32(w0), v1 = eng_ld32(w1);
      a0 = eng_smlad(xo, eng_sxtb16_ror8(v0), eng_smlad(xe, eng_sxtb16(v0), a0));
      a1 = eng_smlad(xo, eng_sxtb16_ror8(v1), eng_smlad(xe, eng_sxtb16(v1), a1));
    }
    for (int32_t t = groups << 2; t < k; t++) {
      a0 = (int32_t)((uint32_t)a0 + (uint32_t)((int32_t)x[t] * wrow[t]));
      a1 = (int32_t)((uint32_t)a1 + (uint32_t)((int32_t)x[t] * w1[t - (groups << 2)]));
    }
    y[c] = eng_opt_requant((int32_t)((uint32_t)a0 << 1), &ch[0], sh[0], g->out, g->sat);
    if (two) {
      y[c + 1] = eng_opt_requant((int32_t)((uint32_t)a1 << 1), &ch[1], sh[1], g->out, g->sat);
    }
  }
}

static eng_status_t fc_eval(eng_node_t *node) {
  fc_opt_t *op = node->user_data;
  if (!op->fast) return eng_opt_eval_ref(node, &eng_kernel_fully_connected_ref, op->ref_data);
  const int8_t *x = eng_input(node, 0)->data;
  int8_t *y = eng_output(node, 0)->data;
  const int32_t depth = (int32_t)op->depth, n = (int32_t)op->out_depth;
  const eng_opt_gemm_t g = {op->ch, op->shift, &op->out,   eng_input(node, 1)->data,
                            depth,  n,         op->out.sat};
  if (op->batches == 1) {
    fc_row(&g, x, y);
    return ENG_OK;
  }
  uint32_t *col = eng_scratch(node, op->scratch);
  uint32_t row = 0;
  for (; row + 2 <= op->batches; row += 2, x += 2 * depth, y += 2 * n) {
    eng_opt_widen(x, depth, col, 4);
    eng_opt_widen(x + depth, depth, col + 2, 4);
    eng_opt_gemm2_w8(&g, col, y, y + n);
  }
  if (row < op->batches) {
    eng_opt_widen(x, depth, col, 2);
    eng_opt_gemm1_w8(&g, col, y);
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_fully_connected_opt = {ENG_OP_FULLY_CONNECTED, NULL,
                                                     eng_parse_fc_options, fc_prepare, fc_eval};
