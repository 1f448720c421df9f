/* bench.h – the C bench loop: warm-up, then timed iterations of POPULATE / INVOKE /
 * RESPOND with ticks around each phase. The loop itself does no I/O inside a timed region:
 * each iteration's record goes to the sink after the iteration's last tick was read. What
 * the app does is counted: given output counters (bench_io_t), the loop reads them right
 * after each tick read, so each phase's count covers its span; a read is two loads, and
 * lands in the phase that follows it (POPULATE, INVOKE and RESPOND each carry one). */
#ifndef XSINFER_BASELINE_BENCH_H
#define XSINFER_BASELINE_BENCH_H

#include "baseline/app.h"

typedef struct bench_iteration {
  uint32_t index; /* 0-based among timed iterations */
  uint32_t case_index;
  uint64_t populate_ticks;
  uint64_t invoke_ticks;
  uint64_t respond_ticks;
  uint64_t total_ticks; /* first to last tick of the iteration */
  app_result_t result;
  int correct; /* 1 right, 0 wrong or failed, -1 not checked (ctx->unchecked, and it ran) */
  eng_status_t invoke_status;
  /* Output inside POPULATE, INVOKE, RESPOND (io_counted 0: no counters were given). */
  int io_counted;
  uint32_t io_bytes[3];
  uint32_t io_calls[3];
} bench_iteration_t;

/* Output counters that only grow (wrapping at 2^32): bytes handed to the link and text
 * output calls (the firmware's board_io). */
typedef struct bench_io {
  const volatile uint32_t *bytes;
  const volatile uint32_t *calls;
} bench_io_t;

typedef void (*bench_sink_fn)(void *user, const bench_iteration_t *iteration);
typedef uint64_t (*bench_ticks_fn)(void);

/* Runs warmup untimed-recorded iterations then `iterations` recorded ones (the app must
 * be set up). Every iteration is checked against the golden outputs unless they do not
 * apply to the model (ctx->unchecked); returns the number of wrong or failed ones.
 * io may be NULL (nothing counted). */
uint32_t c_bench_run(const c_app_t *app, app_ctx_t *ctx, uint32_t warmup, uint32_t iterations,
                     bench_ticks_fn ticks, const bench_io_t *io, bench_sink_fn sink, void *user);

#endif
