/* hello_world.c – x → sin(x): POPULATE quantizes x, RESPOND dequantizes y. */
#include "xsinfer/platform.h"
#include "baseline/app.h"
#include "quantize.h"

static eng_status_t setup(app_ctx_t *ctx) {
  const asset_t *x = asset_find("hello_world/x.f32");
  if (!x) return ENG_ERR_ARG;
  ctx->data = x->data;
  return app_setup_model(ctx, "hello_world", "models/hello_world_int8.tflite", 1, 1);
}

static void populate(app_ctx_t *ctx, uint32_t case_index) {
  float x = ((const float *)ctx->data)[case_index];
  *(int8_t *)ctx->input.data = quantize_i8(x, ctx->input.scale, ctx->input.zero_point);
}

static void respond(app_ctx_t *ctx, app_result_t *out) {
  int8_t q = *(const int8_t *)ctx->output.data;
  out->label = -1;
  out->score = q;
  out->value = dequantize_i8(q, ctx->output.scale, ctx->output.zero_point);
}

const c_app_t c_app_hello_world = {"hello_world", 64, setup, populate, respond};
