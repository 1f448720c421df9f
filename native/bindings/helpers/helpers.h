/*
 * helpers.h – host functions of the JS module "helpers": the per-element work of an
 * app's POPULATE and RESPOND (quantize, dequantize, table maps, copies, arg-max, top-k,
 * image crop/resize, the mean squared error of two dequantized tensors) done in C over
 * typed arrays, zero copy, so JS stays orchestration.
 *
 * Contract: every function checks its arguments at the boundary (TypeError for a wrong
 * type or a read-only destination, RangeError for an offset, count or size outside the
 * arrays) and touches no memory before all checks pass; nothing is allocated except the
 * result array of topK and, once per preparation, a prepared helper's bound function.
 * Prepared helpers (prepareQuantize, prepareMapBytes, prepareCopy, prepareResult,
 * prepareMeanSquaredError, prepareTopK) check
 * their fixed arguments when prepared, keep those arrays alive while they live, and
 * re-check the arrays (detached, length) and the varying offsets on every call. Results are bit-exact with the pure-TypeScript twins in
 * device/lib/quantize.ts and device/lib/pure-helpers.ts (float32 arithmetic, roundf's
 * half-away-from-zero rounding), checked by test/xs/helpers.test.ts on host and QEMU.
 */
#ifndef XSINFER_HELPERS_H
#define XSINFER_HELPERS_H

#include "xsinfer_bindings.h"

void xs_helpers_map_bytes(xsMachine *the);
void xs_helpers_quantize(xsMachine *the);
void xs_helpers_dequantize(xsMachine *the);
void xs_helpers_copy(xsMachine *the);
void xs_helpers_copy_ring(xsMachine *the);
void xs_helpers_argmax(xsMachine *the);
void xs_helpers_top_k(xsMachine *the);
void xs_helpers_image(xsMachine *the);
/* The prepared helpers (prepareQuantize ...) and meanSquaredError, unless
 * XSINFER_PREPARED_HELPERS is 0 (a target without room for them): then one function that
 * throws stands for all seven. */
#if !defined(XSINFER_PREPARED_HELPERS) || XSINFER_PREPARED_HELPERS
void xs_helpers_mean_squared_error(xsMachine *the);
void xs_helpers_prepare_quantize(xsMachine *the);
void xs_helpers_prepare_map_bytes(xsMachine *the);
void xs_helpers_prepare_copy(xsMachine *the);
void xs_helpers_prepare_result(xsMachine *the);
void xs_helpers_prepare_mean_squared_error(xsMachine *the);
void xs_helpers_prepare_top_k(xsMachine *the);
#else
void xs_helpers_prepare_unavailable(xsMachine *the);
#define xs_helpers_mean_squared_error         xs_helpers_prepare_unavailable
#define xs_helpers_prepare_mean_squared_error xs_helpers_prepare_unavailable
#define xs_helpers_prepare_quantize           xs_helpers_prepare_unavailable
#define xs_helpers_prepare_map_bytes          xs_helpers_prepare_unavailable
#define xs_helpers_prepare_copy               xs_helpers_prepare_unavailable
#define xs_helpers_prepare_result             xs_helpers_prepare_unavailable
#define xs_helpers_prepare_top_k              xs_helpers_prepare_unavailable
#endif

#endif
