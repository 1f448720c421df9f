/*
 * reshape.c – RESHAPE: same bytes, new shape (from the model). Copies like TFLM when
 * input and output are different buffers.
 */
#include <string.h>

#include "kernel.h"

static eng_status_t reshape_prepare(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  if (in == NULL || out == NULL) {
    return eng_fail(node, ENG_ERR_SHAPE, "needs input and output");
  }
  if (in->type != out->type || in->bytes != out->bytes) {
    return eng_fail(node, ENG_ERR_SHAPE, "input %u bytes %s, output %u bytes %s", in->bytes,
                    eng_type_name((eng_type_t)in->type), out->bytes,
                    eng_type_name((eng_type_t)out->type));
  }
  return ENG_OK;
}

static eng_status_t reshape_eval(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  eng_tensor_t *out = eng_output(node, 0);
  if (in->data != out->data) {
    memmove(out->data, in->data, in->bytes);
  }
  return ENG_OK;
}

static eng_status_t parse_reshape_options(eng_node_t *node, eng_options_reader_t *r,
                                          eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 17); /* ReshapeOptions */
  if (st != ENG_OK) {
    return st;
  }
  const int32_t len = eng_option_i32_vector(r, 0, o->reshape.new_shape, ENG_MAX_DIMS);
  if (len < 0) {
    return eng_fail(node, ENG_ERR_MALFORMED, "new_shape invalid");
  }
  o->reshape.new_shape_len = (uint32_t)len;
  return ENG_OK;
}

const eng_kernel_t eng_kernel_reshape_ref = {ENG_OP_RESHAPE, NULL, parse_reshape_options,
                                             reshape_prepare, reshape_eval};
