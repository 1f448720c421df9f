/*
 * registry.c – the kernel sets: tables of registrations looked up by builtin code (and
 * custom name), chosen per interpreter at run time.
 *
 * Adding an op: export `const xs_kernel_t xs_kernel_<op>_<set>` from a file under
 * kernels/<set>/ and list it below. Entries for files other engineers are still writing
 * are guarded with __has_include on the kernel's own .c file, so the tree compiles
 * whether or not the file exists yet (the build globs every kernels/<set>/<file>.c, so any kernel file
 * that exists is compiled and linked).
 * Keep one line per symbol; the guard names the file that defines it.
 */
#include <string.h>

#include "kernel.h"

/* ---- ops written by the engine core (always present) ---- */
extern const xs_kernel_t xs_kernel_fully_connected_ref;
extern const xs_kernel_t xs_kernel_reshape_ref;
extern const xs_kernel_t xs_kernel_softmax_ref;
extern const xs_kernel_t xs_kernel_quantize_ref;
extern const xs_kernel_t xs_kernel_dequantize_ref;
extern const xs_kernel_t xs_kernel_add_ref;
extern const xs_kernel_t xs_kernel_mul_ref;
extern const xs_kernel_t xs_kernel_logistic_ref;

/* ---- E2: conv/pooling (kernels/reference/{conv,depthwise_conv,pooling}.c) ---- */
#if __has_include("../kernels/reference/conv.c")
#define XS_HAVE_CONV 1
extern const xs_kernel_t xs_kernel_conv_2d_ref;
#endif
#if __has_include("../kernels/reference/depthwise_conv.c")
#define XS_HAVE_DWCONV 1
extern const xs_kernel_t xs_kernel_depthwise_conv_2d_ref;
#endif
#if __has_include("../kernels/reference/pooling.c")
#define XS_HAVE_POOLING 1
extern const xs_kernel_t xs_kernel_max_pool_2d_ref;
extern const xs_kernel_t xs_kernel_average_pool_2d_ref;
#endif

/* ---- S: CAST/STRIDED_SLICE/CONCATENATION/int32 DIV/MINIMUM/MAXIMUM ---- */
#if __has_include("../kernels/reference/cast.c")
#define XS_HAVE_CAST 1
extern const xs_kernel_t xs_kernel_cast_ref;
#endif
#if __has_include("../kernels/reference/strided_slice.c")
#define XS_HAVE_STRIDED_SLICE 1
extern const xs_kernel_t xs_kernel_strided_slice_ref;
#endif
#if __has_include("../kernels/reference/concatenation.c")
#define XS_HAVE_CONCATENATION 1
extern const xs_kernel_t xs_kernel_concatenation_ref;
#endif
#if __has_include("../kernels/reference/div.c")
#define XS_HAVE_DIV 1
extern const xs_kernel_t xs_kernel_div_ref;
#endif
#if __has_include("../kernels/reference/maximum_minimum.c")
#define XS_HAVE_MAXMIN 1
extern const xs_kernel_t xs_kernel_maximum_ref;
extern const xs_kernel_t xs_kernel_minimum_ref;
#endif

/* ---- S: signal-library custom ops (kernels/signal/<file>.c) ---- */
#if __has_include("../kernels/signal/window.c")
#define XS_HAVE_SIGNAL_WINDOW 1
extern const xs_kernel_t xs_kernel_signal_window;
#endif
#if __has_include("../kernels/signal/fft_auto_scale.c")
#define XS_HAVE_SIGNAL_FFT_AUTO_SCALE 1
extern const xs_kernel_t xs_kernel_signal_fft_auto_scale;
#endif
#if __has_include("../kernels/signal/rfft.c")
#define XS_HAVE_SIGNAL_RFFT 1
extern const xs_kernel_t xs_kernel_signal_rfft;
#endif
#if __has_include("../kernels/signal/energy.c")
#define XS_HAVE_SIGNAL_ENERGY 1
extern const xs_kernel_t xs_kernel_signal_energy;
#endif
#if __has_include("../kernels/signal/filter_bank.c")
#define XS_HAVE_SIGNAL_FILTER_BANK 1
extern const xs_kernel_t xs_kernel_signal_filter_bank;
#endif
#if __has_include("../kernels/signal/filter_bank_square_root.c")
#define XS_HAVE_SIGNAL_FILTER_BANK_SQUARE_ROOT 1
extern const xs_kernel_t xs_kernel_signal_filter_bank_square_root;
#endif
#if __has_include("../kernels/signal/filter_bank_spectral_subtraction.c")
#define XS_HAVE_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION 1
extern const xs_kernel_t xs_kernel_signal_filter_bank_spectral_subtraction;
#endif
#if __has_include("../kernels/signal/pcan.c")
#define XS_HAVE_SIGNAL_PCAN 1
extern const xs_kernel_t xs_kernel_signal_pcan;
#endif
#if __has_include("../kernels/signal/filter_bank_log.c")
#define XS_HAVE_SIGNAL_FILTER_BANK_LOG 1
extern const xs_kernel_t xs_kernel_signal_filter_bank_log;
#endif

static const xs_kernel_t *const reference_set[] = {
    &xs_kernel_fully_connected_ref,
    &xs_kernel_reshape_ref,
    &xs_kernel_softmax_ref,
    &xs_kernel_quantize_ref,
    &xs_kernel_dequantize_ref,
    &xs_kernel_add_ref,
    &xs_kernel_mul_ref,
    &xs_kernel_logistic_ref,
#ifdef XS_HAVE_CONV
    &xs_kernel_conv_2d_ref,
#endif
#ifdef XS_HAVE_DWCONV
    &xs_kernel_depthwise_conv_2d_ref,
#endif
#ifdef XS_HAVE_POOLING
    &xs_kernel_max_pool_2d_ref,
    &xs_kernel_average_pool_2d_ref,
#endif
#ifdef XS_HAVE_CAST
    &xs_kernel_cast_ref,
#endif
#ifdef XS_HAVE_STRIDED_SLICE
    &xs_kernel_strided_slice_ref,
#endif
#ifdef XS_HAVE_CONCATENATION
    &xs_kernel_concatenation_ref,
#endif
#ifdef XS_HAVE_DIV
    &xs_kernel_div_ref,
#endif
#ifdef XS_HAVE_MAXMIN
    &xs_kernel_maximum_ref,
    &xs_kernel_minimum_ref,
#endif
#ifdef XS_HAVE_SIGNAL_WINDOW
    &xs_kernel_signal_window,
#endif
#ifdef XS_HAVE_SIGNAL_FFT_AUTO_SCALE
    &xs_kernel_signal_fft_auto_scale,
#endif
#ifdef XS_HAVE_SIGNAL_RFFT
    &xs_kernel_signal_rfft,
#endif
#ifdef XS_HAVE_SIGNAL_ENERGY
    &xs_kernel_signal_energy,
#endif
#ifdef XS_HAVE_SIGNAL_FILTER_BANK
    &xs_kernel_signal_filter_bank,
#endif
#ifdef XS_HAVE_SIGNAL_FILTER_BANK_SQUARE_ROOT
    &xs_kernel_signal_filter_bank_square_root,
#endif
#ifdef XS_HAVE_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION
    &xs_kernel_signal_filter_bank_spectral_subtraction,
#endif
#ifdef XS_HAVE_SIGNAL_PCAN
    &xs_kernel_signal_pcan,
#endif
#ifdef XS_HAVE_SIGNAL_FILTER_BANK_LOG
    &xs_kernel_signal_filter_bank_log,
#endif
};

/* Optimized kernels override reference entries one by one; an op missing here falls
 * back to the reference registration (same semantics, bit-exact by contract). */
/* ---- O: optimized kernels (kernels/optimized/<file>.c) ---- */
#if __has_include("../kernels/optimized/conv.c")
#define XS_HAVE_OPT_CONV 1
extern const xs_kernel_t xs_kernel_conv_2d_opt;
#endif
#if __has_include("../kernels/optimized/depthwise_conv.c")
#define XS_HAVE_OPT_DWCONV 1
extern const xs_kernel_t xs_kernel_depthwise_conv_2d_opt;
#endif
#if __has_include("../kernels/optimized/fully_connected.c")
#define XS_HAVE_OPT_FC 1
extern const xs_kernel_t xs_kernel_fully_connected_opt;
#endif
#if __has_include("../kernels/optimized/pooling.c")
#define XS_HAVE_OPT_POOLING 1
extern const xs_kernel_t xs_kernel_max_pool_2d_opt;
extern const xs_kernel_t xs_kernel_average_pool_2d_opt;
#endif
#if __has_include("../kernels/optimized/softmax.c")
#define XS_HAVE_OPT_SOFTMAX 1
extern const xs_kernel_t xs_kernel_softmax_opt;
#endif
#if __has_include("../kernels/optimized/add.c")
#define XS_HAVE_OPT_ADD 1
extern const xs_kernel_t xs_kernel_add_opt;
#endif
#if __has_include("../kernels/optimized/mul.c")
#define XS_HAVE_OPT_MUL 1
extern const xs_kernel_t xs_kernel_mul_opt;
#endif
#if __has_include("../kernels/optimized/reshape.c")
#define XS_HAVE_OPT_RESHAPE 1
extern const xs_kernel_t xs_kernel_reshape_opt;
#endif

static const xs_kernel_t *const optimized_set[] = {
    NULL, /* keeps the array non-empty whatever exists */
#ifdef XS_HAVE_OPT_CONV
    &xs_kernel_conv_2d_opt,
#endif
#ifdef XS_HAVE_OPT_DWCONV
    &xs_kernel_depthwise_conv_2d_opt,
#endif
#ifdef XS_HAVE_OPT_FC
    &xs_kernel_fully_connected_opt,
#endif
#ifdef XS_HAVE_OPT_POOLING
    &xs_kernel_max_pool_2d_opt,
    &xs_kernel_average_pool_2d_opt,
#endif
#ifdef XS_HAVE_OPT_SOFTMAX
    &xs_kernel_softmax_opt,
#endif
#ifdef XS_HAVE_OPT_RESHAPE
    &xs_kernel_reshape_opt,
#endif
#ifdef XS_HAVE_OPT_ADD
    &xs_kernel_add_opt,
#endif
#ifdef XS_HAVE_OPT_MUL
    &xs_kernel_mul_opt,
#endif
};

static const xs_kernel_t *find(const xs_kernel_t *const *table, uint32_t n, int32_t builtin,
                               const char *custom_name, uint32_t custom_name_len) {
  for (uint32_t i = 0; i < n; i++) {
    const xs_kernel_t *k = table[i];
    if (k == NULL || k->builtin != builtin) {
      continue;
    }
    if (builtin != XS_OP_CUSTOM) {
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

const xs_kernel_t *xs_kernel_lookup(xs_kernel_set_t set, int32_t builtin,
                                    const char *custom_name, uint32_t custom_name_len) {
  if (set == XS_KERNELS_OPTIMIZED) {
    const xs_kernel_t *k = find(optimized_set, sizeof optimized_set / sizeof optimized_set[0],
                                builtin, custom_name, custom_name_len);
    if (k != NULL) {
      return k;
    }
  }
  return find(reference_set, sizeof reference_set / sizeof reference_set[0], builtin,
              custom_name, custom_name_len);
}
