/*
 * window.c – SignalWindow: multiplies each frame by a fixed int16 window and shifts the
 * product back down (TFLM signal ApplyWindow), saturating to int16.
 */
#include "signal_kernel.h"

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SAT)
#include <string.h>

#include <arm_acle.h>
#define WINDOW_PACKED 1
#endif

void xs_sig_window(const int16_t *in, const int16_t *window, int32_t n, int32_t shift,
                   int16_t *out) {
  int32_t i = 0;
#ifdef WINDOW_PACKED
  /* two samples per step: SMULBB/SMULTT, the shift, SSAT 16 (the same int16 clamp) */
  for (; i + 1 < n; i += 2) {
    int32_t x, w;
    memcpy(&x, in + i, 4);
    memcpy(&w, window + i, 4);
    const int32_t plo = (int32_t)(int16_t)x * (int16_t)w;
    const int32_t phi = (x >> 16) * (w >> 16);
    const uint32_t lo = (uint32_t)__ssat(plo >> shift, 16) & 0xFFFFu;
    const uint32_t hi = (uint32_t)__ssat(phi >> shift, 16) << 16;
    const uint32_t y = lo | hi;
    memcpy(out + i, &y, 4);
  }
#endif
  for (; i < n; ++i) {
    const int32_t v = ((int32_t)in[i] * window[i]) >> shift;
    out[i] = (int16_t)(v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v));
  }
}

/* ---- kernel ---- */

typedef struct {
  int32_t shift;
  int32_t frames;      /* input elements / window length */
  int32_t window_size;
} window_data_t;

static xs_status_t window_prepare(xs_node_t *node) {
  xs_status_t st;
  if ((st = xs_sig_arity(node, 2, 1)) != XS_OK) return st;
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *w = xs_input(node, 1);
  const xs_tensor_t *out = xs_output(node, 0);
  if ((st = xs_sig_tensor(node, in, "input", XS_INT16, -1)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, w, "window", XS_INT16, 1)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, out, "output", XS_INT16, in->rank)) != XS_OK) return st;
  const uint32_t n = xs_tensor_elements(in);
  const uint32_t wn = xs_tensor_elements(w);
  if (wn == 0 || n % wn != 0 || xs_tensor_elements(out) != n) {
    return xs_fail(node, XS_ERR_SHAPE, "input (%u) must be whole windows of %u = output (%u)",
                   n, wn, xs_tensor_elements(out));
  }
  xs_flex_value_t opts;
  window_data_t *d = xs_alloc_persistent(node, sizeof *d);
  if (d == NULL) return xs_fail(node, XS_ERR_ARENA, "op data");
  if ((st = xs_sig_options(node, &opts)) != XS_OK) return st;
  if ((st = xs_sig_int_option(node, &opts, "shift", 0, 31, &d->shift)) != XS_OK) return st;
  d->frames = (int32_t)(n / wn);
  d->window_size = (int32_t)wn;
  node->user_data = d;
  return XS_OK;
}

static xs_status_t window_eval(xs_node_t *node) {
  const window_data_t *d = node->user_data;
  const int16_t *in = xs_input(node, 0)->data;
  const int16_t *w = xs_input(node, 1)->data;
  int16_t *out = xs_output(node, 0)->data;
  for (int32_t f = 0; f < d->frames; ++f) {
    xs_sig_window(in + f * d->window_size, w, d->window_size, d->shift,
                  out + f * d->window_size);
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_signal_window = {XS_OP_CUSTOM, "SignalWindow", window_prepare,
                                             window_eval};
