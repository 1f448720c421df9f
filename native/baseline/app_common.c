/* app_common.c – what every C app shares: model setup (the built-in asset or the run's
 * model) with the check that it fits the app, the golden check, arg-max, and the app table. */
#include <stdio.h>
#include <string.h>

#include "xsinfer/platform.h"
#include "baseline/app.h"
#include "quantize.h"

extern const c_app_t c_app_hello_world, c_app_mnist, c_app_micro_speech, c_app_micro_speech_stream,
    c_app_person_detect, c_app_io_probe, c_app_generic;

/* io_probe is a test app (it writes inside POPULATE, so its timing is not I/O-free). */
const c_app_t *const c_apps[] = {&c_app_hello_world,
                                 &c_app_micro_speech,
                                 &c_app_micro_speech_stream,
                                 &c_app_mnist,
                                 &c_app_person_detect,
                                 &c_app_io_probe,
                                 &c_app_generic,
                                 NULL};

const c_app_t *c_app_find(const char *name) {
  for (const c_app_t *const *app = c_apps; *app; app++)
    if (strcmp((*app)->name, name) == 0) return *app;
  return NULL;
}

static eng_status_t setup_error(app_ctx_t *ctx, eng_status_t code, const char *message,
                                const char *name) {
  ctx->error.code = code;
  ctx->error.op_index = -1;
  snprintf(ctx->error.message, sizeof ctx->error.message, "%s: %s", message, name);
  return code;
}

int app_golden_applies(const uint8_t *data, uint32_t bytes, const char *builtin_asset) {
  const asset_t *builtin = asset_find(builtin_asset);
  return builtin && bytes == builtin->bytes &&
         (data == builtin->data || memcmp(data, builtin->data, bytes) == 0);
}

/* Input 0 or output 0 that is not int8[elements]: the app cannot read or fill it. */
static int tensor_fits(const eng_tensor_info_t *t, uint32_t elements) {
  return t->type == ENG_INT8 && t->bytes == elements;
}

static eng_status_t misfit(app_ctx_t *ctx, const char *app, const char *model, const char *what,
                           const eng_tensor_info_t *t, uint32_t elements) {
  uint32_t size = eng_type_size(t->type);
  ctx->error.code = ENG_ERR_SHAPE;
  ctx->error.op_index = -1;
  snprintf(ctx->error.message, sizeof ctx->error.message,
           "%s: model \"%s\" does not fit: %s 0 is %s[%lu], the app needs int8[%lu]", app, model,
           what, eng_type_name(t->type), (unsigned long)(size ? t->bytes / size : t->bytes),
           (unsigned long)elements);
  return ENG_ERR_SHAPE;
}

eng_status_t app_setup_model(app_ctx_t *ctx, const char *app, const char *model_asset,
                             uint32_t inputs, uint32_t outputs) {
  const char *model_name = model_asset;
  const uint8_t *model_data;
  uint32_t model_bytes;
  if (ctx->model_name) {
    model_name = ctx->model_name;
    model_data = ctx->model_data;
    model_bytes = ctx->model_bytes;
  } else {
    const asset_t *model = asset_find(model_asset);
    if (!model) return setup_error(ctx, ENG_ERR_ARG, "missing asset", model_asset);
    model_data = model->data;
    model_bytes = model->bytes;
  }
  /* Untimed, once per run: at most one pass over the model's bytes. */
  ctx->unchecked = ctx->model_name && !app_golden_applies(model_data, model_bytes, model_asset);
  ctx->interp = eng_interp_create(model_data, model_bytes, ctx->arena, ctx->arena_bytes,
                                  ctx->kernels, &ctx->error);
  if (!ctx->interp) return ctx->error.code;
  eng_status_t status = eng_interp_allocate(ctx->interp);
  if (status != ENG_OK) {
    ctx->error = *eng_interp_error(ctx->interp);
    return status;
  }
  if (eng_interp_input_count(ctx->interp) < 1 || eng_interp_output_count(ctx->interp) < 1) {
    ctx->error.code = ENG_ERR_SHAPE;
    ctx->error.op_index = -1;
    snprintf(ctx->error.message, sizeof ctx->error.message,
             "%s: model \"%s\" does not fit: it has no input 0 or no output 0", app, model_name);
    return ENG_ERR_SHAPE;
  }
  status = eng_interp_input(ctx->interp, 0, &ctx->input);
  if (status == ENG_OK) status = eng_interp_output(ctx->interp, 0, &ctx->output);
  if (status != ENG_OK) {
    ctx->error = *eng_interp_error(ctx->interp);
    return status;
  }
  if (!tensor_fits(&ctx->input, inputs))
    return misfit(ctx, app, model_name, "input", &ctx->input, inputs);
  if (!tensor_fits(&ctx->output, outputs))
    return misfit(ctx, app, model_name, "output", &ctx->output, outputs);
  if (ctx->check) return ENG_OK; /* the app checks itself (micro_speech_stream) */
  char name[64];
  snprintf(name, sizeof name, "%s/expected.i8", app);
  const asset_t *expected = asset_find(name);
  if (!expected) return setup_error(ctx, ENG_ERR_ARG, "missing asset", name);
  ctx->expected = (const int8_t *)expected->data;
  snprintf(name, sizeof name, "%s/labels.u8", app);
  const asset_t *labels = asset_find(name);
  ctx->labels = labels ? labels->data : NULL;
  return ENG_OK;
}

eng_status_t app_setup_image(app_ctx_t *ctx, const char *app, const char *model_asset,
                             const char *images_asset, uint32_t pixels, uint32_t classes) {
  const asset_t *images = asset_find(images_asset);
  if (!images) return setup_error(ctx, ENG_ERR_ARG, "missing asset", images_asset);
  ctx->data = images->data;
  return app_setup_model(ctx, app, model_asset, pixels, classes);
}

void app_populate_lut(app_ctx_t *ctx, uint32_t case_index, uint32_t pixels) {
  const uint8_t *src = (const uint8_t *)ctx->data + (size_t)case_index * pixels;
  int8_t *input = ctx->input.data;
  for (uint32_t i = 0; i < pixels; i++) input[i] = ctx->lut[src[i]];
}

int app_check(const app_ctx_t *ctx, uint32_t case_index, const app_result_t *result) {
  if (ctx->check) return ctx->check(ctx, case_index, result);
  if (ctx->populate_status != ENG_OK) return 0;
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

void app_respond_argmax(app_ctx_t *ctx, app_result_t *out) {
  const int8_t *scores = ctx->output.data;
  int32_t label = app_argmax_i8(scores, ctx->output.bytes);
  out->label = label;
  out->score = scores[label];
  out->value = dequantize_i8(scores[label], ctx->output.scale, ctx->output.zero_point);
}
