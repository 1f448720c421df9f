/*
 * filter_bank_log.c – SignalFilterBankLog: fixed-point natural log of each channel,
 * scaled by output_scale and saturated to int16 (0 for inputs <= 1).
 */
#include "signal_kernel.h"

void xs_sig_filter_bank_log(const uint32_t *in, int32_t n, int32_t output_scale,
                            uint32_t correction_bits, int16_t *out) {
  for (int32_t i = 0; i < n; ++i) {
    const uint32_t scaled = in[i] << correction_bits;
    if (scaled > 1) {
      const uint32_t v = xs_sig_log32(scaled, (uint32_t)output_scale);
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

static xs_status_t filter_bank_log_prepare(xs_node_t *node) {
  xs_status_t st;
  if ((st = xs_sig_arity(node, 1, 1)) != XS_OK) return st;
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *out = xs_output(node, 0);
  if ((st = xs_sig_tensor(node, in, "input", XS_UINT32, 1)) != XS_OK) return st;
  if ((st = xs_sig_tensor(node, out, "output", XS_INT16, 1)) != XS_OK) return st;
  if (out->dims[0] < in->dims[0]) {
    return xs_fail(node, XS_ERR_SHAPE, "output (%d) shorter than input (%d)", out->dims[0],
                   in->dims[0]);
  }
  log_data_t *d = xs_alloc_persistent(node, sizeof *d);
  if (d == NULL) return xs_fail(node, XS_ERR_ARENA, "op data");
  xs_flex_value_t opts;
  if ((st = xs_sig_options(node, &opts)) != XS_OK) return st;
  if ((st = xs_sig_int_option(node, &opts, "input_correction_bits", 0, 31,
                              &d->correction_bits)) != XS_OK)
    return st;
  if ((st = xs_sig_int_option(node, &opts, "output_scale", INT32_MIN, INT32_MAX,
                              &d->output_scale)) != XS_OK)
    return st;
  node->user_data = d;
  return XS_OK;
}

static xs_status_t filter_bank_log_eval(xs_node_t *node) {
  const log_data_t *d = node->user_data;
  const xs_tensor_t *in = xs_input(node, 0);
  xs_sig_filter_bank_log(in->data, in->dims[0], d->output_scale, (uint32_t)d->correction_bits,
                         xs_output(node, 0)->data);
  return XS_OK;
}

const xs_kernel_t xs_kernel_signal_filter_bank_log = {XS_OP_CUSTOM, "SignalFilterBankLog",
                                                      filter_bank_log_prepare,
                                                      filter_bank_log_eval};
