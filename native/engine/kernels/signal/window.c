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

void eng_sig_window(const int16_t *in, const int16_t *window, int32_t n, int32_t shift,
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
  int32_t frames; /* input elements / window length */
  int32_t window_size;
} window_data_t;

static eng_status_t window_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 2, 1)) != ENG_OK) return st;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *w = eng_input(node, 1);
  const eng_tensor_t *out = eng_output(node, 0);
  if ((st = eng_sig_tensor(node, in, "input", ENG_INT16, -1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, w, "window", ENG_INT16, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, out, "output", ENG_INT16, in->rank)) != ENG_OK) return st;
  const uint32_t n = eng_tensor_elements(in);
  const uint32_t wn = eng_tensor_elements(w);
  if (wn == 0 || n % wn != 0 || eng_tensor_elements(out) != n) {
    return eng_fail(node, ENG_ERR_SHAPE, "input (%u) must be whole windows of %u = output (%u)", n,
                    wn, eng_tensor_elements(out));
  }
  eng_flex_value_t opts;
  window_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) return eng_fail(node, ENG_ERR_ARENA, "op data");
  if ((st = eng_sig_options(node, &opts)) != ENG_OK) return st;
  if ((st = eng_sig_int_option(node, &opts, "shift", 0, 31, &d->shift)) != ENG_OK) return st;
  d->frames = (int32_t)(n / wn);
  d->window_size = (int32_t)wn;
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t window_eval(eng_node_t *node) {
  const window_data_t *d = node->user_data;
  const int16_t *in = eng_input(node, 0)->data;
  const int16_t *w = eng_input(node, 1)->data;
  int16_t *out = eng_output(node, 0)->data;
  for (int32_t f = 0; f < d->frames; ++f) {
    eng_sig_window(in + f * d->window_size, w, d->window_size, d->shift, out + f * d->window_size);
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_window = {ENG_OP_CUSTOM, "SignalWindow", NULL, window_prepare,
                                               window_eval};
