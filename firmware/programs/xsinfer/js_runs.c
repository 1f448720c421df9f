/* js_runs.c – `run` with impl "js": the TypeScript app under XS (device/lib/bench.ts
 * sets it up on its own model or the run's `model`, drives POPULATE / INVOKE / RESPOND
 * and times them with ticks32(), which also latches the output counters); each iteration's
 * record comes back through the `bench` module's sink with the output inside each phase,
 * is queued as a wire `iter` record and drained before the next iteration starts. Also
 * the micro-benchmarks (JS and C). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "arenas.h"
#include "baseline/micro.h"
#include "baseline/micro_speech_stream.h"
#include "bench/bench.h"
#include "board.h"
#include "device_link.h"
#include "stack_watermark.h"
#include "telemetry/telemetry.h"
#include "tflm/tflm.h"
#include "upload.h"
#include "xsinfer_bindings.h"
#include "xsinfer_xs.h"
#ifdef XSINFER_XS_PROFILE
#include "xsinfer_xs_profile.h"
#endif

/* lib/bench's MODEL_MISMATCH: run() refused the run's model (lastFailure() says why). */
#define JS_MODEL_MISMATCH (-2)

static xsMachine *machine;
/* Set once a run has used the machine: the next run starts a fresh one. */
static int machine_used;
static uint64_t boot_ticks;
#ifdef XSINFER_XS_PROFILE
static uint32_t profile_quantum;
#endif

typedef struct js_sink_state {
  uint32_t run_id;
} js_sink_state_t;

static js_sink_state_t sink_state;

/* The value is sent when the JS loop handed a finite one, as C's. */
static void send_js_iteration(void *user, const xsinfer_bench_record_t *r) {
  const js_sink_state_t *state = user;
#ifdef XSINFER_XS_PROFILE
  /* A profiled run: where this iteration's phases lie on the profile's clock (queued
   * first, drained with the iteration's record). */
  if (xsinfer_xs_profile_active() && r->io_counted) {
    wire_mp_t *mp = wire_queue_begin(&device_wire, WIRE_REC_PROFILE);
    if (mp) {
      wire_mp_map(mp, 3);
      wire_mp_field_uint(mp, "run", state->run_id);
      wire_mp_field_uint(mp, "i", r->index);
      wire_mp_str(mp, "at");
      wire_mp_array(mp, 4);
      for (int k = 0; k < 4; k++) wire_mp_uint(mp, r->marks[k]);
      wire_queue_end(&device_wire);
    }
  }
#endif
  const uint64_t ticks[4] = {r->populate_ticks, r->invoke_ticks, r->respond_ticks, r->total_ticks};
  phase_io_t io;
  for (int p = 0; p < 3; p++) {
    io.bytes[p] = r->io_bytes[p];
    io.calls[p] = r->io_calls[p];
  }
  send_iteration(state->run_id, r->index, r->correct, ticks, r->io_counted ? &io : NULL, r->label,
                 r->score, r->value, r->case_index);
}

/* telemetry.send() → a `user` record. Only queued: during a run the queue is held, so the
 * record waits for the drain after the iteration (a full held queue drops it, counted and
 * reported by the next `overflow` record and the run's `done`); outside a run
 * wire_queue_end makes room by writing the queue. */
static wire_mp_t *telemetry_begin(void *ctx, const char *name) {
  (void)ctx;
  return wire_user_begin(&device_wire, name);
}
static void telemetry_end(void *ctx) {
  (void)ctx;
  wire_queue_end(&device_wire);
}
static void telemetry_cancel(void *ctx) {
  (void)ctx;
  wire_queue_cancel(&device_wire);
}
static const xsinfer_telemetry_sink_t telemetry_sink = {telemetry_begin, telemetry_end,
                                                        telemetry_cancel, NULL};

void js_release_arenas(void) {
  xsinfer_tflm_set_arena(XSINFER_TFLM_ARENA_MAIN, main_arena, sizeof main_arena);
  xsinfer_tflm_set_arena(XSINFER_TFLM_ARENA_AUX, aux_arena, sizeof aux_arena);
}

/* An XS abort ends the program: say why in an error record first (never a silent hang). */
static void xs_abort(int status, const char *reason) {
  uint32_t code = status == XSINFER_XS_ABORT_MEMORY  ? WIRE_ERR_OUT_OF_MEMORY
                  : status == XSINFER_XS_ABORT_STACK ? WIRE_ERR_STACK_OVERFLOW
                                                     : WIRE_ERR_ABORT;
  char message[96];
  snprintf(message, sizeof message, "XS aborted: %s; the device stops", reason);
  wire_queue_cancel(&device_wire);
  wire_error(&device_wire, NULL, code, message);
  wire_drain(&device_wire);
  upload_on_abort(); /* returns unless a boot-time app start aborted */
}

/* The JS stream apps check every step against the C app's reference (bench binding). */
static eng_status_t micro_speech_stream_reference(eng_kernel_set_t kernels, uint8_t *arena,
                                                  uint32_t arena_bytes, uint8_t *aux_arena,
                                                  uint32_t aux_bytes, const uint8_t **table,
                                                  uint32_t *table_bytes, eng_error_t *err) {
  *table_bytes = MS_STREAM_STEPS * MS_STREAM_RECORD;
  return ms_stream_reference(kernels, arena, arena_bytes, aux_arena, aux_bytes, table, err);
}

int js_start(void) {
  js_release_arenas();
  xsinfer_xs_set_output(device_text_output); /* XS text travels as log records */
  xsinfer_xs_set_abort_handler(xs_abort);
  xsinfer_bench_set_sink(send_js_iteration, &sink_state);
  xsinfer_bench_set_stream_reference(micro_speech_stream_reference);
  xsinfer_telemetry_set_sink(&telemetry_sink);
  uint32_t host_count;
  const xsinfer_xs_host_t *hosts = xsinfer_bindings_hosts(&host_count);
  uint64_t t0 = board_ticks();
  machine = xsinfer_xs_create(hosts, host_count);
  if (!machine) return -1;
  if (xsinfer_xs_map(machine, xsinfer_xs_image.archive, xsinfer_xs_image.archive_bytes) != 0)
    return -2;
  boot_ticks = board_ticks() - t0;
  return 0;
}

uint64_t js_boot_ticks(void) {
  return boot_ticks;
}

/* ---- deploy (upload.c) ---- */
xsMachine *js_machine(void) {
  return machine;
}
void js_set_machine(xsMachine *m) {
  machine = m;
  machine_used = 0;
}

/* Every run starts on a machine in the state a boot leaves (built-in archive, the deployed
 * app started): what earlier runs imported and kept (module state, their heap) neither
 * takes memory from this run nor moves its collections, so a run measures the same in any
 * order. The debug flavour keeps its one machine: xsbug is attached to it. */
static int fresh_machine(void) {
#ifndef mxDebug
  if (machine_used) {
    char message[160];
    uint32_t code = upload_restart_js(message, sizeof message);
    if (code != 0) {
      wire_error(&device_wire, NULL, code, message);
      return -1;
    }
  }
#endif
  machine_used = 1;
  return 0;
}

static void write_xs_stats(wire_mp_t *mp) {
  xsinfer_xs_stats_t s;
  xsinfer_xs_stats(machine, &s);
  wire_mp_map(mp, 9);
  wire_mp_field_uint(mp, "arenaBytes", s.arena_bytes);
  wire_mp_field_uint(mp, "slotBytes", s.slot_bytes);
  wire_mp_field_uint(mp, "slotsPeak", s.slots_peak);
  wire_mp_field_uint(mp, "slotsReserved", s.slots_reserved);
  wire_mp_field_uint(mp, "chunksPeak", s.chunks_peak);
  wire_mp_field_uint(mp, "chunksReserved", s.chunks_reserved);
  wire_mp_field_uint(mp, "poolPeak", s.pool_peak);
  wire_mp_field_uint(mp, "poolBytes", s.pool_bytes);
  wire_mp_field_uint(mp, "jsStackPeak", s.stack_peak_slots * s.slot_bytes);
}

void js_write_info(wire_mp_t *mp) {
  wire_mp_str(mp, "xs");
  if (machine) {
    write_xs_stats(mp);
  } else {
    wire_mp_nil(mp);
  }
  wire_mp_field_uint(mp, "bootTicks", boot_ticks);
}

static void send_js_memory(void) {
  const eng_interp_t *interp = xsinfer_tflm_interpreter(XSINFER_TFLM_ARENA_MAIN);
  wire_mp_t *mp = wire_mem_begin(&device_wire, interp ? 3 : 2);
  if (!mp) return;
  if (interp) {
    eng_arena_usage_t usage;
    eng_interp_arena_usage(interp, &usage);
    write_arena_usage(mp, &usage);
  }
  wire_mp_str(mp, "xs");
  write_xs_stats(mp);
  xsinfer_xs_stats_t s;
  xsinfer_xs_stats(machine, &s);
  wire_mp_str(mp, "stack");
  wire_mp_map(mp, 2);
  wire_mp_field_uint(mp, "c", stack_peak_bytes());
  wire_mp_field_uint(mp, "js", s.stack_peak_slots * s.slot_bytes);
  wire_queue_end(&device_wire);
}

static int valid_app_name(const char *name) {
  if (!name[0]) return 0;
  for (const char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return 0;
  return 1;
}

#ifdef XSINFER_XS_PROFILE
typedef struct profile_out {
  uint32_t run_id;
  uint32_t seq;
} profile_out_t;

/* One piece of the .cpuprofile JSON per `profile` record, drained at once: the run's
 * timed part is over, and the pieces may be many. */
static void send_profile_piece(void *user, const char *data, uint32_t len, int last) {
  profile_out_t *o = user;
  wire_mp_t *mp = wire_queue_begin(&device_wire, WIRE_REC_PROFILE);
  if (mp) {
    wire_mp_map(mp, last ? 9 : 4);
    wire_mp_field_uint(mp, "run", o->run_id);
    wire_mp_field_uint(mp, "seq", o->seq++);
    wire_mp_str(mp, "data");
    wire_mp_strn(mp, data, len);
    wire_mp_str(mp, "last");
    wire_mp_bool(mp, last);
    if (last) {
      wire_mp_str(mp, "truncated");
      wire_mp_bool(mp, xsinfer_xs_profile_truncated());
      wire_mp_field_uint(mp, "quantum", profile_quantum);
      wire_mp_field_uint(mp, "origin", xsinfer_xs_profile_origin());
      wire_mp_field_uint(mp, "poolBytes", xsinfer_xs_profile_pool_bytes());
      wire_mp_field_uint(mp, "poolPeak", xsinfer_xs_profile_pool_peak());
    }
    wire_queue_end(&device_wire);
  }
  wire_drain(&device_wire);
}
#endif

/* The JS exception as an error record; XS strings live in the heap until the next GC. */
static void send_js_error(xsMachine *the, const char *what) {
  char message[200];
  snprintf(message, sizeof message, "%s: %s", what, xsToString(xsException));
  wire_error(&device_wire, NULL, WIRE_ERR_JS_EXCEPTION, message);
}

int32_t run_js_app(const run_request_t *request) {
  if (!machine) {
    wire_error(&device_wire, NULL, WIRE_ERR_ABORT, "XS did not start on this device");
    return -1;
  }
  if (!valid_app_name(request->app)) {
    wire_error(&device_wire, NULL, WIRE_ERR_APP, "unknown app");
    return -1;
  }
  if (fresh_machine() != 0) return -1;
  char path[64];
  snprintf(path, sizeof path, "apps/%s/main", request->app);
  if (strcmp(request->app, "deployed") == 0 && upload_deployed_main()) /* deploy: upload.c */
    snprintf(path, sizeof path, "%s", upload_deployed_main());
  sink_state.run_id = request->run_id;
  volatile int32_t wrong = -1;
  xsMachine *the = machine;
  wire_hold(&device_wire, 1);
  xsBeginHost(the);
  {
    xsVars(4);
    xsTry {
      xsVar(0) = xsAwaitImport("lib/bench", XS_IMPORT_NAMESPACE);
      xsVar(1) = xsAwaitImport(path, XS_IMPORT_NAMESPACE);
#ifdef XSINFER_XS_PROFILE
      /* From the run's setup to its end: the samples of the timed phases are told apart on
       * the host by the iterations' marks. */
      if (request->profile) {
        profile_quantum = request->profile;
        xsinfer_xs_profile_start(the, request->profile);
      }
#endif
      xsVar(2) =
          xsCall5(xsVar(0), xsID("run"), xsVar(1),
                  xsString(request->kernels == ENG_KERNELS_OPTIMIZED ? "optimized" : "reference"),
                  xsInteger((xsIntegerValue)request->iterations),
                  xsInteger((xsIntegerValue)request->warmup),
                  request->model[0] ? xsString(request->model) : xsUndefined);
      wrong = xsToInteger(xsVar(2));
      xsVar(3) = xsCall0(xsVar(0), xsID("lastFailure"));
      xsStringValue failure = xsToString(xsVar(3));
      if (wrong == JS_MODEL_MISMATCH) {
        /* The same record as the C app's refusal of a model that does not fit. */
        wire_error(&device_wire, NULL, WIRE_ERR_APP, failure);
        wrong = -1;
      } else if (failure[0]) {
        wire_log(&device_wire, WIRE_LOG_ERROR, failure);
      }
    }
    xsCatch {
      send_js_error(the, path);
      wrong = -1;
    }
  }
  xsEndHost(the);
#ifdef XSINFER_XS_PROFILE
  if (xsinfer_xs_profile_active()) {
    profile_out_t out = {request->run_id, 0};
    xsinfer_xs_profile_stop(the, send_profile_piece, &out);
  }
#endif
  if (wrong >= 0) send_js_memory();
  wire_hold(&device_wire, 0);
  return wrong;
}

void js_service_timers(void) {
  xsMachine *the = machine;
  if (!the) return;
  xsBeginHost(the);
  {
    xsVars(1);
    xsTry {
      xsVar(0) = xsAwaitImport("timer", XS_IMPORT_NAMESPACE);
      xsCall0(xsVar(0), xsID("service"));
      xsinfer_xs_run_jobs(the);
    }
    xsCatch {
      send_js_error(the, "timer callback");
    }
  }
  xsEndHost(the);
}

/* `run {app: "micro"}`: the JS micro-benchmarks (device/lib/micro-bench.ts) and their C
 * equivalents, as one `user` record {name: "micro", value: {js: <json text>, c: {...}}}. */
int32_t run_micro(void) {
  js_release_arenas();
  static c_micro_t c;
  c_micro_measure(&c, board_ticks, aux_arena); /* the aux arena is free between runs */
  if (!machine) {
    wire_error(&device_wire, NULL, WIRE_ERR_ABORT, "XS did not start on this device");
    return -1;
  }
  if (fresh_machine() != 0) return -1;
  xsMachine *the = machine;
  volatile int32_t status = 0;
  xsBeginHost(the);
  {
    xsVars(2);
    xsTry {
      xsVar(0) = xsAwaitImport("lib/micro-bench", XS_IMPORT_NAMESPACE);
      xsVar(1) = xsCall0(xsVar(0), xsID("measureJson"));
      wire_mp_t *mp = wire_user_begin(&device_wire, "micro");
      if (mp) {
        wire_mp_map(mp, 2);
        wire_mp_field_str(mp, "js", xsToString(xsVar(1)));
        wire_mp_str(mp, "c");
        wire_mp_map(mp, 3);
        wire_mp_field_uint(mp, "ticksPair", c.pair);
        wire_mp_str(mp, "fill");
        wire_mp_array(mp, C_MICRO_FILLS);
        for (uint32_t i = 0; i < C_MICRO_FILLS; i++) {
          wire_mp_map(mp, 4);
          wire_mp_field_uint(mp, "bytes", c_micro_fill_bytes[i]);
          wire_mp_field_uint(mp, "loop", c.loop[i]);
          wire_mp_field_uint(mp, "lut", c.lut[i]);
          wire_mp_field_uint(mp, "memcpy", c.copy[i]);
        }
        wire_mp_str(mp, "argmax");
        wire_mp_array(mp, C_MICRO_ARGMAXES);
        for (uint32_t i = 0; i < C_MICRO_ARGMAXES; i++) {
          wire_mp_map(mp, 2);
          wire_mp_field_uint(mp, "n", c_micro_argmax_n[i]);
          wire_mp_field_uint(mp, "c", c.argmax[i]);
        }
        wire_queue_end(&device_wire);
      }
    }
    xsCatch {
      send_js_error(the, "lib/micro-bench");
      status = -1;
    }
  }
  xsEndHost(the);
  return status;
}
