/* counters_none.c – board_counters_* for targets without core event counters (QEMU has
 * no DWT): weak, so a target's board.c that has them replaces these. */
#include <string.h>

#include "board.h"

__attribute__((weak)) int board_counters_start(void) {
  return 0;
}

__attribute__((weak)) void board_counters_read(board_counters_t *out) {
  memset(out, 0, sizeof *out);
}

__attribute__((weak)) void board_counters_stop(void) {}
