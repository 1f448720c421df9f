/* xsinfer – the main firmware. Boots, announces itself with an `info` record, then
 * serves the host over the wire protocol (docs/protocol.md): hello, run, stop, reset,
 * uploads, board checks and engine sessions.
 * Commands are handled only between runs, so nothing the host sends at an unpredictable
 * moment can change what a timed region does (QEMU counts stay exactly repeatable). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "board.h"
#include "board_check.h"
#include "console.h"
#include "device_link.h"
#ifdef XSINFER_ENGINE_SESSIONS
#include "engine_session.h"
#else
static void engine_session_close(void) {}
#endif
#include "phase_marks.h"
#include "inputs.h"
#include "mlperf_mode.h"
#include "stack_watermark.h"
#include "timer/timer.h"
#include "upload.h"
#include "xsbug_link.h"

enum { MAX_FRAME = 2048, QUEUE_BYTES = 8192 };

static uint8_t tx_scratch[MAX_FRAME];
static uint8_t tx_queue[QUEUE_BYTES];
static uint8_t rx_frame[WIRE_ENCODED_MAX(MAX_FRAME)];
wire_t device_wire;
static uint32_t next_run_id;

/* Set in MLPerf Tiny mode: the UART speaks the runner's ASCII protocol, so whatever the
 * wire would still send (boot logs) goes nowhere. */
static int wire_muted;

static void link_write(void *ctx, const uint8_t *data, size_t len) {
  (void)ctx;
  if (!wire_muted) board_uart_write(data, len);
}

static size_t link_read(void *ctx, uint8_t *data, size_t cap) {
  (void)ctx;
  return board_uart_read(data, cap);
}

void device_text_output(const char *text, size_t len) {
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;
  wire_logn(&device_wire, WIRE_LOG_INFO, text, (uint32_t)len);
  wire_drain(&device_wire);
}

void write_arena_usage(wire_mp_t *mp, const eng_arena_usage_t *usage) {
  wire_mp_str(mp, "arena");
  wire_mp_map(mp, 4);
  wire_mp_field_uint(mp, "head", usage->head_bytes);
  wire_mp_field_uint(mp, "tail", usage->tail_bytes);
  wire_mp_field_uint(mp, "used", usage->total_bytes);
  wire_mp_field_uint(mp, "size", usage->arena_bytes);
}

uint32_t wire_code_for_engine(eng_status_t status) {
  switch (status) {
    case ENG_ERR_MALFORMED: return WIRE_ERR_MODEL;
    case ENG_ERR_UNSUPPORTED_OP:
    case ENG_ERR_UNSUPPORTED_TYPE: return WIRE_ERR_UNSUPPORTED_OP;
    case ENG_ERR_ARENA: return WIRE_ERR_ARENA_TOO_SMALL;
    default: return WIRE_ERR_APP;
  }
}

/* `counters` {phase: [cycles, cpi, exc, sleep, lsu, fold, samples]} and `instr` {phase:
 * cycles - cpi - exc - sleep - lsu + fold} for the phases between marks t0..t3 (total:
 * t0..t3). */
static void write_counters(wire_mp_t *mp, const board_counters_t marks[4]) {
  static const char *const names[WIRE_PHASES] = {"populate", "invoke", "respond", "total"};
  static const uint8_t from[WIRE_PHASES] = {0, 1, 2, 0}, to[WIRE_PHASES] = {1, 2, 3, 3};
  uint64_t instr[WIRE_PHASES];
  wire_mp_str(mp, "counters");
  wire_mp_map(mp, WIRE_PHASES);
  for (int p = 0; p < WIRE_PHASES; p++) {
    const board_counters_t *a = &marks[from[p]], *b = &marks[to[p]];
    uint64_t d[7] = {b->cycles - a->cycles,  b->cpi - a->cpi, b->exc - a->exc,
                     b->sleep - a->sleep,    b->lsu - a->lsu, b->fold - a->fold,
                     b->samples - a->samples};
    instr[p] = d[0] - d[1] - d[2] - d[3] - d[4] + d[5];
    wire_mp_str(mp, names[p]);
    wire_mp_array(mp, 7);
    for (int k = 0; k < 7; k++) wire_mp_uint(mp, d[k]);
  }
  wire_mp_str(mp, "instr");
  wire_mp_map(mp, WIRE_PHASES);
  for (int p = 0; p < WIRE_PHASES; p++) {
    wire_mp_str(mp, names[p]);
    wire_mp_uint(mp, instr[p]);
  }
}

void send_iteration(uint32_t run_id, uint32_t index, int correct, const uint64_t ticks[4],
                    const phase_io_t *io, int32_t label, int32_t score, float value,
                    uint32_t case_index) {
  wire_iter_t iter = {.run = run_id,
                      .index = index,
                      .warmup = 0,
                      .correct = (int8_t)(correct < 0 ? -1
                                          : correct   ? 1
                                                      : 0)};
  for (int p = 0; p < WIRE_PHASES; p++) iter.ticks[p] = ticks[p];
  if (io) {
    iter.io_counted = 1;
    for (int p = 0; p < WIRE_PHASE_TOTAL; p++) {
      iter.io_bytes[p] = io->bytes[p];
      iter.io_calls[p] = io->calls[p];
    }
  }
  /* A counted run: the loop's four tick reads were counter snapshots (phase_marks.h). They
   * belong to this iteration when their cycle spans are its ticks (a phase that threw reads
   * fewer ticks: then the record goes without counters). */
  board_counters_t marks[4];
  int counted =
      phase_marks_active() && phase_marks_last4(marks) &&
      (uint32_t)(marks[3].cycles - marks[0].cycles) == (uint32_t)ticks[WIRE_PHASE_TOTAL] &&
      (uint32_t)(marks[1].cycles - marks[0].cycles) == (uint32_t)ticks[WIRE_PHASE_POPULATE];
  wire_mp_t *mp = wire_iter_begin(&device_wire, &iter, counted ? 3 : 1);
  if (mp) {
    if (counted) write_counters(mp, marks);
    int has_value = isfinite(value);
    wire_mp_str(mp, "result");
    wire_mp_map(mp, has_value ? 4 : 3);
    wire_mp_field_int(mp, "label", label);
    wire_mp_field_int(mp, "score", score);
    if (has_value) {
      wire_mp_str(mp, "value");
      wire_mp_float(mp, value);
    }
    wire_mp_field_uint(mp, "case", case_index);
    wire_queue_end(&device_wire);
  }
  wire_drain(&device_wire);
}

static void send_info(int32_t hello_seq) {
  const board_tick_unit_t *unit = board_tick_unit();
  board_memory_t memory;
  board_memory(&memory);
  wire_info_t info = {
      .build = xsinfer_build_id,
      .target = board_name(),
      .tick = {unit->unit, unit->num, unit->den, unit->hz},
      .flash_bytes = memory.flash_bytes,
      .ram_bytes = memory.ram_bytes,
      .stack_bottom = memory.stack_bottom,
      .stack_top = memory.stack_top,
      .hello_seq = hello_seq,
  };
#ifdef XSINFER_UART_BAUD
  enum { UART_KEYS = 1 };
#else
  enum { UART_KEYS = 0 };
#endif
  wire_mp_t *mp = wire_info_begin(&device_wire, &info, 2 + UART_KEYS);
  if (mp) {
#ifdef XSINFER_UART_BAUD
    /* The link settings this image runs (target.cmake): the host checks them against
     * what it opened the port with. */
    wire_mp_str(mp, "uart");
    wire_mp_map(mp, 2);
    wire_mp_field_uint(mp, "baud", XSINFER_UART_BAUD);
    wire_mp_field_str(mp, "format", XSINFER_UART_FORMAT);
#endif
    js_write_info(mp);
    wire_queue_end(&device_wire);
  }
}

/* Decodes a run command; returns NULL, or why it is refused (an `error` 2 badCommand). */
static const char *decode_run(const wire_cmd_t *cmd, run_request_t *request) {
  memset(request, 0, sizeof *request);
  if (cmd->u.run.app.len == 0 || cmd->u.run.app.len >= sizeof request->app)
    return "run: app name missing or too long";
  memcpy(request->app, cmd->u.run.app.ptr, cmd->u.run.app.len);
  if (cmd->u.run.model.len >= sizeof request->model) return "run: model asset name too long";
  memcpy(request->model, cmd->u.run.model.ptr, cmd->u.run.model.len);
  /* Checked before the run is accepted, for both impls: a missing uploaded model is the
   * host's mistake (nothing uploaded), not an app failure. */
  if (request->model[0] && !asset_find(request->model)) {
    static char message[160];
    int uploaded =
        strncmp(request->model, ASSET_UPLOAD_PREFIX, sizeof ASSET_UPLOAD_PREFIX - 1) == 0;
    snprintf(
        message, sizeof message, "run: no model asset \"%s\" %s", request->model,
        uploaded ? "(nothing uploaded under that name: deploy --model first)" : "in this firmware");
    return message;
  }
  if (request->model[0] && strcmp(request->app, "micro") == 0)
    return "run: the micro-benchmarks take no model";
  request->impl_c = cmd->u.run.impl_c;
  request->kernels = cmd->u.run.optimized ? ENG_KERNELS_OPTIMIZED : ENG_KERNELS_REFERENCE;
  request->ops = cmd->u.run.ops;
  request->counters = cmd->u.run.counters;
  request->profile = cmd->u.run.profile;
#ifndef XSINFER_XS_PROFILE
  if (request->profile) return "run: profile needs the profiling firmware (build --profile)";
#endif
  if (request->profile && (request->impl_c || strcmp(request->app, "micro") == 0))
    return "run: profile applies to JS app runs (impl \"js\")";
  request->iterations = cmd->u.run.iterations;
  request->warmup = cmd->u.run.warmup;
  request->run_id = next_run_id++;
  return NULL;
}

static void handle_run(const wire_cmd_t *cmd) {
  run_request_t request;
  const char *refusal = decode_run(cmd, &request);
  if (refusal) {
    wire_error(&device_wire, cmd, WIRE_ERR_BAD_COMMAND, refusal);
    return;
  }
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 1);
  if (ack) {
    wire_mp_field_uint(ack, "run", request.run_id);
    wire_queue_end(&device_wire);
  }
  wire_drain(&device_wire);
  int micro = strcmp(request.app, "micro") == 0;
  if (request.counters && !micro) phase_marks_begin();
  int32_t wrong = micro ? run_micro() : request.impl_c ? run_c_app(&request) : run_js_app(&request);
  phase_marks_end();
  wire_stats_t stats;
  wire_stats(&device_wire, &stats);
  uint32_t status = wrong == 0 ? 0u : 1u;
  /* The run's identity travels with its result, so a recording alone rebuilds the report
   * (with the model when the run named one). */
  wire_mp_t *done = wire_done_begin(&device_wire, request.run_id, status,
                                    wrong < 0 ? 0u : request.iterations, request.model[0] ? 6 : 5);
  if (done) {
    wire_mp_field_str(done, "app", request.app);
    if (request.model[0]) {
      wire_mp_field_str(done, "model", request.model);
    }
    wire_mp_field_str(done, "impl", request.impl_c ? "c" : "js");
    wire_mp_field_str(done, "kernels",
                      request.kernels == ENG_KERNELS_OPTIMIZED ? "optimized" : "reference");
    wire_mp_field_uint(done, "warmup", request.warmup);
    wire_mp_field_uint(done, "wrong", wrong < 0 ? request.iterations : (uint32_t)wrong);
    wire_queue_end(&device_wire);
  }
  wire_drain(&device_wire);
}

int main(void) {
  board_init();
  stack_paint();
  const wire_config_t config =
      WIRE_CONFIG(link_write, link_read, NULL, tx_scratch, tx_queue, rx_frame);
  if (wire_init(&device_wire, &config) != 0) board_exit(2);
  console_set_output(device_text_output);
  xsbug_link_init();
  wire_muted = mlperf_mode_requested();
  int eng_status = js_start();
  if (eng_status == 0) upload_restore(); /* apps and models uploaded before the reset */
  if (wire_muted) mlperf_mode_run();
  send_info(-1);
  if (eng_status != 0)
    wire_error(&device_wire, NULL, WIRE_ERR_ABORT,
               "XS could not start: machine creation or archive map failed");
  wire_drain(&device_wire);

  for (;;) {
    wire_cmd_t cmd;
    if (!wire_poll(&device_wire, &cmd)) {
      /* Idle: JS timers (module timer) fire here, between commands, never inside a run. */
      if (xsinfer_timer_due()) js_service_timers();
      wire_drain(&device_wire);
      continue;
    }
    switch (cmd.type) {
      case WIRE_CMD_HELLO:
        send_info(cmd.seq);
        wire_ack(&device_wire, &cmd);
        break;
      case WIRE_CMD_RUN:
        engine_session_close(); /* runs plan in the main arena */
        handle_run(&cmd);
        break;
      case WIRE_CMD_STOP:
        wire_ack(&device_wire, &cmd);
        wire_drain(&device_wire);
        board_exit(0);
        break;
      case WIRE_CMD_RESET:
        wire_ack(&device_wire, &cmd);
        wire_drain(&device_wire);
        board_reset();
        break;
      case WIRE_CMD_UPLOAD_BEGIN: /* model upload and app deploy: upload.c */
      case WIRE_CMD_UPLOAD_CHUNK:
      case WIRE_CMD_UPLOAD_END:
        engine_session_close(); /* the model verifier and app staging use the main arena */
        if (inputs_claims(&cmd))
          inputs_handle(&cmd); /* the generic app's input set: inputs.c */
        else
          upload_handle(&cmd);
        break;
      case WIRE_CMD_CHECK:
        engine_session_close(); /* the RAM item writes the arenas */
        board_check_handle(&cmd);
        break;
#ifdef XSINFER_ENGINE_SESSIONS
      case WIRE_CMD_ENGINE_OPEN: /* validation on target, engine benchmarks: engine_session.c */
      case WIRE_CMD_ENGINE_INPUT:
      case WIRE_CMD_ENGINE_INVOKE: engine_session_handle(&cmd); break;
#endif
      case WIRE_CMD_XSBUG: xsbug_link_handle(&cmd); break; /* XS's debugger: xsbug_link.c */
      default:
        wire_error(&device_wire, &cmd, WIRE_ERR_UNSUPPORTED, "command not supported by this build");
        break;
    }
    wire_drain(&device_wire);
  }
}
