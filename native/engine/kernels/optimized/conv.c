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
  eng_conv_op_t *ref; /* reference-core arguments: only for the fallback and float32 */
  int32_t batches, out_h, out_w, out_c;
  int32_t fast;
  eng_opt_geom_t geom;
  eng_opt_ch_t *ch;
  int8_t *shift;
  eng_opt_out_t out;
  int32_t w16; /* widened weights in scratch w16_scratch; 0: w8 rows from the model */
  int32_t w16_scratch;
  int32_t k, k4;
  int32_t pointwise; /* 1x1, stride 1, no padding: columns come straight from the input */
  int32_t scratch;
} conv_opt_t;

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
                        use_w16)) {
    op->fast = 1;
    if (use_w16) {
      op->w16 = 1;
      if ((st = eng_request_scratch(node, (size_t)r->out.c * (size_t)op->k4 * 2,
                                    &op->w16_scratch)) != ENG_OK) {
        return st;
      }
    }
    op->geom = (eng_opt_geom_t){r->in.h,       r->in.w,     r->in.c,     r->filter.h,
                                r->filter.w,   p->stride_h, p->stride_w, p->dilation_h,
                                p->dilation_w, p->pad_h,    p->pad_w,    input->zero_point};
    op->pointwise = r->filter.h == 1 && r->filter.w == 1 && p->stride_h == 1 && p->stride_w == 1 &&
                    p->pad_h == 0 && p->pad_w == 0;
    /* column pair (2 * k4 int16) + raw patches (2 * k4 bytes; pointwise columns are
     * widened from the input in place and need none) */
    return eng_request_scratch(node, (size_t)op->k4 * (op->pointwise ? 4 : 6) + 16, &op->scratch);
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
  if (op->pointwise) {
    eng_opt_widen(in + ((size_t)oy * (size_t)op->geom.in_w + (size_t)ox) * (size_t)op->geom.in_c,
                  op->k, col, step);
    return;
  }
  eng_opt_gather(&op->geom, in, oy, ox, 0, op->geom.in_c, raw);
  eng_opt_widen(raw, op->k, col, step);
}

static void conv_fast(const conv_opt_t *op, const eng_node_t *node, const int8_t *input,
                      int8_t *output) {
  uint32_t *col = eng_scratch(node, op->scratch);
  int8_t *raw = (int8_t *)(col + op->k4);
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
