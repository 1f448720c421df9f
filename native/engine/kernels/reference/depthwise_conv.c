/* depthwise_conv.c – reference DEPTHWISE_CONV_2D (int8 with per-channel or per-tensor
 * filter scales and any depth multiplier, float32), bit-exact with TFLM's reference
 * DepthwiseConvPerChannel / DepthwiseConv. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conv_common.h"
#include "quant.h"

static eng_status_t dwconv_prepare(eng_node_t *node) {
  return eng_conv_ref_prepare(node, 1);
}

static eng_status_t dwconv_eval(eng_node_t *node) {
  return eng_conv_eval_with(node, eng_ref_depthwise_conv_s8, eng_ref_depthwise_conv_f32);
}

eng_status_t eng_parse_dwconv_options(eng_node_t *node, eng_options_reader_t *r,
                                      eng_builtin_options_t *o) {
  return eng_parse_conv_like_options(node, r, &o->dwconv, 1);
}

const eng_kernel_t eng_kernel_depthwise_conv_2d_ref = {
    ENG_OP_DEPTHWISE_CONV_2D, NULL, eng_parse_dwconv_options, dwconv_prepare, dwconv_eval};

/* ---- compute cores ---- */

void eng_ref_depthwise_conv_s8(const eng_conv_params_t *p, const int32_t *out_multiplier,
                               const int32_t *out_shift, const eng_nhwc_t *in_dims,
                               const int8_t *input, const eng_nhwc_t *filter_dims,
                               const int8_t *filter, const int32_t *bias,
                               const eng_nhwc_t *out_dims, int8_t *output) {
  const int32_t in_h = in_dims->h, in_w = in_dims->w, in_c = in_dims->c;
  const int32_t fh = filter_dims->h, fw = filter_dims->w;
  const int32_t out_h = out_dims->h, out_w = out_dims->w, out_c = out_dims->c;
  const int32_t mult = p->depth_multiplier;
  const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
  const int32_t in_offset = p->input_offset, out_offset = p->output_offset;
  const int32_t act_min = p->act_min, act_max = p->act_max;
  const int32_t in_row = in_w * in_c;
  const int32_t tap_step_x = dil_w * in_c;
  const int32_t tap_step_y = dil_h * in_row;
  const int32_t filter_row = fw * out_c;

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
        const int8_t *in_origin =
            in_batch + (iy0 + dil_h * fy0) * in_row + (ix0 + dil_w * fx0) * in_c;
        const int8_t *f_origin = filter + (fy0 * fw + fx0) * out_c;
        int32_t oc = 0;
        for (int32_t ic = 0; ic < in_c; ++ic) {
          for (int32_t m = 0; m < mult; ++m, ++oc) {
            const int8_t *in_y = in_origin + ic;
            const int8_t *f_y = f_origin + oc;
            uint32_t sum = 0; /* wraps like TFLM's int32 on the device; see eng_wrap_add */
            for (int32_t fy = fy0; fy < fy1; ++fy) {
              const int8_t *ip = in_y;
              const int8_t *fp = f_y;
              for (int32_t fx = fx0; fx < fx1; ++fx) {
                sum += (uint32_t)((int32_t)*fp * ((int32_t)*ip + in_offset));
                ip += tap_step_x;
                fp += out_c;
              }
              in_y += tap_step_y;
              f_y += filter_row;
            }
            int32_t acc = (int32_t)sum;
            ENG_CONV_OUTPUT_S8(acc, bias, oc, out_multiplier, out_shift, out_offset, act_min,
                               act_max);
            *output++ = (int8_t)acc;
          }
        }
      }
    }
  }
}

void eng_ref_depthwise_conv_f32(const eng_conv_params_t *p, const eng_nhwc_t *in_dims,
                                const float *input, const eng_nhwc_t *filter_dims,
                                const float *filter, const float *bias, const eng_nhwc_t *out_dims,
                                float *output) {
  const int32_t in_h = in_dims->h, in_w = in_dims->w, in_c = in_dims->c;
  const int32_t fh = filter_dims->h, fw = filter_dims->w;
  const int32_t out_h = out_dims->h, out_w = out_dims->w, out_c = out_dims->c;
  const int32_t mult = p->depth_multiplier;
  const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
  const float act_min = p->act_min_f, act_max = p->act_max_f;
  const int32_t in_row = in_w * in_c;
  const int32_t tap_step_x = dil_w * in_c;
  const int32_t tap_step_y = dil_h * in_row;
  const int32_t filter_row = fw * out_c;

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
        const float *f_origin = filter + (fy0 * fw + fx0) * out_c;
        int32_t oc = 0;
        for (int32_t ic = 0; ic < in_c; ++ic) {
          for (int32_t m = 0; m < mult; ++m, ++oc) {
            const float *in_y = in_origin + ic;
            const float *f_y = f_origin + oc;
            float total = 0.0f;
            for (int32_t fy = fy0; fy < fy1; ++fy) {
              const float *ip = in_y;
              const float *fp = f_y;
              for (int32_t fx = fx0; fx < fx1; ++fx) {
                total += *ip * *fp;
                ip += tap_step_x;
                fp += out_c;
              }
              in_y += tap_step_y;
              f_y += filter_row;
            }
            float v = total + (bias != NULL ? bias[oc] : 0.0f);
            v = (v < act_min) ? act_min : v;
            v = (act_max < v) ? act_max : v;
            *output++ = v;
          }
        }
      }
    }
  }
}
