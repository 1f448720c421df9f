/*
 * bench.c – host functions of the JS module "bench": iteration records from the JS bench
 * loop to the program's sink, and an explicit garbage collection (see bench/bench.h).
 */
#include "bench/bench.h"

#include <math.h>

#include "tflm/tflm.h"
#include "time/time.h"

static xsinfer_bench_sink_fn sink;
static void *sink_user;
static xsinfer_bench_reference_fn stream_reference;

void xsinfer_bench_set_stream_reference(xsinfer_bench_reference_fn provider) {
  stream_reference = provider;
}

void xsinfer_bench_set_sink(xsinfer_bench_sink_fn fn, void *user) {
  sink = fn;
  sink_user = user;
}

static double number_arg(xsMachine *the, int32_t index, const char *what, double lo, double hi) {
  int type = xsTypeOf(xsArg(index));
  if (type != xsIntegerType && type != xsNumberType)
    xsTypeError("bench: record(): %s must be a number", what);
  double v = xsToNumber(xsArg(index));
  if (!(v >= lo && v <= hi) || v != (double)(int64_t)v)
    xsRangeError("bench: record(): %s out of range", what);
  return v;
}

/* record(index, caseIndex, populate, invoke, respond, total, label, score, correct[, value]);
 * correct undefined: not checked (the golden outputs do not apply to the run's model). */
void xs_bench_record(xsMachine *the) {
  if (xsToInteger(xsArgc) < 9) xsTypeError("bench: record() needs 9 arguments");
  if (!sink) xsUnknownError("bench: this firmware has no record sink");
  xsinfer_bench_record_t r;
  r.index = (uint32_t)number_arg(the, 0, "index", 0, 4294967295.0);
  r.case_index = (uint32_t)number_arg(the, 1, "caseIndex", 0, 4294967295.0);
  r.populate_ticks = (uint32_t)number_arg(the, 2, "populate", 0, 4294967295.0);
  r.invoke_ticks = (uint32_t)number_arg(the, 3, "invoke", 0, 4294967295.0);
  r.respond_ticks = (uint32_t)number_arg(the, 4, "respond", 0, 4294967295.0);
  r.total_ticks = (uint32_t)number_arg(the, 5, "total", 0, 4294967295.0);
  r.label = (int32_t)number_arg(the, 6, "label", -2147483648.0, 2147483647.0);
  r.score = (int32_t)number_arg(the, 7, "score", -2147483648.0, 2147483647.0);
  r.correct = xsTypeOf(xsArg(8)) == xsUndefinedType ? -1 : xsToBoolean(xsArg(8)) ? 1 : 0;
  /* The loop's last four ticks32() reads are t0..t3 when their spans are the ones given. */
  xsinfer_time_mark_t m[XSINFER_TIME_MARKS];
  xsinfer_time_marks(m);
  r.io_counted =
      m[1].ticks - m[0].ticks == r.populate_ticks && m[2].ticks - m[1].ticks == r.invoke_ticks &&
      m[3].ticks - m[2].ticks == r.respond_ticks && m[3].ticks - m[0].ticks == r.total_ticks;
  for (int p = 0; p < 3; p++) {
    r.io_bytes[p] = r.io_counted ? m[p + 1].bytes - m[p].bytes : 0;
    r.io_calls[p] = r.io_counted ? m[p + 1].calls - m[p].calls : 0;
  }
  for (int k = 0; k < 4; k++) r.marks[k] = m[k].ticks;
  /* An optional 10th argument: RESPOND's dequantized value (NaN when absent). */
  r.value = xsToInteger(xsArgc) > 9 && xsTypeOf(xsArg(9)) == xsNumberType
                ? (float)xsToNumber(xsArg(9))
                : NAN;
  sink(sink_user, &r);
}

void xs_bench_gc(xsMachine *the) {
  xsCollectGarbage();
}

/* streamReference(optimized) → read-only Uint8Array over the program's reference table
 * (micro_speech_stream's per-step reference in the main firmware), built on the tflm
 * arenas, which the provider borrows: call it before creating the run's interpreters. */
void xs_bench_stream_reference(xsMachine *the) {
  if (xsToInteger(xsArgc) < 1) xsTypeError("bench: streamReference(): kernels missing");
  if (!stream_reference) xsUnknownError("bench: streamReference(): this firmware provides none");
  eng_kernel_set_t kernels = xsToBoolean(xsArg(0)) ? ENG_KERNELS_OPTIMIZED : ENG_KERNELS_REFERENCE;
  uint32_t main_bytes, aux_bytes;
  uint8_t *main_arena = xsinfer_tflm_borrow_arena(XSINFER_TFLM_ARENA_MAIN, &main_bytes);
  uint8_t *aux_arena = xsinfer_tflm_borrow_arena(XSINFER_TFLM_ARENA_AUX, &aux_bytes);
  if (!main_arena || !aux_arena)
    xsUnknownError("bench: streamReference(): this firmware gives the tflm arenas no memory");
  const uint8_t *table;
  uint32_t table_bytes;
  eng_error_t error;
  if (stream_reference(kernels, main_arena, main_bytes, aux_arena, aux_bytes, &table, &table_bytes,
                       &error) != ENG_OK)
    xsUnknownError("bench: streamReference(): %s", error.message);
  xsinfer_xs_view(the, &xsResult, "Uint8Array", (void *)table, table_bytes, 1);
}
