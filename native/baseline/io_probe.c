/* io_probe.c – a test app that breaks the bench's rule on purpose: hello_world with a line
 * of text written inside POPULATE (console_printf). The bench must report its timing as
 * not I/O-free (test/bench/io-count.test.ts); its TypeScript twin is device/apps/io_probe. */
#include "baseline/app.h"
#include "xsinfer/platform.h"

extern const c_app_t c_app_hello_world;

static eng_status_t setup(app_ctx_t *ctx) {
  return c_app_hello_world.setup(ctx);
}

static void populate(app_ctx_t *ctx, uint32_t case_index) {
  console_printf("io_probe: case %lu\n", (unsigned long)case_index);
  c_app_hello_world.populate(ctx, case_index);
}

static void respond(app_ctx_t *ctx, app_result_t *out) {
  c_app_hello_world.respond(ctx, out);
}

const c_app_t c_app_io_probe = {"io_probe", 64, setup, populate, respond};
