/*
 * tflm.h – the JS module "tflm" (interpreters over flash models, typed-array views straight
 * over tensor memory) and what a firmware program gives it: two named static arenas.
 *
 * Contract:
 * - Two arenas, main (0) and aux (1), whose memory the program registers with
 *   xsinfer_tflm_set_arena before JS creates an interpreter there (none → JS Error).
 *   Programs that never register one pay no RAM for them.
 * - One interpreter per arena. Creating an interpreter in an arena replaces the previous
 *   one at once (even when creation then fails): its handle goes stale, every JS method
 *   on it throws, and tflm.js detaches its views (length 0; set/fill throw TypeError)
 *   before the arena is reused, so stale JS views can neither read nor write the new
 *   interpreter's tensors.
 * - Host functions check every argument (TypeError/RangeError, never a crash). Engine
 *   failures are returned to tflm.js as [code, message, opIndex, bytesNeeded], which it
 *   throws as a TflmError carrying the engine's own message.
 * - Nothing here allocates; profiles go to a static table (XSINFER_TFLM_MAX_PROFILE_OPS).
 */
#ifndef XSINFER_BINDINGS_TFLM_H
#define XSINFER_BINDINGS_TFLM_H

#include <stdint.h>

#include "xsinfer/engine.h"
#include "xsinfer_xs.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { XSINFER_TFLM_ARENA_MAIN = 0, XSINFER_TFLM_ARENA_AUX = 1, XSINFER_TFLM_ARENAS = 2 };
#define XSINFER_TFLM_MAX_PROFILE_OPS 128u

/* Gives arena_id its memory (16-byte aligned, static, outlives the machine). Replaces and
 * forgets any interpreter the arena held. */
void xsinfer_tflm_set_arena(uint32_t arena_id, uint8_t *arena, uint32_t bytes);

/* The arena's memory for C code to use now (NULL, *bytes 0: none): forgets the arena's
 * interpreter first, as set_arena does (its JS handle goes stale; the next JS creation
 * in the arena detaches the old views). */
uint8_t *xsinfer_tflm_borrow_arena(uint32_t arena_id, uint32_t *bytes);

/* The live interpreter of an arena (NULL when none): lets a program report arena figures. */
const eng_interp_t *xsinfer_tflm_interpreter(uint32_t arena_id);

/* Changes whenever an interpreter is created in (or removed from) the arena: tells a
 * program whether JS used the arena during some span. */
int32_t xsinfer_tflm_generation(uint32_t arena_id);

void xs_tflm_create(xsMachine *the);
void xs_tflm_close(xsMachine *the);
void xs_tflm_tensor(xsMachine *the);
void xs_tflm_invoke(xsMachine *the);
/* invoker(interpreter, handle): invoke() as a host function bound to both (no method
 * lookup per call); the same checks and errors as invoke(). */
void xs_tflm_invoker(xsMachine *the);
void xs_tflm_bind(xsMachine *the);
void xs_tflm_destructor(void *data);
void xs_tflm_error(xsMachine *the);
void xs_tflm_arena(xsMachine *the);
void xs_tflm_profile(xsMachine *the);
void xs_tflm_detach(xsMachine *the);
void xs_tflm_arena_bytes(xsMachine *the);

#ifdef __cplusplus
}
#endif

#endif
