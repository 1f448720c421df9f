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

xs_status_t xs_conv_nhwc(xs_node_t *node, const xs_tensor_t *t, const char *what,
                         xs_nhwc_t *d) {
  if (t->rank != 4) {
    return xs_fail(node, XS_ERR_SHAPE, "%s must have rank 4, has %d", what, (int32_t)t->rank);
  }
  for (uint32_t i = 0; i < 4; i++) {
    if (t->dims[i] < 1 || t->dims[i] > CONV_MAX_EXTENT) {
      return xs_fail(node, XS_ERR_SHAPE, "%s dim %u is %d", what, i, t->dims[i]);
    }
  }
  d->n = t->dims[0];
  d->h = t->dims[1];
  d->w = t->dims[2];
  d->c = t->dims[3];
  return XS_OK;
}

xs_status_t xs_conv_axis(xs_node_t *node, const char *axis, xs_padding_t padding,
                         int32_t in_size, int32_t filter_size, int32_t stride,
                         int32_t dilation, int32_t out_size, int32_t *pad) {
  if (stride < 1 || stride > CONV_MAX_STRIDE) {
    return xs_fail(node, XS_ERR_MALFORMED, "%s stride %d", axis, stride);
  }
  if (dilation < 1 || dilation > CONV_MAX_STRIDE) {
    return xs_fail(node, XS_ERR_MALFORMED, "%s dilation %d", axis, dilation);
  }
  /* int64: (filter - 1) × dilation may exceed int32 in a hostile model. */
  const int64_t effective = (int64_t)(filter_size - 1) * dilation + 1;
  if (effective > CONV_MAX_EXTENT) {
    return xs_fail(node, XS_ERR_SHAPE, "%s filter extent too large", axis);
  }
  int64_t expected;
  if (padding == XS_PADDING_SAME) {
    expected = ((int64_t)in_size + stride - 1) / stride;
  } else if (padding == XS_PADDING_VALID) {
    expected = ((int64_t)in_size + stride - effective) / stride;
  } else {
    return xs_fail(node, XS_ERR_MALFORMED, "padding %d", (int32_t)padding);
  }
  if (expected < 1 || expected != out_size) {
    return xs_fail(node, XS_ERR_SHAPE, "output %s is %d, the op produces %d", axis, out_size,
                   (int32_t)expected);
  }
  int64_t total = (expected - 1) * stride + effective - in_size;
  if (total < 0) {
    total = 0;
  }
  *pad = (int32_t)(total / 2);
  return XS_OK;
}

xs_status_t xs_conv_check_activation(xs_node_t *node, xs_activation_t act) {
  switch (act) {
  case XS_ACT_NONE:
  case XS_ACT_RELU:
  case XS_ACT_RELU_N1_TO_1:
  case XS_ACT_RELU6:
    return XS_OK;
  default:
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "fused activation %d not supported",
                   (int32_t)act);
  }
}

static int finite_scale(float s, int allow_zero) {
  return isfinite(s) && (s > 0.0f || (allow_zero && s == 0.0f));
}

xs_status_t xs_conv_quant_check(xs_node_t *node, const xs_tensor_t *input, const xs_tensor_t *filter,
                                const xs_tensor_t *bias, const xs_tensor_t *output, int32_t channels,
                                int32_t channel_dim) {
  if (filter->type != XS_INT8) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "filter type %s with int8 input",
                   xs_type_name((xs_type_t)filter->type));
  }
  if (bias != NULL && bias->type != XS_INT32) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "bias type %s with int8 input",
                   xs_type_name((xs_type_t)bias->type));
  }
  if (input->quant_count == 0 || output->quant_count == 0 || filter->quant_count == 0) {
    return xs_fail(node, XS_ERR_MALFORMED, "int8 input, filter and output need quantization");
  }
  if (!finite_scale(input->scale, 1) || !finite_scale(output->scale, 0)) {
    return xs_fail(node, XS_ERR_MALFORMED, "invalid input/output scale");
  }
  if (input->zero_point < -128 || input->zero_point > 127 || output->zero_point < -128 ||
      output->zero_point > 127) {
    return xs_fail(node, XS_ERR_MALFORMED, "int8 zero point out of range");
  }
  /* TFLM: one scale broadcast to every channel, or one per output channel along the
   * axis whose extent is the channel count. */
  if (filter->quant_count > 1 &&
      (filter->quant_count != (uint32_t)channels || filter->quant_dim < 0 ||
       filter->quant_dim >= (int32_t)filter->rank || filter->dims[filter->quant_dim] != channels)) {
    return xs_fail(node, XS_ERR_MALFORMED, "filter has %u scales along dim %d, expected %d along dim %d",
                   (uint32_t)filter->quant_count, (int32_t)filter->quant_dim, channels, channel_dim);
  }
  return XS_OK;
}

xs_status_t xs_conv_channel_multiplier(xs_node_t *node, const xs_tensor_t *input, const xs_tensor_t *filter,
                                       const xs_tensor_t *output, int32_t c, int32_t *multiplier,
                                       int32_t *shift) {
  const float filter_scale = filter->quant_count > 1 ? xs_channel_scale(filter, (uint32_t)c) : filter->scale;
  if (!finite_scale(filter_scale, 1)) {
    return xs_fail(node, XS_ERR_MALFORMED, "invalid filter scale for channel %d", c);
  }
  /* Double product and quotient of the float32 scales, as TFLM. */
  const double real = (double)input->scale * (double)filter_scale / (double)output->scale;
  xs_quantize_multiplier(real, multiplier, shift);
  /* A left shift past 30 overflows MultiplyByQuantizedMultiplier (undefined in TFLM
   * too); no real model's input × filter / output scale comes near 2^30. */
  if (*shift > 30) {
    return xs_fail(node, XS_ERR_MALFORMED, "channel %d: effective scale too large", c);
  }
  return XS_OK;
}

xs_status_t xs_conv_act_range(xs_node_t *node, const xs_tensor_t *output, xs_activation_t act, int32_t *act_min,
                              int32_t *act_max) {
  xs_status_t st = xs_activation_range_quantized(act, XS_INT8, output->scale, output->zero_point, act_min, act_max);
  if (st != XS_OK || *act_min > *act_max) {
    return xs_fail(node, XS_ERR_MALFORMED, "activation range not representable");
  }
  return XS_OK;
}

xs_status_t xs_conv_quant_prepare(xs_node_t *node, const xs_tensor_t *input,
                                  const xs_tensor_t *filter, const xs_tensor_t *bias,
                                  const xs_tensor_t *output, xs_activation_t act,
                                  int32_t channels, int32_t channel_dim, xs_conv_op_t *op) {
  xs_status_t st = xs_conv_quant_check(node, input, filter, bias, output, channels, channel_dim);
  if (st != XS_OK) return st;
  int32_t *multipliers = xs_alloc_persistent(node, (size_t)channels * sizeof(int32_t));
  int32_t *shifts = xs_alloc_persistent(node, (size_t)channels * sizeof(int32_t));
  if (multipliers == NULL || shifts == NULL) {
    return xs_fail(node, XS_ERR_ARENA, "per-channel multipliers");
  }
  for (int32_t c = 0; c < channels; c++) {
    if ((st = xs_conv_channel_multiplier(node, input, filter, output, c, &multipliers[c], &shifts[c])) != XS_OK) {
      return st;
    }
  }
  if ((st = xs_conv_act_range(node, output, act, &op->params.act_min, &op->params.act_max)) != XS_OK) return st;
  op->params.input_offset = -input->zero_point;
  op->params.output_offset = output->zero_point;
  op->multipliers = multipliers;
  op->shifts = shifts;
  return XS_OK;
}

xs_status_t xs_conv_keep_lean(xs_node_t *node, const xs_conv_op_t *op) {
  xs_conv_lean_op_t *lean = xs_alloc_persistent(node, sizeof *lean);
  if (lean == NULL) {
    return xs_fail(node, XS_ERR_ARENA, "op data");
  }
  lean->params = op->params;
  lean->multipliers = op->multipliers;
  lean->shifts = op->shifts;
  lean->type = op->type;
  node->user_data = lean;
  return XS_OK;
}

xs_status_t xs_conv_keep_full(xs_node_t *node, const xs_conv_op_t *op, xs_conv_op_t **kept) {
  xs_conv_op_t *copy = xs_alloc_persistent(node, sizeof *copy);
  if (copy == NULL) {
    return xs_fail(node, XS_ERR_ARENA, "op data");
  }
  *copy = *op;
  *kept = copy;
  return XS_OK;
}

/* ---- CONV_2D kernel ---- */

static xs_status_t conv_prepare(xs_node_t *node) {
  const xs_conv_options_t *opt = &node->options->conv;
  /* Prepared in full here; only the lean part is kept (xs_conv_keep_lean). */
  xs_conv_op_t full;
  xs_conv_op_t *op = &full;
  xs_conv_tensors_t t;
  xs_status_t st = xs_conv_prepare_tensors(node, &t, op);
  if (st == XS_OK) st = xs_conv_check_filter(node, op);
  if (st != XS_OK) return st;
  const xs_conv_geometry_t g = {opt->padding, opt->stride_h, opt->stride_w, opt->dilation_h, opt->dilation_w,
                                opt->activation};
  return xs_conv_prepare_finish(node, &t, &g, 0, op);
}

xs_status_t xs_conv_check_filter(xs_node_t *node, const xs_conv_op_t *op) {
  if (op->in.n != op->out.n || op->filter.n != op->out.c) {
    return xs_fail(node, XS_ERR_SHAPE, "batch or output channels do not match the filter");
  }
  /* Grouped convolution: the filter sees in_c / groups channels. */
  if (op->in.c % op->filter.c != 0 || op->out.c % (op->in.c / op->filter.c) != 0) {
    return xs_fail(node, XS_ERR_SHAPE, "input channels %d do not fit filter depth %d",
                   op->in.c, op->filter.c);
  }
  return XS_OK;
}

xs_status_t xs_dwconv_check_filter(xs_node_t *node, int32_t depth_multiplier, xs_conv_op_t *op) {
  if (op->in.n != op->out.n || op->filter.n != 1 || op->filter.c != op->out.c) {
    return xs_fail(node, XS_ERR_SHAPE, "filter must be [1, h, w, %d] and batches match",
                   op->out.c);
  }
  /* TFLM takes the multiplier from the options and never re-derives it. */
  if (depth_multiplier < 1 || op->out.c / depth_multiplier != op->in.c ||
      op->out.c % depth_multiplier != 0) {
    return xs_fail(node, XS_ERR_SHAPE, "output channels %d != input channels %d x multiplier %d",
                   op->out.c, op->in.c, depth_multiplier);
  }
  op->params.depth_multiplier = depth_multiplier;
  return XS_OK;
}

xs_status_t xs_conv_prepare_tensors(xs_node_t *node, xs_conv_tensors_t *t, xs_conv_op_t *op) {
  const uint32_t n_in = xs_num_inputs(node);
  if ((n_in != 2 && n_in != 3) || xs_num_outputs(node) != 1) {
    return xs_fail(node, XS_ERR_MALFORMED, "expects 2 or 3 inputs and 1 output");
  }
  t->input = xs_input(node, 0);
  t->filter = xs_input(node, 1);
  t->bias = xs_input(node, 2);
  t->output = xs_output(node, 0);
  if (t->input == NULL || t->filter == NULL || t->output == NULL) {
    return xs_fail(node, XS_ERR_MALFORMED, "missing input, filter or output");
  }
  memset(op, 0, sizeof *op);
  xs_status_t st;
  if ((st = xs_conv_nhwc(node, t->input, "input", &op->in)) != XS_OK ||
      (st = xs_conv_nhwc(node, t->filter, "filter", &op->filter)) != XS_OK ||
      (st = xs_conv_nhwc(node, t->output, "output", &op->out)) != XS_OK) {
    return st;
  }
  return XS_OK;
}

xs_status_t xs_conv_prepare_geometry(xs_node_t *node, const xs_conv_tensors_t *t, const xs_conv_geometry_t *g,
                                     xs_conv_op_t *op) {
  const xs_tensor_t *input = t->input, *filter = t->filter, *bias = t->bias, *output = t->output;
  xs_status_t st;
  if (bias != NULL && xs_tensor_elements(bias) != (uint32_t)op->out.c) {
    return xs_fail(node, XS_ERR_SHAPE, "bias has %u elements, expected %d",
                   xs_tensor_elements(bias), op->out.c);
  }
  xs_conv_params_t *p = &op->params;
  p->stride_h = g->stride_h;
  p->stride_w = g->stride_w;
  p->dilation_h = g->dilation_h;
  p->dilation_w = g->dilation_w;
  if ((st = xs_conv_axis(node, "height", g->padding, op->in.h, op->filter.h, g->stride_h,
                         g->dilation_h, op->out.h, &p->pad_h)) != XS_OK ||
      (st = xs_conv_axis(node, "width", g->padding, op->in.w, op->filter.w, g->stride_w,
                         g->dilation_w, op->out.w, &p->pad_w)) != XS_OK ||
      (st = xs_conv_check_activation(node, g->activation)) != XS_OK) {
    return st;
  }
  if (input->type != output->type) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "input %s, output %s",
                   xs_type_name((xs_type_t)input->type), xs_type_name((xs_type_t)output->type));
  }
  op->type = input->type;
  if (input->type == XS_FLOAT32) {
    if (filter->type != XS_FLOAT32 || (bias != NULL && bias->type != XS_FLOAT32)) {
      return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "float32 input needs float32 filter/bias");
    }
    xs_activation_range_float(g->activation, &p->act_min_f, &p->act_max_f);
  } else if (input->type != XS_INT8) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "input type %s",
                   xs_type_name((xs_type_t)input->type));
  }
  return XS_OK;
}

xs_status_t xs_conv_prepare_finish(xs_node_t *node, const xs_conv_tensors_t *t, const xs_conv_geometry_t *g,
                                   int32_t channel_dim, xs_conv_op_t *op) {
  xs_status_t st = xs_conv_prepare_geometry(node, t, g, op);
  if (st == XS_OK && op->type == XS_INT8) {
    st = xs_conv_quant_prepare(node, t->input, t->filter, t->bias, t->output, g->activation, op->out.c,
                               channel_dim, op);
  }
  return st == XS_OK ? xs_conv_keep_lean(node, op) : st;
}

static xs_status_t conv_eval(xs_node_t *node) {
  const xs_conv_lean_op_t *op = node->user_data;
  const xs_tensor_t *input = xs_input(node, 0);
  const xs_tensor_t *filter = xs_input(node, 1);
  const xs_tensor_t *bias = xs_input(node, 2);
  xs_tensor_t *output = xs_output(node, 0);
  const void *bias_data = bias != NULL ? bias->data : NULL;
  const xs_nhwc_t in = xs_nhwc_of(input), fd = xs_nhwc_of(filter), out = xs_nhwc_of(output);
  if (op->type == XS_INT8) {
    xs_ref_conv_s8(&op->params, op->multipliers, op->shifts, &in, input->data, &fd,
                   filter->data, bias_data, &out, output->data);
  } else {
    xs_ref_conv_f32(&op->params, &in, input->data, &fd, filter->data, bias_data,
                    &out, output->data);
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_conv_2d_ref = {XS_OP_CONV_2D, NULL, conv_prepare, conv_eval};

/* ---- compute cores ---- */

/* sum of w[i] * (x[i] + offset): the int32 TFLM accumulates (any order gives the same
 * wrapped sum). Each product fits int32 (|w| ≤ 128, |x + offset| ≤ 255); the sum wraps
 * instead of overflowing. Unrolled by four because every filter row of a 1×1 or dense
 * conv is one long run. */
static inline int32_t dot_s8_offset(const int8_t *x, const int8_t *w, int32_t n,
                                    int32_t offset) {
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

void xs_ref_conv_s8(const xs_conv_params_t *p, const int32_t *out_multiplier,
                    const int32_t *out_shift, const xs_nhwc_t *in_dims, const int8_t *input,
                    const xs_nhwc_t *filter_dims, const int8_t *filter, const int32_t *bias,
                    const xs_nhwc_t *out_dims, int8_t *output) {
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
      xs_conv_tap_range(iy0, dil_h, fh, in_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t fx0, fx1;
        xs_conv_tap_range(ix0, dil_w, fw, in_w, &fx0, &fx1);
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
                acc = xs_wrap_add(acc, dot_s8_offset(ip, fp, run_len, in_offset));
                ip += tap_step_x;
                fp += fic;
              }
              in_y += tap_step_y;
              f_y += filter_row;
            }
            if (bias != NULL) {
              acc = xs_wrap_add(acc, bias[oc]);
            }
            acc = xs_mul_by_quantized_multiplier(acc, out_multiplier[oc], out_shift[oc]);
            acc = xs_wrap_add(acc, out_offset);
            if (acc < act_min) {
              acc = act_min;
            }
            if (acc > act_max) {
              acc = act_max;
            }
            *output++ = (int8_t)acc;
          }
        }
      }
    }
  }
}

void xs_ref_conv_f32(const xs_conv_params_t *p, const xs_nhwc_t *in_dims, const float *input,
                     const xs_nhwc_t *filter_dims, const float *filter, const float *bias,
                     const xs_nhwc_t *out_dims, float *output) {
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
      xs_conv_tap_range(iy0, dil_h, fh, in_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t fx0, fx1;
        xs_conv_tap_range(ix0, dil_w, fw, in_w, &fx0, &fx1);
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
