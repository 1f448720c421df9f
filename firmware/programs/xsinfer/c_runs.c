/* c_runs.c – `run` with impl "c": the C bench loop with wire telemetry, on the app's
 * built-in model or the run's `model` asset. Records are queued after each iteration's
 * last tick and drained before the next iteration starts; the queue is held for the
 * whole run, so the loop's own records never reach the UART inside a timed region. What
 * the app writes there (console_printf) is counted per phase and sent in `iter.io`. */
#include <string.h>

#include "assets.h"
#include "baseline/bench.h"
#include "arenas.h"
#include "board.h"
#include "device_link.h"
#include "phase_marks.h"
#include "stack_watermark.h"

enum { MAX_PROFILED_OPS = 64 };

uint8_t main_arena[MAIN_ARENA_BYTES] __attribute__((aligned(16)));
uint8_t aux_arena[AUX_ARENA_BYTES] __attribute__((aligned(16)));
static uint64_t op_ticks[MAX_PROFILED_OPS];

typedef struct sink_state {
  const run_request_t *request;
} sink_state_t;

static void send_c_iteration(void *user, const bench_iteration_t *it) {
  const sink_state_t *state = user;
  const uint64_t ticks[4] = {it->populate_ticks, it->invoke_ticks, it->respond_ticks,
                             it->total_ticks};
  phase_io_t io;
  for (int p = 0; p < 3; p++) {
    io.bytes[p] = it->io_bytes[p];
    io.calls[p] = it->io_calls[p];
  }
  send_iteration(state->request->run_id, it->index, it->correct, ticks, it->io_counted ? &io : NULL,
                 it->result.label, it->result.score, it->result.value, it->case_index);
}

static void record_op(void *user, int32_t op_index, int32_t builtin_code, uint64_t ticks) {
  (void)user;
  (void)builtin_code;
  if (op_index >= 0 && op_index < MAX_PROFILED_OPS) op_ticks[op_index] = ticks;
}

static void send_profile(const run_request_t *request, app_ctx_t *ctx) {
  uint32_t count = eng_interp_op_count(ctx->interp);
  if (count > MAX_PROFILED_OPS) count = MAX_PROFILED_OPS;
  eng_interp_set_profiler(ctx->interp, board_ticks, record_op, NULL);
  eng_status_t status = eng_interp_invoke(ctx->interp);
  eng_interp_set_profiler(ctx->interp, NULL, NULL, NULL);
  if (status != ENG_OK) return;
  const char *names[MAX_PROFILED_OPS];
  for (uint32_t i = 0; i < count; i++) names[i] = eng_interp_op_name(ctx->interp, i);
  /* A long model spans several records so each stays within the frame limit. */
  for (uint32_t first = 0; first < count; first += 16) {
    uint32_t n = count - first < 16 ? count - first : 16;
    wire_ops(&device_wire, request->run_id, 0, first, op_ticks + first, names + first, n);
    wire_drain(&device_wire);
  }
}

static void send_memory(app_ctx_t *ctx) {
  eng_arena_usage_t usage;
  eng_interp_arena_usage(ctx->interp, &usage);
  wire_mp_t *mp = wire_mem_begin(&device_wire, 2);
  if (!mp) return;
  write_arena_usage(mp, &usage);
  wire_mp_str(mp, "stack");
  wire_mp_map(mp, 1);
  wire_mp_field_uint(mp, "c", stack_peak_bytes());
  wire_queue_end(&device_wire);
}

int32_t run_c_app(const run_request_t *request) {
  const c_app_t *app = c_app_find(request->app);
  if (!app) {
    wire_error(&device_wire, NULL, WIRE_ERR_APP, "unknown app");
    return -1;
  }
  js_release_arenas(); /* JS interpreters over these arenas become invalid, as they must */
  app_ctx_t ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.kernels = request->kernels;
  ctx.arena = main_arena;
  ctx.arena_bytes = sizeof main_arena;
  ctx.aux_arena = aux_arena;
  ctx.aux_bytes = sizeof aux_arena;
  if (request->model[0]) {
    /* The run's model, found as the JS side finds it: uploaded slots, then the image. */
    const asset_t *model = asset_find(request->model);
    if (!model) {
      wire_error(&device_wire, NULL, WIRE_ERR_APP, "run: model asset not found");
      return -1;
    }
    ctx.model_name = request->model;
    ctx.model_data = model->data;
    ctx.model_bytes = model->bytes;
  }
  eng_status_t status = app->setup(&ctx);
  if (status != ENG_OK) {
    wire_error(&device_wire, NULL, wire_code_for_engine(status), ctx.error.message);
    return -1;
  }
  sink_state_t state = {request};
  wire_hold(&device_wire, 1);
  /* A counted run reads its ticks as counter snapshots (phase_marks.h); output inside each
   * phase is counted from the board's counters (board_io). */
  const bench_io_t io = {&board_io.uart_bytes, &board_io.text_calls};
  uint32_t wrong = c_bench_run(app, &ctx, request->warmup, request->iterations,
                               phase_marks_active() ? phase_marks_tick : board_ticks, &io,
                               send_c_iteration, &state);
  if (request->ops) send_profile(request, &ctx);
  send_memory(&ctx);
  wire_hold(&device_wire, 0);
  return (int32_t)wrong;
}
