/* app.h – an app in pure C, the baseline the TypeScript apps are measured against.
 * Each app is POPULATE (fill the model input from raw data), INVOKE (the engine) and
 * RESPOND (turn the output into an answer); the TypeScript twin in device/apps/<app>/
 * does exactly the same work. Inputs and expected outputs come from the image's assets. */
#ifndef XSINFER_BASELINE_APP_H
#define XSINFER_BASELINE_APP_H

#include <stddef.h>
#include <stdint.h>

#include "xsinfer/engine.h"

/* What RESPOND produced for one iteration. */
typedef struct app_result {
  int32_t label; /* predicted class (hello_world: -1) */
  int32_t score; /* raw int8 output behind the answer */
  float value;   /* dequantized: y for hello_world, probability of the label otherwise */
} app_result_t;

/* Everything an app touches, owned by the caller (static memory on the device). */
typedef struct app_ctx {
  eng_kernel_set_t kernels;
  uint8_t *arena; /* the model's arena */
  uint32_t arena_bytes;
  uint8_t *aux_arena; /* a second interpreter's arena (micro_speech's front end) */
  uint32_t aux_bytes;
  eng_interp_t *interp;
  eng_tensor_info_t input;
  eng_tensor_info_t output;
  int8_t lut[256];              /* u8 sample → int8 input, computed once in setup */
  const void *data;             /* the app's input asset */
  const int8_t *expected;       /* golden output bytes, output.bytes per case */
  const uint8_t *labels;        /* expected label per case (NULL: none) */
  eng_status_t populate_status; /* a failure inside POPULATE (micro_speech's front end) */
  eng_error_t error;
  /* Set by the caller before setup to run the app on another model than its built-in one
   * (a `run` command's `model`: an uploaded "upload/model", or another image asset);
   * model_name NULL: the built-in. Replaces the app's main model only (not micro_speech's
   * front end); the bytes must stay valid and unchanged until the run ends. */
  const char *model_name;
  const uint8_t *model_data;
  uint32_t model_bytes;
  /* Set by setup: 1 when the golden outputs do not apply because the model's bytes differ
   * from the built-in model's; iterations are then reported unchecked (see bench.h). */
  int unchecked;
  /* The app's own untimed check, set by its setup (NULL: app_check's golden compare);
   * micro_speech_stream checks each step against its reference. */
  int (*check)(const struct app_ctx *ctx, uint32_t case_index, const struct app_result *result);
  /* Set by a setup whose case count comes from its data (the generic app's input set);
   * 0: the app's own c_app_t.cases. */
  uint32_t cases;
} app_ctx_t;

typedef struct c_app {
  const char *name;
  uint32_t cases; /* iteration i uses case i % cases */
  /* Once, untimed: load the model, create and allocate the interpreter, find assets. */
  eng_status_t (*setup)(app_ctx_t *ctx);
  void (*populate)(app_ctx_t *ctx, uint32_t case_index);
  void (*respond)(app_ctx_t *ctx, app_result_t *out);
} c_app_t;

/* The apps, NULL-terminated, and lookup by name. */
extern const c_app_t *const c_apps[];
const c_app_t *c_app_find(const char *name);

/* Shared setup: the model (ctx->model_* when set, else the built-in asset `model_asset`) →
 * interpreter in ctx->arena with input 0 / output 0, which must be int8 with `inputs` and
 * `outputs` elements (else ENG_ERR_SHAPE, "<app>: model "<name>" does not fit: ..."; the
 * TypeScript apps say the same, device/lib/app.ts); the golden outputs and labels of the
 * app ("<app>/expected.i8", "<app>/labels.u8") unless it set its own ctx->check;
 * ctx->unchecked as app_golden_applies says. */
eng_status_t app_setup_model(app_ctx_t *ctx, const char *app, const char *model_asset,
                             uint32_t inputs, uint32_t outputs);

/* Whether golden outputs made with the built-in model apply to a run on `data`: the same
 * bytes (a copy of the built-in model uploaded into a slot is checked like the built-in). */
int app_golden_applies(const uint8_t *data, uint32_t bytes, const char *builtin_asset);

/* Setup shared by the image apps (mnist, person_detect): the images asset, and the model
 * with `pixels` int8 inputs and `classes` int8 outputs. The caller fills ctx->lut. */
eng_status_t app_setup_image(app_ctx_t *ctx, const char *app, const char *model_asset,
                             const char *images_asset, uint32_t pixels, uint32_t classes);

/* POPULATE of the image apps: one table lookup per pixel of image `case_index`. */
void app_populate_lut(app_ctx_t *ctx, uint32_t case_index, uint32_t pixels);

/* Untimed check after RESPOND: output bytes equal the golden bytes of the case and the
 * label matches. Returns 1 when correct. */
int app_check(const app_ctx_t *ctx, uint32_t case_index, const app_result_t *result);

/* Arg-max over n int8 scores (first maximum wins, as TFLM's examples do). */
int32_t app_argmax_i8(const int8_t *scores, uint32_t n);

/* RESPOND of the classifiers that answer with their top class (micro_speech,
 * person_detect): label = arg-max of the int8 output, score = its raw value, value = its
 * dequantized probability. */
void app_respond_argmax(app_ctx_t *ctx, app_result_t *out);

#endif
