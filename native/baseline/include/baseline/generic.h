/* generic.h – the generic app (any int8/uint8/float32 model on an uploaded input set,
 * native/baseline/generic.c) and what its last RESPOND left for a harness that prints
 * more than the bench record carries (the MLPerf Tiny mode's results line).
 *
 * Contract: the views point into the app's static state and the aux arena; they are
 * valid after a RESPOND until the next setup of any app. */
#ifndef XSINFER_BASELINE_GENERIC_H
#define XSINFER_BASELINE_GENERIC_H

#include <stdint.h>

#include "baseline/app.h"

/* At most this many classes are ranked (the set's top_k is clamped to it). */
#define GENERIC_TOP_K_MAX 16u

extern const c_app_t c_app_generic;

/* The untimed check: output bytes equal the set's expected bytes of the case. */
int generic_check(const app_ctx_t *ctx, uint32_t case_index, const app_result_t *result);

/* Classification: the ranked classes of the last RESPOND; returns how many. */
uint32_t generic_top_k(const int32_t **index, const float **value);

/* Classification and regression: the dequantized output of the last RESPOND (NULL for
 * anomaly scoring, whose answer is the one error value). */
const float *generic_values(uint32_t *count);

#endif
