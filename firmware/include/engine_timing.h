/* engine_timing.h – the engine's setup and invoke, timed with board_ticks() in one place,
 * so the bench-engine program and the main firmware's engine sessions time exactly the
 * same instructions (the same code between the two tick reads, not two call sites that a
 * compiler may schedule differently).
 *
 * Contract: the functions only add the tick reads around the engine calls; ownership,
 * lifetime and failures are the engine's (xsinfer/engine.h). Ticks are raw board ticks. */
#ifndef XSINFER_ENGINE_TIMING_H
#define XSINFER_ENGINE_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "xsinfer/engine.h"

/* eng_interp_create + eng_interp_allocate; *ticks covers both. Returns NULL with *err
 * filled when either fails (err must not be NULL). */
eng_interp_t *engine_timed_setup(const uint8_t *model, size_t model_bytes, void *arena,
                                 size_t arena_bytes, eng_kernel_set_t kernels, eng_error_t *err,
                                 uint64_t *ticks);

/* eng_interp_invoke; *ticks covers the invoke alone. */
eng_status_t engine_timed_invoke(eng_interp_t *it, uint64_t *ticks);

#endif
