/* engine_timing.c – see engine_timing.h. Kept out of line so every caller times the same
 * instructions. */
#include "engine_timing.h"

#include "board.h"

__attribute__((noinline)) eng_interp_t *engine_timed_setup(const uint8_t *model, size_t model_bytes,
                                                           void *arena, size_t arena_bytes,
                                                           eng_kernel_set_t kernels,
                                                           eng_error_t *err, uint64_t *ticks) {
  const uint64_t t0 = board_ticks();
  eng_interp_t *it = eng_interp_create(model, model_bytes, arena, arena_bytes, kernels, err);
  if (it && eng_interp_allocate(it) != ENG_OK) {
    *err = *eng_interp_error(it);
    it = NULL;
  }
  *ticks = board_ticks() - t0;
  return it;
}

__attribute__((noinline)) eng_status_t engine_timed_invoke(eng_interp_t *it, uint64_t *ticks) {
  const uint64_t t0 = board_ticks();
  const eng_status_t status = eng_interp_invoke(it);
  *ticks = board_ticks() - t0;
  return status;
}
