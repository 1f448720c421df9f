/* bench.c – the C bench loop (see bench.h). */
#include "baseline/bench.h"

uint32_t c_bench_run(const c_app_t *app, app_ctx_t *ctx, uint32_t warmup, uint32_t iterations,
                     bench_ticks_fn ticks, bench_sink_fn sink, void *user) {
  uint32_t wrong = 0;
  uint32_t cases = ctx->cases ? ctx->cases : app->cases;
  for (uint32_t i = 0; i < warmup + iterations; i++) {
    bench_iteration_t record = {0};
    record.case_index = i % cases;
    uint64_t t0 = ticks();
    app->populate(ctx, record.case_index);
    uint64_t t1 = ticks();
    record.invoke_status = eng_interp_invoke(ctx->interp);
    uint64_t t2 = ticks();
    app->respond(ctx, &record.result);
    uint64_t t3 = ticks();
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
