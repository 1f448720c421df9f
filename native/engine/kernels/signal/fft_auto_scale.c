/*
 * fft_auto_scale.c – SignalFftAutoScale: left-shifts a frame so its peak uses the full
 * int16 range before the fixed-point FFT, and reports the shift for later undoing.
 */
#include "signal_kernel.h"

/* TFLM's MaxAbs16 keeps its running maximum in an int16, so a sample of -32768 stores
 * 32768 as -32768 (and later samples are compared against that); mirror it exactly. */
static int16_t max_abs16(const int16_t *in, int32_t n) {
  int16_t max = 0;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = in[i];
    if (v > max) {
      max = (int16_t)v;
    } else if (-v > max) {
      max = (int16_t)(-v);
    }
  }
  return max;
}

int32_t xs_sig_fft_auto_scale(const int16_t *in, int32_t n, int16_t *out) {
  const int16_t max = max_abs16(in, n);
  /* A negative max converts to a huge uint32 (msb 32) and so scales by 0, as in TFLM. */
  int32_t bits = 16 - (int32_t)xs_sig_msb32((uint32_t)(int32_t)max) - 1;
  if (bits < 0) {
    bits = 0;
  }
  for (int32_t i = 0; i < n; ++i) {
    out[i] = (int16_t)(in[i] * (1 << bits));
  }
  return bits;
}

/* ---- kernel ---- */

static xs_status_t fft_auto_scale_prepare(xs_node_t *node) {
  xs_status_t st;
  if ((st = xs_sig_arity(node, 1, 2)) != XS_OK) return st;
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *out = xs_output(node, 0);
  const xs_tensor_t *bits = xs_output(node, 1);
  if ((st = xs_sig_tensor(node, in, "input", XS_INT16, 1)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, out, "output", XS_INT16, 1)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, bits, "scale bits", XS_INT32, 0)) != XS_OK) return st;
  if (!xs_same_shape(in, out)) {
    return xs_fail(node, XS_ERR_SHAPE, "output shape must equal input shape");
  }
  return XS_OK;
}

static xs_status_t fft_auto_scale_eval(xs_node_t *node) {
  const xs_tensor_t *in = xs_input(node, 0);
  xs_tensor_t *out = xs_output(node, 0);
  int32_t *bits = xs_output(node, 1)->data;
  *bits = xs_sig_fft_auto_scale(in->data, out->dims[0], out->data);
  return XS_OK;
}

const xs_kernel_t xs_kernel_signal_fft_auto_scale = {XS_OP_CUSTOM, "SignalFftAutoScale",
                                                     fft_auto_scale_prepare,
                                                     fft_auto_scale_eval};
