/*
 * registry.c – the kernel sets: tables of registrations looked up by builtin code (and
 * custom name), chosen per interpreter at run time.
 *
 * Adding an op: export `const eng_kernel_t eng_kernel_<op>_<set>` from a file under
 * kernels/<set>/ and list it below. Entries for files other engineers are still writing
 * are guarded with __has_include on the kernel's own .c file, so the tree compiles
 * whether or not the file exists yet (the build globs every kernels/<set>/<file>.c, so any kernel file
 * that exists is compiled and linked).
 * Keep one line per symbol; the guard names the file that defines it.
 */
#include <string.h>

#include "kernel.h"

/* ---- ops written by the engine core (always present) ---- */
extern const eng_kernel_t eng_kernel_fully_connected_ref;
extern const eng_kernel_t eng_kernel_reshape_ref;
extern const eng_kernel_t eng_kernel_softmax_ref;
extern const eng_kernel_t eng_kernel_quantize_ref;
extern const eng_kernel_t eng_kernel_dequantize_ref;
extern const eng_kernel_t eng_kernel_add_ref;
extern const eng_kernel_t eng_kernel_mul_ref;
extern const eng_kernel_t eng_kernel_logistic_ref;

/* ---- E2: conv/pooling (kernels/reference/{conv,depthwise_conv,pooling}.c) ---- */
#if __has_include("../kernels/reference/conv.c")
#define ENG_HAVE_CONV 1
extern const eng_kernel_t eng_kernel_conv_2d_ref;
#endif
#if __has_include("../kernels/reference/depthwise_conv.c")
#define ENG_HAVE_DWCONV 1
extern const eng_kernel_t eng_kernel_depthwise_conv_2d_ref;
#endif
#if __has_include("../kernels/reference/pooling.c")
#define ENG_HAVE_POOLING 1
extern const eng_kernel_t eng_kernel_max_pool_2d_ref;
extern const eng_kernel_t eng_kernel_average_pool_2d_ref;
#endif

/* ---- S: CAST/STRIDED_SLICE/CONCATENATION/int32 DIV/MINIMUM/MAXIMUM ---- */
#if __has_include("../kernels/reference/cast.c")
#define ENG_HAVE_CAST 1
extern const eng_kernel_t eng_kernel_cast_ref;
#endif
#if __has_include("../kernels/reference/strided_slice.c")
#define ENG_HAVE_STRIDED_SLICE 1
extern const eng_kernel_t eng_kernel_strided_slice_ref;
#endif
#if __has_include("../kernels/reference/concatenation.c")
#define ENG_HAVE_CONCATENATION 1
extern const eng_kernel_t eng_kernel_concatenation_ref;
#endif
#if __has_include("../kernels/reference/div.c")
#define ENG_HAVE_DIV 1
extern const eng_kernel_t eng_kernel_div_ref;
#endif
#if __has_include("../kernels/reference/maximum_minimum.c")
#define ENG_HAVE_MAXMIN 1
extern const eng_kernel_t eng_kernel_maximum_ref;
extern const eng_kernel_t eng_kernel_minimum_ref;
#endif

/* ---- S: signal-library custom ops (kernels/signal/<file>.c) ---- */
#if __has_include("../kernels/signal/window.c")
#define ENG_HAVE_SIGNAL_WINDOW 1
extern const eng_kernel_t eng_kernel_signal_window;
#endif
#if __has_include("../kernels/signal/fft_auto_scale.c")
#define ENG_HAVE_SIGNAL_FFT_AUTO_SCALE 1
extern const eng_kernel_t eng_kernel_signal_fft_auto_scale;
#endif
#if __has_include("../kernels/signal/rfft.c")
#define ENG_HAVE_SIGNAL_RFFT 1
extern const eng_kernel_t eng_kernel_signal_rfft;
#endif
#if __has_include("../kernels/signal/energy.c")
#define ENG_HAVE_SIGNAL_ENERGY 1
extern const eng_kernel_t eng_kernel_signal_energy;
#endif
#if __has_include("../kernels/signal/filter_bank.c")
#define ENG_HAVE_SIGNAL_FILTER_BANK 1
extern const eng_kernel_t eng_kernel_signal_filter_bank;
#endif
#if __has_include("../kernels/signal/filter_bank_square_root.c")
#define ENG_HAVE_SIGNAL_FILTER_BANK_SQUARE_ROOT 1
extern const eng_kernel_t eng_kernel_signal_filter_bank_square_root;
#endif
#if __has_include("../kernels/signal/filter_bank_spectral_subtraction.c")
#define ENG_HAVE_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION 1
extern const eng_kernel_t eng_kernel_signal_filter_bank_spectral_subtraction;
#endif
#if __has_include("../kernels/signal/pcan.c")
#define ENG_HAVE_SIGNAL_PCAN 1
extern const eng_kernel_t eng_kernel_signal_pcan;
#endif
#if __has_include("../kernels/signal/filter_bank_log.c")
#define ENG_HAVE_SIGNAL_FILTER_BANK_LOG 1
extern const eng_kernel_t eng_kernel_signal_filter_bank_log;
#endif

static const eng_kernel_t *const reference_set[] = {
    &eng_kernel_fully_connected_ref,
    &eng_kernel_reshape_ref,
    &eng_kernel_softmax_ref,
    &eng_kernel_quantize_ref,
    &eng_kernel_dequantize_ref,
    &eng_kernel_add_ref,
    &eng_kernel_mul_ref,
    &eng_kernel_logistic_ref,
#ifdef ENG_HAVE_CONV
    &eng_kernel_conv_2d_ref,
#endif
#ifdef ENG_HAVE_DWCONV
    &eng_kernel_depthwise_conv_2d_ref,
#endif
#ifdef ENG_HAVE_POOLING
    &eng_kernel_max_pool_2d_ref,
    &eng_kernel_average_pool_2d_ref,
#endif
#ifdef ENG_HAVE_CAST
    &eng_kernel_cast_ref,
#endif
#ifdef ENG_HAVE_STRIDED_SLICE
    &eng_kernel_strided_slice_ref,
#endif
#ifdef ENG_HAVE_CONCATENATION
    &eng_kernel_concatenation_ref,
#endif
#ifdef ENG_HAVE_DIV
    &eng_kernel_div_ref,
#endif
#ifdef ENG_HAVE_MAXMIN
    &eng_kernel_maximum_ref,
    &eng_kernel_minimum_ref,
#endif
#ifdef ENG_HAVE_SIGNAL_WINDOW
    &eng_kernel_signal_window,
#endif
#ifdef ENG_HAVE_SIGNAL_FFT_AUTO_SCALE
    &eng_kernel_signal_fft_auto_scale,
#endif
#ifdef ENG_HAVE_SIGNAL_RFFT
    &eng_kernel_signal_rfft,
#endif
#ifdef ENG_HAVE_SIGNAL_ENERGY
    &eng_kernel_signal_energy,
#endif
#ifdef ENG_HAVE_SIGNAL_FILTER_BANK
    &eng_kernel_signal_filter_bank,
#endif
#ifdef ENG_HAVE_SIGNAL_FILTER_BANK_SQUARE_ROOT
    &eng_kernel_signal_filter_bank_square_root,
#endif
#ifdef ENG_HAVE_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION
    &eng_kernel_signal_filter_bank_spectral_subtraction,
#endif
#ifdef ENG_HAVE_SIGNAL_PCAN
    &eng_kernel_signal_pcan,
#endif
#ifdef ENG_HAVE_SIGNAL_FILTER_BANK_LOG
    &eng_kernel_signal_filter_bank_log,
#endif
};

/* Optimized kernels override reference entries one by one; an op missing here falls
 * back to the reference registration (same semantics, bit-exact by contract). */
/* ---- O: optimized kernels (kernels/optimized/<file>.c) ---- */
#if __has_include("../kernels/optimized/conv.c")
#define ENG_HAVE_OPT_CONV 1
extern const eng_kernel_t eng_kernel_conv_2d_opt;
#endif
#if __has_include("../kernels/optimized/depthwise_conv.c")
#define ENG_HAVE_OPT_DWCONV 1
extern const eng_kernel_t eng_kernel_depthwise_conv_2d_opt;
#endif
#if __has_include("../kernels/optimized/fully_connected.c")
#define ENG_HAVE_OPT_FC 1
extern const eng_kernel_t eng_kernel_fully_connected_opt;
#endif
#if __has_include("../kernels/optimized/pooling.c")
#define ENG_HAVE_OPT_POOLING 1
extern const eng_kernel_t eng_kernel_max_pool_2d_opt;
extern const eng_kernel_t eng_kernel_average_pool_2d_opt;
#endif
#if __has_include("../kernels/optimized/softmax.c")
#define ENG_HAVE_OPT_SOFTMAX 1
extern const eng_kernel_t eng_kernel_softmax_opt;
#endif
#if __has_include("../kernels/optimized/add.c")
#define ENG_HAVE_OPT_ADD 1
extern const eng_kernel_t eng_kernel_add_opt;
#endif
#if __has_include("../kernels/optimized/mul.c")
#define ENG_HAVE_OPT_MUL 1
extern const eng_kernel_t eng_kernel_mul_opt;
#endif
#if __has_include("../kernels/optimized/reshape.c")
#define ENG_HAVE_OPT_RESHAPE 1
extern const eng_kernel_t eng_kernel_reshape_opt;
#endif

static const eng_kernel_t *const optimized_set[] = {
    NULL, /* keeps the array non-empty whatever exists */
#ifdef ENG_HAVE_OPT_CONV
    &eng_kernel_conv_2d_opt,
#endif
#ifdef ENG_HAVE_OPT_DWCONV
    &eng_kernel_depthwise_conv_2d_opt,
#endif
#ifdef ENG_HAVE_OPT_FC
    &eng_kernel_fully_connected_opt,
#endif
#ifdef ENG_HAVE_OPT_POOLING
    &eng_kernel_max_pool_2d_opt,
    &eng_kernel_average_pool_2d_opt,
#endif
#ifdef ENG_HAVE_OPT_SOFTMAX
    &eng_kernel_softmax_opt,
#endif
#ifdef ENG_HAVE_OPT_RESHAPE
    &eng_kernel_reshape_opt,
#endif
#ifdef ENG_HAVE_OPT_ADD
    &eng_kernel_add_opt,
#endif
#ifdef ENG_HAVE_OPT_MUL
    &eng_kernel_mul_opt,
#endif
};

static const eng_kernel_t *find(const eng_kernel_t *const *table, uint32_t n, int32_t builtin,
                                const char *custom_name, uint32_t custom_name_len) {
  for (uint32_t i = 0; i < n; i++) {
    const eng_kernel_t *k = table[i];
    if (k == NULL || k->builtin != builtin) {
      continue;
    }
    if (builtin != ENG_OP_CUSTOM) {
      return k;
    }
    if (custom_name != NULL && k->custom_name != NULL &&
        strlen(k->custom_name) == custom_name_len &&
        memcmp(k->custom_name, custom_name, custom_name_len) == 0) {
      return k;
    }
  }
  return NULL;
}

const eng_kernel_t *eng_kernel_lookup(eng_kernel_set_t set, int32_t builtin,
                                      const char *custom_name, uint32_t custom_name_len) {
  if (set == ENG_KERNELS_OPTIMIZED) {
    const eng_kernel_t *k = find(optimized_set, sizeof optimized_set / sizeof optimized_set[0],
                                 builtin, custom_name, custom_name_len);
    if (k != NULL) {
      return k;
    }
  }
  return find(reference_set, sizeof reference_set / sizeof reference_set[0], builtin, custom_name,
              custom_name_len);
}
