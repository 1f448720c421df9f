/* conv.c – reference CONV_2D (int8 with per-channel or per-tensor filter scales, float32),
 * bit-exact with TFLM's reference ConvPerChannel / Conv, plus the prepare helpers the
 * depthwise and pooling kernels share (conv_common.h). */

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conv_common.h"
#include "quant.h"

/* Bounds that keep every index computation of the cores inside int32 for any model the
 * verifier lets through; real models are orders of magnitude below them. */
#define CONV_MAX_STRIDE 65536
#define CONV_MAX_EXTENT (1 << 24)

/* ---- prepare helpers shared with depthwise_conv.c and pooling.c ---- */

eng_status_t eng_conv_nhwc(eng_node_t *node, const eng_tensor_t *t, const char *what,
                           eng_nhwc_t *d) {
  if (t->rank != 4) {
    return eng_fail(node, ENG_ERR_SHAPE, "%s must have rank 4, has %d", what, (int32_t)t->rank);
  }
  for (uint32_t i = 0; i < 4; i++) {
    if (t->dims[i] < 1 || t->dims[i] > CONV_MAX_EXTENT) {
      return eng_fail(node, ENG_ERR_SHAPE, "%s dim %u is %d", what, i, t->dims[i]);
    }
  }
  d->n = t->dims[0];
  d->h = t->dims[1];
  d->w = t->dims[2];
  d->c = t->dims[3];
  return ENG_OK;
}

eng_status_t eng_conv_axis(eng_node_t *node, const char *axis, eng_padding_t padding,
                           int32_t in_size, int32_t filter_size, int32_t stride, int32_t dilation,
                           int32_t out_size, int32_t *pad) {
  if (stride < 1 || stride > CONV_MAX_STRIDE) {
    return eng_fail(node, ENG_ERR_MALFORMED, "%s stride %d", axis, stride);
  }
  if (dilation < 1 || dilation > CONV_MAX_STRIDE) {
    return eng_fail(node, ENG_ERR_MALFORMED, "%s dilation %d", axis, dilation);
  }
  /* int64: (filter - 1) × dilation may exceed int32 in a hostile model. */
  const int64_t effective = (int64_t)(filter_size - 1) * dilation + 1;
  if (effective > CONV_MAX_EXTENT) {
    return eng_fail(node, ENG_ERR_SHAPE, "%s filter extent too large", axis);
  }
  int64_t expected;
  if (padding == ENG_PADDING_SAME) {
    expected = ((int64_t)in_size + stride - 1) / stride;
  } else if (padding == ENG_PADDING_VALID) {
    expected = ((int64_t)in_size + stride - effective) / stride;
  } else {
    return eng_fail(node, ENG_ERR_MALFORMED, "padding %d", (int32_t)padding);
  }
  if (expected < 1 || expected != out_size) {
    return eng_fail(node, ENG_ERR_SHAPE, "output %s is %d, the op produces %d", axis, out_size,
                    (int32_t)expected);
  }
  int64_t total = (expected - 1) * stride + effective - in_size;
  if (total < 0) {
    total = 0;
  }
  *pad = (int32_t)(total / 2);
  return ENG_OK;
}

eng_status_t eng_conv_io_type(eng_node_t *node, const eng_tensor_t *input,
                              const eng_tensor_t *output, eng_activation_t act, float *act_min_f,
                              float *act_max_f) {
  if (input->type != output->type) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "input %s, output %s",
                    eng_type_name((eng_type_t)input->type),
                    eng_type_name((eng_type_t)output->type));
  }
  if (input->type == ENG_FLOAT32) {
    eng_activation_range_float(act, act_min_f, act_max_f);
  } else if (input->type != ENG_INT8) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "input type %s",
                    eng_type_name((eng_type_t)input->type));
  }
  return ENG_OK;
}

eng_status_t eng_conv_check_activation(eng_node_t *node, eng_activation_t act) {
  switch (act) {
    case ENG_ACT_NONE:
    case ENG_ACT_RELU:
    case ENG_ACT_RELU_N1_TO_1:
    case ENG_ACT_RELU6: return ENG_OK;
    default:
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "fused activation %d not supported",
                      (int32_t)act);
  }
}

static int finite_scale(float s, int allow_zero) {
  return isfinite(s) && (s > 0.0f || (allow_zero && s == 0.0f));
}

eng_status_t eng_conv_quant_check(eng_node_t *node, const eng_tensor_t *input,
                                  const eng_tensor_t *filter, const eng_tensor_t *bias,
                                  const eng_tensor_t *output, int32_t channels,
                                  int32_t channel_dim) {
  if (filter->type != ENG_INT8) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "filter type %s with int8 input",
                    eng_type_name((eng_type_t)filter->type));
  }
  if (bias != NULL && bias->type != ENG_INT32) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "bias type %s with int8 input",
                    eng_type_name((eng_type_t)bias->type));
  }
  if (input->quant_count == 0 || output->quant_count == 0 || filter->quant_count == 0) {
    return eng_fail(node, ENG_ERR_MALFORMED, "int8 input, filter and output need quantization");
  }
  if (!finite_scale(input->scale, 1) || !finite_scale(output->scale, 0)) {
    return eng_fail(node, ENG_ERR_MALFORMED, "invalid input/output scale");
  }
  if (input->zero_point < -128 || input->zero_point > 127 || output->zero_point < -128 ||
      output->zero_point > 127) {
    return eng_fail(node, ENG_ERR_MALFORMED, "int8 zero point out of range");
  }
  /* TFLM: one scale broadcast to every channel, or one per output channel along the
   * axis whose extent is the channel count. */
  if (filter->quant_count > 1 &&
      (filter->quant_count != (uint32_t)channels || filter->quant_dim < 0 ||
       filter->quant_dim >= (int32_t)filter->rank || filter->dims[filter->quant_dim] != channels)) {
    return eng_fail(
        node, ENG_ERR_MALFORMED, "filter has %u scales along dim %d, expected %d along dim %d",
        (uint32_t)filter->quant_count, (int32_t)filter->quant_dim, channels, channel_dim);
  }
  return ENG_OK;
}

eng_status_t eng_conv_channel_multiplier(eng_node_t *node, const eng_tensor_t *input,
                                         const eng_tensor_t *filter, const eng_tensor_t *output,
                                         int32_t c, int32_t *multiplier, int32_t *shift) {
  const float filter_scale =
      filter->quant_count > 1 ? eng_channel_scale(filter, (uint32_t)c) : filter->scale;
  if (!finite_scale(filter_scale, 1)) {
    return eng_fail(node, ENG_ERR_MALFORMED, "invalid filter scale for channel %d", c);
  }
  /* Double product and quotient of the float32 scales, as TFLM. */
  const double real = (double)input->scale * (double)filter_scale / (double)output->scale;
  eng_quantize_multiplier(real, multiplier, shift);
  /* A left shift past 30 overflows MultiplyByQuantizedMultiplier (undefined in TFLM
   * too); no real model's input × filter / output scale comes near 2^30. */
  if (*shift > 30) {
    return eng_fail(node, ENG_ERR_MALFORMED, "channel %d: effective scale too large", c);
  }
  return ENG_OK;
}

eng_status_t eng_conv_act_range(eng_node_t *node, const eng_tensor_t *output, eng_activation_t act,
                                int32_t *act_min, int32_t *act_max) {
  eng_status_t st = eng_activation_range_quantized(act, ENG_INT8, output->scale, output->zero_point,
                                                   act_min, act_max);
  if (st != ENG_OK || *act_min > *act_max) {
    return eng_fail(node, ENG_ERR_MALFORMED, "activation range not representable");
  }
  return ENG_OK;
}

eng_status_t eng_conv_quant_prepare(eng_node_t *node, const eng_tensor_t *input,
                                    const eng_tensor_t *filter, const eng_tensor_t *bias,
                                    const eng_tensor_t *output, eng_activation_t act,
                                    int32_t channels, int32_t channel_dim, eng_conv_op_t *op) {
  eng_status_t st = eng_conv_quant_check(node, input, filter, bias, output, channels, channel_dim);
  if (st != ENG_OK) return st;
  int32_t *multipliers = eng_alloc_persistent(node, (size_t)channels * sizeof(int32_t));
  int32_t *shifts = eng_alloc_persistent(node, (size_t)channels * sizeof(int32_t));
  if (multipliers == NULL || shifts == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "per-channel multipliers");
  }
  for (int32_t c = 0; c < channels; c++) {
    if ((st = eng_conv_channel_multiplier(node, input, filter, output, c, &multipliers[c],
                                          &shifts[c])) != ENG_OK) {
      return st;
    }
  }
  if ((st = eng_conv_act_range(node, output, act, &op->params.act_min, &op->params.act_max)) !=
      ENG_OK)
    return st;
  op->params.input_offset = -input->zero_point;
  op->params.output_offset = output->zero_point;
  op->multipliers = multipliers;
  op->shifts = shifts;
  return ENG_OK;
}

eng_status_t eng_conv_keep_lean(eng_node_t *node, const eng_conv_op_t *op) {
  eng_conv_lean_op_t *lean = eng_alloc_persistent(node, sizeof *lean);
  if (lean == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  lean->params = op->params;
  lean->multipliers = op->multipliers;
  lean->shifts = op->shifts;
  lean->type = op->type;
  node->user_data = lean;
  return ENG_OK;
}

eng_status_t eng_conv_keep_full(eng_node_t *node, const eng_conv_op_t *op, eng_conv_op_t **kept) {
  eng_conv_op_t *copy = eng_alloc_persistent(node, sizeof *copy);
  if (copy == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  *copy = *op;
  *kept = copy;
  return ENG_OK;
}

/* ---- CONV_2D kernel ---- */

eng_status_t eng_conv_ref_prepare(eng_node_t *node, int depthwise) {
  const eng_conv_options_t *opt = depthwise ? &node->options->dwconv : &node->options->conv;
  const eng_conv_geometry_t geometry = {opt->padding,    opt->stride_h,   opt->stride_w,
                                        opt->dilation_h, opt->dilation_w, opt->activation};
  const eng_conv_geometry_t *g = &geometry;
  /* Prepared in full here; only the lean part is kept (eng_conv_keep_lean). */
  eng_conv_op_t full;
  eng_conv_tensors_t t;
  eng_status_t st = eng_conv_prepare_tensors(node, &t, &full);
  if (st == ENG_OK) {
    st = depthwise ? eng_dwconv_check_filter(node, opt->depth_multiplier, &full)
                   : eng_conv_check_filter(node, &full);
  }
  if (st != ENG_OK) return st;
  /* Depthwise filters are quantized along their last axis (output channels). */
  return eng_conv_prepare_finish(node, &t, g, depthwise ? 3 : 0, &full);
}

static eng_status_t conv_prepare(eng_node_t *node) {
  return eng_conv_ref_prepare(node, 0);
}

eng_status_t eng_conv_check_filter(eng_node_t *node, const eng_conv_op_t *op) {
  if (op->in.n != op->out.n || op->filter.n != op->out.c) {
    return eng_fail(node, ENG_ERR_SHAPE, "batch or output channels do not match the filter");
  }
  /* Grouped convolution: the filter sees in_c / groups channels. */
  if (op->in.c % op->filter.c != 0 || op->out.c % (op->in.c / op->filter.c) != 0) {
    return eng_fail(node, ENG_ERR_SHAPE, "input channels %d do not fit filter depth %d", op->in.c,
                    op->filter.c);
  }
  return ENG_OK;
}

eng_status_t eng_dwconv_check_filter(eng_node_t *node, int32_t depth_multiplier,
                                     eng_conv_op_t *op) {
  if (op->in.n != op->out.n || op->filter.n != 1 || op->filter.c != op->out.c) {
    return eng_fail(node, ENG_ERR_SHAPE, "filter must be [1, h, w, %d] and batches match",
                    op->out.c);
  }
  /* TFLM takes the multiplier from the options and never re-derives it. */
  if (depth_multiplier < 1 || op->out.c / depth_multiplier != op->in.c ||
      op->out.c % depth_multiplier != 0) {
    return eng_fail(node, ENG_ERR_SHAPE, "output channels %d != input channels %d x multiplier %d",
                    op->out.c, op->in.c, depth_multiplier);
  }
  op->params.depth_multiplier = depth_multiplier;
  return ENG_OK;
}

eng_status_t eng_conv_prepare_tensors(eng_node_t *node, eng_conv_tensors_t *t, eng_conv_op_t *op) {
  const uint32_t n_in = eng_num_inputs(node);
  if ((n_in != 2 && n_in != 3) || eng_num_outputs(node) != 1) {
    return eng_fail(node, ENG_ERR_MALFORMED, "expects 2 or 3 inputs and 1 output");
  }
  t->input = eng_input(node, 0);
  t->filter = eng_input(node, 1);
  t->bias = eng_input(node, 2);
  t->output = eng_output(node, 0);
  if (t->input == NULL || t->filter == NULL || t->output == NULL) {
    return eng_fail(node, ENG_ERR_MALFORMED, "missing input, filter or output");
  }
  memset(op, 0, sizeof *op);
  eng_status_t st;
  if ((st = eng_conv_nhwc(node, t->input, "input", &op->in)) != ENG_OK ||
      (st = eng_conv_nhwc(node, t->filter, "filter", &op->filter)) != ENG_OK ||
      (st = eng_conv_nhwc(node, t->output, "output", &op->out)) != ENG_OK) {
    return st;
  }
  return ENG_OK;
}

eng_status_t eng_conv_prepare_geometry(eng_node_t *node, const eng_conv_tensors_t *t,
                                       const eng_conv_geometry_t *g, eng_conv_op_t *op) {
  const eng_tensor_t *input = t->input, *filter = t->filter, *bias = t->bias, *output = t->output;
  eng_status_t st;
  if (bias != NULL && eng_tensor_elements(bias) != (uint32_t)op->out.c) {
    return eng_fail(node, ENG_ERR_SHAPE, "bias has %u elements, expected %d",
                    eng_tensor_elements(bias), op->out.c);
  }
  eng_conv_params_t *p = &op->params;
  p->stride_h = g->stride_h;
  p->stride_w = g->stride_w;
  p->dilation_h = g->dilation_h;
  p->dilation_w = g->dilation_w;
  if ((st = eng_conv_axis(node, "height", g->padding, op->in.h, op->filter.h, g->stride_h,
                          g->dilation_h, op->out.h, &p->pad_h)) != ENG_OK ||
      (st = eng_conv_axis(node, "width", g->padding, op->in.w, op->filter.w, g->stride_w,
                          g->dilation_w, op->out.w, &p->pad_w)) != ENG_OK ||
      (st = eng_conv_check_activation(node, g->activation)) != ENG_OK) {
    return st;
  }
  if ((st = eng_conv_io_type(node, input, output, g->activation, &p->act_min_f, &p->act_max_f)) !=
      ENG_OK) {
    return st;
  }
  op->type = input->type;
  if (input->type == ENG_FLOAT32 &&
      (filter->type != ENG_FLOAT32 || (bias != NULL && bias->type != ENG_FLOAT32))) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "float32 input needs float32 filter/bias");
  }
  return ENG_OK;
}

eng_status_t eng_conv_prepare_finish(eng_node_t *node, const eng_conv_tensors_t *t,
                                     const eng_conv_geometry_t *g, int32_t channel_dim,
                                     eng_conv_op_t *op) {
  eng_status_t st = eng_conv_prepare_geometry(node, t, g, op);
  if (st == ENG_OK && op->type == ENG_INT8) {
    st = eng_conv_quant_prepare(node, t->input, t->filter, t->bias, t->output, g->activation,
                                op->out.c, channel_dim, op);
  }
  return st == ENG_OK ? eng_conv_keep_lean(node, op) : st;
}

static eng_status_t conv_eval(eng_node_t *node) {
  return eng_conv_eval_with(node, eng_ref_conv_s8, eng_ref_conv_f32);
}

eng_status_t eng_parse_conv_like_options(eng_node_t *node, eng_options_reader_t *r,
                                         eng_conv_options_t *o, int depthwise) {
  /* Conv2DOptions (union type 1) and DepthwiseConv2DOptions (2) number their fields alike
   * but for the depthwise depth_multiplier at field 3, which moves the rest up by one. */
  const eng_status_t st = eng_options_type(node, r, depthwise ? 2 : 1);
  if (st != ENG_OK) {
    return st;
  }
  const uint32_t shift = depthwise ? 1 : 0;
  o->padding = (eng_padding_t)eng_option_i8(r, 0, 0);
  o->stride_w = eng_option_i32(r, 1, 0);
  o->stride_h = eng_option_i32(r, 2, 0);
  o->depth_multiplier = depthwise ? eng_option_i32(r, 3, 0) : 0;
  o->activation = (eng_activation_t)eng_option_i8(r, 3 + shift, 0);
  o->dilation_w = eng_option_i32(r, 4 + shift, 1);
  o->dilation_h = eng_option_i32(r, 5 + shift, 1);
  return ENG_OK;
}

eng_status_t eng_parse_conv_options(eng_node_t *node, eng_options_reader_t *r,
                                    eng_builtin_options_t *o) {
  return eng_parse_conv_like_options(node, r, &o->conv, 0);
}

const eng_kernel_t eng_kernel_conv_2d_ref = {ENG_OP_CONV_2D, NULL, eng_parse_conv_options,
                                             conv_prepare, conv_eval};

/* ---- compute cores ---- */

/* sum of w[i] * (x[i] + offset): the int32 TFLM accumulates (any order gives the same
 * wrapped sum). Each product fits int32 (|w| ≤ 128, |x + offset| ≤ 255); the sum wraps
 * instead of overflowing. Unrolled by four because every filter row of a 1×1 or dense
 * conv is one long run. */
static inline int32_t dot_s8_offset(const int8_t *x, const int8_t *w, int32_t n, int32_t offset) {
  uint32_t acc = 0;
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    acc += (uint32_t)((int32_t)w[i] * ((int32_t)x[i] + offset));
    acc += (uint32_t)((int32_t)w[i + 1] * ((int32_t)x[i + 1] + offset));
    acc += (uint32_t)((int32_t)w[i + 2] * ((int32_t)x[i + 2] + offset));
    acc += (uint32_t)((int32_t)w[i + 3] * ((int32_t)x[i + 3] + offset));
  }
  for (; i < n; ++i) {
    acc += (uint32_t)((int32_t)w[i] * ((int32_t)x[i] + offset));
  }
  return (int32_t)acc;
}

void eng_ref_conv_s8(const eng_conv_params_t *p, const int32_t *out_multiplier,
                     const int32_t *out_shift, const eng_nhwc_t *in_dims, const int8_t *input,
                     const eng_nhwc_t *filter_dims, const int8_t *filter, const int32_t *bias,
                     const eng_nhwc_t *out_dims, int8_t *output) {
  const int32_t in_h = in_dims->h, in_w = in_dims->w, in_c = in_dims->c;
  const int32_t fh = filter_dims->h, fw = filter_dims->w, fic = filter_dims->c;
  const int32_t out_h = out_dims->h, out_w = out_dims->w, out_c = out_dims->c;
  const int32_t groups = in_c / fic;
  const int32_t per_group = out_c / groups;
  const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
  const int32_t in_offset = p->input_offset, out_offset = p->output_offset;
  const int32_t act_min = p->act_min, act_max = p->act_max;
  /* Strides in elements between neighbouring taps, hoisted out of every loop. */
  const int32_t in_row = in_w * in_c;
  const int32_t tap_step_x = dil_w * in_c;
  const int32_t tap_step_y = dil_h * in_row;
  const int32_t filter_row = fw * fic;
  const int32_t filter_oc_size = fh * filter_row;
  /* Without dilation or groups, the taps of one filter row are adjacent in memory in
   * both the input and the filter: one run per row instead of one per tap. */
  const int contiguous_rows = dil_w == 1 && groups == 1;

  for (int32_t b = 0; b < in_dims->n; ++b) {
    const int8_t *in_batch = input + (size_t)b * in_h * in_row;
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_h;
      int32_t fy0, fy1;
      eng_conv_tap_range(iy0, dil_h, fh, in_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t fx0, fx1;
        eng_conv_tap_range(ix0, dil_w, fw, in_w, &fx0, &fx1);
        const int32_t taps_x = fx1 > fx0 ? fx1 - fx0 : 0;
        const int32_t runs_x = contiguous_rows ? (taps_x > 0) : taps_x;
        const int32_t run_len = contiguous_rows ? taps_x * fic : fic;
        /* First in-image tap of this output position, channel 0 of group 0. */
        const int8_t *in_origin =
            in_batch + (iy0 + dil_h * fy0) * in_row + (ix0 + dil_w * fx0) * in_c;
        const int32_t filter_origin = fy0 * filter_row + fx0 * fic;
        int32_t oc = 0;
        for (int32_t g = 0; g < groups; ++g) {
          const int8_t *in_group = in_origin + g * fic;
          for (int32_t k = 0; k < per_group; ++k, ++oc) {
            const int8_t *f_y = filter + (size_t)oc * filter_oc_size + filter_origin;
            const int8_t *in_y = in_group;
            int32_t acc = 0;
            for (int32_t fy = fy0; fy < fy1; ++fy) {
              const int8_t *ip = in_y;
              const int8_t *fp = f_y;
              for (int32_t r = 0; r < runs_x; ++r) {
                acc = eng_wrap_add(acc, dot_s8_offset(ip, fp, run_len, in_offset));
                ip += tap_step_x;
                fp += fic;
              }
              in_y += tap_step_y;
              f_y += filter_row;
            }
            ENG_CONV_OUTPUT_S8(acc, bias, oc, out_multiplier, out_shift, out_offset, act_min,
                               act_max);
            *output++ = (int8_t)acc;
          }
        }
      }
    }
  }
}

void eng_ref_conv_f32(const eng_conv_params_t *p, const eng_nhwc_t *in_dims, const float *input,
                      const eng_nhwc_t *filter_dims, const float *filter, const float *bias,
                      const eng_nhwc_t *out_dims, float *output) {
  const int32_t in_h = in_dims->h, in_w = in_dims->w, in_c = in_dims->c;
  const int32_t fh = filter_dims->h, fw = filter_dims->w, fic = filter_dims->c;
  const int32_t out_h = out_dims->h, out_w = out_dims->w, out_c = out_dims->c;
  const int32_t groups = in_c / fic;
  const int32_t per_group = out_c / groups;
  const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
  const float act_min = p->act_min_f, act_max = p->act_max_f;
  const int32_t in_row = in_w * in_c;
  const int32_t tap_step_x = dil_w * in_c;
  const int32_t tap_step_y = dil_h * in_row;
  const int32_t filter_oc_size = fh * fw * fic;

  for (int32_t b = 0; b < in_dims->n; ++b) {
    const float *in_batch = input + (size_t)b * in_h * in_row;
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_h;
      int32_t fy0, fy1;
      eng_conv_tap_range(iy0, dil_h, fh, in_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t fx0, fx1;
        eng_conv_tap_range(ix0, dil_w, fw, in_w, &fx0, &fx1);
        const float *in_origin =
            in_batch + (iy0 + dil_h * fy0) * in_row + (ix0 + dil_w * fx0) * in_c;
        const int32_t filter_origin = (fy0 * fw + fx0) * fic;
        int32_t oc = 0;
        for (int32_t g = 0; g < groups; ++g) {
          const float *in_group = in_origin + g * fic;
          for (int32_t k = 0; k < per_group; ++k, ++oc) {
            const float *f_oc = filter + (size_t)oc * filter_oc_size + filter_origin;
            const float *in_y = in_group;
            /* Same summation order as TFLM (fy, fx, ic), then bias. */
            float total = 0.0f;
            for (int32_t fy = fy0; fy < fy1; ++fy) {
              const float *ip = in_y;
              const float *fp = f_oc;
              for (int32_t fx = fx0; fx < fx1; ++fx) {
                for (int32_t ic = 0; ic < fic; ++ic) {
                  total += ip[ic] * fp[ic];
                }
                ip += tap_step_x;
                fp += fic;
              }
              in_y += tap_step_y;
              f_oc += fw * fic;
            }
            float v = total + (bias != NULL ? bias[oc] : 0.0f);
            /* std::min(std::max(v, lo), hi) with its NaN behaviour. */
            v = (v < act_min) ? act_min : v;
            v = (act_max < v) ? act_max : v;
            *output++ = v;
          }
        }
      }
    }
  }
}
