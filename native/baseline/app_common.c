/* app_common.c – what every C app shares: model setup from assets, the golden check,
 * arg-max, and the app table. */
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "baseline/app.h"

extern const c_app_t c_app_hello_world, c_app_mnist, c_app_micro_speech, c_app_micro_speech_stream, c_app_person_detect;

const c_app_t *const c_apps[] = {&c_app_hello_world, &c_app_micro_speech, &c_app_micro_speech_stream, &c_app_mnist, &c_app_person_detect, NULL};

const c_app_t *c_app_find(const char *name) {
  for (const c_app_t *const *app = c_apps; *app; app++)
    if (strcmp((*app)->name, name) == 0) return *app;
  return NULL;
}

static xs_status_t setup_error(app_ctx_t *ctx, xs_status_t code, const char *message, const char *name) {
  ctx->error.code = code;
  ctx->error.op_index = -1;
  snprintf(ctx->error.message, sizeof ctx->error.message, "%s: %s", message, name);
  return code;
}

xs_status_t app_setup_model(app_ctx_t *ctx, const char *app, const char *model_asset) {
  const asset_t *model = asset_find(model_asset);
  if (!model) return setup_error(ctx, XS_ERR_ARG, "missing asset", model_asset);
  ctx->interp = xs_interp_create(model->data, model->bytes, ctx->arena, ctx->arena_bytes, ctx->kernels, &ctx->error);
  if (!ctx->interp) return ctx->error.code;
  xs_status_t status = xs_interp_allocate(ctx->interp);
  if (status == XS_OK) status = xs_interp_input(ctx->interp, 0, &ctx->input);
  if (status == XS_OK) status = xs_interp_output(ctx->interp, 0, &ctx->output);
  if (status != XS_OK) {
    ctx->error = *xs_interp_error(ctx->interp);
    return status;
  }
  char name[64];
  snprintf(name, sizeof name, "%s/expected.i8", app);
  const asset_t *expected = asset_find(name);
  if (!expected) return setup_error(ctx, XS_ERR_ARG, "missing asset", name);
  ctx->expected = (const int8_t *)expected->data;
  snprintf(name, sizeof name, "%s/labels.u8", app);
  const asset_t *labels = asset_find(name);
  ctx->labels = labels ? labels->data : NULL;
  return XS_OK;
}

xs_status_t app_setup_image(app_ctx_t *ctx, const char *app, const char *model_asset, const char *images_asset,
                            uint32_t pixels, uint32_t classes) {
  const asset_t *images = asset_find(images_asset);
  if (!images) return setup_error(ctx, XS_ERR_ARG, "missing asset", images_asset);
  ctx->data = images->data;
  xs_status_t status = app_setup_model(ctx, app, model_asset);
  if (status != XS_OK) return status;
  if (ctx->input.bytes != pixels || ctx->output.bytes != classes) return setup_error(ctx, XS_ERR_SHAPE, "unexpected input/output size", model_asset);
  return XS_OK;
}

void app_populate_lut(app_ctx_t *ctx, uint32_t case_index, uint32_t pixels) {
  const uint8_t *src = (const uint8_t *)ctx->data + (size_t)case_index * pixels;
  int8_t *input = ctx->input.data;
  for (uint32_t i = 0; i < pixels; i++) input[i] = ctx->lut[src[i]];
}

int app_check(const app_ctx_t *ctx, uint32_t case_index, const app_result_t *result) {
  if (ctx->check) return ctx->check(ctx, case_index, result);
  if (ctx->populate_status != XS_OK) return 0;
  const int8_t *expected = ctx->expected + (size_t)case_index * ctx->output.bytes;
  if (memcmp(ctx->output.data, expected, ctx->output.bytes) != 0) return 0;
  return !ctx->labels || result->label == (int32_t)ctx->labels[case_index];
}

int32_t app_argmax_i8(const int8_t *scores, uint32_t n) {
  int32_t best = 0;
  for (uint32_t i = 1; i < n; i++)
    if (scores[i] > scores[best]) best = (int32_t)i;
  return best;
}
