/*
 * fuzz_model.c – libFuzzer harness over the engine: model reader + verifier, allocate
 * (with a roomy and a tight arena) and one invoke on zeroed inputs. Any crash, hang,
 * out-of-bounds access or undefined behaviour is a bug (build with ASan + UBSan).
 */
#include <stdint.h>
#include <string.h>

#include "xsinfer/engine.h"

enum { MODEL_CAP = 512 * 1024, ARENA_BYTES = 256 * 1024, INVOKE_LIMIT = 64 * 1024 };

static uint8_t model[MODEL_CAP] __attribute__((aligned(16)));
static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));

static void run(size_t size, uint32_t arena_bytes, int invoke) {
  eng_error_t err;
  eng_interp_t *it =
      eng_interp_create(model, size, arena, arena_bytes, ENG_KERNELS_REFERENCE, &err);
  if (it == NULL) {
    return;
  }
  if (eng_interp_allocate(it) != ENG_OK) {
    return;
  }
  eng_arena_usage_t u;
  eng_interp_arena_usage(it, &u);
  for (uint32_t i = 0; i < eng_interp_input_count(it); i++) {
    eng_tensor_info_t info;
    if (eng_interp_input(it, i, &info) == ENG_OK && info.data != NULL) {
      memset(info.data, 0, info.bytes);
    }
  }
  for (uint32_t i = 0; i < eng_interp_tensor_count(it); i++) {
    eng_tensor_info_t info;
    (void)eng_interp_tensor(it, i, &info);
  }
  if (invoke) {
    (void)eng_interp_invoke(it);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > MODEL_CAP) {
    return 0;
  }
  memcpy(model, data, size);
  char names[256];
  (void)eng_model_missing_ops(model, size, ENG_KERNELS_REFERENCE, names, sizeof names);
  /* Big models take too long to invoke per input; their reading/planning is still fuzzed. */
  run(size, ARENA_BYTES, size <= INVOKE_LIMIT);
  run(size, 1500, 0);
  return 0;
}
