/*
 * energy.c – SignalEnergy: power spectrum re^2 + im^2 of the int16 FFT bins in
 * [start_index, end_index).
 */
#include "signal_kernel.h"

void eng_sig_energy(const eng_sig_cpx16 *in, int32_t start, int32_t end, uint32_t *out) {
  for (int32_t i = start; i < end; ++i) {
    const int32_t re = in[i].r;
    const int32_t im = in[i].i;
    /* Summed in uint32: TFLM's int32 sum can only wrap at (-32768, -32768), and the
     * unsigned sum gives the same bits there without undefined behaviour. */
    out[i] = (uint32_t)(re * re) + (uint32_t)(im * im);
  }
}

/* ---- kernel ---- */

typedef struct {
  int32_t start;
  int32_t end;
  int32_t bins; /* output elements */
} energy_data_t;

static eng_status_t energy_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 1, 1)) != ENG_OK) return st;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  if ((st = eng_sig_tensor(node, in, "input", ENG_INT16, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, out, "output", ENG_UINT32, 1)) != ENG_OK) return st;
  energy_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) return eng_fail(node, ENG_ERR_ARENA, "op data");
  eng_flex_value_t opts;
  if ((st = eng_sig_options(node, &opts)) != ENG_OK) return st;
  if ((st = eng_sig_int_option(node, &opts, "start_index", 0, INT32_MAX, &d->start)) != ENG_OK)
    return st;
  if ((st = eng_sig_int_option(node, &opts, "end_index", 0, INT32_MAX, &d->end)) != ENG_OK)
    return st;
  d->bins = out->dims[0];
  if (d->start > d->end || d->end > d->bins || d->end > in->dims[0] / 2) {
    return eng_fail(node, ENG_ERR_SHAPE, "bins [%d, %d) outside input (%d complex) or output (%d)",
                    d->start, d->end, in->dims[0] / 2, d->bins);
  }
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t energy_eval(eng_node_t *node) {
  const energy_data_t *d = node->user_data;
  uint32_t *out = eng_output(node, 0)->data;
  /* TFLM leaves bins outside [start, end) untouched (stale arena bytes); zero them so the
   * output is deterministic (equal to TFLM's on a fresh arena, as in the golden dumps). */
  for (int32_t i = 0; i < d->start; ++i) out[i] = 0;
  for (int32_t i = d->end; i < d->bins; ++i) out[i] = 0;
  eng_sig_energy(eng_input(node, 0)->data, d->start, d->end, out);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_energy = {ENG_OP_CUSTOM, "SignalEnergy", NULL, energy_prepare,
                                               energy_eval};
