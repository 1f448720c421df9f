/* bench-c – the pure-C half of the JS-vs-C benchmark without the wire protocol: runs the
 * C bench loop for each app × kernel set and prints one "BENCH-C {json}" line per run
 * (raw ticks per iteration and phase, results, correctness) after the run, never during.
 * Arguments: <apps,...> <reference|optimized,...> <iterations> <warmup>. */
#include <string.h>

#include "baseline/bench.h"
#include "board.h"
#include "cmdline.h"
#include "console.h"

enum { MAX_ITERATIONS = 64, ARENA_BYTES = 160 * 1024, AUX_ARENA_BYTES = 24 * 1024 };

static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));
static uint8_t aux_arena[AUX_ARENA_BYTES] __attribute__((aligned(16)));
static bench_iteration_t records[MAX_ITERATIONS];

static void keep_record(void *user, const bench_iteration_t *it) {
  (void)user;
  if (it->index < MAX_ITERATIONS) records[it->index] = *it;
}

static void print_run(const char *app, const char *kernels, uint32_t iterations, uint32_t wrong) {
  const board_tick_unit_t *unit = board_tick_unit();
  char a[21], b[21], c[21], d[21];
  console_printf(
      "BENCH-C "
      "{\"app\":\"%s\",\"impl\":\"c\",\"kernels\":\"%s\",\"unit\":\"%s\",\"num\":%lu,\"den\":%lu,"
      "\"wrong\":%lu,\"iterations\":[",
      app, kernels, unit->unit, (unsigned long)unit->num, (unsigned long)unit->den,
      (unsigned long)wrong);
  for (uint32_t i = 0; i < iterations && i < MAX_ITERATIONS; i++) {
    const bench_iteration_t *r = &records[i];
    console_printf("%s[%s,%s,%s,%s,%ld,%ld,%d,%lu]", i ? "," : "",
                   console_u64(a, r->populate_ticks), console_u64(b, r->invoke_ticks),
                   console_u64(c, r->respond_ticks), console_u64(d, r->total_ticks),
                   (long)r->result.label, (long)r->result.score, r->correct,
                   (unsigned long)r->case_index);
  }
  console_printf("]}\r\n");
}

int main(void) {
  board_init();
  static char args[256];
  strncpy(args, board_cmdline(), sizeof args - 1);
  char *words[4];
  if (cmdline_split(args, " ", words, 4) != 4) {
    console_printf(
        "BENCH-C-ERROR {\"error\":\"usage: bench-c <apps> <kernels> <iterations> <warmup>\"}\r\n");
    return 2;
  }
  char *app_names[8], *kernel_names[2];
  int app_count = cmdline_split(words[0], ",", app_names, 8);
  int kernel_count = cmdline_split(words[1], ",", kernel_names, 2);
  uint32_t iterations = cmdline_u32(words[2], MAX_ITERATIONS);
  uint32_t warmup = cmdline_u32(words[3], 1);
  if (iterations < 1 || iterations > MAX_ITERATIONS) iterations = MAX_ITERATIONS;

  int failures = 0;
  for (int a = 0; a < app_count; a++) {
    const char *app_name = app_names[a];
    const c_app_t *app = c_app_find(app_name);
    if (!app) {
      console_printf("BENCH-C-ERROR {\"app\":\"%s\",\"error\":\"unknown app\"}\r\n", app_name);
      failures++;
      continue;
    }
    for (int k = 0; k < kernel_count; k++) {
      const char *kernels = kernel_names[k];
      app_ctx_t ctx = {0};
      ctx.kernels =
          strcmp(kernels, "optimized") == 0 ? ENG_KERNELS_OPTIMIZED : ENG_KERNELS_REFERENCE;
      ctx.arena = arena;
      ctx.arena_bytes = sizeof arena;
      ctx.aux_arena = aux_arena;
      ctx.aux_bytes = sizeof aux_arena;
      eng_status_t status = app->setup(&ctx);
      if (status != ENG_OK) {
        console_printf(
            "BENCH-C-ERROR {\"app\":\"%s\",\"kernels\":\"%s\",\"error\":\"setup: %s\"}\r\n",
            app->name, kernels, ctx.error.message);
        failures++;
        continue;
      }
      uint32_t wrong =
          c_bench_run(app, &ctx, warmup, iterations, board_ticks, NULL, keep_record, NULL);
      print_run(app->name, kernels, iterations, wrong);
      if (wrong) failures++;
    }
  }
  return failures ? 1 : 0;
}
