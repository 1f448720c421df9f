/*
 * filter_bank_square_root.c – SignalFilterBankSquareRoot: rounded integer square root of
 * each channel's energy, shifted down by the FFT auto-scale bits.
 */
#include "signal_kernel.h"

void xs_sig_filter_bank_sqrt(const uint64_t *in, int32_t n, int32_t scale_down_bits,
                             uint32_t *out) {
  for (int32_t i = 0; i < n; ++i) {
    out[i] = xs_sig_sqrt64(in[i]) >> scale_down_bits;
  }
}

/* ---- kernel ---- */

static xs_status_t filter_bank_sqrt_prepare(xs_node_t *node) {
  xs_status_t st;
  if ((st = xs_sig_arity(node, 2, 1)) != XS_OK) return st;
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *bits = xs_input(node, 1);
  const xs_tensor_t *out = xs_output(node, 0);
  if ((st = xs_sig_tensor(node, in, "input", XS_UINT64, 1)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, bits, "scale bits", XS_INT32, 0)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, out, "output", XS_UINT32, 1)) != XS_OK) return st;
  if (out->dims[0] < in->dims[0]) {
    return xs_fail(node, XS_ERR_SHAPE, "output (%d) shorter than input (%d)", out->dims[0],
                   in->dims[0]);
  }
  return XS_OK;
}

static xs_status_t filter_bank_sqrt_eval(xs_node_t *node) {
  const xs_tensor_t *in = xs_input(node, 0);
  int32_t bits = *(const int32_t *)xs_input(node, 1)->data;
  /* Auto-scale produces 0..15; anything else would be an undefined shift in TFLM. Pin it
   * to the defined range instead of failing at eval time. */
  bits = bits < 0 ? 0 : (bits > 31 ? 31 : bits);
  xs_sig_filter_bank_sqrt(in->data, in->dims[0], bits, xs_output(node, 0)->data);
  return XS_OK;
}

const xs_kernel_t xs_kernel_signal_filter_bank_square_root = {
    XS_OP_CUSTOM, "SignalFilterBankSquareRoot", filter_bank_sqrt_prepare, filter_bank_sqrt_eval};
