/*
 * signal_kernel.h – prepare-time helpers shared by the signal-library kernels: opening the
 * flexbuffer custom options and checking tensor type/rank with uniform error messages.
 *
 * Contract: prepare-only helpers; each returns XS_OK or the status of xs_fail() (already
 * recorded on the node), so callers can `if ((st = ...) != XS_OK) return st;`.
 */
#ifndef XSINFER_SIGNAL_KERNEL_H
#define XSINFER_SIGNAL_KERNEL_H

#include "flexbuffer.h"
#include "kernel.h"
#include "signal_dsp.h"

/* The op's custom options must be a flexbuffer map (an empty map is fine). */
static inline xs_status_t xs_sig_options(xs_node_t *node, xs_flex_value_t *map) {
  const uint8_t *bytes;
  const uint32_t len = xs_custom_options(node, &bytes);
  if (xs_flex_root(bytes, len, map) != XS_FLEX_OK ||
      map->type != XS_FLEX_MAP) {
    return xs_fail(node, XS_ERR_MALFORMED, "custom options are not a flexbuffer map");
  }
  return XS_OK;
}

/* Required integer option within [min, max]. */
static inline xs_status_t xs_sig_int_option(xs_node_t *node, const xs_flex_value_t *map,
                                            const char *key, int32_t min, int32_t max,
                                            int32_t *out) {
  const xs_flex_status_t st = xs_flex_map_int32(map, key, min, max, out);
  if (st != XS_FLEX_OK) {
    return xs_fail(node, XS_ERR_MALFORMED, "option %s: %s (allowed %d..%d)", key,
                   xs_flex_status_name(st), min, max);
  }
  return XS_OK;
}

static inline xs_status_t xs_sig_bool_option(xs_node_t *node, const xs_flex_value_t *map,
                                             const char *key, int *out) {
  const xs_flex_status_t st = xs_flex_map_bool(map, key, out);
  if (st != XS_FLEX_OK) {
    return xs_fail(node, XS_ERR_MALFORMED, "option %s: %s", key, xs_flex_status_name(st));
  }
  return XS_OK;
}

/* Tensor present, of `type`, and of rank `rank` (rank < 0: any rank >= 1). */
static inline xs_status_t xs_sig_tensor(xs_node_t *node, const xs_tensor_t *t,
                                        const char *what, xs_type_t type, int32_t rank) {
  if (t == NULL) {
    return xs_fail(node, XS_ERR_SHAPE, "%s is missing", what);
  }
  if (t->type != type) {
    return xs_expect_type(node, t, what, type);
  }
  if (rank >= 0 ? t->rank != rank : t->rank < 1) {
    return xs_fail(node, XS_ERR_SHAPE, "%s has rank %d, expected %d", what, (int32_t)t->rank,
                   rank);
  }
  return XS_OK;
}

static inline xs_status_t xs_sig_arity(xs_node_t *node, uint32_t inputs, uint32_t outputs) {
  if (xs_num_inputs(node) != inputs || xs_num_outputs(node) != outputs) {
    return xs_fail(node, XS_ERR_SHAPE, "expects %u inputs and %u outputs, has %u and %u",
                   inputs, outputs, xs_num_inputs(node), xs_num_outputs(node));
  }
  return XS_OK;
}

#endif
