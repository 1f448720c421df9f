/*
 * time.c – host functions of the JS module "time" (see time/time.h): the board's 64-bit
 * tick counter, how ticks convert to its unit (instructions on QEMU, cycles on the F769,
 * ns on host), and time in µs for Moddable's Time class.
 */
#include "time/time.h"

#include "xsinfer/platform.h"
#include "xsinfer_bindings.h"

static xsinfer_time_mark_t marks[XSINFER_TIME_MARKS];
static uint32_t mark_next;

void xsinfer_time_marks(xsinfer_time_mark_t out[XSINFER_TIME_MARKS]) {
  for (uint32_t k = 0; k < XSINFER_TIME_MARKS; k++)
    out[k] = marks[(mark_next + k) % XSINFER_TIME_MARKS];
}

void xs_time_ticks(xsMachine *the) {
  /* A double holds ticks exactly up to 2^53: centuries of cycles at 216 MHz. */
  xsResult = xsNumber((xsNumberValue)board_ticks());
}

/* The low 32 bits as a signed int32: an XS integer slot, no 64-bit → double conversion,
 * so a read from JS costs about a host call. JS takes spans as (b - a) >>> 0, exact for
 * spans under 2^32 ticks (1.34 G instructions on QEMU, 19.8 s at 216 MHz, 4.29 s in ns).
 * The output counters are latched right after the tick is sampled (time/time.h). */
void xs_time_ticks32(xsMachine *the) {
  uint32_t now;
#if XSINFER_BOARD_COUNTERS
  /* In a counted run each read is a counter snapshot (firmware/include/phase_marks.h);
   * only boards with counters pay for the check, so QEMU's figures stay as they are. */
  if (phase_marks_active())
    now = (uint32_t)phase_marks_tick();
  else
#endif
    now = (uint32_t)board_ticks();
  xsinfer_time_mark_t *mark = &marks[mark_next % XSINFER_TIME_MARKS];
  mark->ticks = now;
  mark->bytes = board_io.uart_bytes;
  mark->calls = board_io.text_calls;
  mark_next++;
  xsinfer_xs_result_integer(the, (int32_t)now);
}

/* [unit, num, den, hz, ticksPerSecond]: an array, so C creates no property keys after the
 * archive map. */
void xs_time_info(xsMachine *the) {
  const board_tick_unit_t *u = board_tick_unit();
  xsResult = xsNewArray(5);
  xsSetAt(xsResult, xsInteger(0), xsString(u->unit));
  xsSetAt(xsResult, xsInteger(1), xsNumber(u->num));
  xsSetAt(xsResult, xsInteger(2), xsNumber(u->den));
  xsSetAt(xsResult, xsInteger(3), xsNumber(u->hz));
  xsSetAt(xsResult, xsInteger(4), xsNumber(board_ticks_per_second()));
}

/* Microseconds of the board's clock since boot (QEMU: virtual time), as a number. */
void xs_time_microseconds(xsMachine *the) {
  uint64_t ticks = board_ticks();
  uint64_t hz = board_ticks_per_second();
  uint64_t us = ticks / hz * 1000000u + ticks % hz * 1000000u / hz;
  xsResult = xsNumber((xsNumberValue)us);
}
