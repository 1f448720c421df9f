/*
 * reshape.c – RESHAPE: same bytes, new shape (from the model). Copies like TFLM when
 * input and output are different buffers.
 */
#include <string.h>

#include "kernel.h"

static xs_status_t reshape_prepare(xs_node_t *node) {
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *out = xs_output(node, 0);
  if (in == NULL || out == NULL) {
    return xs_fail(node, XS_ERR_SHAPE, "needs input and output");
  }
  if (in->type != out->type || in->bytes != out->bytes) {
    return xs_fail(node, XS_ERR_SHAPE, "input %u bytes %s, output %u bytes %s", in->bytes,
                   xs_type_name((xs_type_t)in->type), out->bytes, xs_type_name((xs_type_t)out->type));
  }
  return XS_OK;
}

static xs_status_t reshape_eval(xs_node_t *node) {
  const xs_tensor_t *in = xs_input(node, 0);
  xs_tensor_t *out = xs_output(node, 0);
  if (in->data != out->data) {
    memmove(out->data, in->data, in->bytes);
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_reshape_ref = {XS_OP_RESHAPE, NULL, reshape_prepare, reshape_eval};
