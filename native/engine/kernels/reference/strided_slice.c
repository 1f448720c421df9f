/*
 * strided_slice.c – STRIDED_SLICE with TFLM micro semantics: constant begin/end/strides,
 * begin/end/shrink-axis masks, negative indices and strides, up to 5 dimensions (padded
 * at the front), any element type (elements are copied, never converted).
 */
#include <string.h>

#include "kernel.h"

#define SS_DIMS 5

typedef struct {
  int32_t start[SS_DIMS], stop[SS_DIMS], stride[SS_DIMS];
  int32_t in_stride[SS_DIMS]; /* elements between consecutive indices of each axis */
  uint32_t elem_bytes;
  uint32_t count; /* output elements */
} strided_slice_data_t;

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v > hi ? hi : (v < lo ? lo : v);
}

/* Iterations of `for (i = start; stride > 0 ? i < stop : i > stop; i += stride)`. */
static int32_t span(int32_t start, int32_t stop, int32_t stride) {
  if (stride > 0) {
    return stop > start ? (int32_t)(((int64_t)stop - start + stride - 1) / stride) : 0;
  }
  return start > stop ? (int32_t)(((int64_t)start - stop - stride - 1) / -(int64_t)stride) : 0;
}

static eng_status_t ss_prepare(eng_node_t *node) {
  if (eng_num_inputs(node) != 4 || eng_num_outputs(node) != 1) {
    return eng_fail(node, ENG_ERR_SHAPE, "expects 4 inputs and 1 output");
  }
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *idx[3] = {eng_input(node, 1), eng_input(node, 2), eng_input(node, 3)};
  const eng_tensor_t *out = eng_output(node, 0);
  if (in == NULL || out == NULL || idx[0] == NULL || idx[1] == NULL || idx[2] == NULL) {
    return eng_fail(node, ENG_ERR_SHAPE, "missing input or output");
  }
  if (in->type != out->type || eng_type_size((eng_type_t)in->type) == 0) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "input %s, output %s",
                    eng_type_name((eng_type_t)in->type), eng_type_name((eng_type_t)out->type));
  }
  const int32_t rank = in->rank;
  if (rank < 1 || rank > SS_DIMS) {
    return eng_fail(node, ENG_ERR_SHAPE, "input rank %d (1..%d supported)", rank, SS_DIMS);
  }
  for (int k = 0; k < 3; ++k) {
    if (idx[k]->type != ENG_INT32 || !idx[k]->is_const ||
        eng_tensor_elements(idx[k]) != (uint32_t)rank) {
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE,
                      "begin/end/strides must be constant int32 with %d entries", rank);
    }
  }
  const eng_strided_slice_options_t *o = &node->options->strided_slice;
  if (o->ellipsis_mask != 0 || o->new_axis_mask != 0) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "ellipsis and new-axis masks");
  }
  strided_slice_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  const int32_t *begin = idx[0]->data, *end = idx[1]->data, *strides = idx[2]->data;
  const int32_t pad = SS_DIMS - rank;
  int32_t out_dims[SS_DIMS];
  int32_t out_rank = 0;
  uint32_t count = 1;
  int32_t step = 1;
  for (int32_t a = SS_DIMS - 1; a >= 0; --a) {
    const int32_t src = a - pad; /* axis in the model's numbering; < 0 = padding */
    const int32_t size = src >= 0 ? in->dims[src] : 1;
    d->in_stride[a] = step;
    step *= size;
    if (src < 0) { /* padded axes take their single element */
      d->start[a] = 0;
      d->stop[a] = 1;
      d->stride[a] = 1;
      continue;
    }
    const int32_t stride = strides[src];
    if (stride == 0) {
      return eng_fail(node, ENG_ERR_SHAPE, "stride of axis %d is zero", src);
    }
    const int shrink = (o->shrink_axis_mask >> src) & 1;
    /* start: wrap negatives, clamp, then the begin mask (TFLM's eval-time order) */
    int32_t start = begin[src];
    if (start < 0) start += size;
    start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
    if ((o->begin_mask >> src) & 1) start = stride > 0 ? 0 : size - 1;
    int32_t stop;
    if (shrink) {
      stop = start >= size ? start : start + 1;
    } else {
      stop = end[src];
      if (stop < 0) stop += size;
      stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
      if ((o->end_mask >> src) & 1) stop = stride > 0 ? size : -1;
    }
    d->start[a] = start;
    d->stop[a] = stop;
    d->stride[a] = stride;
    const int32_t n = span(start, stop, stride);
    count *= (uint32_t)n;
    if (!shrink) {
      out_dims[out_rank++] = n; /* collected innermost first */
    }
  }
  if (out->rank != out_rank) {
    return eng_fail(node, ENG_ERR_SHAPE, "output rank %d, slice gives %d", (int32_t)out->rank,
                    out_rank);
  }
  for (int32_t k = 0; k < out_rank; ++k) {
    if (out->dims[k] != out_dims[out_rank - 1 - k]) {
      return eng_fail(node, ENG_ERR_SHAPE, "output dim %d is %d, slice gives %d", k, out->dims[k],
                      out_dims[out_rank - 1 - k]);
    }
  }
  d->elem_bytes = eng_type_size((eng_type_t)in->type);
  d->count = count;
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t ss_eval(eng_node_t *node) {
  const strided_slice_data_t *d = node->user_data;
  if (d->count == 0) {
    return ENG_OK;
  }
  const uint8_t *in = eng_input(node, 0)->data;
  uint8_t *out = eng_output(node, 0)->data;
  const uint32_t eb = d->elem_bytes;
  const int32_t n4 = span(d->start[4], d->stop[4], d->stride[4]);
  const int contiguous = d->stride[4] == 1;
  int32_t i[4];
  /* Outer four axes as an odometer; the innermost axis is one run (memcpy when its
   * stride is 1). */
  for (i[0] = d->start[0]; d->stride[0] > 0 ? i[0] < d->stop[0] : i[0] > d->stop[0];
       i[0] += d->stride[0]) {
    for (i[1] = d->start[1]; d->stride[1] > 0 ? i[1] < d->stop[1] : i[1] > d->stop[1];
         i[1] += d->stride[1]) {
      for (i[2] = d->start[2]; d->stride[2] > 0 ? i[2] < d->stop[2] : i[2] > d->stop[2];
           i[2] += d->stride[2]) {
        for (i[3] = d->start[3]; d->stride[3] > 0 ? i[3] < d->stop[3] : i[3] > d->stop[3];
             i[3] += d->stride[3]) {
          const int32_t base = i[0] * d->in_stride[0] + i[1] * d->in_stride[1] +
                               i[2] * d->in_stride[2] + i[3] * d->in_stride[3];
          if (contiguous) {
            memcpy(out, in + (size_t)(base + d->start[4]) * eb, (size_t)n4 * eb);
            out += (size_t)n4 * eb;
          } else {
            int32_t j = d->start[4];
            for (int32_t k = 0; k < n4; ++k, j += d->stride[4]) {
              memcpy(out, in + (size_t)(base + j) * eb, eb);
              out += eb;
            }
          }
        }
      }
    }
  }
  return ENG_OK;
}

static eng_status_t parse_strided_slice_options(eng_node_t *node, eng_options_reader_t *r,
                                                eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 32); /* StridedSliceOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->strided_slice.begin_mask = eng_option_i32(r, 0, 0);
  o->strided_slice.end_mask = eng_option_i32(r, 1, 0);
  o->strided_slice.ellipsis_mask = eng_option_i32(r, 2, 0);
  o->strided_slice.new_axis_mask = eng_option_i32(r, 3, 0);
  o->strided_slice.shrink_axis_mask = eng_option_i32(r, 4, 0);
  o->strided_slice.offset = eng_option_bool(r, 5, 0);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_strided_slice_ref = {
    ENG_OP_STRIDED_SLICE, NULL, parse_strided_slice_options, ss_prepare, ss_eval};
