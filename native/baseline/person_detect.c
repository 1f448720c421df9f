/* person_detect.c – a 96×96 grayscale image → int8 input (pixel − 128, the convention of
 * TFLM's person_detection example), RESPOND: person / no person and its probability. */
#include "baseline/app.h"

enum { PIXELS = 96 * 96, CLASSES = 2 };

static eng_status_t setup(app_ctx_t *ctx) {
  eng_status_t status = app_setup_image(ctx, "person_detect", "models/person_detect.tflite",
                                        "person_detect/images.u8", PIXELS, CLASSES);
  if (status != ENG_OK) return status;
  for (int p = 0; p < 256; p++) ctx->lut[p] = (int8_t)(p - 128);
  return ENG_OK;
}

static void populate(app_ctx_t *ctx, uint32_t case_index) {
  app_populate_lut(ctx, case_index, PIXELS);
}

const c_app_t c_app_person_detect = {"person_detect", 2, setup, populate, app_respond_argmax};
