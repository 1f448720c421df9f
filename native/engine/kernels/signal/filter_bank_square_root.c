/*
 * filter_bank_square_root.c – SignalFilterBankSquareRoot: rounded integer square root of
 * each channel's energy, shifted down by the FFT auto-scale bits.
 */
#include "signal_kernel.h"

void eng_sig_filter_bank_sqrt(const uint64_t *in, int32_t n, int32_t scale_down_bits,
                              uint32_t *out) {
  for (int32_t i = 0; i < n; ++i) {
    out[i] = eng_sig_sqrt64(in[i]) >> scale_down_bits;
  }
}

/* ---- kernel ---- */

static eng_status_t filter_bank_sqrt_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 2, 1)) != ENG_OK) return st;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *bits = eng_input(node, 1);
  const eng_tensor_t *out = eng_output(node, 0);
  if ((st = eng_sig_tensor(node, in, "input", ENG_UINT64, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, bits, "scale bits", ENG_INT32, 0)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, out, "output", ENG_UINT32, 1)) != ENG_OK) return st;
  if (out->dims[0] < in->dims[0]) {
    return eng_fail(node, ENG_ERR_SHAPE, "output (%d) shorter than input (%d)", out->dims[0],
                    in->dims[0]);
  }
  return ENG_OK;
}

static eng_status_t filter_bank_sqrt_eval(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  int32_t bits = *(const int32_t *)eng_input(node, 1)->data;
  /* Auto-scale produces 0..15; anything else would be an undefined shift in TFLM. Pin it
   * to the defined range instead of failing at eval time. */
  bits = bits < 0 ? 0 : (bits > 31 ? 31 : bits);
  eng_sig_filter_bank_sqrt(in->data, in->dims[0], bits, eng_output(node, 0)->data);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_filter_bank_square_root = {
    ENG_OP_CUSTOM, "SignalFilterBankSquareRoot", NULL, filter_bank_sqrt_prepare,
    filter_bank_sqrt_eval};
