/* conv.c – optimized CONV_2D: int8 through columns (im2col, or the input itself for 1x1
 * stride-1 convolutions) and 2x2 SMLAD matrix kernels with the fast exact
 * requantization; bit-exact with the reference. Float32, grouped convolutions and ops
 * whose requantization cannot be proven fast run the reference core. */

#include <stddef.h>
#include <stdint.h>

#include "../reference/conv_common.h"
#include "opt_common.h"
#include "quant.h"

/* Small filters run from widened (int16, doubled) weights, rebuilt in planner scratch at
 * every eval: the scratch overlaps other buffers, the rebuild costs about 2 instructions
 * per weight against the whole op's MACs, and the arena keeps no widened copy. Above
 * this the w8 kernels read the model's int8 rows directly. */
#define CONV_W16_MAX_BYTES 4096

typedef struct conv_opt {
  xs_conv_op_t *ref; /* reference-core arguments: only for the fallback and float32 */
  int32_t batches, out_h, out_w, out_c;
  int32_t fast;
  xs_opt_geom_t geom;
  xs_opt_ch_t *ch;
  int8_t *shift;
  xs_opt_out_t out;
  int32_t w16;         /* widened weights in scratch w16_scratch; 0: w8 rows from the model */
  int32_t w16_scratch;
  int32_t k, k4;
  int32_t pointwise; /* 1x1, stride 1, no padding: columns come straight from the input */
  int32_t scratch;
} conv_opt_t;

static xs_status_t conv_prepare(xs_node_t *node) {
  const xs_conv_options_t *opt = &node->options->conv;
  conv_opt_t *op = xs_alloc_persistent(node, sizeof *op);
  if (op == NULL) {
    return xs_fail(node, XS_ERR_ARENA, "op data");
  }
  /* Validated on the stack; only ops that run the reference core keep a copy. */
  xs_conv_op_t ref;
  xs_conv_op_t *r = &ref;
  xs_conv_tensors_t t;
  const xs_conv_geometry_t g = {opt->padding, opt->stride_h, opt->stride_w, opt->dilation_h, opt->dilation_w,
                                opt->activation};
  xs_status_t st = xs_conv_prepare_tensors(node, &t, r);
  if (st == XS_OK) st = xs_conv_check_filter(node, r);
  if (st == XS_OK) st = xs_conv_prepare_geometry(node, &t, &g, r);
  if (st != XS_OK) return st;
  const xs_tensor_t *input = t.input, *filter = t.filter, *bias = t.bias, *output = t.output;
  xs_conv_params_t *p = &r->params;
  op->batches = r->in.n;
  op->out_h = r->out.h;
  op->out_w = r->out.w;
  op->out_c = r->out.c;
  node->user_data = op;
  if (r->type == XS_FLOAT32) {
    return xs_conv_keep_full(node, r, &op->ref);
  }
  st = xs_opt_conv_quant(node, input, filter, bias, output, opt->activation, r->out.c, 0, &op->ch,
                         &op->shift, &op->out);
  if (st != XS_OK) {
    return st;
  }
  p->input_offset = -input->zero_point;
  p->output_offset = output->zero_point;
  p->act_min = op->out.act_min;
  p->act_max = op->out.act_max;

  op->k = r->filter.h * r->filter.w * r->filter.c;
  op->k4 = xs_opt_k4(op->k);
  const int groups = r->in.c != r->filter.c;
  const int consts = filter->is_const && (bias == NULL || bias->is_const);
  const int use_w16 = (int64_t)r->out.c * op->k4 * 2 <= CONV_W16_MAX_BYTES;
  const xs_opt_filter_t f = {filter->data, r->out.c, op->k, op->k, 1};
  if (!groups && consts &&
      xs_opt_make_fast(op->ch, op->shift, &op->out, &f, input->zero_point, output->zero_point,
                       use_w16)) {
    op->fast = 1;
    if (use_w16) {
      op->w16 = 1;
      if ((st = xs_request_scratch(node, (size_t)r->out.c * (size_t)op->k4 * 2,
                                   &op->w16_scratch)) != XS_OK) {
        return st;
      }
    }
    op->geom = (xs_opt_geom_t){r->in.h, r->in.w, r->in.c, r->filter.h, r->filter.w,
                               p->stride_h, p->stride_w, p->dilation_h, p->dilation_w,
                               p->pad_h, p->pad_w, input->zero_point};
    op->pointwise = r->filter.h == 1 && r->filter.w == 1 && p->stride_h == 1 &&
                    p->stride_w == 1 && p->pad_h == 0 && p->pad_w == 0;
    /* column pair (2 * k4 int16) + raw patches (2 * k4 bytes) */
    return xs_request_scratch(node, (size_t)op->k4 * 6 + 16, &op->scratch);
  }
  int32_t *m, *s;
  if ((st = xs_opt_ref_multipliers(node, op->ch, op->shift, r->out.c, &m, &s)) != XS_OK) {
    return st;
  }
  r->multipliers = m;
  r->shifts = s;
  return xs_conv_keep_full(node, r, &op->ref);
}

/* Column (or column pair lane, step 4) of output position (oy, ox). */
static inline void build_col(const conv_opt_t *op, const int8_t *in, int32_t oy, int32_t ox,
                             int8_t *raw, uint32_t *col, int32_t step) {
  if (op->pointwise) {
    xs_opt_widen(in + ((size_t)oy * (size_t)op->geom.in_w + (size_t)ox) * (size_t)op->geom.in_c,
                 op->k, col, step);
    return;
  }
  xs_opt_gather(&op->geom, in, oy, ox, 0, op->geom.in_c, raw);
  xs_opt_widen(raw, op->k, col, step);
}

static void conv_fast(const conv_opt_t *op, const xs_node_t *node, const int8_t *input,
                      int8_t *output) {
  uint32_t *col = xs_scratch(node, op->scratch);
  int8_t *raw = (int8_t *)(col + op->k4);
  const int32_t out_h = op->out_h, out_w = op->out_w, out_c = op->out_c;
  const int8_t *w8 = xs_input(node, 1)->data;
  uint32_t *w16 = NULL;
  if (op->w16) {
    w16 = xs_scratch(node, op->w16_scratch);
    xs_opt_widen_w16(w8, out_c, op->k, w16);
  }
  const xs_opt_gemm_t g = {op->ch, op->shift, &op->out, w16 != NULL ? (const void *)w16 : w8,
                           op->k,  out_c,     op->out.sat};
  const size_t in_image = (size_t)op->geom.in_h * (size_t)op->geom.in_w * (size_t)op->geom.in_c;
  const int32_t npix = out_h * out_w;
  for (int32_t b = 0; b < op->batches; b++) {
    const int8_t *in = input + (size_t)b * in_image;
    int8_t *out = output + (size_t)b * (size_t)npix * (size_t)out_c;
    int32_t oy = 0, ox = 0;
    int32_t pix = 0;
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
        xs_opt_gemm2_w16(&g, col, out, out + out_c);
      } else {
        xs_opt_gemm2_w8(&g, col, out, out + out_c);
      }
      out += 2 * out_c;
    }
    if (pix < npix) {
      build_col(op, in, oy, ox, raw, col, 2);
      if (w16 != NULL) {
        xs_opt_gemm1_w16(&g, col, out);
      } else {
        xs_opt_gemm1_w8(&g, col, out);
      }
    }
  }
}

static xs_status_t conv_eval(xs_node_t *node) {
  const conv_opt_t *op = node->user_data;
  const xs_tensor_t *input = xs_input(node, 0);
  const xs_tensor_t *filter = xs_input(node, 1);
  const xs_tensor_t *bias = xs_input(node, 2);
  xs_tensor_t *output = xs_output(node, 0);
  if (op->fast) {
    conv_fast(op, node, input->data, output->data);
    return XS_OK;
  }
  const xs_conv_op_t *r = op->ref;
  const void *bias_data = bias != NULL ? bias->data : NULL;
  if (r->type == XS_INT8) {
    xs_ref_conv_s8(&r->params, r->multipliers, r->shifts, &r->in, input->data, &r->filter,
                   filter->data, bias_data, &r->out, output->data);
  } else {
    xs_ref_conv_f32(&r->params, &r->in, input->data, &r->filter, filter->data, bias_data, &r->out,
                    output->data);
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_conv_2d_opt = {XS_OP_CONV_2D, NULL, conv_prepare, conv_eval};
