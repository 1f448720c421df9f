/*
 * concatenation.c – CONCATENATION along one axis, TFLM micro semantics: float32, int8,
 * int16, int32 and int64, no fused activation, bytes copied as they are (int8 inputs are
 * not requantized even when their scales differ, exactly like TFLM's kernel).
 */
#include <string.h>

#include "kernel.h"

typedef struct {
  uint32_t outer; /* product of the dims before the axis */
  uint32_t num_inputs;
  uint32_t *chunk_bytes; /* per input: its axis dim x inner dims x element size */
} concat_data_t;

static eng_status_t concat_prepare(eng_node_t *node) {
  const uint32_t n = eng_num_inputs(node);
  const eng_tensor_t *out = eng_output(node, 0);
  if (n < 1 || eng_num_outputs(node) != 1 || out == NULL) {
    return eng_fail(node, ENG_ERR_SHAPE, "expects at least 1 input and 1 output");
  }
  switch (out->type) {
    case ENG_FLOAT32:
    case ENG_INT8:
    case ENG_INT16:
    case ENG_INT32:
    case ENG_INT64: break;
    default: return eng_fail_type(node, out);
  }
  const eng_concat_options_t *o = &node->options->concat;
  if (o->activation != ENG_ACT_NONE) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "fused activation %d", (int32_t)o->activation);
  }
  const int32_t rank = out->rank;
  const int32_t axis = o->axis < 0 ? o->axis + rank : o->axis;
  if (rank < 1 || axis < 0 || axis >= rank) {
    return eng_fail(node, ENG_ERR_SHAPE, "axis %d out of range for rank %d", o->axis, rank);
  }
  concat_data_t *d = eng_alloc_persistent(node, sizeof *d);
  uint32_t *chunks = eng_alloc_persistent(node, n * sizeof(uint32_t));
  if (d == NULL || chunks == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  const uint32_t esize = eng_type_size((eng_type_t)out->type);
  uint32_t outer = 1, inner = 1;
  for (int32_t k = 0; k < axis; ++k) outer *= (uint32_t)out->dims[k];
  for (int32_t k = axis + 1; k < rank; ++k) inner *= (uint32_t)out->dims[k];
  int64_t axis_sum = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const eng_tensor_t *in = eng_input(node, i);
    if (in == NULL || in->type != out->type || in->rank != rank) {
      return eng_fail(node, ENG_ERR_SHAPE, "input %u must be %s of rank %d", i,
                      eng_type_name((eng_type_t)out->type), rank);
    }
    for (int32_t k = 0; k < rank; ++k) {
      if (k != axis && in->dims[k] != out->dims[k]) {
        return eng_fail(node, ENG_ERR_SHAPE, "input %u dim %d is %d, output has %d", i, k,
                        in->dims[k], out->dims[k]);
      }
    }
    axis_sum += in->dims[axis];
    chunks[i] = (uint32_t)in->dims[axis] * inner * esize;
  }
  if (axis_sum != out->dims[axis]) {
    return eng_fail(node, ENG_ERR_SHAPE, "inputs sum to %d along axis %d, output has %d",
                    (int32_t)axis_sum, axis, out->dims[axis]);
  }
  d->outer = outer;
  d->num_inputs = n;
  d->chunk_bytes = chunks;
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t concat_eval(eng_node_t *node) {
  const concat_data_t *d = node->user_data;
  uint8_t *out = eng_output(node, 0)->data;
  for (uint32_t o = 0; o < d->outer; ++o) {
    for (uint32_t i = 0; i < d->num_inputs; ++i) {
      const uint32_t bytes = d->chunk_bytes[i];
      memcpy(out, (const uint8_t *)eng_input(node, i)->data + (size_t)o * bytes, bytes);
      out += bytes;
    }
  }
  return ENG_OK;
}

static eng_status_t parse_concat_options(eng_node_t *node, eng_options_reader_t *r,
                                         eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 10); /* ConcatenationOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->concat.axis = eng_option_i32(r, 0, 0);
  o->concat.activation = (eng_activation_t)eng_option_i8(r, 1, 0);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_concatenation_ref = {ENG_OP_CONCATENATION, NULL, parse_concat_options,
                                                   concat_prepare, concat_eval};
