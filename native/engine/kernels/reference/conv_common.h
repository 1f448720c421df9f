/* conv_common.h – plain parameter blocks, pure compute cores and prepare helpers shared by
 * the reference CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D and AVERAGE_POOL_2D kernels. */
#ifndef XSINFER_KERNELS_REFERENCE_CONV_COMMON_H
#define XSINFER_KERNELS_REFERENCE_CONV_COMMON_H

/*
 * Contract
 * - The eng_ref_* cores are pure functions over caller-owned memory (CMSIS-NN style): no
 *   allocation, no validation, no tensor lookups. Everything they assume (dims ≥ 1,
 *   channel/group divisibility, output extents matching TFLM's ComputeOutSize, padding,
 *   per-channel arrays with out_c entries) is checked once in the kernels' prepare.
 * - Layouts are TFLite's: activations NHWC row-major; CONV_2D filter
 *   [out_c][fh][fw][in_c / groups]; DEPTHWISE_CONV_2D filter [1][fh][fw][out_c] with
 *   out_c = in_c × depth_multiplier, output channel = in_channel × multiplier + m.
 *   Bias is optional (NULL) and has out_c entries (int32 for int8, float for float32).
 * - Results equal TFLM's reference kernels: int8 bit for bit (same accumulation,
 *   MultiplyByQuantizedMultiplier per channel, zero point, clamp); float32 with the same
 *   summation order (fy, fx, ic, then bias), so only FPU differences remain.
 * - Padded taps are skipped, never read: average pooling divides by the number of
 *   in-image taps.
 */

#include <stdint.h>

#include "kernel.h"
#include "quant.h"

typedef struct eng_nhwc {
  int32_t n, h, w, c;
} eng_nhwc_t;

typedef struct eng_conv_params {
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;       /* leading (top/left) padding, TFLM ComputePaddingHeightWidth */
  int32_t depth_multiplier;   /* depthwise only */
  int32_t input_offset;       /* -input zero point */
  int32_t output_offset;      /* output zero point */
  int32_t act_min, act_max;   /* int8 clamp, zero point included */
  float act_min_f, act_max_f; /* float32 clamp */
} eng_conv_params_t;

typedef struct eng_pool_params {
  int32_t stride_h, stride_w;
  int32_t filter_h, filter_w;
  int32_t pad_h, pad_w;
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
} eng_pool_params_t;

/* Op data of CONV_2D and DEPTHWISE_CONV_2D (persistent, built in prepare). */
typedef struct eng_conv_op {
  eng_conv_params_t params;
  eng_nhwc_t in, filter, out;
  const int32_t *multipliers; /* int8: out_c entries */
  const int32_t *shifts;
  uint8_t type; /* ENG_INT8 or ENG_FLOAT32 */
} eng_conv_op_t;

/* Lean persistent op data of the reference CONV_2D / DEPTHWISE_CONV_2D kernels: the
 * shapes are not copied (eval reads them from the tensors, which point into the model),
 * only what prepare derived. Built from a prepare-time eng_conv_op_t. */
typedef struct eng_conv_lean_op {
  eng_conv_params_t params;
  const int32_t *multipliers; /* int8: out_c entries */
  const int32_t *shifts;
  uint8_t type; /* ENG_INT8 or ENG_FLOAT32 */
} eng_conv_lean_op_t;

/* NHWC dims of a rank-4 tensor whose rank prepare checked (eval helper). */
static inline eng_nhwc_t eng_nhwc_of(const eng_tensor_t *t) {
  const eng_nhwc_t d = {t->dims[0], t->dims[1], t->dims[2], t->dims[3]};
  return d;
}

/* ---- pure compute cores ---- */

void eng_ref_conv_s8(const eng_conv_params_t *p, const int32_t *out_multiplier,
                     const int32_t *out_shift, const eng_nhwc_t *in_dims, const int8_t *input,
                     const eng_nhwc_t *filter_dims, const int8_t *filter, const int32_t *bias,
                     const eng_nhwc_t *out_dims, int8_t *output);

void eng_ref_conv_f32(const eng_conv_params_t *p, const eng_nhwc_t *in_dims, const float *input,
                      const eng_nhwc_t *filter_dims, const float *filter, const float *bias,
                      const eng_nhwc_t *out_dims, float *output);

void eng_ref_depthwise_conv_s8(const eng_conv_params_t *p, const int32_t *out_multiplier,
                               const int32_t *out_shift, const eng_nhwc_t *in_dims,
                               const int8_t *input, const eng_nhwc_t *filter_dims,
                               const int8_t *filter, const int32_t *bias,
                               const eng_nhwc_t *out_dims, int8_t *output);

void eng_ref_depthwise_conv_f32(const eng_conv_params_t *p, const eng_nhwc_t *in_dims,
                                const float *input, const eng_nhwc_t *filter_dims,
                                const float *filter, const float *bias, const eng_nhwc_t *out_dims,
                                float *output);

void eng_ref_max_pool_s8(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const int8_t *input,
                         const eng_nhwc_t *out_dims, int8_t *output);

void eng_ref_max_pool_f32(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const float *input,
                          const eng_nhwc_t *out_dims, float *output);

/* Return 0 when a window holds no in-image element (TFLM fails the op then). Prepare
 * accepts only shapes where that cannot happen, so 1 is the normal result. */
int eng_ref_avg_pool_s8(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const int8_t *input,
                        const eng_nhwc_t *out_dims, int8_t *output);

int eng_ref_avg_pool_f32(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const float *input,
                         const eng_nhwc_t *out_dims, float *output);

/* int32 addition that wraps like the Cortex-M's ADD (and TFLM's int32 accumulators in
 * practice) instead of being undefined on overflow: only a hostile model's bias or a
 * filter deeper than 2^16 taps can get there, and then we still compute what TFLM's
 * compiled code computes. */
static inline int32_t eng_wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* The int8 output stage of CONV_2D and DEPTHWISE_CONV_2D, as TFLM's, on the int32
 * accumulator `acc` (an lvalue) of output channel oc: the bias (none when NULL) added
 * (wrapping), requantized with the channel's multiplier and shift, the output zero point
 * added, clamped to [act_min, act_max]. A statement macro rather than a function: the
 * cores' innermost loop keeps exactly the code (and register use) it had written out. */
#define ENG_CONV_OUTPUT_S8(acc, bias, oc, multiplier, shift, out_offset, act_min, act_max) \
  do {                                                                                     \
    if ((bias) != NULL) {                                                                  \
      (acc) = eng_wrap_add((acc), (bias)[oc]);                                             \
    }                                                                                      \
    (acc) = eng_requantize((acc), (multiplier)[oc], (shift)[oc]);                          \
    (acc) = eng_wrap_add((acc), (out_offset));                                             \
    if ((acc) < (act_min)) {                                                               \
      (acc) = (act_min);                                                                   \
    }                                                                                      \
    if ((acc) > (act_max)) {                                                               \
      (acc) = (act_max);                                                                   \
    }                                                                                      \
  } while (0)

/* Range [*first, *end) of filter taps k for which origin + dilation × k lies in
 * [0, in_size); empty when *end ≤ *first. Called once per output row/column, so the
 * inner loops carry no bounds tests. */
static inline void eng_conv_tap_range(int32_t origin, int32_t dilation, int32_t filter_size,
                                      int32_t in_size, int32_t *first, int32_t *end) {
  int32_t lo = 0;
  int32_t hi = filter_size;
  if (origin < 0) {
    lo = (-origin + dilation - 1) / dilation;
  }
  if (in_size - origin <= 0) {
    hi = 0;
  } else {
    const int32_t limit = (in_size - origin + dilation - 1) / dilation;
    if (limit < hi) {
      hi = limit;
    }
  }
  *first = lo;
  *end = hi;
}

/* A pooling window (no dilation) along one axis at output coordinate `out`: window
 * positions [first, end) lie in the image, and `start` = out × stride − pad + first is
 * the input coordinate of position `first`. Empty when end ≤ first. */
typedef struct eng_pool_window {
  int32_t first, end, start;
} eng_pool_window_t;

static inline eng_pool_window_t eng_pool_window(int32_t out, int32_t stride, int32_t pad,
                                                int32_t filter_size, int32_t in_size) {
  eng_pool_window_t w;
  const int32_t origin = out * stride - pad;
  eng_conv_tap_range(origin, 1, filter_size, in_size, &w.first, &w.end);
  w.start = origin + w.first;
  return w;
}

/* The int8 and float32 cores of CONV_2D and DEPTHWISE_CONV_2D (the same signatures). */
typedef void (*eng_conv_core_s8_t)(const eng_conv_params_t *p, const int32_t *out_multiplier,
                                   const int32_t *out_shift, const eng_nhwc_t *in_dims,
                                   const int8_t *input, const eng_nhwc_t *filter_dims,
                                   const int8_t *filter, const int32_t *bias,
                                   const eng_nhwc_t *out_dims, int8_t *output);
typedef void (*eng_conv_core_f32_t)(const eng_conv_params_t *p, const eng_nhwc_t *in_dims,
                                    const float *input, const eng_nhwc_t *filter_dims,
                                    const float *filter, const float *bias,
                                    const eng_nhwc_t *out_dims, float *output);

/* Eval of a reference CONV_2D / DEPTHWISE_CONV_2D over its lean op: the tensors' dims and
 * data to the core of the op's type. Always inlined with constant cores, so the calls
 * are direct. */
static inline __attribute__((always_inline)) eng_status_t eng_conv_eval_with(
    eng_node_t *node, eng_conv_core_s8_t core_s8, eng_conv_core_f32_t core_f32) {
  const eng_conv_lean_op_t *op = node->user_data;
  const eng_tensor_t *input = eng_input(node, 0);
  const eng_tensor_t *filter = eng_input(node, 1);
  const eng_tensor_t *bias = eng_input(node, 2);
  eng_tensor_t *output = eng_output(node, 0);
  const void *bias_data = bias != NULL ? bias->data : NULL;
  const eng_nhwc_t in = eng_nhwc_of(input), fd = eng_nhwc_of(filter), out = eng_nhwc_of(output);
  if (op->type == ENG_INT8) {
    core_s8(&op->params, op->multipliers, op->shifts, &in, input->data, &fd, filter->data,
            bias_data, &out, output->data);
  } else {
    core_f32(&op->params, &in, input->data, &fd, filter->data, bias_data, &out, output->data);
  }
  return ENG_OK;
}

/* ---- prepare helpers (defined in conv.c) ---- */

/* *d = dims of a rank-4 tensor; ENG_ERR_SHAPE naming `what` unless rank 4, every dim ≥ 1. */
eng_status_t eng_conv_nhwc(eng_node_t *node, const eng_tensor_t *t, const char *what,
                           eng_nhwc_t *d);

/* One spatial axis: checks stride and dilation, computes TFLM's output extent
 * (ComputeOutSize) and leading padding (ComputePaddingWithOffset); ENG_ERR_SHAPE unless
 * the model's output extent is that value. */
eng_status_t eng_conv_axis(eng_node_t *node, const char *axis, eng_padding_t padding,
                           int32_t in_size, int32_t filter_size, int32_t stride, int32_t dilation,
                           int32_t out_size, int32_t *pad);

/* Input and output of one type, float32 or int8 (else ENG_ERR_UNSUPPORTED_TYPE); for
 * float32 the clamp of `act` into *act_min_f, *act_max_f. */
eng_status_t eng_conv_io_type(eng_node_t *node, const eng_tensor_t *input,
                              const eng_tensor_t *output, eng_activation_t act, float *act_min_f,
                              float *act_max_f);

/* Only NONE, RELU, RELU_N1_TO_1 and RELU6 are fused into these ops. */
eng_status_t eng_conv_check_activation(eng_node_t *node, eng_activation_t act);

/* Prepare, int8 checks shared by every conv-family kernel set: filter int8, bias int32,
 * quantization present, finite scales, int8 zero points, per-channel scales along
 * channel_dim (TFLM's rules, its order, our messages). */
eng_status_t eng_conv_quant_check(eng_node_t *node, const eng_tensor_t *input,
                                  const eng_tensor_t *filter, const eng_tensor_t *bias,
                                  const eng_tensor_t *output, int32_t channels,
                                  int32_t channel_dim);

/* Channel c's TFLM multiplier and shift (input scale x filter scale / output scale, in
 * double), refusing a non-finite filter scale or a left shift past 30. */
eng_status_t eng_conv_channel_multiplier(eng_node_t *node, const eng_tensor_t *input,
                                         const eng_tensor_t *filter, const eng_tensor_t *output,
                                         int32_t c, int32_t *multiplier, int32_t *shift);

/* The int8 output's activation range, refusing one that is empty. */
eng_status_t eng_conv_act_range(eng_node_t *node, const eng_tensor_t *output, eng_activation_t act,
                                int32_t *act_min, int32_t *act_max);

/* int8 CONV_2D / DEPTHWISE_CONV_2D quantization, as TFLM's
 * PopulateConvolutionQuantizationParams: `channels` per-channel multipliers and shifts
 * (persistent; per-tensor filter scales are broadcast), offsets and the activation range
 * into *p. channel_dim is the filter axis per-channel scales run along. */
eng_status_t eng_conv_quant_prepare(eng_node_t *node, const eng_tensor_t *input,
                                    const eng_tensor_t *filter, const eng_tensor_t *bias,
                                    const eng_tensor_t *output, eng_activation_t act,
                                    int32_t channels, int32_t channel_dim, eng_conv_op_t *op);

/* The tensors a conv-family op works on (bias may be NULL). */
typedef struct eng_conv_tensors {
  const eng_tensor_t *input, *filter, *bias, *output;
} eng_conv_tensors_t;

/* What CONV_2D and DEPTHWISE_CONV_2D options share. */
typedef struct eng_conv_geometry {
  eng_padding_t padding;
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  eng_activation_t activation;
} eng_conv_geometry_t;

/* Prepare, first half: 2 or 3 inputs and 1 output, the tensors into *t, their NHWC dims
 * into op->in/filter/out (op zeroed first). The caller then checks its own filter shape. */
eng_status_t eng_conv_prepare_tensors(eng_node_t *node, eng_conv_tensors_t *t, eng_conv_op_t *op);

/* Prepare, filter shape: CONV_2D's (batches, output channels, grouped depth) and
 * DEPTHWISE_CONV_2D's ([1, h, w, out_c], out_c = in_c x multiplier, which goes into
 * op->params). */
eng_status_t eng_conv_check_filter(eng_node_t *node, const eng_conv_op_t *op);
eng_status_t eng_dwconv_check_filter(eng_node_t *node, int32_t depth_multiplier, eng_conv_op_t *op);

/* Prepare, geometry: bias size, strides/dilation/padding per axis, activation, the type
 * checks (float32 with float filter/bias and its activation range, or int8). */
eng_status_t eng_conv_prepare_geometry(eng_node_t *node, const eng_conv_tensors_t *t,
                                       const eng_conv_geometry_t *g, eng_conv_op_t *op);

/* Prepare, second half: eng_conv_prepare_geometry, int8 quantization (per-channel along
 * channel_dim), then the lean op data (eng_conv_keep_lean). */
eng_status_t eng_conv_prepare_finish(eng_node_t *node, const eng_conv_tensors_t *t,
                                     const eng_conv_geometry_t *g, int32_t channel_dim,
                                     eng_conv_op_t *op);

/* Prepare of the reference CONV_2D (depthwise 0) and DEPTHWISE_CONV_2D (depthwise 1, with
 * the option's depth_multiplier) from node->options: tensors, filter shape,
 * eng_conv_prepare_finish. */
eng_status_t eng_conv_ref_prepare(eng_node_t *node, int depthwise);

/* Options parser of both ops (depthwise 0: Conv2DOptions, 1: DepthwiseConv2DOptions),
 * schema defaults applied; fails the node when the table is of another type. */
eng_status_t eng_parse_conv_like_options(eng_node_t *node, eng_options_reader_t *r,
                                         eng_conv_options_t *o, int depthwise);

/* Prepare: the persistent lean op data of a fully prepared *op (ENG_ERR_ARENA via eng_fail
 * when the arena is short); sets node->user_data. */
eng_status_t eng_conv_keep_lean(eng_node_t *node, const eng_conv_op_t *op);

/* Prepare: a persistent copy of the whole *op into *kept (for kernels that fall back to
 * the reference cores); ENG_ERR_ARENA via eng_fail when the arena is short. */
eng_status_t eng_conv_keep_full(eng_node_t *node, const eng_conv_op_t *op, eng_conv_op_t **kept);

#endif
