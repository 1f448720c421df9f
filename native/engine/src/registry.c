/*
 * registry.c – the kernel sets: plain tables of registrations, looked up by builtin code
 * (and custom name), chosen per interpreter at run time.
 *
 * Adding an op: export `const eng_kernel_t eng_kernel_<op>_<set>` from a file under
 * kernels/<set>/ (its options parser beside it, named in the registration) and list it
 * below. Every entry names its symbol, so a kernel file that is missing or renamed is a
 * link error, never a silently absent op.
 */
#include <string.h>

#include "kernel.h"

/* ---- reference set (kernels/reference/, kernels/signal/) ---- */
extern const eng_kernel_t eng_kernel_add_ref;                /* reference/add.c */
extern const eng_kernel_t eng_kernel_average_pool_2d_ref;    /* reference/pooling.c */
extern const eng_kernel_t eng_kernel_cast_ref;               /* reference/cast.c */
extern const eng_kernel_t eng_kernel_concatenation_ref;      /* reference/concatenation.c */
extern const eng_kernel_t eng_kernel_conv_2d_ref;            /* reference/conv.c */
extern const eng_kernel_t eng_kernel_depthwise_conv_2d_ref;  /* reference/depthwise_conv.c */
extern const eng_kernel_t eng_kernel_dequantize_ref;         /* reference/dequantize.c */
extern const eng_kernel_t eng_kernel_div_ref;                /* reference/div.c */
extern const eng_kernel_t eng_kernel_fully_connected_ref;    /* reference/fully_connected.c */
extern const eng_kernel_t eng_kernel_logistic_ref;           /* reference/logistic.c */
extern const eng_kernel_t eng_kernel_max_pool_2d_ref;        /* reference/pooling.c */
extern const eng_kernel_t eng_kernel_maximum_ref;            /* reference/maximum_minimum.c */
extern const eng_kernel_t eng_kernel_minimum_ref;            /* reference/maximum_minimum.c */
extern const eng_kernel_t eng_kernel_mul_ref;                /* reference/mul.c */
extern const eng_kernel_t eng_kernel_quantize_ref;           /* reference/quantize.c */
extern const eng_kernel_t eng_kernel_reshape_ref;            /* reference/reshape.c */
extern const eng_kernel_t eng_kernel_softmax_ref;            /* reference/softmax.c */
extern const eng_kernel_t eng_kernel_strided_slice_ref;      /* reference/strided_slice.c */
extern const eng_kernel_t eng_kernel_signal_energy;          /* signal/energy.c */
extern const eng_kernel_t eng_kernel_signal_fft_auto_scale;  /* signal/fft_auto_scale.c */
extern const eng_kernel_t eng_kernel_signal_filter_bank;     /* signal/filter_bank.c */
extern const eng_kernel_t eng_kernel_signal_filter_bank_log; /* signal/filter_bank_log.c */
extern const eng_kernel_t eng_kernel_signal_filter_bank_spectral_subtraction;
extern const eng_kernel_t eng_kernel_signal_filter_bank_square_root;
extern const eng_kernel_t eng_kernel_signal_pcan;   /* signal/pcan.c */
extern const eng_kernel_t eng_kernel_signal_rfft;   /* signal/rfft.c */
extern const eng_kernel_t eng_kernel_signal_window; /* signal/window.c */

static const eng_kernel_t *const reference_set[] = {
    &eng_kernel_fully_connected_ref,
    &eng_kernel_reshape_ref,
    &eng_kernel_softmax_ref,
    &eng_kernel_quantize_ref,
    &eng_kernel_dequantize_ref,
    &eng_kernel_add_ref,
    &eng_kernel_mul_ref,
    &eng_kernel_logistic_ref,
    &eng_kernel_conv_2d_ref,
    &eng_kernel_depthwise_conv_2d_ref,
    &eng_kernel_max_pool_2d_ref,
    &eng_kernel_average_pool_2d_ref,
    &eng_kernel_cast_ref,
    &eng_kernel_strided_slice_ref,
    &eng_kernel_concatenation_ref,
    &eng_kernel_div_ref,
    &eng_kernel_maximum_ref,
    &eng_kernel_minimum_ref,
    &eng_kernel_signal_window,
    &eng_kernel_signal_fft_auto_scale,
    &eng_kernel_signal_rfft,
    &eng_kernel_signal_energy,
    &eng_kernel_signal_filter_bank,
    &eng_kernel_signal_filter_bank_square_root,
    &eng_kernel_signal_filter_bank_spectral_subtraction,
    &eng_kernel_signal_pcan,
    &eng_kernel_signal_filter_bank_log,
};

/* ---- optimized set (kernels/optimized/) ----
 * Optimized kernels override reference entries one by one; an op missing here falls back
 * to the reference registration (same semantics, bit-exact by contract). */
extern const eng_kernel_t eng_kernel_add_opt;               /* optimized/add.c */
extern const eng_kernel_t eng_kernel_average_pool_2d_opt;   /* optimized/pooling.c */
extern const eng_kernel_t eng_kernel_conv_2d_opt;           /* optimized/conv.c */
extern const eng_kernel_t eng_kernel_depthwise_conv_2d_opt; /* optimized/depthwise_conv.c */
extern const eng_kernel_t eng_kernel_fully_connected_opt;   /* optimized/fully_connected.c */
extern const eng_kernel_t eng_kernel_max_pool_2d_opt;       /* optimized/pooling.c */
extern const eng_kernel_t eng_kernel_mul_opt;               /* optimized/mul.c */
extern const eng_kernel_t eng_kernel_softmax_opt;           /* optimized/softmax.c */

static const eng_kernel_t *const optimized_set[] = {
    &eng_kernel_conv_2d_opt,
    &eng_kernel_depthwise_conv_2d_opt,
    &eng_kernel_fully_connected_opt,
    &eng_kernel_max_pool_2d_opt,
    &eng_kernel_average_pool_2d_opt,
    &eng_kernel_softmax_opt,
    &eng_kernel_add_opt,
    &eng_kernel_mul_opt,
};

static const eng_kernel_t *find(const eng_kernel_t *const *table, uint32_t n, int32_t builtin,
                                const char *custom_name, uint32_t custom_name_len) {
  for (uint32_t i = 0; i < n; i++) {
    const eng_kernel_t *k = table[i];
    if (k->builtin != builtin) {
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
