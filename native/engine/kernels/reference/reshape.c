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

const eng_kernel_t eng_kernel_reshape_ref = {ENG_OP_RESHAPE, NULL, reshape_prepare, reshape_eval};
