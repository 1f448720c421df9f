/*
 * filter_bank_spectral_subtraction.c – SignalFilterBankSpectralSubtraction: tracks a
 * per-channel noise floor with a one-pole smoother (state kept across frames) and
 * subtracts it, keeping at least min_signal_remaining of the signal.
 */
#include "signal_kernel.h"

void xs_sig_spectral_subtraction(const xs_sig_spectral_subtraction_cfg *cfg, const uint32_t *in,
                                 uint32_t *out, uint32_t *noise_estimate) {
  const uint32_t sbits = cfg->smoothing_bits;
  const uint32_t ssbits = cfg->spectral_subtraction_bits;
  for (int32_t i = 0; i < cfg->num_channels; ++i) {
    /* Odd channels use the alternate coefficients. */
    const uint32_t a = (i & 1) ? cfg->alternate_smoothing : cfg->smoothing;
    const uint32_t b = (i & 1) ? cfg->alternate_one_minus_smoothing : cfg->one_minus_smoothing;
    const uint32_t signal = in[i] << sbits;
    noise_estimate[i] =
        (uint32_t)(((uint64_t)signal * a + (uint64_t)noise_estimate[i] * b) >> ssbits);
    uint32_t estimate = noise_estimate[i];
    if (estimate > signal) {
      estimate = signal;
      if (cfg->clamping) {
        noise_estimate[i] = estimate;
      }
    }
    const uint32_t floor = (uint32_t)(((uint64_t)in[i] * cfg->min_signal_remaining) >> ssbits);
    const uint32_t subtracted = (signal - estimate) >> sbits;
    out[i] = subtracted > floor ? subtracted : floor;
  }
}

/* ---- kernel ---- */

typedef struct {
  xs_sig_spectral_subtraction_cfg cfg;
  uint32_t *noise_estimate; /* the state, num_channels entries, zero at start */
} spectral_subtraction_data_t;

static xs_status_t spectral_subtraction_prepare(xs_node_t *node) {
  xs_status_t st;
  if ((st = xs_sig_arity(node, 1, 2)) != XS_OK) return st;
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *out = xs_output(node, 0);
  const xs_tensor_t *noise = xs_output(node, 1);
  if ((st = xs_sig_tensor(node, in, "input", XS_UINT32, 1)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, out, "output", XS_UINT32, 1)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, noise, "noise estimate", XS_UINT32, 1)) != XS_OK) return st;
  spectral_subtraction_data_t *d = xs_alloc_persistent(node, sizeof *d);
  if (d == NULL) return xs_fail(node, XS_ERR_ARENA, "op data");
  xs_flex_value_t opts;
  if ((st = xs_sig_options(node, &opts)) != XS_OK) return st;
  static const char *const keys[7] = {"smoothing",
                                      "one_minus_smoothing",
                                      "alternate_smoothing",
                                      "alternate_one_minus_smoothing",
                                      "min_signal_remaining",
                                      "smoothing_bits",
                                      "spectral_subtraction_bits"};
  uint32_t *fields[7] = {&d->cfg.smoothing,
                         &d->cfg.one_minus_smoothing,
                         &d->cfg.alternate_smoothing,
                         &d->cfg.alternate_one_minus_smoothing,
                         &d->cfg.min_signal_remaining,
                         &d->cfg.smoothing_bits,
                         &d->cfg.spectral_subtraction_bits};
  for (int k = 0; k < 7; ++k) {
    int32_t v;
    /* the last two are shift counts of 32-bit values */
    const int32_t max = k >= 5 ? 31 : INT32_MAX;
    if ((st = xs_sig_int_option(node, &opts, keys[k], 0, max, &v)) != XS_OK) return st;
    *fields[k] = (uint32_t)v;
  }
  int clamping;
  if ((st = xs_sig_bool_option(node, &opts, "clamping", &clamping)) != XS_OK) return st;
  d->cfg.clamping = clamping;
  if ((st = xs_sig_int_option(node, &opts, "num_channels", 1, 1 << 16, &d->cfg.num_channels)) !=
      XS_OK)
    return st;
  const int32_t n = d->cfg.num_channels;
  if (in->dims[0] < n || out->dims[0] < n || noise->dims[0] != n) {
    return xs_fail(node, XS_ERR_SHAPE,
                   "num_channels %d vs input (%d), output (%d), noise estimate (%d)", n,
                   in->dims[0], out->dims[0], noise->dims[0]);
  }
  d->noise_estimate = xs_alloc_persistent(node, (size_t)n * sizeof(uint32_t));
  if (d->noise_estimate == NULL) return xs_fail(node, XS_ERR_ARENA, "noise estimate");
  node->user_data = d; /* persistent memory is zeroed: the initial noise estimate */
  return XS_OK;
}

static xs_status_t spectral_subtraction_eval(xs_node_t *node) {
  spectral_subtraction_data_t *d = node->user_data;
  uint32_t *noise_out = xs_output(node, 1)->data;
  xs_sig_spectral_subtraction(&d->cfg, xs_input(node, 0)->data, xs_output(node, 0)->data,
                              d->noise_estimate);
  for (int32_t i = 0; i < d->cfg.num_channels; ++i) {
    noise_out[i] = d->noise_estimate[i];
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_signal_filter_bank_spectral_subtraction = {
    XS_OP_CUSTOM, "SignalFilterBankSpectralSubtraction", spectral_subtraction_prepare,
    spectral_subtraction_eval};
