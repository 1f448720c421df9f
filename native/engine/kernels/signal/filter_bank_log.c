/*
 * filter_bank_log.c – SignalFilterBankLog: fixed-point natural log of each channel,
 * scaled by output_scale and saturated to int16 (0 for inputs <= 1).
 */
#include "signal_kernel.h"

void eng_sig_filter_bank_log(const uint32_t *in, int32_t n, int32_t output_scale,
                             uint32_t correction_bits, int16_t *out) {
  for (int32_t i = 0; i < n; ++i) {
    const uint32_t scaled = in[i] << correction_bits;
    if (scaled > 1) {
      const uint32_t v = eng_sig_log32(scaled, (uint32_t)output_scale);
      out[i] = (int16_t)(v < (uint32_t)INT16_MAX ? v : (uint32_t)INT16_MAX);
    } else {
      out[i] = 0;
    }
  }
}

/* ---- kernel ---- */

typedef struct {
  int32_t correction_bits;
  int32_t output_scale;
} log_data_t;

static eng_status_t filter_bank_log_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 1, 1)) != ENG_OK) return st;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  if ((st = eng_sig_tensor(node, in, "input", ENG_UINT32, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, out, "output", ENG_INT16, 1)) != ENG_OK) return st;
  if (out->dims[0] < in->dims[0]) {
    return eng_fail(node, ENG_ERR_SHAPE, "output (%d) shorter than input (%d)", out->dims[0],
                    in->dims[0]);
  }
  log_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) return eng_fail(node, ENG_ERR_ARENA, "op data");
  eng_flex_value_t opts;
  if ((st = eng_sig_options(node, &opts)) != ENG_OK) return st;
  if ((st = eng_sig_int_option(node, &opts, "input_correction_bits", 0, 31, &d->correction_bits)) !=
      ENG_OK)
    return st;
  if ((st = eng_sig_int_option(node, &opts, "output_scale", INT32_MIN, INT32_MAX,
                               &d->output_scale)) != ENG_OK)
    return st;
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t filter_bank_log_eval(eng_node_t *node) {
  const log_data_t *d = node->user_data;
  const eng_tensor_t *in = eng_input(node, 0);
  eng_sig_filter_bank_log(in->data, in->dims[0], d->output_scale, (uint32_t)d->correction_bits,
                          eng_output(node, 0)->data);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_filter_bank_log = {
    ENG_OP_CUSTOM, "SignalFilterBankLog", NULL, filter_bank_log_prepare, filter_bank_log_eval};
