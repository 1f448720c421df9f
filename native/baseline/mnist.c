/* mnist.c – a 28×28 u8 digit → int8 input through the model's quantization (a 256-entry
 * table computed once), RESPOND: dequantize the 10 scores, arg-max, confidence. */
#include "baseline/app.h"
#include "quantize.h"

enum { PIXELS = 28 * 28, CLASSES = 10 };

static eng_status_t setup(app_ctx_t *ctx) {
  eng_status_t status =
      app_setup_image(ctx, "mnist", "models/mnist_int8.tflite", "mnist/digits.u8", PIXELS, CLASSES);
  if (status != ENG_OK) return status;
  for (int p = 0; p < 256; p++)
    ctx->lut[p] = quantize_i8((float)p / 255.0f, ctx->input.scale, ctx->input.zero_point);
  return ENG_OK;
}

static void populate(app_ctx_t *ctx, uint32_t case_index) {
  app_populate_lut(ctx, case_index, PIXELS);
}

static void respond(app_ctx_t *ctx, app_result_t *out) {
  const int8_t *scores = ctx->output.data;
  float best = -1.0f;
  int32_t label = 0;
  for (int32_t i = 0; i < CLASSES; i++) {
    float p = dequantize_i8(scores[i], ctx->output.scale, ctx->output.zero_point);
    if (p > best) {
      best = p;
      label = i;
    }
  }
  out->label = label;
  out->score = scores[label];
  out->value = best;
}

const c_app_t c_app_mnist = {"mnist", 10, setup, populate, respond};
