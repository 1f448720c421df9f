/* bench-engine – instructions (QEMU) / cycles (F769) / ns (host) per invoke of one model
 * with one kernel set, measured like the TFLM anchors (testdata/ANCHORS-m7-qemu.md):
 * the input tensor is filled with the same LCG pattern before every invoke (untimed),
 * one warm-up invoke, then N timed invokes, then one profiled invoke for per-op ticks.
 * Arguments: <model.tflite> <reference|optimized> <invokes>. Prints one line
 * "BENCH-ENGINE {json}" with raw ticks; the host converts with the tick unit. */
#include <string.h>

#include "board.h"
#include "cmdline.h"
#include "console.h"
#include "engine_timing.h"
#include "xsinfer/engine.h"

enum { MODEL_CAPACITY = 384 * 1024, ARENA_BYTES = 256 * 1024, MAX_INVOKES = 32, MAX_OPS = 128 };

static uint8_t model[MODEL_CAPACITY] __attribute__((aligned(16)));
static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));
static uint64_t invoke_ticks[MAX_INVOKES];
static uint64_t op_ticks[MAX_OPS];

/* The anchors' input: x = x*1664525 + 1013904223 from 12345, one byte = x >> 24. */
static void fill_lcg(eng_tensor_info_t *input) {
  uint32_t x = 12345u;
  uint8_t *bytes = input->data;
  for (uint32_t i = 0; i < input->bytes; i++) {
    x = x * 1664525u + 1013904223u;
    bytes[i] = (uint8_t)(x >> 24);
  }
}

static void record_op(void *user, int32_t op_index, int32_t builtin_code, uint64_t ticks) {
  (void)user;
  (void)builtin_code;
  if (op_index >= 0 && op_index < MAX_OPS) op_ticks[op_index] = ticks;
}

static int fail(const char *what, const char *detail) {
  console_printf("BENCH-ENGINE-ERROR {\"error\":\"%s\",\"detail\":\"%s\"}\r\n", what, detail);
  return 1;
}

int main(void) {
  board_init();
  static char args[512];
  char *words[3];
  if (cmdline_words(args, sizeof args, words, 3) != 3)
    return fail("usage", "bench-engine <model> <reference|optimized> <invokes>");
  const char *path = words[0], *kernels_arg = words[1];
  eng_kernel_set_t kernels =
      strcmp(kernels_arg, "optimized") == 0 ? ENG_KERNELS_OPTIMIZED : ENG_KERNELS_REFERENCE;
  uint32_t invokes = cmdline_u32(words[2], 0);
  if (invokes < 1 || invokes > MAX_INVOKES) return fail("usage", "invokes must be 1..32");

  int32_t model_bytes = board_host_file_read(path, model, sizeof model);
  if (model_bytes <= 0) return fail("cannot read model", path);

  eng_error_t err;
  uint64_t setup_ticks;
  eng_interp_t *it = engine_timed_setup(model, (size_t)model_bytes, arena, sizeof arena, kernels,
                                        &err, &setup_ticks);
  if (!it) return fail("setup", err.message);

  eng_tensor_info_t input;
  if (eng_interp_input(it, 0, &input) != ENG_OK)
    return fail("input", eng_interp_error(it)->message);

  for (uint32_t i = 0; i <= invokes; i++) {
    fill_lcg(&input); /* the planner may reuse the input buffer: refill, untimed */
    uint64_t elapsed;
    eng_status_t status = engine_timed_invoke(it, &elapsed); /* as the main firmware times it */
    if (status != ENG_OK) return fail("invoke", eng_interp_error(it)->message);
    if (i > 0) invoke_ticks[i - 1] = elapsed; /* invoke 0 is the warm-up */
  }

  uint32_t op_count = eng_interp_op_count(it);
  fill_lcg(&input);
  eng_interp_set_profiler(it, board_ticks, record_op, NULL);
  if (eng_interp_invoke(it) != ENG_OK)
    return fail("profiled invoke", eng_interp_error(it)->message);
  eng_interp_set_profiler(it, NULL, NULL, NULL);

  eng_arena_usage_t usage;
  eng_interp_arena_usage(it, &usage);
  const board_tick_unit_t *unit = board_tick_unit();
  char n[21];
  console_printf(
      "BENCH-ENGINE "
      "{\"model\":\"%s\",\"kernels\":\"%s\",\"target\":\"%s\",\"unit\":\"%s\",\"num\":%lu,\"den\":%"
      "lu,",
      path, kernels_arg, board_name(), unit->unit, (unsigned long)unit->num,
      (unsigned long)unit->den);
  console_printf("\"setupTicks\":%s,\"invokeTicks\":[", console_u64(n, setup_ticks));
  for (uint32_t i = 0; i < invokes; i++)
    console_printf("%s%s", i ? "," : "", console_u64(n, invoke_ticks[i]));
  console_printf("],\"ops\":[");
  for (uint32_t i = 0; i < op_count && i < MAX_OPS; i++)
    console_printf("%s{\"index\":%lu,\"op\":\"%s\",\"ticks\":%s}", i ? "," : "", (unsigned long)i,
                   eng_interp_op_name(it, i), console_u64(n, op_ticks[i]));
  console_printf("],\"arena\":{\"head\":%lu,\"tail\":%lu,\"total\":%lu},\"output\":[",
                 (unsigned long)usage.head_bytes, (unsigned long)usage.tail_bytes,
                 (unsigned long)usage.total_bytes);
  eng_tensor_info_t output;
  if (eng_interp_output(it, 0, &output) == ENG_OK && output.type == ENG_INT8) {
    const int8_t *values = output.data;
    for (uint32_t i = 0; i < output.bytes && i < 16; i++)
      console_printf("%s%d", i ? "," : "", values[i]);
  }
  console_printf("]}\r\n");
  return 0;
}
