/*
 * signal_kernel.h – prepare-time helpers shared by the signal-library kernels: opening the
 * flexbuffer custom options and checking tensor type/rank with uniform error messages.
 *
 * Contract: prepare-only helpers; each returns ENG_OK or the status of eng_fail() (already
 * recorded on the node), so callers can `if ((st = ...) != ENG_OK) return st;`.
 */
#ifndef XSINFER_SIGNAL_KERNEL_H
#define XSINFER_SIGNAL_KERNEL_H

#include "flexbuffer.h"
#include "kernel.h"
#include "signal_dsp.h"

/* The op's custom options must be a flexbuffer map (an empty map is fine). */
static inline eng_status_t eng_sig_options(eng_node_t *node, eng_flex_value_t *map) {
  const uint8_t *bytes;
  const uint32_t len = eng_custom_options(node, &bytes);
  if (eng_flex_root(bytes, len, map) != ENG_FLEX_OK || map->type != ENG_FLEX_MAP) {
    return eng_fail(node, ENG_ERR_MALFORMED, "custom options are not a flexbuffer map");
  }
  return ENG_OK;
}

/* Required integer option within [min, max]. */
static inline eng_status_t eng_sig_int_option(eng_node_t *node, const eng_flex_value_t *map,
                                              const char *key, int32_t min, int32_t max,
                                              int32_t *out) {
  const eng_flex_status_t st = eng_flex_map_int32(map, key, min, max, out);
  if (st != ENG_FLEX_OK) {
    return eng_fail(node, ENG_ERR_MALFORMED, "option %s: %s (allowed %d..%d)", key,
                    eng_flex_status_name(st), min, max);
  }
  return ENG_OK;
}

static inline eng_status_t eng_sig_bool_option(eng_node_t *node, const eng_flex_value_t *map,
                                               const char *key, int *out) {
  const eng_flex_status_t st = eng_flex_map_bool(map, key, out);
  if (st != ENG_FLEX_OK) {
    return eng_fail(node, ENG_ERR_MALFORMED, "option %s: %s", key, eng_flex_status_name(st));
  }
  return ENG_OK;
}

/* Tensor present, of `type`, and of rank `rank` (rank < 0: any rank >= 1). */
static inline eng_status_t eng_sig_tensor(eng_node_t *node, const eng_tensor_t *t, const char *what,
                                          eng_type_t type, int32_t rank) {
  if (t == NULL) {
    return eng_fail(node, ENG_ERR_SHAPE, "%s is missing", what);
  }
  if (t->type != type) {
    return eng_expect_type(node, t, what, type);
  }
  if (rank >= 0 ? t->rank != rank : t->rank < 1) {
    return eng_fail(node, ENG_ERR_SHAPE, "%s has rank %d, expected %d", what, (int32_t)t->rank,
                    rank);
  }
  return ENG_OK;
}

static inline eng_status_t eng_sig_arity(eng_node_t *node, uint32_t inputs, uint32_t outputs) {
  if (eng_num_inputs(node) != inputs || eng_num_outputs(node) != outputs) {
    return eng_fail(node, ENG_ERR_SHAPE, "expects %u inputs and %u outputs, has %u and %u", inputs,
                    outputs, eng_num_inputs(node), eng_num_outputs(node));
  }
  return ENG_OK;
}

#endif
