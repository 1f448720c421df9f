/*
 * bench/bench.h – the JS module "bench": where the JS bench loop (device/lib/bench.ts)
 * hands each timed iteration, and a garbage collection before warm-up.
 *
 * Contract: the firmware program decides what a record becomes (printed after the run,
 * queued for the wire, ...) by registering a sink; record() is called between timed
 * regions, never inside one, and the sink must not call back into XS. Without a sink,
 * record() throws (a program that runs JS benches must say where records go).
 * streamReference() is the C reference micro_speech_stream's JS twins check against
 * (baseline/micro_speech_stream.h); it borrows both tflm slot arenas while it builds.
 */
#ifndef XSINFER_BINDINGS_BENCH_H
#define XSINFER_BINDINGS_BENCH_H

#include <stdint.h>

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
  float value;     /* RESPOND's dequantized value; NaN when the app gave none */
} xsinfer_bench_record_t;

typedef void (*xsinfer_bench_sink_fn)(void *user, const xsinfer_bench_record_t *record);

void xsinfer_bench_set_sink(xsinfer_bench_sink_fn sink, void *user);

void xs_bench_record(xsMachine *the);
void xs_bench_gc(xsMachine *the);
void xs_bench_stream_reference(xsMachine *the);

#endif
