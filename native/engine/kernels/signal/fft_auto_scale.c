/*
 * fft_auto_scale.c – SignalFftAutoScale: left-shifts a frame so its peak uses the full
 * int16 range before the fixed-point FFT, and reports the shift for later undoing.
 */
#include "signal_kernel.h"

#if defined(__ARM_FEATURE_SIMD32)
#include <string.h>

#include <arm_acle.h>
#define AUTOSCALE_PACKED 1
#endif

/* TFLM's MaxAbs16 keeps its running maximum in an int16, so a sample of -32768 stores
 * 32768 as -32768 (and later samples are compared against that); mirror it exactly. */
static int16_t max_abs16_exact(const int16_t *in, int32_t n) {
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

/* Without a -32768 sample the running maximum never wraps and MaxAbs16 is simply
 * max(|x|) = max(max x, -min x); only frames containing -32768 take the exact loop. */
static int16_t max_abs16(const int16_t *in, int32_t n) {
  int32_t hi = 0, lo = 0;
  int32_t i = 0;
#ifdef AUTOSCALE_PACKED
  /* lane-wise max/min of sample pairs: SSUB16 sets the GE flags, SEL picks */
  int32_t vmax = 0, vmin = 0;
  for (; i + 1 < n; i += 2) {
    int32_t x;
    memcpy(&x, in + i, 4);
    (void)__ssub16(x, vmax);
    vmax = (int32_t)__sel(x, vmax);
    (void)__ssub16(vmin, x);
    vmin = (int32_t)__sel(x, vmin);
  }
  hi = (int16_t)(vmax & 0xFFFF);
  if ((vmax >> 16) > hi) hi = vmax >> 16;
  lo = (int16_t)(vmin & 0xFFFF);
  if ((vmin >> 16) < lo) lo = vmin >> 16;
#endif
  for (; i < n; ++i) {
    if (in[i] > hi) hi = in[i];
    if (in[i] < lo) lo = in[i];
  }
  if (lo == INT16_MIN) {
    return max_abs16_exact(in, n);
  }
  return (int16_t)(hi > -lo ? hi : -lo);
}

int32_t eng_sig_fft_auto_scale(const int16_t *in, int32_t n, int16_t *out) {
  const int16_t max = max_abs16(in, n);
  /* A negative max converts to a huge uint32 (msb 32) and so scales by 0, as in TFLM. */
  int32_t bits = 16 - (int32_t)eng_sig_msb32((uint32_t)(int32_t)max) - 1;
  if (bits < 0) {
    bits = 0;
  }
  int32_t i = 0;
#ifdef AUTOSCALE_PACKED
  /* both lanes at once; the peak fits after the shift, so no lane spills into the next */
  for (; i + 1 < n; i += 2) {
    uint32_t x;
    memcpy(&x, in + i, 4);
    const uint32_t y = ((x << bits) & 0xFFFFu) | ((x & 0xFFFF0000u) << bits);
    memcpy(out + i, &y, 4);
  }
#endif
  for (; i < n; ++i) {
    out[i] = (int16_t)(in[i] * (1 << bits));
  }
  return bits;
}

/* ---- kernel ---- */

static eng_status_t fft_auto_scale_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 1, 2)) != ENG_OK) return st;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  const eng_tensor_t *bits = eng_output(node, 1);
  if ((st = eng_sig_tensor(node, in, "input", ENG_INT16, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, out, "output", ENG_INT16, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, bits, "scale bits", ENG_INT32, 0)) != ENG_OK) return st;
  if (!eng_same_shape(in, out)) {
    return eng_fail(node, ENG_ERR_SHAPE, "output shape must equal input shape");
  }
  return ENG_OK;
}

static eng_status_t fft_auto_scale_eval(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  eng_tensor_t *out = eng_output(node, 0);
  int32_t *bits = eng_output(node, 1)->data;
  *bits = eng_sig_fft_auto_scale(in->data, out->dims[0], out->data);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_fft_auto_scale = {ENG_OP_CUSTOM, "SignalFftAutoScale", NULL,
                                                       fft_auto_scale_prepare, fft_auto_scale_eval};
