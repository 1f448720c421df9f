/*
 * timer.c – host functions of the JS module "timer" (see timer/timer.h): the clock in ms,
 * the earliest due time for the program's idle loop, and a blocking delay.
 */
#include "timer/timer.h"

#include "xsinfer/platform.h"

static int armed;
static uint64_t due_ticks;

static uint64_t ms_to_ticks(double ms) {
  return (uint64_t)(ms * ((double)board_ticks_per_second() / 1000.0));
}

int xsinfer_timer_due(void) {
  return armed && board_ticks() >= due_ticks;
}

/* now() → ms since boot, with the fraction (µs resolution on every target). */
void xs_timer_now(xsMachine *the) {
  uint64_t ticks = board_ticks();
  uint64_t hz = board_ticks_per_second();
  uint64_t us = ticks / hz * 1000000u + ticks % hz * 1000000u / hz;
  xsResult = xsNumber((xsNumberValue)us / 1000.0);
}

/* arm(dueMs): the earliest timer is due at dueMs (a number ≥ 0), or no timer is pending (-1). */
void xs_timer_arm(xsMachine *the) {
  double due = xsToNumber(xsArg(0));
  if (!(due >= 0)) {
    armed = 0;
    return;
  }
  due_ticks = ms_to_ticks(due);
  armed = 1;
}

/* delay(ms): block for ms of the board's clock (Moddable's Timer.delay); nothing fires. */
void xs_timer_delay(xsMachine *the) {
  double ms = xsToNumber(xsArg(0));
  if (!(ms >= 0) || ms > 86400000.0) xsRangeError("Timer.delay(ms): ms must be 0 to 86,400,000");
  uint64_t end = board_ticks() + ms_to_ticks(ms);
  while (board_ticks() < end) {}
}
