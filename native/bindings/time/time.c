/*
 * timer.c – host functions of the JS module "timer": the board's 64-bit tick counter and
 * how ticks convert to its unit (instructions on QEMU, cycles on the F769, ns on host).
 */
#include "board.h"
#include "xsinfer_bindings.h"

void xs_timer_ticks(xsMachine *the) {
  /* A double holds ticks exactly up to 2^53: centuries of cycles at 216 MHz. */
  xsResult = xsNumber((xsNumberValue)board_ticks());
}

/* The low 32 bits as a signed int32: an XS integer slot, no 64-bit → double conversion,
 * so a read from JS costs about a host call. JS takes spans as (b - a) >>> 0, exact for
 * spans under 2^32 ticks (1.34 G instructions on QEMU, 19.8 s at 216 MHz, 4.29 s in ns). */
void xs_timer_ticks32(xsMachine *the) {
  xsResult = xsInteger((xsIntegerValue)(int32_t)(uint32_t)board_ticks());
}

/* [unit, num, den, hz]: an array, so C creates no property keys after the archive map. */
void xs_timer_info(xsMachine *the) {
  const board_tick_unit_t *u = board_tick_unit();
  xsResult = xsNewArray(4);
  xsSetAt(xsResult, xsInteger(0), xsString(u->unit));
  xsSetAt(xsResult, xsInteger(1), xsNumber(u->num));
  xsSetAt(xsResult, xsInteger(2), xsNumber(u->den));
  xsSetAt(xsResult, xsInteger(3), xsNumber(u->hz));
}
