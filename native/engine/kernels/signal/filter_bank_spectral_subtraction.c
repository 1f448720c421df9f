/*
 * filter_bank_spectral_subtraction.c – SignalFilterBankSpectralSubtraction: tracks a
 * per-channel noise floor with a one-pole smoother (state kept across frames) and
 * subtracts it, keeping at least min_signal_remaining of the signal.
 */
#include "signal_kernel.h"

void eng_sig_spectral_subtraction(const eng_sig_spectral_subtraction_cfg *cfg, const uint32_t *in,
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
  eng_sig_spectral_subtraction_cfg cfg;
  uint32_t *noise_estimate; /* the state, num_channels entries, zero at start */
} spectral_subtraction_data_t;

static eng_status_t spectral_subtraction_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 1, 2)) != ENG_OK) return st;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  const eng_tensor_t *noise = eng_output(node, 1);
  if ((st = eng_sig_tensor(node, in, "input", ENG_UINT32, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, out, "output", ENG_UINT32, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, noise, "noise estimate", ENG_UINT32, 1)) != ENG_OK) return st;
  spectral_subtraction_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) return eng_fail(node, ENG_ERR_ARENA, "op data");
  eng_flex_value_t opts;
  if ((st = eng_sig_options(node, &opts)) != ENG_OK) return st;
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
    if ((st = eng_sig_int_option(node, &opts, keys[k], 0, max, &v)) != ENG_OK) return st;
    *fields[k] = (uint32_t)v;
  }
  int clamping;
  if ((st = eng_sig_bool_option(node, &opts, "clamping", &clamping)) != ENG_OK) return st;
  d->cfg.clamping = clamping;
  if ((st = eng_sig_int_option(node, &opts, "num_channels", 1, 1 << 16, &d->cfg.num_channels)) !=
      ENG_OK)
    return st;
  const int32_t n = d->cfg.num_channels;
  if (in->dims[0] < n || out->dims[0] < n || noise->dims[0] != n) {
    return eng_fail(node, ENG_ERR_SHAPE,
                    "num_channels %d vs input (%d), output (%d), noise estimate (%d)", n,
                    in->dims[0], out->dims[0], noise->dims[0]);
  }
  d->noise_estimate = eng_alloc_persistent(node, (size_t)n * sizeof(uint32_t));
  if (d->noise_estimate == NULL) return eng_fail(node, ENG_ERR_ARENA, "noise estimate");
  node->user_data = d; /* persistent memory is zeroed: the initial noise estimate */
  return ENG_OK;
}

static eng_status_t spectral_subtraction_eval(eng_node_t *node) {
  spectral_subtraction_data_t *d = node->user_data;
  uint32_t *noise_out = eng_output(node, 1)->data;
  eng_sig_spectral_subtraction(&d->cfg, eng_input(node, 0)->data, eng_output(node, 0)->data,
                               d->noise_estimate);
  for (int32_t i = 0; i < d->cfg.num_channels; ++i) {
    noise_out[i] = d->noise_estimate[i];
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_filter_bank_spectral_subtraction = {
    ENG_OP_CUSTOM, "SignalFilterBankSpectralSubtraction", NULL, spectral_subtraction_prepare,
    spectral_subtraction_eval};
