/* device_link.h – the main firmware's one wire link and what its run handlers share. */
#ifndef XSINFER_DEVICE_LINK_H
#define XSINFER_DEVICE_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"
#include "xsinfer/engine.h"

extern wire_t device_wire;

/* A `run` command, decoded. */
typedef struct run_request {
  uint32_t run_id;
  char app[32];
  /* Model asset the app runs on ("upload/model", "models/..."); "" = the app's built-in one.
   * handle_run has checked that the asset exists. */
  char model[64];
  int impl_c;
  eng_kernel_set_t kernels;
  int ops;
  int counters; /* the run asked for core event counters per phase */
  /* Profiling flavour: XS's profiler runs through the JS run with this clock quantum in
   * ticks (0: not profiled; a release image refuses a nonzero one). */
  uint32_t profile;
  uint32_t iterations;
  uint32_t warmup;
} run_request_t;

/* Output inside each timed phase (POPULATE, INVOKE, RESPOND), from the board's counters. */
typedef struct phase_io {
  uint32_t bytes[3];
  uint32_t calls[3];
} phase_io_t;

/* One timed iteration as an `iter` record, queued and then drained: called after the
 * iteration's last tick, before the next iteration's first. correct: 1, 0, or -1 for not
 * checked (the record has no `correct`). value is sent when finite. io NULL: not counted
 * (the record has no `io`). */
void send_iteration(uint32_t run_id, uint32_t index, int correct, const uint64_t ticks[4],
                    const phase_io_t *io, int32_t label, int32_t score, float value,
                    uint32_t case_index);

/* The program's text route (XS's console, board.write, console_printf): a `log` record,
 * drained at once, since nothing but frames may share the link. */
void device_text_output(const char *text, size_t len);

/* Writes the key "arena" and its map {head, tail, used, size} (bytes, the `mem` record's and
 * engine_open's ack's layout, docs/protocol.md). */
void write_arena_usage(wire_mp_t *mp, const eng_arena_usage_t *usage);

/* Wire error code for an engine status (model, unsupported op, arena too small, ...). */
uint32_t wire_code_for_engine(eng_status_t status);

/* Runs the C implementation of an app; sends iter/ops/mem records and returns the
 * number of wrong iterations, or -1 after an error record. */
int32_t run_c_app(const run_request_t *request);

/* The JS side (js_runs.c). js_start creates the XS machine and maps the archive. */
int js_start(void);
uint64_t js_boot_ticks(void);
/* Invalidate every JS interpreter over the shared arenas (before C uses them). */
void js_release_arenas(void);
/* Adds `xs` (heap figures) and `bootTicks` to an info record (2 keys). */
void js_write_info(wire_mp_t *mp);
int32_t run_js_app(const run_request_t *request);
/* Fires the JS timers that are due (module timer's service()) and runs the promise jobs
 * they queued; a callback's exception becomes an error record. Only between commands. */
void js_service_timers(void);
int32_t run_micro(void);

/* Deploy (upload.c) replaces the XS machine; js_runs.c keeps using whichever is set. */
struct xsMachineRecord;
struct xsMachineRecord *js_machine(void);
void js_set_machine(struct xsMachineRecord *machine);

#endif
