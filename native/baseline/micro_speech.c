/* micro_speech.c – clip mode: each iteration takes one 1 s clip from a fresh front-end
 * state; POPULATE runs the audio preprocessor model (TFLM's signal-library graph) on the
 * 49 frames (frame k = samples[320k, 320k + 480)) and fills the 49×40 feature input;
 * RESPOND is arg-max + score over silence/unknown/yes/no. */
#include <string.h>

#include "xsinfer/platform.h"
#include "baseline/app.h"

enum {
  CLIP_SAMPLES = 16000,
  FRAMES = 49,
  FRAME_SAMPLES = 480,
  FRAME_STRIDE = 320,
  FEATURES = 40,
  CLASSES = 4
};

static const asset_t *frontend_model;

static eng_status_t setup(app_ctx_t *ctx) {
  const asset_t *clips = asset_find("micro_speech/clips.i16");
  frontend_model = asset_find("models/audio_preprocessor_int8.tflite");
  if (!clips || !frontend_model || !ctx->aux_arena) return ENG_ERR_ARG;
  ctx->data = clips->data;
  return app_setup_model(ctx, "micro_speech", "models/micro_speech_quantized.tflite",
                         FRAMES * FEATURES, CLASSES);
}

static void populate(app_ctx_t *ctx, uint32_t case_index) {
  const int16_t *clip = (const int16_t *)ctx->data + (size_t)case_index * CLIP_SAMPLES;
  /* A new interpreter over the same arena is the engine's way to reset the front end's
   * state (noise estimate, PCAN), as TFLM's micro_speech does per clip. */
  eng_interp_t *frontend =
      eng_interp_create(frontend_model->data, frontend_model->bytes, ctx->aux_arena, ctx->aux_bytes,
                        ctx->kernels, &ctx->error);
  eng_tensor_info_t in, out;
  ctx->populate_status = frontend ? eng_interp_allocate(frontend) : ctx->error.code;
  if (ctx->populate_status == ENG_OK) ctx->populate_status = eng_interp_input(frontend, 0, &in);
  if (ctx->populate_status == ENG_OK) ctx->populate_status = eng_interp_output(frontend, 0, &out);
  if (ctx->populate_status != ENG_OK) return;
  int8_t *features = ctx->input.data;
  for (uint32_t k = 0; k < FRAMES; k++) {
    memcpy(in.data, clip + k * FRAME_STRIDE, FRAME_SAMPLES * sizeof(int16_t));
    ctx->populate_status = eng_interp_invoke(frontend);
    if (ctx->populate_status != ENG_OK) return;
    memcpy(features + k * FEATURES, out.data, FEATURES);
  }
}

const c_app_t c_app_micro_speech = {"micro_speech", 4, setup, populate, app_respond_argmax};
