/*
 * pcan.c – SignalPCAN: per-channel automatic gain control (PCAN) driven by the noise
 * estimate, with a piecewise-quadratic gain LUT and a soft "shrink" non-linearity.
 */
#include "signal_kernel.h"

enum {
  PCAN_SNR_BITS = 12,  /* fractional bits of the SNR */
  PCAN_OUTPUT_BITS = 6 /* fractional bits of the output */
};

/* Gain for noise level x: a quadratic per octave, coefficients lut[4*octave - 6 .. +2],
 * evaluated at the 10-bit fraction inside the octave. */
static int16_t wide_dynamic_gain(uint32_t x, const int16_t *lut) {
  if (x <= 2) {
    return lut[x];
  }
  const int32_t octave = (int32_t)eng_sig_msb32(x);
  const int16_t *c = lut + 4 * octave - 6;
  const uint32_t scaled = octave < 11 ? x << (11 - octave) : x >> (octave - 11);
  const int32_t frac = (int32_t)(scaled & 0x3FFu);
  int32_t acc = ((int32_t)c[2] * frac) >> 5;
  acc += (int32_t)((uint32_t)(int32_t)c[1] << 5);
  /* The product may exceed int32 in principle; TFLM's wraps, so wrap the same way. */
  acc = (int32_t)((uint32_t)acc * (uint32_t)frac);
  acc = (int32_t)((uint32_t)acc + (1u << 14)) >> 15;
  acc += c[0];
  return (int16_t)acc;
}

/* x^2/4 below 2, x - 1 above, from PCAN_SNR_BITS to PCAN_OUTPUT_BITS fractional bits. */
static uint32_t pcan_shrink(uint32_t x) {
  if (x < (2u << PCAN_SNR_BITS)) {
    return (x * x) >> (2 + 2 * PCAN_SNR_BITS - PCAN_OUTPUT_BITS);
  }
  return (x >> (PCAN_SNR_BITS - PCAN_OUTPUT_BITS)) - (1u << PCAN_OUTPUT_BITS);
}

void eng_sig_pcan(const int16_t *gain_lut, int32_t snr_shift, const uint32_t *noise_estimate,
                  uint32_t *io, int32_t n) {
  for (int32_t i = 0; i < n; ++i) {
    /* A negative LUT gain sign-extends into a huge uint32, exactly as in TFLM. */
    const uint32_t gain = (uint32_t)(int32_t)wide_dynamic_gain(noise_estimate[i], gain_lut);
    const uint32_t snr = (uint32_t)(((uint64_t)io[i] * gain) >> snr_shift);
    io[i] = pcan_shrink(snr);
  }
}

/* ---- kernel ---- */

typedef struct {
  int32_t snr_shift;
} pcan_data_t;

static eng_status_t pcan_prepare(eng_node_t *node) {
  eng_status_t st;
  if ((st = eng_sig_arity(node, 3, 1)) != ENG_OK) return st;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *noise = eng_input(node, 1);
  const eng_tensor_t *lut = eng_input(node, 2);
  const eng_tensor_t *out = eng_output(node, 0);
  if ((st = eng_sig_tensor(node, in, "input", ENG_UINT32, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, noise, "noise estimate", ENG_UINT32, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, lut, "gain lut", ENG_INT16, 1)) != ENG_OK) return st;
  if ((st = eng_sig_tensor(node, out, "output", ENG_UINT32, 1)) != ENG_OK) return st;
  if (in->dims[0] <= 0 || noise->dims[0] != in->dims[0] || out->dims[0] != in->dims[0]) {
    return eng_fail(node, ENG_ERR_SHAPE, "input (%d), noise (%d), output (%d) must match",
                    in->dims[0], noise->dims[0], out->dims[0]);
  }
  /* The gain function indexes up to 4 * 32 - 6 + 2 for a full-range noise level. */
  if (lut->dims[0] < ENG_SIG_PCAN_LUT_MIN) {
    return eng_fail(node, ENG_ERR_SHAPE, "gain lut has %d entries, needs %d", lut->dims[0],
                    ENG_SIG_PCAN_LUT_MIN);
  }
  pcan_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) return eng_fail(node, ENG_ERR_ARENA, "op data");
  eng_flex_value_t opts;
  if ((st = eng_sig_options(node, &opts)) != ENG_OK) return st;
  if ((st = eng_sig_int_option(node, &opts, "snr_shift", 0, 63, &d->snr_shift)) != ENG_OK)
    return st;
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t pcan_eval(eng_node_t *node) {
  const pcan_data_t *d = node->user_data;
  const eng_tensor_t *in = eng_input(node, 0);
  uint32_t *out = eng_output(node, 0)->data;
  const uint32_t *src = in->data;
  const int32_t n = in->dims[0];
  for (int32_t i = 0; i < n; ++i) {
    out[i] = src[i];
  }
  eng_sig_pcan(eng_input(node, 2)->data, d->snr_shift, eng_input(node, 1)->data, out, n);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_signal_pcan = {ENG_OP_CUSTOM, "SignalPCAN", NULL, pcan_prepare,
                                             pcan_eval};
