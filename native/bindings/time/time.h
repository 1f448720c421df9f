/*
 * time/time.h – the JS module "time": the board's tick counter (ticks(), ticks32(), the
 * unit) and Moddable's Time class (Time.ticks in ms, Time.microseconds, Time.delta).
 *
 * Contract: every ticks32() read also latches the board's output counters (board_io)
 * with the tick it returns, in a ring of the last XSINFER_TIME_MARKS reads. The JS bench
 * loop reads ticks32() at each phase boundary, so the bench module's record() finds the
 * output inside each phase in the ring (matching the spans it is given) without any
 * extra host call in a timed region; the latch is three loads and three stores. The ring
 * is static and only overwritten by later reads.
 */
#ifndef XSINFER_BINDINGS_TIME_H
#define XSINFER_BINDINGS_TIME_H

#include <stdint.h>

#include "xsinfer_xs.h"

enum { XSINFER_TIME_MARKS = 4 };

/* One ticks32() read: its tick (low 32 bits) and the output counters at that moment. */
typedef struct xsinfer_time_mark {
  uint32_t ticks;
  uint32_t bytes;
  uint32_t calls;
} xsinfer_time_mark_t;

/* The last XSINFER_TIME_MARKS ticks32() reads, oldest first (zeros before that many). */
void xsinfer_time_marks(xsinfer_time_mark_t out[XSINFER_TIME_MARKS]);

void xs_time_ticks(xsMachine *the);
void xs_time_ticks32(xsMachine *the);
void xs_time_info(xsMachine *the);
void xs_time_microseconds(xsMachine *the);

#endif
