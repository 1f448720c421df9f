/* phase_marks.c – see phase_marks.h. */
#include "phase_marks.h"

static board_counters_t marks[4];
static uint32_t taken;
static int active;

int phase_marks_begin(void) {
  taken = 0;
  active = board_counters_start();
  return active;
}

void phase_marks_end(void) {
  if (active) board_counters_stop();
  active = 0;
}

int phase_marks_active(void) {
  return active;
}

uint64_t phase_marks_tick(void) {
  board_counters_t *m = &marks[taken++ % 4u];
  board_counters_read(m);
  return m->cycles;
}

int phase_marks_last4(board_counters_t out[4]) {
  if (taken < 4) return 0;
  for (uint32_t k = 0; k < 4; k++) out[k] = marks[(taken + k) % 4u];
  return 1;
}
