/* person_detect.c – a 96×96 grayscale image → int8 input (pixel − 128, the convention of
 * TFLM's person_detection example), RESPOND: person / no person and its probability. */
#include "assets.h"
#include "baseline/app.h"
#include "quantize.h"

enum { PIXELS = 96 * 96, CLASSES = 2 };

static xs_status_t setup(app_ctx_t *ctx) {
  const asset_t *images = asset_find("person_detect/images.u8");
  if (!images) return XS_ERR_ARG;
  ctx->data = images->data;
  xs_status_t status = app_setup_model(ctx, "person_detect", "models/person_detect.tflite");
  if (status != XS_OK) return status;
  if (ctx->input.bytes != PIXELS || ctx->output.bytes != CLASSES) return XS_ERR_SHAPE;
  for (int p = 0; p < 256; p++) ctx->lut[p] = (int8_t)(p - 128);
  return XS_OK;
}

static void populate(app_ctx_t *ctx, uint32_t case_index) {
  const uint8_t *pixels = (const uint8_t *)ctx->data + (size_t)case_index * PIXELS;
  int8_t *input = ctx->input.data;
  for (uint32_t i = 0; i < PIXELS; i++) input[i] = ctx->lut[pixels[i]];
}

static void respond(app_ctx_t *ctx, app_result_t *out) {
  const int8_t *scores = ctx->output.data;
  int32_t label = app_argmax_i8(scores, CLASSES);
  out->label = label;
  out->score = scores[label];
  out->value = dequantize_i8(scores[label], ctx->output.scale, ctx->output.zero_point);
}

const c_app_t c_app_person_detect = {"person_detect", 2, setup, populate, respond};
