/*
 * bench/bench.h – the JS module "bench": where the JS bench loop (device/lib/bench.ts)
 * hands each timed iteration, and a garbage collection before warm-up.
 *
 * Contract: the firmware program decides what a record becomes (printed after the run,
 * queued for the wire, ...) by registering a sink; record() is called between timed
 * regions, never inside one, and the sink must not call back into XS. Without a sink,
 * record() throws (a program that runs JS benches must say where records go).
 * streamReference() returns a reference table the program provides (the main firmware
 * registers micro_speech_stream's C reference, which its JS twins check against); the
 * provider borrows both tflm arenas while it builds. Without a provider it throws.
 */
#ifndef XSINFER_BINDINGS_BENCH_H
#define XSINFER_BINDINGS_BENCH_H

#include <stdint.h>

#include "xsinfer/engine.h"
#include "xsinfer_xs.h"

/* One timed iteration as the JS loop measured it, raw ticks (spans < 2^32 ticks). */
typedef struct xsinfer_bench_record {
  uint32_t index; /* 0-based among timed iterations */
  uint32_t case_index;
  uint32_t populate_ticks;
  uint32_t invoke_ticks;
  uint32_t respond_ticks;
  uint32_t total_ticks;
  int32_t label;
  int32_t score;
  int32_t correct; /* 1, 0, or -1: not checked */
  /* Output inside POPULATE, INVOKE, RESPOND, from the marks the loop's ticks32() reads
   * latched (time/time.h); io_counted 0 when the last four reads are not this
   * iteration's phase boundaries (e.g. a phase threw). */
  int32_t io_counted;
  uint32_t io_bytes[3];
  uint32_t io_calls[3];
  /* The four tick reads themselves (low 32 bits of the board's ticks; valid with
   * io_counted): where the phases lie in time, for a profile of the run. */
  uint32_t marks[4];
  float value; /* RESPOND's dequantized value; NaN when the app gave none */
} xsinfer_bench_record_t;

typedef void (*xsinfer_bench_sink_fn)(void *user, const xsinfer_bench_record_t *record);

void xsinfer_bench_set_sink(xsinfer_bench_sink_fn sink, void *user);

/* Builds a read-only table in the given arenas (static storage or the arenas themselves)
 * and returns it with its size; on failure fills *err. */
typedef eng_status_t (*xsinfer_bench_reference_fn)(eng_kernel_set_t kernels, uint8_t *arena,
                                                   uint32_t arena_bytes, uint8_t *aux_arena,
                                                   uint32_t aux_bytes, const uint8_t **table,
                                                   uint32_t *table_bytes, eng_error_t *err);

void xsinfer_bench_set_stream_reference(xsinfer_bench_reference_fn provider);

void xs_bench_record(xsMachine *the);
void xs_bench_gc(xsMachine *the);
void xs_bench_stream_reference(xsMachine *the);

#endif
