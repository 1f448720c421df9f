/* bench.c – the C bench loop (see bench.h). */
#include "baseline/bench.h"

/* A loop without counters reads these: always zero, and not reported. */
static const volatile uint32_t no_count;

uint32_t c_bench_run(const c_app_t *app, app_ctx_t *ctx, uint32_t warmup, uint32_t iterations,
                     bench_ticks_fn ticks, const bench_io_t *io, bench_sink_fn sink, void *user) {
  const volatile uint32_t *io_bytes = io ? io->bytes : &no_count;
  const volatile uint32_t *io_calls = io ? io->calls : &no_count;
  uint32_t wrong = 0;
  uint32_t cases = ctx->cases ? ctx->cases : app->cases;
  for (uint32_t i = 0; i < warmup + iterations; i++) {
    bench_iteration_t record = {0};
    record.case_index = i % cases;
    uint32_t bytes[4], calls[4];
    uint64_t t0 = ticks();
    bytes[0] = *io_bytes;
    calls[0] = *io_calls;
    app->populate(ctx, record.case_index);
    uint64_t t1 = ticks();
    bytes[1] = *io_bytes;
    calls[1] = *io_calls;
    record.invoke_status = eng_interp_invoke(ctx->interp);
    uint64_t t2 = ticks();
    bytes[2] = *io_bytes;
    calls[2] = *io_calls;
    app->respond(ctx, &record.result);
    uint64_t t3 = ticks();
    bytes[3] = *io_bytes;
    calls[3] = *io_calls;
    record.io_counted = io != NULL;
    for (int p = 0; p < 3; p++) {
      record.io_bytes[p] = bytes[p + 1] - bytes[p];
      record.io_calls[p] = calls[p + 1] - calls[p];
    }
    record.populate_ticks = t1 - t0;
    record.invoke_ticks = t2 - t1;
    record.respond_ticks = t3 - t2;
    record.total_ticks = t3 - t0;
    if (record.invoke_status != ENG_OK || ctx->populate_status != ENG_OK)
      record.correct = 0;
    else
      record.correct = ctx->unchecked ? -1 : app_check(ctx, record.case_index, &record.result);
    if (record.correct == 0) wrong++;
    if (i >= warmup) {
      record.index = i - warmup;
      sink(user, &record);
    }
  }
  return wrong;
}
