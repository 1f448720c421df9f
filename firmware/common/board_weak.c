/* board_weak.c – defaults for the optional parts of board.h: no core event counters (QEMU
 * has no DWT), no second clock to compare, no caches or MPU. Weak, so a target's board.c
 * (or firmware/common/dwt_counters.c) that has them replaces these. */
#include <string.h>

#include "board.h"

__attribute__((weak)) int board_counters_start(void) {
  return 0;
}

__attribute__((weak)) void board_counters_read(board_counters_t *out) {
  memset(out, 0, sizeof *out);
}

__attribute__((weak)) void board_counters_stop(void) {}

__attribute__((weak)) uint32_t board_clock_compare(uint64_t ticks, board_clock_count_t out[2]) {
  (void)out;
  uint64_t start = board_ticks();
  while (board_ticks() - start < ticks) {}
  return 0;
}

__attribute__((weak)) void board_core_state(board_core_state_t *out) {
  out->icache = -1;
  out->dcache = -1;
  out->mpu = -1;
  out->mpu_regions = 0;
}
