/* pooling.c – reference MAX_POOL_2D and AVERAGE_POOL_2D (int8 and float32), bit-exact with
 * TFLM's reference pooling: padded positions are skipped, never counted. */

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "conv_common.h"
#include "quant.h"

/* Persistent op data: shapes are read from the tensors in eval, not copied. */
typedef struct pool_op {
  eng_pool_params_t params;
  uint8_t type; /* ENG_INT8 or ENG_FLOAT32 */
} pool_op_t;

/* Prepare-time shapes. */
typedef struct pool_shapes {
  eng_nhwc_t in, out;
} pool_shapes_t;

/* Shared by both pooling ops (TFLM PoolingPrepare). */
static eng_status_t pool_prepare(eng_node_t *node) {
  const eng_pool_options_t *opt = &node->options->pool;
  if (eng_num_inputs(node) != 1 || eng_num_outputs(node) != 1) {
    return eng_fail(node, ENG_ERR_MALFORMED, "expects 1 input and 1 output");
  }
  const eng_tensor_t *input = eng_input(node, 0);
  const eng_tensor_t *output = eng_output(node, 0);
  if (input == NULL || output == NULL) {
    return eng_fail(node, ENG_ERR_MALFORMED, "missing input or output");
  }
  pool_op_t *op = eng_alloc_persistent(node, sizeof *op);
  if (op == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  eng_status_t st;
  pool_shapes_t shapes;
  pool_shapes_t *sh = &shapes;
  if ((st = eng_conv_nhwc(node, input, "input", &sh->in)) != ENG_OK ||
      (st = eng_conv_nhwc(node, output, "output", &sh->out)) != ENG_OK) {
    return st;
  }
  if (sh->in.n != sh->out.n || sh->in.c != sh->out.c) {
    return eng_fail(node, ENG_ERR_SHAPE, "batch and channels of input and output must match");
  }
  /* Bounding the window keeps the int8 average's int32 sum exact (≤ 2^24 taps × 128). */
  if (opt->filter_h < 1 || opt->filter_w < 1 ||
      (int64_t)opt->filter_h * opt->filter_w > (1 << 24)) {
    return eng_fail(node, ENG_ERR_MALFORMED, "filter %dx%d", opt->filter_h, opt->filter_w);
  }
  eng_pool_params_t *p = &op->params;
  p->stride_h = opt->stride_h;
  p->stride_w = opt->stride_w;
  p->filter_h = opt->filter_h;
  p->filter_w = opt->filter_w;
  /* With TFLM's output extent and padding every window overlaps the image, so the
   * average never divides by zero. */
  if ((st = eng_conv_axis(node, "height", opt->padding, sh->in.h, opt->filter_h, opt->stride_h, 1,
                          sh->out.h, &p->pad_h)) != ENG_OK ||
      (st = eng_conv_axis(node, "width", opt->padding, sh->in.w, opt->filter_w, opt->stride_w, 1,
                          sh->out.w, &p->pad_w)) != ENG_OK ||
      (st = eng_conv_check_activation(node, opt->activation)) != ENG_OK) {
    return st;
  }
  if ((st = eng_conv_io_type(node, input, output, opt->activation, &p->act_min_f, &p->act_max_f)) !=
      ENG_OK) {
    return st;
  }
  op->type = input->type;
  if (input->type == ENG_INT8) {
    if (input->quant_count == 0 || output->quant_count == 0) {
      return eng_fail(node, ENG_ERR_MALFORMED, "int8 input and output need quantization");
    }
    /* The kernels pass quantized values through unchanged, so TFLM insists on equal
     * quantization (same tolerance and message sense as pooling_common.cc). */
    if (fabs((double)input->scale - (double)output->scale) > 1.0e-6 ||
        input->zero_point != output->zero_point) {
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE,
                      "input and output quantization must be equal");
    }
    if ((st = eng_conv_act_range(node, output, opt->activation, &p->act_min, &p->act_max)) !=
        ENG_OK) {
      return st;
    }
  }
  node->user_data = op;
  return ENG_OK;
}

/* Eval of both pools (avg: the average; it fails on a window without in-image taps). */
static inline eng_status_t pool_eval(eng_node_t *node, const int avg) {
  const pool_op_t *op = node->user_data;
  const eng_tensor_t *input = eng_input(node, 0);
  eng_tensor_t *output = eng_output(node, 0);
  const eng_nhwc_t in = eng_nhwc_of(input), out = eng_nhwc_of(output);
  int ok = 1;
  if (op->type == ENG_INT8) {
    if (avg) {
      ok = eng_ref_avg_pool_s8(&op->params, &in, input->data, &out, output->data);
    } else {
      eng_ref_max_pool_s8(&op->params, &in, input->data, &out, output->data);
    }
  } else if (avg) {
    ok = eng_ref_avg_pool_f32(&op->params, &in, input->data, &out, output->data);
  } else {
    eng_ref_max_pool_f32(&op->params, &in, input->data, &out, output->data);
  }
  return ok ? ENG_OK : eng_fail(node, ENG_ERR_KERNEL, "empty pooling window");
}

static eng_status_t max_pool_eval(eng_node_t *node) {
  return pool_eval(node, 0);
}

static eng_status_t average_pool_eval(eng_node_t *node) {
  return pool_eval(node, 1);
}

eng_status_t eng_parse_pool_options(eng_node_t *node, eng_options_reader_t *r,
                                    eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 5); /* Pool2DOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->pool.padding = (eng_padding_t)eng_option_i8(r, 0, 0);
  o->pool.stride_w = eng_option_i32(r, 1, 0);
  o->pool.stride_h = eng_option_i32(r, 2, 0);
  o->pool.filter_w = eng_option_i32(r, 3, 0);
  o->pool.filter_h = eng_option_i32(r, 4, 0);
  o->pool.activation = (eng_activation_t)eng_option_i8(r, 5, 0);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_max_pool_2d_ref = {ENG_OP_MAX_POOL_2D, NULL, eng_parse_pool_options,
                                                 pool_prepare, max_pool_eval};
const eng_kernel_t eng_kernel_average_pool_2d_ref = {
    ENG_OP_AVERAGE_POOL_2D, NULL, eng_parse_pool_options, pool_prepare, average_pool_eval};

/* ---- compute cores ---- */

/* Both pools walk the same windows: only the reduction (max, or a sum divided by the
 * in-image taps) and the element type differ. `avg`, the element size and the window
 * function are constants at every call and the walk is always inlined, so each core
 * compiles to its own loop without a per-tap test. */
#define POOL_WALK static inline __attribute__((always_inline))

/* Every channel of one output position: the window's rows × cols in-image taps start at
 * `in` (channel 0); writes depth outputs from `out` and returns the next output. */
typedef void *pool_window_fn(const eng_pool_params_t *p, const void *in, void *out, int32_t depth,
                             int32_t in_row, int32_t rows, int32_t cols, int avg);

/* 0 when a window has no tap in the image (the average only; prepare rules it out). */
POOL_WALK int pool_walk(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const void *input,
                        const eng_nhwc_t *out_dims, void *output, const int avg, const size_t elem,
                        pool_window_fn *window) {
  const int32_t in_h = in_dims->h, in_w = in_dims->w, depth = in_dims->c;
  const int32_t in_row = in_w * depth;

  for (int32_t b = 0; b < in_dims->n; ++b) {
    const uint8_t *in_batch = (const uint8_t *)input + (size_t)b * in_h * in_row * elem;
    for (int32_t oy = 0; oy < out_dims->h; ++oy) {
      const eng_pool_window_t ty = eng_pool_window(oy, p->stride_h, p->pad_h, p->filter_h, in_h);
      for (int32_t ox = 0; ox < out_dims->w; ++ox) {
        const eng_pool_window_t tx = eng_pool_window(ox, p->stride_w, p->pad_w, p->filter_w, in_w);
        if (avg && (ty.end <= ty.first || tx.end <= tx.first)) {
          return 0;
        }
        const uint8_t *in_origin = in_batch + (ty.start * in_row + tx.start * depth) * elem;
        output =
            window(p, in_origin, output, depth, in_row, ty.end - ty.first, tx.end - tx.first, avg);
      }
    }
  }
  return 1;
}

/* int8: max, or the sum rounded half away from zero over the clipped window. */
POOL_WALK void *window_s8(const eng_pool_params_t *p, const void *in, void *out, int32_t depth,
                          int32_t in_row, int32_t rows, int32_t cols, int avg) {
  int8_t *output = out;
  /* Only in-image taps count: the divisor is the clipped window size. */
  const int32_t count = rows * cols;
  const int32_t half = count / 2;
  for (int32_t c = 0; c < depth; ++c) {
    const int8_t *in_y = (const int8_t *)in + c;
    int32_t acc = avg ? 0 : INT8_MIN;
    for (int32_t fy = 0; fy < rows; ++fy) {
      const int8_t *ip = in_y;
      for (int32_t fx = 0; fx < cols; ++fx) {
        if (avg) {
          acc += *ip;
        } else if (*ip > acc) {
          acc = *ip;
        }
        ip += depth;
      }
      in_y += in_row;
    }
    /* Round half away from zero; C division truncates toward zero. */
    if (avg) {
      acc = acc > 0 ? (acc + half) / count : (acc - half) / count;
    }
    if (acc < p->act_min) {
      acc = p->act_min;
    }
    if (acc > p->act_max) {
      acc = p->act_max;
    }
    *output++ = (int8_t)acc;
  }
  return output;
}

/* float32: max (std::max: a NaN input never replaces the running max), or the sum over the
 * clipped window divided by its size. */
POOL_WALK void *window_f32(const eng_pool_params_t *p, const void *in, void *out, int32_t depth,
                           int32_t in_row, int32_t rows, int32_t cols, int avg) {
  float *output = out;
  const float count = (float)(rows * cols);
  for (int32_t c = 0; c < depth; ++c) {
    const float *in_y = (const float *)in + c;
    float acc = avg ? 0.0f : -3.40282347e+38f;
    for (int32_t fy = 0; fy < rows; ++fy) {
      const float *ip = in_y;
      for (int32_t fx = 0; fx < cols; ++fx) {
        if (avg) {
          acc += *ip;
        } else if (acc < *ip) {
          acc = *ip;
        }
        ip += depth;
      }
      in_y += in_row;
    }
    if (avg) {
      acc = acc / count;
    }
    acc = (acc < p->act_min_f) ? p->act_min_f : acc;
    acc = (p->act_max_f < acc) ? p->act_max_f : acc;
    *output++ = acc;
  }
  return output;
}

POOL_WALK int pool_s8(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const int8_t *input,
                      const eng_nhwc_t *out_dims, int8_t *output, const int avg) {
  return pool_walk(p, in_dims, input, out_dims, output, avg, sizeof *input, window_s8);
}

POOL_WALK int pool_f32(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const float *input,
                       const eng_nhwc_t *out_dims, float *output, const int avg) {
  return pool_walk(p, in_dims, input, out_dims, output, avg, sizeof *input, window_f32);
}

void eng_ref_max_pool_s8(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const int8_t *input,
                         const eng_nhwc_t *out_dims, int8_t *output) {
  (void)pool_s8(p, in_dims, input, out_dims, output, 0);
}

void eng_ref_max_pool_f32(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const float *input,
                          const eng_nhwc_t *out_dims, float *output) {
  (void)pool_f32(p, in_dims, input, out_dims, output, 0);
}

int eng_ref_avg_pool_s8(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const int8_t *input,
                        const eng_nhwc_t *out_dims, int8_t *output) {
  return pool_s8(p, in_dims, input, out_dims, output, 1);
}

int eng_ref_avg_pool_f32(const eng_pool_params_t *p, const eng_nhwc_t *in_dims, const float *input,
                         const eng_nhwc_t *out_dims, float *output) {
  return pool_f32(p, in_dims, input, out_dims, output, 1);
}
