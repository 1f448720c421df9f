/*
 * filter_bank.c – SignalFilterBank: triangular mel filter bank over the power spectrum;
 * each bin is weighted into one channel and "unweighted" into the next.
 */
#include "signal_kernel.h"

void eng_sig_filter_bank(const eng_sig_filter_bank_cfg *fb, const uint32_t *in, uint64_t *work) {
  uint64_t weighted = 0;
  uint64_t unweighted = 0;
  for (int32_t ch = 0; ch <= fb->num_channels; ++ch) {
    const uint32_t *bins = in + fb->channel_frequency_starts[ch];
    const int16_t *w = fb->weights + fb->channel_weight_starts[ch];
    const int16_t *uw = fb->unweights + fb->channel_weight_starts[ch];
    const int32_t width = fb->channel_widths[ch];
    if (fb->nonnegative_weights) {
      /* 32 x 32 -> 64 unsigned multiply-accumulate (one UMLAL on Arm) */
      for (int32_t j = 0; j < width; ++j) {
        weighted += (uint64_t)(uint32_t)w[j] * bins[j];
        unweighted += (uint64_t)(uint32_t)uw[j] * bins[j];
      }
    } else {
      for (int32_t j = 0; j < width; ++j) {
        /* int16 weight times a 32-bit energy: a signed 64-bit product converted to
         * uint64 equals TFLM's modular uint64 product for any weight sign. */
        weighted += (uint64_t)((int64_t)w[j] * (int64_t)bins[j]);
        unweighted += (uint64_t)((int64_t)uw[j] * (int64_t)bins[j]);
      }
    }
    work[ch] = weighted;
    weighted = unweighted;
    unweighted = 0;
  }
}

/* ---- kernel ---- */

typedef struct {
  eng_sig_filter_bank_cfg cfg;
  int32_t work_index; /* scratch: num_channels + 1 accumulators (rewritten every eval) */
} filter_bank_data_t;

static eng_status_t filter_bank_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 6, 1)) != ENG_OK) return st;
  static const char *const names[6] = {"input",          "weights",       "unweights",
                                       "channel starts", "weight starts", "channel widths"};
  const eng_tensor_t *t[6];
  for (uint32_t i = 0; i < 6; ++i) {
    t[i] = eng_input(node, i);
    if ((st = eng_sig_tensor(node, t[i], names[i], i == 0 ? ENG_UINT32 : ENG_INT16, 1)) != ENG_OK)
      return st;
    /* The tables are validated here once so eval can index them unchecked. */
    if (i > 0 && !t[i]->is_const) {
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "%s must be a constant tensor", names[i]);
    }
  }
  const eng_tensor_t *out = eng_output(node, 0);
  if ((st = eng_sig_tensor(node, out, "output", ENG_UINT64, 1)) != ENG_OK) return st;
  filter_bank_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) return eng_fail(node, ENG_ERR_ARENA, "op data");
  eng_flex_value_t opts;
  if ((st = eng_sig_options(node, &opts)) != ENG_OK) return st;
  int32_t n;
  if ((st = eng_sig_int_option(node, &opts, "num_channels", 1, 1 << 16, &n)) != ENG_OK) return st;
  if (out->dims[0] > n || t[3]->dims[0] <= n || t[4]->dims[0] <= n || t[5]->dims[0] <= n) {
    return eng_fail(node, ENG_ERR_SHAPE,
                    "num_channels %d needs %d-entry tables and at most %d outputs", n, n + 1, n);
  }
  const int16_t *freq = t[3]->data;
  const int16_t *wstart = t[4]->data;
  const int16_t *width = t[5]->data;
  const int32_t bins = t[0]->dims[0];
  const int32_t nweights = t[1]->dims[0] < t[2]->dims[0] ? t[1]->dims[0] : t[2]->dims[0];
  for (int32_t ch = 0; ch <= n; ++ch) {
    if (freq[ch] < 0 || wstart[ch] < 0 || width[ch] < 0 || freq[ch] + width[ch] > bins ||
        wstart[ch] + width[ch] > nweights) {
      return eng_fail(node, ENG_ERR_SHAPE, "channel %d reads outside the spectrum or weights", ch);
    }
  }
  d->cfg.num_channels = n;
  d->cfg.nonnegative_weights = 1;
  for (uint32_t k = 1; k <= 2; ++k) {
    const int16_t *w = t[k]->data;
    for (int32_t j = 0; j < t[k]->dims[0]; ++j) {
      if (w[j] < 0) d->cfg.nonnegative_weights = 0;
    }
  }
  d->cfg.weights = t[1]->data;
  d->cfg.unweights = t[2]->data;
  d->cfg.channel_frequency_starts = freq;
  d->cfg.channel_weight_starts = wstart;
  d->cfg.channel_widths = width;
  if ((st = eng_request_scratch(node, (size_t)(n + 1) * sizeof(uint64_t), &d->work_index)) !=
      ENG_OK)
    return st;
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t filter_bank_eval(eng_node_t *node) {
  const filter_bank_data_t *d = node->user_data;
  eng_tensor_t *out = eng_output(node, 0);
  uint64_t *work = eng_scratch(node, d->work_index);
  eng_sig_filter_bank(&d->cfg, eng_input(node, 0)->data, work);
  uint64_t *y = out->data;
  for (int32_t i = 0; i < out->dims[0]; ++i) {
    y[i] = work[i + 1]; /* entry 0 is the scratch accumulator */
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_filter_bank = {ENG_OP_CUSTOM, "SignalFilterBank", NULL,
                                                    filter_bank_prepare, filter_bank_eval};
