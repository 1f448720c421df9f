/* xs-bench – the JS half of the JS-vs-C benchmark without the wire protocol: runs the JS
 * bench loop (device/lib/bench.ts under XS) for each app × kernel set and prints one
 * "BENCH-JS {json}" line per run in exactly bench-c's format ("impl":"js"), after the
 * run, never during. Then one "MICRO {json}" line (JS micro-benchmarks measured by
 * device/lib/micro-bench.ts, and their C equivalents measured here) and one "MEM {json}"
 * line (XS heap, JS stack and C stack high water, arena use per run).
 * Arguments: <apps,...> <reference|optimized,...> <iterations> <warmup>, or `selftest`
 * (binding misuse probes, one TFLM-SELFTEST line).
 * Exit 0 when every run was correct; 1 when one was wrong or failed; 2/3 when XS could not
 * start; 64 + status on an XS abort. */
#include <string.h>

#include "baseline/app.h"
#include "baseline/micro.h"
#include "bench/bench.h"
#include "board.h"
#include "cmdline.h"
#include "console.h"
#include "stack_watermark.h"
#include "tflm/tflm.h"
#include "xsinfer_bindings.h"
#include "xsinfer_xs.h"

enum { MAX_ITERATIONS = 64, ARENA_BYTES = 160 * 1024, AUX_ARENA_BYTES = 24 * 1024, MAX_RUNS = 16 };

static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));
static uint8_t aux_arena[AUX_ARENA_BYTES] __attribute__((aligned(16)));
static xsinfer_bench_record_t records[MAX_ITERATIONS];

typedef struct run_memory {
  char app[24];
  char kernels[12];
  eng_arena_usage_t main, aux;
  int has_aux;
} run_memory_t;

static run_memory_t run_memory[MAX_RUNS];
static uint32_t run_memory_count;

static void keep_record(void *user, const xsinfer_bench_record_t *r) {
  (void)user;
  if (r->index < MAX_ITERATIONS) records[r->index] = *r;
}

static void write_str(const char *s) {
  board_uart_write(s, strlen(s));
}

/* A JSON string body: quotes, backslashes and control characters escaped. */
static void write_json_string(const char *s) {
  write_str("\"");
  for (const char *p = s; *p; p++) {
    char c = *p;
    if (c == '"' || c == '\\') {
      char esc[2] = {'\\', c};
      board_uart_write(esc, 2);
    } else if ((unsigned char)c < 0x20) {
      write_str(" ");
    } else {
      board_uart_write(&c, 1);
    }
  }
  write_str("\"");
}

static void print_error(const char *app, const char *kernels, const char *prefix,
                        const char *message) {
  write_str("BENCH-JS-ERROR {\"app\":");
  write_json_string(app);
  if (kernels) {
    write_str(",\"kernels\":");
    write_json_string(kernels);
  }
  write_str(",\"error\":\"");
  write_str(prefix);
  write_str("\",\"message\":");
  write_json_string(message);
  write_str("}\r\n");
}

/* Exactly bench-c's line (firmware/programs/bench-c/main.c), impl "js". */
static void print_run(const char *app, const char *kernels, uint32_t iterations, uint32_t wrong) {
  const board_tick_unit_t *unit = board_tick_unit();
  console_printf(
      "BENCH-JS "
      "{\"app\":\"%s\",\"impl\":\"js\",\"kernels\":\"%s\",\"unit\":\"%s\",\"num\":%lu,\"den\":%lu,"
      "\"wrong\":%lu,\"iterations\":[",
      app, kernels, unit->unit, (unsigned long)unit->num, (unsigned long)unit->den,
      (unsigned long)wrong);
  for (uint32_t i = 0; i < iterations && i < MAX_ITERATIONS; i++) {
    const xsinfer_bench_record_t *r = &records[i];
    console_printf("%s[%lu,%lu,%lu,%lu,%ld,%ld,%d,%lu]", i ? "," : "",
                   (unsigned long)r->populate_ticks, (unsigned long)r->invoke_ticks,
                   (unsigned long)r->respond_ticks, (unsigned long)r->total_ticks, (long)r->label,
                   (long)r->score, (int)r->correct, (unsigned long)r->case_index);
  }
  console_printf("]}\r\n");
}

static int valid_app_name(const char *name) {
  if (!name[0] || strlen(name) >= sizeof run_memory[0].app) return 0;
  for (const char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return 0;
  return 1;
}

/* aux_used: the run created an interpreter in slot aux (micro_speech's front end). */
static void note_memory(const char *app, const char *kernels, int aux_used) {
  if (run_memory_count >= MAX_RUNS) return;
  run_memory_t *m = &run_memory[run_memory_count];
  const eng_interp_t *main_it = xsinfer_tflm_interpreter(XSINFER_TFLM_ARENA_MAIN);
  if (!main_it) return;
  strncpy(m->app, app, sizeof m->app - 1);
  strncpy(m->kernels, kernels, sizeof m->kernels - 1);
  eng_interp_arena_usage(main_it, &m->main);
  const eng_interp_t *aux_it = aux_used ? xsinfer_tflm_interpreter(XSINFER_TFLM_ARENA_AUX) : NULL;
  m->has_aux = aux_it != NULL;
  if (aux_it) eng_interp_arena_usage(aux_it, &m->aux);
  run_memory_count++;
}

static void print_micro(const c_micro_t *c, const char *js_json) {
  const board_tick_unit_t *unit = board_tick_unit();
  char a[21], b[21], d[21], e[21];
  console_printf("MICRO {\"unit\":\"%s\",\"num\":%lu,\"den\":%lu,\"js\":", unit->unit,
                 (unsigned long)unit->num, (unsigned long)unit->den);
  write_str(js_json); /* may be longer than console_printf's buffer */
  console_printf(",\"c\":{\"ticksPair\":%s,\"fill\":[", console_u64(a, c->pair));
  for (uint32_t s = 0; s < C_MICRO_FILLS; s++)
    console_printf("%s{\"bytes\":%lu,\"loop\":%s,\"lut\":%s,\"memcpy\":%s}", s ? "," : "",
                   (unsigned long)c_micro_fill_bytes[s], console_u64(b, c->loop[s]),
                   console_u64(d, c->lut[s]), console_u64(e, c->copy[s]));
  console_printf("],\"argmax\":[");
  for (uint32_t s = 0; s < C_MICRO_ARGMAXES; s++)
    console_printf("%s{\"n\":%lu,\"c\":%s}", s ? "," : "", (unsigned long)c_micro_argmax_n[s],
                   console_u64(b, c->argmax[s]));
  console_printf("]}}\r\n");
}

static void print_arena(const char *name, const eng_arena_usage_t *u) {
  console_printf("\"%s\":{\"head\":%lu,\"tail\":%lu,\"total\":%lu,\"size\":%lu}", name,
                 (unsigned long)u->head_bytes, (unsigned long)u->tail_bytes,
                 (unsigned long)u->total_bytes, (unsigned long)u->arena_bytes);
}

static void print_memory(xsMachine *the) {
  xsinfer_xs_stats_t s;
  xsinfer_xs_stats(the, &s);
  board_memory_t m;
  board_memory(&m);
  console_printf(
      "MEM "
      "{\"xsHeap\":{\"arenaBytes\":%lu,\"arenaFree\":%lu,\"poolBytes\":%lu,\"poolPeak\":%lu,"
      "\"slotBytes\":%lu,"
      "\"slotsReserved\":%lu,\"slotsPeak\":%lu,\"chunksReserved\":%lu,\"chunksPeak\":%lu,"
      "\"keysUsed\":%lu,\"keysReserved\":%lu},",
      (unsigned long)s.arena_bytes, (unsigned long)s.arena_free, (unsigned long)s.pool_bytes,
      (unsigned long)s.pool_peak, (unsigned long)s.slot_bytes, (unsigned long)s.slots_reserved,
      (unsigned long)s.slots_peak, (unsigned long)s.chunks_reserved, (unsigned long)s.chunks_peak,
      (unsigned long)s.keys_used, (unsigned long)s.keys_reserved);
  console_printf("\"jsStack\":{\"slots\":%lu,\"peakSlots\":%lu,\"peakBytes\":%lu},",
                 (unsigned long)s.stack_slots, (unsigned long)s.stack_peak_slots,
                 (unsigned long)(s.stack_peak_slots * s.slot_bytes));
  console_printf("\"cStack\":{\"bytes\":%lu,\"peakBytes\":%lu},",
                 (unsigned long)(m.stack_top - m.stack_bottom), (unsigned long)stack_peak_bytes());
  console_printf("\"slots\":{\"main\":%lu,\"aux\":%lu},\"arenas\":[", (unsigned long)sizeof arena,
                 (unsigned long)sizeof aux_arena);
  for (uint32_t i = 0; i < run_memory_count; i++) {
    const run_memory_t *r = &run_memory[i];
    console_printf("%s{\"app\":\"%s\",\"kernels\":\"%s\",", i ? "," : "", r->app, r->kernels);
    print_arena("main", &r->main);
    if (r->has_aux) {
      console_printf(",");
      print_arena("aux", &r->aux);
    }
    console_printf("}");
  }
  console_printf("]}\r\n");
}

/* One app × kernel set through lib/bench's run(); xsVar(0) holds lib/bench's namespace.
 * Returns 1 when the run was wrong or failed. A function of its own so the xsTry's
 * longjmp cannot clobber the caller's loop variables. */
static int run_one(xsMachine *the, const char *app, const char *path, const char *kernels,
                   uint32_t iterations, uint32_t warmup) {
  volatile int failed = 0;
  int32_t aux_generation = xsinfer_tflm_generation(XSINFER_TFLM_ARENA_AUX);
  memset(records, 0, sizeof records);
  xsTry {
    xsVar(1) = xsAwaitImport(path, XS_IMPORT_NAMESPACE);
    xsVar(2) = xsCall4(xsVar(0), xsID("run"), xsVar(1), xsString(kernels),
                       xsInteger((xsIntegerValue)iterations), xsInteger((xsIntegerValue)warmup));
    uint32_t wrong = (uint32_t)xsToInteger(xsVar(2));
    print_run(app, kernels, iterations, wrong);
    note_memory(app, kernels, xsinfer_tflm_generation(XSINFER_TFLM_ARENA_AUX) != aux_generation);
    xsVar(3) = xsCall0(xsVar(0), xsID("lastFailure"));
    xsStringValue failure = xsToString(xsVar(3));
    if (failure[0]) print_error(app, kernels, "iteration failed", failure);
    failed = wrong != 0;
  }
  xsCatch {
    print_error(app, kernels, "run", xsToString(xsException));
    failed = 1;
  }
  return failed;
}

/* `xs-bench selftest`: device/lib/tflm-selftest.ts misuses the bindings on purpose and
 * reports what each misuse threw, as one "TFLM-SELFTEST [json]" line. `xs-bench helpers`:
 * device/lib/helpers-selftest.ts compares the helpers module with its pure-TS twins, one
 * "HELPERS-SELFTEST {json}" line. */
static int selftest(xsMachine *the, const char *module, const char *tag) {
  volatile int status = 0;
  xsBeginHost(the);
  {
    xsVars(2);
    xsTry {
      xsVar(0) = xsAwaitImport(module, XS_IMPORT_NAMESPACE);
      xsVar(1) = xsCall0(xsVar(0), xsID("runJson"));
      write_str(tag);
      write_str(xsToString(xsVar(1)));
      write_str("\r\n");
    }
    xsCatch {
      print_error("selftest", NULL, "exception", xsToString(xsException));
      status = XSINFER_XS_EXIT_EXCEPTION;
    }
  }
  xsEndHost(the);
  return status;
}

static xsMachine *start_xs(void) {
  xsinfer_tflm_set_arena(XSINFER_TFLM_ARENA_MAIN, arena, sizeof arena);
  xsinfer_tflm_set_arena(XSINFER_TFLM_ARENA_AUX, aux_arena, sizeof aux_arena);
  xsinfer_bench_set_sink(keep_record, NULL);
  uint32_t host_count;
  const xsinfer_xs_host_t *hosts = xsinfer_bindings_hosts(&host_count);
  xsMachine *the = xsinfer_xs_create(hosts, host_count);
  if (!the) board_exit(XSINFER_XS_EXIT_CREATE);
  if (xsinfer_xs_map(the, xsinfer_xs_image.archive, xsinfer_xs_image.archive_bytes) != 0)
    board_exit(XSINFER_XS_EXIT_MAP);
  return the;
}

int main(void) {
  board_init();
  stack_paint();
  static char args[256];
  strncpy(args, board_cmdline(), sizeof args - 1);
  char *words[4];
  int word_count = cmdline_split(args, " ", words, 4);
  if (word_count == 1 && (strcmp(words[0], "selftest") == 0 || strcmp(words[0], "helpers") == 0)) {
    int status = words[0][0] == 's'
                     ? selftest(start_xs(), "lib/tflm-selftest", "TFLM-SELFTEST ")
                     : selftest(start_xs(), "lib/helpers-selftest", "HELPERS-SELFTEST ");
    board_uart_flush();
    board_exit(status);
  }
  if (word_count != 4) {
    console_printf(
        "BENCH-JS-ERROR {\"error\":\"usage: xs-bench <apps> <kernels> <iterations> "
        "<warmup>\"}\r\n");
    board_exit(2);
  }
  static char *app_names[8], *kernel_names[2];
  int app_count = cmdline_split(words[0], ",", app_names, 8);
  int kernel_count = cmdline_split(words[1], ",", kernel_names, 2);
  uint32_t iterations = cmdline_u32(words[2], MAX_ITERATIONS);
  uint32_t warmup = cmdline_u32(words[3], 1);
  if (iterations < 1 || iterations > MAX_ITERATIONS) iterations = MAX_ITERATIONS;

  static c_micro_t c_micro;
  /* Runs before JS exists: the aux arena is free scratch. */
  c_micro_measure(&c_micro, board_ticks, aux_arena);

  xsMachine *the = start_xs();

  volatile int failures = 0;
  xsBeginHost(the);
  {
    xsVars(4);
    { /* each xsTry in its own block: the macro declares its jump record */
      xsTry {
        xsVar(0) = xsAwaitImport("lib/bench", XS_IMPORT_NAMESPACE);
      }
      xsCatch {
        print_error("", NULL, "import lib/bench", xsToString(xsException));
        board_uart_flush();
        board_exit(XSINFER_XS_EXIT_EXCEPTION);
      }
    }
    for (int a = 0; a < app_count; a++) {
      const char *app = app_names[a];
      if (!valid_app_name(app)) {
        print_error(app, NULL, "unknown app", "app names are [a-z0-9_]+");
        failures++;
        continue;
      }
      char path[48] = "apps/";
      strcat(path, app);
      strcat(path, "/main");
      for (int k = 0; k < kernel_count; k++)
        failures += run_one(the, app, path, kernel_names[k], iterations, warmup);
    }
    {
      xsTry {
        xsVar(1) = xsAwaitImport("lib/micro-bench", XS_IMPORT_NAMESPACE);
        xsVar(2) = xsCall0(xsVar(1), xsID("measureJson"));
        print_micro(&c_micro, xsToString(xsVar(2)));
      }
      xsCatch {
        print_error("micro", NULL, "micro-bench", xsToString(xsException));
        failures++;
      }
    }
    print_memory(the);
  }
  xsEndHost(the);
  board_uart_flush();
  board_exit(failures ? 1 : 0);
}
