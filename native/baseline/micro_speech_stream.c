/* micro_speech_stream.c – micro_speech as a deployed app runs it: the four clips as one
 * stream fed 20 ms at a time, one front-end frame per step into a sliding 49×40 window,
 * RecognizeCommands over the scores. Also the per-step reference both runs check against
 * (see baseline/micro_speech_stream.h; the TypeScript twins are device/apps/micro_speech_stream*). */
#include <stdio.h>
#include <string.h>

#include "xsinfer/platform.h"
#include "baseline/app.h"
#include "baseline/micro_speech_stream.h"
#include "recognize_commands.h"

enum {
  STREAM_SAMPLES = 64000,
  FRAMES = 49,
  FRAME_SAMPLES = 480,
  FRAME_STRIDE = 320,
  FEATURES = 40,
  CLASSES = 4,
  WINDOW = FRAMES * FEATURES,
  NEWEST = WINDOW - FEATURES, /* offset of the newest frame in the window */
  GOLDEN_STEP = FRAMES - 1    /* the first step whose window is a whole clip (yes_1000ms) */
};

typedef struct stream {
  const int16_t *samples;
  const asset_t *frontend_model;
  eng_interp_t *frontend; /* in the aux arena, kept across the stream: its state carries */
  eng_tensor_info_t frontend_in;
  eng_tensor_info_t frontend_out;
  /* The model's input tensor may share arena memory with activations, so the window
   * lives here and is copied in whole each step. */
  int8_t window[WINDOW];
  rc_state_t rc;
  rc_result_t decision;
  int32_t step; /* of the last POPULATE, -1 before the first */
} stream_t;

static stream_t stream;
static uint8_t reference[MS_STREAM_STEPS * MS_STREAM_RECORD];
static int32_t reference_kernels = -1; /* kernel set the table holds, -1: none */
static const int8_t *golden_features;  /* clip 0's 49×40 golden features */
static const int8_t *golden_scores;    /* clip 0's golden model output */

static eng_status_t fail(eng_error_t *err, eng_status_t code, const char *message) {
  err->code = code;
  err->op_index = -1;
  snprintf(err->message, sizeof err->message, "micro_speech_stream: %s", message);
  return code;
}

/* Step 0's state: a new front-end interpreter (the engine's only reset), an empty
 * window and an empty RecognizeCommands. Empty is -128, the int8 floor that silence's
 * features sit at (TFLM's uint8 example zero-filled, the same floor): zeros would be
 * mid-range features, which the model reads as "no". */
static eng_status_t stream_restart(stream_t *s, app_ctx_t *ctx) {
  s->step = -1;
  s->frontend = eng_interp_create(s->frontend_model->data, s->frontend_model->bytes, ctx->aux_arena,
                                  ctx->aux_bytes, ctx->kernels, &ctx->error);
  if (!s->frontend) return ctx->error.code;
  eng_status_t status = eng_interp_allocate(s->frontend);
  if (status == ENG_OK) status = eng_interp_input(s->frontend, 0, &s->frontend_in);
  if (status == ENG_OK) status = eng_interp_output(s->frontend, 0, &s->frontend_out);
  if (status != ENG_OK) {
    ctx->error = *eng_interp_error(s->frontend);
    s->frontend = NULL;
    return status;
  }
  if (s->frontend_in.bytes != FRAME_SAMPLES * sizeof(int16_t) ||
      s->frontend_out.bytes != FEATURES) {
    s->frontend = NULL;
    return fail(&ctx->error, ENG_ERR_SHAPE, "front end is not int16[480] -> int8[40]");
  }
  memset(s->window, -128, sizeof s->window);
  /* manifest.json `config.recognizeCommands`, the values the TS apps read from mc/config;
   * without it, TFLM's earlier micro_speech example's. */
  rc_init(&s->rc, (int32_t)config_number("recognizeCommands.averageWindowMs", 1000),
          (int32_t)config_number("recognizeCommands.detectionThreshold", 200),
          (int32_t)config_number("recognizeCommands.suppressionMs", 1500),
          (int32_t)config_number("recognizeCommands.minimumCount", 3), CLASSES);
  memset(&s->decision, 0, sizeof s->decision);
  return ENG_OK;
}

static void populate(app_ctx_t *ctx, uint32_t case_index) {
  stream_t *s = &stream;
  if (case_index == 0) {
    ctx->populate_status = stream_restart(s, ctx);
    if (ctx->populate_status != ENG_OK) return;
  } else if (!s->frontend || (int32_t)case_index != s->step + 1) {
    /* State carries from step to step: a skipped step has no meaning. */
    ctx->populate_status = ENG_ERR_STATE;
    return;
  }
  memcpy(s->frontend_in.data, s->samples + case_index * FRAME_STRIDE,
         FRAME_SAMPLES * sizeof(int16_t));
  ctx->populate_status = eng_interp_invoke(s->frontend);
  if (ctx->populate_status != ENG_OK) return;
  memmove(s->window, s->window + FEATURES, NEWEST);
  memcpy(s->window + NEWEST, s->frontend_out.data, FEATURES);
  memcpy(ctx->input.data, s->window, WINDOW);
  s->step = (int32_t)case_index;
}

/* label = the current command, score = 1 when this step detected a new one, value = its
 * average score. */
static void respond(app_ctx_t *ctx, app_result_t *out) {
  stream_t *s = &stream;
  const int8_t *output = ctx->output.data;
  uint8_t scores[CLASSES];
  for (uint32_t i = 0; i < CLASSES; i++) scores[i] = (uint8_t)(output[i] + 128);
  if (rc_process(&s->rc, scores, s->step * 20 + 30, &s->decision) != 0) s->decision.label = -1;
  out->label = s->decision.label;
  out->score = s->decision.is_new;
  out->value = (float)s->decision.score;
}

uint32_t ms_stream_crc32(const uint8_t *bytes, uint32_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < n; i++) {
    crc ^= bytes[i];
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

static uint32_t read_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The step's features, scores and decision against the reference record; where the
 * golden clip data applies (steps 0..48), against it too. */
static int check(const app_ctx_t *ctx, uint32_t case_index, const app_result_t *result) {
  const stream_t *s = &stream;
  if (ctx->populate_status != ENG_OK || case_index >= MS_STREAM_STEPS ||
      s->step != (int32_t)case_index)
    return 0;
  const uint8_t *rec = reference + case_index * MS_STREAM_RECORD;
  const int8_t *scores = ctx->output.data;
  if (ms_stream_crc32((const uint8_t *)s->window + NEWEST, FEATURES) !=
      read_u32(rec + MS_REC_FEATURES_CRC))
    return 0;
  if (memcmp(scores, rec + MS_REC_SCORES, CLASSES) != 0) return 0;
  if (result->label != rec[MS_REC_LABEL] || result->score != rec[MS_REC_NEW] ||
      s->decision.score != rec[MS_REC_AVERAGE])
    return 0;
  if (case_index <= GOLDEN_STEP &&
      memcmp(s->window + NEWEST, golden_features + case_index * FEATURES, FEATURES) != 0)
    return 0;
  return case_index != GOLDEN_STEP || memcmp(scores, golden_scores, CLASSES) == 0;
}

/* One pass over the whole stream with the app's own phases, recording every step. */
static eng_status_t build_reference(app_ctx_t *ctx) {
  stream_t *s = &stream;
  for (uint32_t k = 0; k < MS_STREAM_STEPS; k++) {
    populate(ctx, k);
    if (ctx->populate_status != ENG_OK) return ctx->populate_status;
    eng_status_t status = eng_interp_invoke(ctx->interp);
    if (status != ENG_OK) {
      ctx->error = *eng_interp_error(ctx->interp);
      return status;
    }
    app_result_t result;
    respond(ctx, &result);
    if (result.label < 0)
      return fail(&ctx->error, ENG_ERR_STATE, "RecognizeCommands refused a step");
    uint8_t *rec = reference + k * MS_STREAM_RECORD;
    memset(rec, 0, MS_STREAM_RECORD);
    uint32_t crc = ms_stream_crc32((const uint8_t *)s->window + NEWEST, FEATURES);
    for (uint32_t i = 0; i < 4; i++) rec[MS_REC_FEATURES_CRC + i] = (uint8_t)(crc >> (8 * i));
    memcpy(rec + MS_REC_SCORES, ctx->output.data, CLASSES);
    rec[MS_REC_LABEL] = (uint8_t)result.label;
    rec[MS_REC_NEW] = (uint8_t)result.score;
    rec[MS_REC_AVERAGE] = (uint8_t)s->decision.score;
    /* The stream's first clip from a fresh state is the golden yes_1000ms clip. */
    if (k == GOLDEN_STEP && (memcmp(s->window, golden_features, WINDOW) != 0 ||
                             memcmp(ctx->output.data, golden_scores, CLASSES) != 0))
      return fail(&ctx->error, ENG_ERR_STATE,
                  "frames 0..48 differ from the golden yes_1000ms features or output");
  }
  return ENG_OK;
}

/* Assets and the model interpreter in ctx->arena (app_setup_model: input, output). */
static eng_status_t setup_model(app_ctx_t *ctx) {
  const asset_t *clips = asset_find("micro_speech/clips.i16");
  const asset_t *features = asset_find("micro_speech/features.i8");
  const asset_t *expected = asset_find("micro_speech/expected.i8");
  stream.frontend_model = asset_find("models/audio_preprocessor_int8.tflite");
  if (!clips || !features || !expected || !stream.frontend_model || !ctx->aux_arena)
    return fail(&ctx->error, ENG_ERR_ARG, "missing asset or aux arena");
  if (clips->bytes != STREAM_SAMPLES * sizeof(int16_t) || features->bytes < WINDOW ||
      expected->bytes < CLASSES)
    return fail(&ctx->error, ENG_ERR_SHAPE, "clips/features/expected assets have unexpected sizes");
  stream.samples = (const int16_t *)clips->data;
  golden_features = (const int8_t *)features->data;
  golden_scores = (const int8_t *)expected->data;
  ctx->check =
      check; /* before app_setup_model: the app checks itself, no golden assets of its own */
  return app_setup_model(ctx, "micro_speech_stream", "models/micro_speech_quantized.tflite", WINDOW,
                         CLASSES);
}

static eng_status_t ensure_reference(app_ctx_t *ctx) {
  if (reference_kernels == (int32_t)ctx->kernels) return ENG_OK;
  reference_kernels = -1;
  eng_status_t status = build_reference(ctx);
  if (status == ENG_OK) reference_kernels = (int32_t)ctx->kernels;
  stream.frontend = NULL; /* the next POPULATE of step 0 starts over */
  stream.step = -1;
  return status;
}

static eng_status_t setup(app_ctx_t *ctx) {
  stream.frontend = NULL;
  stream.step = -1;
  eng_status_t status = setup_model(ctx);
  /* The reference is the built-in model's: a run on other model bytes is not checked
   * (and must not build the table from its model). */
  if (status == ENG_OK && !ctx->unchecked) status = ensure_reference(ctx);
  return status;
}

eng_status_t ms_stream_reference(eng_kernel_set_t kernels, uint8_t *arena, uint32_t arena_bytes,
                                 uint8_t *aux_arena, uint32_t aux_bytes, const uint8_t **table,
                                 eng_error_t *err) {
  *table = NULL;
  if (reference_kernels != (int32_t)kernels) {
    app_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.kernels = kernels;
    ctx.arena = arena;
    ctx.arena_bytes = arena_bytes;
    ctx.aux_arena = aux_arena;
    ctx.aux_bytes = aux_bytes;
    stream.frontend = NULL;
    eng_status_t status = setup_model(&ctx);
    if (status == ENG_OK) status = ensure_reference(&ctx);
    if (status != ENG_OK) {
      *err = ctx.error;
      err->code = status;
      return status;
    }
  }
  *table = reference;
  return ENG_OK;
}

const c_app_t c_app_micro_speech_stream = {"micro_speech_stream", MS_STREAM_STEPS, setup, populate,
                                           respond};
