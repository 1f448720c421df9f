/* mlperf_mode.c – the main firmware as an MLPerf Tiny device under test (mlperf_mode.h):
 * the protocol (native/mlperf) on the UART, th_load_tensor / th_results as the generic
 * app's POPULATE / RESPOND in C (native/baseline/generic.c) or in TypeScript under XS
 * (device/apps/generic/main.ts through device/lib/mlperf.ts), th_infer one invoke. */
#include "mlperf_mode.h"

#include <stdio.h>
#include <string.h>

#include "arenas.h"
#include "assets.h"
#include "baseline/generic.h"
#include "baseline/input_set.h"
#include "board.h"
#include "cmdline.h"
#include "console.h"
#include "device_link.h"
#include "inputs.h"
#include "mc.defines.h"
#include "mlperf_dut.h"
#include "tflm/tflm.h"
#include "xsinfer_xs.h"

#ifndef MODDEF_MLPERF_MODELBYTES
#define MODDEF_MLPERF_MODELBYTES (400 * 1024)
#endif
#ifndef MODDEF_MLPERF_MODE
#define MODDEF_MLPERF_MODE 0
#endif
#define MODEL_ASSET       "upload/model"
/* Values one results line holds: its text buffer (mlperf_dut_t.text) at 9 characters each. */
#define MAX_RESULT_VALUES 112u

static int mode_asked(void) {
  if (MODDEF_MLPERF_MODE) return 1;
  char line[256];
  char *words[16];
  int n = cmdline_words(line, sizeof line, words, 16);
  for (int i = 0; i < n; i++)
    if (strcmp(words[i], "mlperf") == 0) return 1;
  return 0;
}

#if !MC_APP_GENERIC
/* The MLPerf mode's POPULATE and RESPOND are the generic app's: an image without that app
 * (manifest.json `apps`) has no MLPerf mode, and says so when it is asked for. */
int mlperf_mode_requested(void) {
  if (mode_asked())
    console_printf(
        "xsinfer: this image has no MLPerf mode (its manifest apps have no generic app)\n");
  return 0;
}

void mlperf_mode_run(void) {
  board_exit(2);
}
#else

#if MODDEF_MLPERF_MODELBYTES > 0
/* A model read from a host file at start (QEMU semihosting, the host target's files). */
static uint8_t model_file[MODDEF_MLPERF_MODELBYTES] __attribute__((aligned(16)));
#endif

static struct {
  int js;
  eng_kernel_set_t kernels;
  uint32_t kind;
  const char *task;
  int ready;           /* the app is set up on the model */
  uint32_t set_bytes;  /* input bytes the app was set up for */
  app_ctx_t ctx;       /* C */
  app_result_t result; /* C: the last RESPOND */
} mode;

static void dut_write(void *user, const char *text, size_t len) {
  (void)user;
  board_uart_write(text, len);
}

/* Microseconds of the board clock: QEMU's icount shift 7 gives every instruction 128 ns of
 * virtual time; cycles at the core clock; the host's nanoseconds. */
static uint64_t dut_micros(void *user) {
  (void)user;
  const board_tick_unit_t *unit = board_tick_unit();
  uint64_t ticks = board_ticks();
  if (strcmp(unit->unit, "instr") == 0) return ticks * unit->num / unit->den * 128u / 1000u;
  if (strcmp(unit->unit, "cycles") == 0 && unit->hz) return ticks * 1000000u / unit->hz;
  return ticks * unit->num / unit->den / 1000u;
}

/* Fixed-point text of v with six decimals (no printf float support needed). */
static size_t format_fixed(float v, char *out, size_t cap) {
  double d = v;
  const char *sign = d < 0 ? "-" : "";
  if (d < 0) d = -d;
  if (d > 4.0e9) d = 4.0e9; /* the integer part stays within 32 bits */
  uint64_t micro = (uint64_t)(d * 1e6 + 0.5);
  int n = snprintf(out, cap, "%s%lu.%06lu", sign, (unsigned long)(micro / 1000000u),
                   (unsigned long)(micro % 1000000u));
  return n < 0 ? 0 : (size_t)n;
}

static const char *append_values(const float *values, uint32_t count, char *out, size_t cap) {
  size_t at = 0;
  out[0] = 0;
  for (uint32_t i = 0; i < count; i++) {
    if (at + 24 >= cap) return "results: too many values for one line";
    if (i) out[at++] = ',';
    at += format_fixed(values[i], out + at, cap - at);
  }
  return NULL;
}

/* The one-case input set the `db` bytes are loaded into (header + the bytes). */
static uint8_t *input_blob(uint32_t *capacity) {
  uint8_t *buffer = inputs_buffer(capacity);
  *capacity -= INPUT_SET_HEADER_BYTES;
  return buffer;
}

static void put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static void publish_set(uint32_t bytes) {
  uint32_t capacity;
  uint8_t *blob = input_blob(&capacity);
  uint32_t header[10] = {INPUT_SET_MAGIC,
                         INPUT_SET_VERSION,
                         mode.kind,
                         INPUT_SET_FROM_DATA,
                         1,
                         bytes,
                         0,
                         0,
                         GENERIC_TOP_K_MAX,
                         0};
  for (int i = 0; i < 10; i++) put_u32(blob + 4 * i, header[i]);
  asset_publish(INPUT_SET_ASSET, blob, INPUT_SET_HEADER_BYTES + ((bytes + 15u) & ~15u));
}

/* ---- C ---- */

static const char *c_setup(void) {
  const asset_t *model = asset_find(MODEL_ASSET);
  memset(&mode.ctx, 0, sizeof mode.ctx);
  mode.ctx.kernels = mode.kernels;
  mode.ctx.arena = main_arena;
  mode.ctx.arena_bytes = sizeof main_arena;
  mode.ctx.aux_arena = aux_arena;
  mode.ctx.aux_bytes = sizeof aux_arena;
  mode.ctx.model_name = MODEL_ASSET;
  mode.ctx.model_data = model->data;
  mode.ctx.model_bytes = model->bytes;
  if (c_app_generic.setup(&mode.ctx) != ENG_OK) return mode.ctx.error.message;
  return NULL;
}

/* ---- TypeScript: device/lib/mlperf.ts ---- */

/* The module's namespace, imported once and kept from the garbage collector. */
static xsSlot js_module;
static int js_module_kept;

static const char *js_call(const char *function, int with_kernels, xsSlot *result) {
  static char message[96];
  xsMachine *the = (xsMachine *)js_machine();
  if (!the) return "XS did not start";
  volatile int failed = 0;
  xsBeginHost(the);
  {
    xsVars(2);
    xsTry {
      if (!js_module_kept) {
        js_module = xsAwaitImport("lib/mlperf", XS_IMPORT_NAMESPACE);
        xsRemember(js_module);
        js_module_kept = 1;
      }
      xsVar(0) = js_module;
      if (with_kernels)
        xsVar(1) =
            xsCall1(xsVar(0), xsID(function),
                    xsString(mode.kernels == ENG_KERNELS_OPTIMIZED ? "optimized" : "reference"));
      else
        xsVar(1) = xsCall0(xsVar(0), xsID(function));
      if (result) *result = xsVar(1);
    }
    xsCatch {
      snprintf(message, sizeof message, "%s", xsToString(xsException));
      failed = 1;
    }
  }
  xsEndHost(the);
  return failed ? message : NULL;
}

/* The values RESPOND left in the JS app (a Float32Array), formatted as C formats its own. */
static const char *js_results(char *out, size_t cap) {
  static float values[MAX_RESULT_VALUES];
  static char message[96];
  xsMachine *the = (xsMachine *)js_machine();
  if (!js_module_kept) return "results: the TypeScript app was not set up";
  uint32_t count = 0;
  volatile int failed = 0;
  xsBeginHost(the);
  {
    xsVars(2);
    xsTry {
      xsVar(1) = xsCall0(js_module, xsID("results"));
      count = (uint32_t)xsToInteger(xsGet(xsVar(1), xsID("length")));
      if (count > MAX_RESULT_VALUES) xsUnknownError("results: more values than one line holds");
      for (uint32_t i = 0; i < count; i++)
        values[i] = (float)xsToNumber(xsGetAt(xsVar(1), xsInteger((xsIntegerValue)i)));
    }
    xsCatch {
      snprintf(message, sizeof message, "%s", xsToString(xsException));
      failed = 1;
    }
  }
  xsEndHost(the);
  if (failed) return message;
  return append_values(values, count, out, cap);
}

/* ---- the DUT's operations ---- */

static const char *ensure_ready(void) {
  if (mode.ready) return NULL;
  if (!asset_find(MODEL_ASSET)) return "no model: start with model=FILE or deploy --model first";
  js_release_arenas();
  const char *why = mode.js ? js_call("setup", 1, NULL) : c_setup();
  if (why) return why;
  mode.ready = 1;
  return NULL;
}

static const char *dut_load(void *user, const uint8_t *data, uint32_t bytes) {
  (void)user;
  (void)data; /* the DUT buffer is the input set's data area already */
  publish_set(bytes);
  if (bytes != mode.set_bytes) mode.ready = 0; /* setup checks the new size (untimed) */
  mode.set_bytes = bytes;
  const char *why = ensure_ready();
  if (why) return why;
  if (mode.js) return js_call("load", 0, NULL);
  c_app_generic.populate(&mode.ctx, 0);
  return NULL;
}

static const char *dut_infer(void *user) {
  (void)user;
  if (mode.js) return js_call("infer", 0, NULL);
  return eng_interp_invoke(mode.ctx.interp) == ENG_OK ? NULL
                                                      : eng_interp_error(mode.ctx.interp)->message;
}

static const char *dut_results(void *user, char *out, size_t cap) {
  (void)user;
  if (mode.js) return js_results(out, cap);
  c_app_generic.respond(&mode.ctx, &mode.result);
  uint32_t count;
  const float *values = generic_values(&count);
  if (values) return append_values(values, count, out, cap);
  return append_values(&mode.result.value, 1, out, cap);
}

/* ---- start ---- */

int mlperf_mode_requested(void) {
  return mode_asked();
}

static const char *task_kind(const char *task, uint32_t *kind) {
  if (strcmp(task, "ad01") == 0)
    *kind = INPUT_SET_ANOMALY;
  else if (strcmp(task, "kws01") == 0 || strcmp(task, "ic01") == 0 || strcmp(task, "vww01") == 0)
    *kind = INPUT_SET_CLASSIFICATION;
  else
    return "task= must be kws01, ic01, vww01 or ad01";
  return NULL;
}

void mlperf_mode_run(void) {
  static char line[256];
  char *words[16];
  int n = cmdline_words(line, sizeof line, words, 16);
  mode.task = "kws01";
  mode.kind = INPUT_SET_CLASSIFICATION;
  mode.kernels = ENG_KERNELS_OPTIMIZED;
  const char *problem = NULL;
  const char *model_path = NULL;
  for (int i = 0; i < n; i++) {
    const char *w = words[i];
    if (strncmp(w, "impl=", 5) == 0) {
      if (strcmp(w + 5, "js") == 0)
        mode.js = 1;
      else if (strcmp(w + 5, "c") != 0)
        problem = "impl= must be js or c";
    } else if (strncmp(w, "kernels=", 8) == 0) {
      if (strcmp(w + 8, "reference") == 0)
        mode.kernels = ENG_KERNELS_REFERENCE;
      else if (strcmp(w + 8, "optimized") != 0)
        problem = "kernels= must be reference or optimized";
    } else if (strncmp(w, "task=", 5) == 0) {
      mode.task = w + 5;
      const char *why = task_kind(mode.task, &mode.kind);
      if (why) problem = why;
    } else if (strncmp(w, "model=", 6) == 0) {
      model_path = w + 6;
    }
  }
#if MODDEF_MLPERF_MODELBYTES > 0
  if (model_path && !problem) {
    int32_t bytes = board_host_file_read(model_path, model_file, sizeof model_file);
    if (bytes <= 0)
      problem = "model= file could not be read (or is larger than defines.mlperf.modelBytes)";
    else
      asset_publish(MODEL_ASSET, model_file, (uint32_t)bytes);
  }
#else
  if (model_path) problem = "model= is not available in this build: deploy --model first";
#endif
  static mlperf_dut_t dut;
  static char help[96];
  snprintf(help, sizeof help, "xsinfer: impl %s, kernels %s, task %s", mode.js ? "js" : "c",
           mode.kernels == ENG_KERNELS_OPTIMIZED ? "optimized" : "reference", mode.task);
  mlperf_dut_ops_t ops = {
      .write = dut_write,
      .micros = dut_micros,
      .load = dut_load,
      .infer = dut_infer,
      .results = dut_results,
      .user = NULL,
      .name = mode.js ? "xsinfer-js" : "xsinfer-c",
      .version = "1.3",
      .model = mode.task,
      .help = help,
  };
  uint32_t capacity;
  uint8_t *buffer = input_blob(&capacity);
  mlperf_dut_init(&dut, &ops, buffer + INPUT_SET_HEADER_BYTES, capacity);
  mlperf_dut_banner(&dut);
  if (problem) {
    snprintf(help, sizeof help, "e-[%s]\r\n", problem);
    board_uart_write(help, strlen(help));
  }
  for (;;) {
    uint8_t rx[64];
    size_t got = board_uart_read(rx, sizeof rx);
    if (got) mlperf_dut_feed(&dut, rx, got);
  }
}
#endif /* MC_APP_GENERIC */
