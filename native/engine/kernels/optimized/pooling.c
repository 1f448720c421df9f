/* pooling.c – optimized MAX_POOL_2D and AVERAGE_POOL_2D, int8, bit-exact with the
 * reference: four channels per word (SSUB8/SEL byte maxima; SXTAB16 int16 lane sums),
 * window clipped once per output position like the reference. float32 runs the
 * reference kernels. */

#include <stddef.h>
#include <stdint.h>

#include "../reference/conv_common.h"
#include "opt_common.h"
#include "quant.h"

extern const eng_kernel_t eng_kernel_max_pool_2d_ref;
extern const eng_kernel_t eng_kernel_average_pool_2d_ref;

typedef struct pool_opt {
  void *ref_data;
  int32_t fast;
  eng_pool_params_t p;
  eng_nhwc_t in, out;
} pool_opt_t;
_Static_assert(offsetof(pool_opt_t, ref_data) == 0, "eng_opt_prepare_ref fills the first member");

static eng_status_t pool_opt_prepare(eng_node_t *node, const eng_kernel_t *ref) {
  eng_status_t st;
  pool_opt_t *op = eng_opt_prepare_ref(node, ref, sizeof *op, &st); /* validates like TFLM */
  if (op == NULL) {
    return st;
  }
  const eng_pool_options_t *o = &node->options->pool;
  const eng_tensor_t *input = eng_input(node, 0);
  const eng_tensor_t *output = eng_output(node, 0);
  if (input->type != ENG_INT8) {
    return ENG_OK;
  }
  if ((st = eng_conv_nhwc(node, input, "input", &op->in)) != ENG_OK ||
      (st = eng_conv_nhwc(node, output, "output", &op->out)) != ENG_OK ||
      (st = eng_conv_axis(node, "height", o->padding, op->in.h, o->filter_h, o->stride_h, 1,
                          op->out.h, &op->p.pad_h)) != ENG_OK ||
      (st = eng_conv_axis(node, "width", o->padding, op->in.w, o->filter_w, o->stride_w, 1,
                          op->out.w, &op->p.pad_w)) != ENG_OK) {
    return st;
  }
  op->p.stride_h = o->stride_h;
  op->p.stride_w = o->stride_w;
  op->p.filter_h = o->filter_h;
  op->p.filter_w = o->filter_w;
  if (eng_activation_range_quantized(o->activation, ENG_INT8, output->scale, output->zero_point,
                                     &op->p.act_min, &op->p.act_max) != ENG_OK) {
    return ENG_OK;
  }
  op->fast = 1;
  return ENG_OK;
}

static eng_status_t max_pool_prepare(eng_node_t *node) {
  return pool_opt_prepare(node, &eng_kernel_max_pool_2d_ref);
}

static eng_status_t average_pool_prepare(eng_node_t *node) {
  return pool_opt_prepare(node, &eng_kernel_average_pool_2d_ref);
}

static void max_pool_s8(const pool_opt_t *op, const int8_t *input, int8_t *output) {
  const eng_pool_params_t *p = &op->p;
  const int32_t in_h = op->in.h, in_w = op->in.w, C = op->in.c;
  const int32_t in_row = in_w * C;
  /* Clamp words: lanes hold act_min / act_max (byte maxima against min, then the
   * negated trick is avoided by a scalar min only when act_max < 127). */
  const uint32_t lo = (uint32_t)(uint8_t)p->act_min * 0x01010101u;
  const int clamp_hi = p->act_max < 127;
  for (int32_t b = 0; b < op->in.n; b++) {
    const int8_t *in_batch = input + (size_t)b * (size_t)in_h * (size_t)in_row;
    for (int32_t oy = 0; oy < op->out.h; oy++) {
      const eng_pool_window_t ty = eng_pool_window(oy, p->stride_h, p->pad_h, p->filter_h, in_h);
      for (int32_t ox = 0; ox < op->out.w; ox++) {
        const eng_pool_window_t tx = eng_pool_window(ox, p->stride_w, p->pad_w, p->filter_w, in_w);
        const int8_t *origin = in_batch + ty.start * in_row + tx.start * C;
        int32_t c = 0;
        for (; c + 4 <= C; c += 4) {
          uint32_t m = 0x80808080u; /* every lane INT8_MIN, like the reference's start */
          const int8_t *ry = origin + c;
          for (int32_t fy = ty.first; fy < ty.end; fy++, ry += in_row) {
            const int8_t *px = ry;
            for (int32_t fx = tx.first; fx < tx.end; fx++, px += C) {
              m = eng_max4(m, eng_ld32(px));
            }
          }
          m = eng_max4(m, lo);
          if (clamp_hi) {
            for (int32_t j = 0; j < 4; j++) {
              const int8_t v = (int8_t)(m >> (8 * j));
              output[c + j] = v > p->act_max ? (int8_t)p->act_max : v;
            }
          } else {
            eng_st32(output + c, m);
          }
        }
        for (; c < C; c++) {
          int32_t m = INT8_MIN;
          const int8_t *ry = origin + c;
          for (int32_t fy = ty.first; fy < ty.end; fy++, ry += in_row) {
            const int8_t *px = ry;
            for (int32_t fx = tx.first; fx < tx.end; fx++, px += C) {
              m = *px > m ? *px : m;
            }
          }
          m = m < p->act_min ? p->act_min : m;
          output[c] = (int8_t)(m > p->act_max ? p->act_max : m);
        }
        output += C;
      }
    }
  }
}

static eng_status_t max_pool_eval(eng_node_t *node) {
  pool_opt_t *op = node->user_data;
  if (!op->fast) return eng_opt_eval_ref(node, &eng_kernel_max_pool_2d_ref, op->ref_data);
  max_pool_s8(op, eng_input(node, 0)->data, eng_output(node, 0)->data);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_max_pool_2d_opt = {ENG_OP_MAX_POOL_2D, NULL, eng_parse_pool_options,
                                                 max_pool_prepare, max_pool_eval};

/* ---- AVERAGE_POOL_2D ---- */

/* The reference's rounded average: half away from zero, C division toward zero. */
static inline int8_t avg_of(int32_t sum, int32_t count, int32_t half, int32_t lo, int32_t hi) {
  int32_t avg = (sum > 0 ? sum + half : sum - half) / count;
  avg = avg < lo ? lo : avg;
  return (int8_t)(avg > hi ? hi : avg);
}

/* 0 when a window misses the image (the reference fails the same way). */
static int avg_pool_s8(const pool_opt_t *op, const int8_t *input, int8_t *output) {
  const eng_pool_params_t *p = &op->p;
  const int32_t in_h = op->in.h, in_w = op->in.w, C = op->in.c;
  const int32_t in_row = in_w * C;
  const int32_t lo = p->act_min, hi = p->act_max;
  for (int32_t b = 0; b < op->in.n; b++) {
    const int8_t *in_batch = input + (size_t)b * (size_t)in_h * (size_t)in_row;
    for (int32_t oy = 0; oy < op->out.h; oy++) {
      const eng_pool_window_t ty = eng_pool_window(oy, p->stride_h, p->pad_h, p->filter_h, in_h);
      for (int32_t ox = 0; ox < op->out.w; ox++, output += C) {
        const eng_pool_window_t tx = eng_pool_window(ox, p->stride_w, p->pad_w, p->filter_w, in_w);
        const int32_t rows = ty.end - ty.first, cols = tx.end - tx.first;
        if (rows <= 0 || cols <= 0) {
          return 0;
        }
        const int32_t count = rows * cols, half = count / 2;
        const int8_t *origin = in_batch + ty.start * in_row + tx.start * C;
        int32_t c = 0;
        /* int16 lanes hold sums of up to 255 int8 values exactly (|sum| <= 32640). */
        if (count <= 255) {
          for (; c + 4 <= C; c += 4) {
            uint32_t se = 0, so = 0; /* (c0, c2), (c1, c3) */
            const int8_t *ry = origin + c;
            for (int32_t fy = 0; fy < rows; fy++, ry += in_row) {
              const int8_t *px = ry;
              int32_t n = cols;
              for (; n >= 2; n -= 2, px += 2 * C) {
                const uint32_t v0 = eng_ld32(px), v1 = eng_ld32(px + C);
                se = eng_sxtab16(se, v0);
                so = eng_sxtab16_ror8(so, v0);
                se = eng_sxtab16(se, v1);
                so = eng_sxtab16_ror8(so, v1);
              }
              if (n) {
                const uint32_t v0 = eng_ld32(px);
                se = eng_sxtab16(se, v0);
                so = eng_sxtab16_ror8(so, v0);
              }
            }
            output[c] = avg_of((int16_t)(se & 0xFFFFu), count, half, lo, hi);
            output[c + 1] = avg_of((int16_t)(so & 0xFFFFu), count, half, lo, hi);
            output[c + 2] = avg_of((int16_t)(se >> 16), count, half, lo, hi);
            output[c + 3] = avg_of((int16_t)(so >> 16), count, half, lo, hi);
          }
        }
        for (; c < C; c++) {
          int32_t sum = 0;
          const int8_t *ry = origin + c;
          for (int32_t fy = 0; fy < rows; fy++, ry += in_row) {
            const int8_t *px = ry;
            for (int32_t fx = 0; fx < cols; fx++, px += C) {
              sum += *px;
            }
          }
          output[c] = avg_of(sum, count, half, lo, hi);
        }
      }
    }
  }
  return 1;
}

static eng_status_t average_pool_eval(eng_node_t *node) {
  pool_opt_t *op = node->user_data;
  if (!op->fast) return eng_opt_eval_ref(node, &eng_kernel_average_pool_2d_ref, op->ref_data);
  return avg_pool_s8(op, eng_input(node, 0)->data, eng_output(node, 0)->data)
             ? ENG_OK
             : eng_fail(node, ENG_ERR_KERNEL, "empty pooling window");
}

const eng_kernel_t eng_kernel_average_pool_2d_opt = {
    ENG_OP_AVERAGE_POOL_2D, NULL, eng_parse_pool_options, average_pool_prepare, average_pool_eval};
