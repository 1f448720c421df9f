/* engine_session.h – validation on target and engine benchmarks over the wire
 * (engine_open / engine_input / engine_invoke, docs/protocol.md "Engine sessions"): one
 * interpreter of the engine, either kernel set, on a model asset (normally upload/model),
 * in the main arena; the host sends the input bytes and gets the output bytes back.
 *
 * Contract
 * - At most one session; engine_open replaces it. Its interpreter lives in the main
 *   arena, which runs, uploads and board checks reuse: main.c calls engine_session_close()
 *   before each of those, and a command of a closed session is refused (error 3).
 * - Every input byte is sent again before each invoke (the planner may place activations
 *   over the inputs): an invoke with an incomplete input is refused (error 2).
 * - Failures answer the command with an `error` record and leave the board serving.
 * - Only between commands: nothing here runs while a run's timed region is open. */
#ifndef XSINFER_ENGINE_SESSION_H
#define XSINFER_ENGINE_SESSION_H

#include "wire.h"

/* Answers one engine_open / engine_input / engine_invoke command. */
void engine_session_handle(const wire_cmd_t *cmd);

/* Ends the session (its interpreter's arena is about to be reused). */
void engine_session_close(void);

#endif
