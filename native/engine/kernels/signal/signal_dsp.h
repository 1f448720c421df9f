/*
 * signal_dsp.h – pure fixed-point cores of the TFLM signal-library ops (audio front end),
 * bit-exact with TFLM's signal/src implementations; the kernels in this folder wrap them.
 *
 * Contract
 * - Every function is pure C over caller-owned buffers: no allocation, no globals, no I/O.
 * - Integer semantics are those of TFLM built with GCC (two's-complement wrap on narrowing
 *   conversions, arithmetic right shift of negative values); nothing here relies on
 *   undefined behaviour to get them.
 * - Callers validate sizes once (in prepare); the cores do not re-check them.
 */
#ifndef XSINFER_SIGNAL_DSP_H
#define XSINFER_SIGNAL_DSP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- shared integer math (signal_math.c) ---- */

/* Number of significant bits of x (1 for x == 1). For x == 0 this returns 32, which is
 * what TFLM's GCC build (__builtin_clz path) returns; callers depend on it. */
uint32_t eng_sig_msb32(uint32_t x);
uint32_t eng_sig_msb64(uint64_t x); /* 64 for x == 0, same reason */

/* Rounded integer square roots (TFLM Sqrt32/Sqrt64, including their rounding rule and the
 * 32-bit shortcut of the 64-bit version). */
uint16_t eng_sig_sqrt32(uint32_t x);
uint32_t eng_sig_sqrt64(uint64_t x);

/* Natural log of x (x > 1) scaled by out_scale, fixed point (TFLM Log32). */
uint32_t eng_sig_log32(uint32_t x, uint32_t out_scale);

/* ---- SignalWindow ---- */
/* out[i] = saturate_int16((in[i] * window[i]) >> shift), i < n */
void eng_sig_window(const int16_t *in, const int16_t *window, int32_t n, int32_t shift,
                    int16_t *out);

/* ---- SignalFftAutoScale ---- */
/* Scales in[] up by the largest power of two that keeps max |in| within int16;
 * returns the shift used (0..15). */
int32_t eng_sig_fft_auto_scale(const int16_t *in, int32_t n, int16_t *out);

/* ---- SignalRfft (int16, bit-exact with TFLM's kissfft-based op; rfft.c lists the rounding
 * points that makes true) ---- */
typedef struct eng_sig_cpx16 {
  int16_t r;
  int16_t i;
} eng_sig_cpx16;

#define ENG_SIG_FFT_MAX_STAGES 16
#define ENG_SIG_FFT_MAX_LENGTH (1 << 17) /* permutation indices are uint16 */

typedef struct eng_sig_rfft_plan {
  int32_t fft_length; /* real length N (a power of two) */
  int32_t ncfft;      /* N / 2, the complex FFT length */
  int32_t num_stages;
  int32_t radix[ENG_SIG_FFT_MAX_STAGES]; /* 2 or 4, per pass in execution order (span 1 first) */
  eng_sig_cpx16 *twiddles;               /* ncfft entries */
  eng_sig_cpx16 *super_twiddles;         /* ncfft / 2 entries */
  eng_sig_cpx16 *work;                   /* ncfft entries: the complex FFT's output */
  uint16_t *perm;                        /* ncfft entries: input pair loaded into each slot */
} eng_sig_rfft_plan;

/* Bytes of table/work memory a plan for fft_length needs (0 if the length is unsupported:
 * not a power of two, < 4 or above ENG_SIG_FFT_MAX_LENGTH). */
size_t eng_sig_rfft_memory_bytes(int32_t fft_length);
/* Builds the plan in mem (4-byte aligned, eng_sig_rfft_memory_bytes() long): factors and
 * twiddles (computed once, in double precision, rounded as TFLM's are). 0 on success. */
int eng_sig_rfft_init(eng_sig_rfft_plan *plan, int32_t fft_length, void *mem, size_t mem_bytes);
/* The work array's share of eng_sig_rfft_memory_bytes() (0 if unsupported). */
size_t eng_sig_rfft_work_bytes(int32_t fft_length);
/* Like eng_sig_rfft_init with the work array kept apart: mem needs memory_bytes - work_bytes
 * and plan->work stays NULL; set it (4-byte aligned, work_bytes long) before eng_sig_rfft. */
int eng_sig_rfft_init_tables(eng_sig_rfft_plan *plan, int32_t fft_length, void *mem,
                             size_t mem_bytes);
/* Real FFT of in[0..in_length) zero-padded to fft_length; writes fft_length/2 + 1 complex
 * bins (interleaved re, im). in_length <= fft_length. */
void eng_sig_rfft(const eng_sig_rfft_plan *plan, const int16_t *in, int32_t in_length,
                  eng_sig_cpx16 *out);

/* ---- SignalEnergy ---- */
/* out[i] = re^2 + im^2 for start <= i < end; other entries untouched. */
void eng_sig_energy(const eng_sig_cpx16 *in, int32_t start, int32_t end, uint32_t *out);

/* ---- SignalFilterBank ---- */
typedef struct eng_sig_filter_bank_cfg {
  int32_t num_channels;
  const int16_t *weights;
  const int16_t *unweights;
  const int16_t *channel_frequency_starts; /* num_channels + 1 entries */
  const int16_t *channel_weight_starts;    /* num_channels + 1 entries */
  const int16_t *channel_widths;           /* num_channels + 1 entries */
  int32_t nonnegative_weights;             /* all weights and unweights >= 0: unsigned MAC path */
} eng_sig_filter_bank_cfg;
/* Accumulates num_channels + 1 sums into work[]; work[0] is scratch, channels are
 * work[1..num_channels]. */
void eng_sig_filter_bank(const eng_sig_filter_bank_cfg *fb, const uint32_t *in, uint64_t *work);

/* ---- SignalFilterBankSquareRoot ---- */
void eng_sig_filter_bank_sqrt(const uint64_t *in, int32_t n, int32_t scale_down_bits,
                              uint32_t *out);

/* ---- SignalFilterBankSpectralSubtraction (stateful: noise_estimate) ---- */
typedef struct eng_sig_spectral_subtraction_cfg {
  uint32_t smoothing;
  uint32_t one_minus_smoothing;
  uint32_t alternate_smoothing;
  uint32_t alternate_one_minus_smoothing;
  uint32_t min_signal_remaining;
  uint32_t smoothing_bits;
  uint32_t spectral_subtraction_bits;
  int32_t num_channels;
  int32_t clamping;
} eng_sig_spectral_subtraction_cfg;
void eng_sig_spectral_subtraction(const eng_sig_spectral_subtraction_cfg *cfg, const uint32_t *in,
                                  uint32_t *out, uint32_t *noise_estimate);

/* ---- SignalPCAN ---- */
#define ENG_SIG_PCAN_LUT_MIN 125 /* gain LUT entries the wide-dynamic function may read */
/* io[i] = shrink((io[i] * gain(noise[i])) >> snr_shift), in place. */
void eng_sig_pcan(const int16_t *gain_lut, int32_t snr_shift, const uint32_t *noise_estimate,
                  uint32_t *io, int32_t n);

/* ---- SignalFilterBankLog ---- */
void eng_sig_filter_bank_log(const uint32_t *in, int32_t n, int32_t output_scale,
                             uint32_t correction_bits, int16_t *out);

#ifdef __cplusplus
}
#endif

#endif
