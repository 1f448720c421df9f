/*
 * phase_marks.h – counter snapshots at the bench loops' phase boundaries.
 *
 * While marking is on (a `run` that asked for counters, on a board that has them), every
 * tick read of the bench loops takes a board_counters_t snapshot instead: the C loop reads
 * ticks through phase_marks_tick, the JS loop's ticks32() does (native/bindings/timer).
 * The last four snapshots are kept; the iteration's record takes them as t0..t3. Ticks
 * returned while marking are the snapshot's cycles, so ticks and counters agree exactly.
 * Single-threaded; no heap. Off by default and off again after every run.
 */
#ifndef XSINFER_PHASE_MARKS_H
#define XSINFER_PHASE_MARKS_H

#include <stdint.h>

#include "board.h"

/* Starts the board's counters and marking; 0 (and nothing marked) where the board has none. */
int phase_marks_begin(void);
void phase_marks_end(void);
/* phase_marks_active() and phase_marks_tick() (a snapshot as one more mark, returning its
 * cycles) are declared in xsinfer/platform.h: the JS timer binding reads through them. */
/* The last four marks, oldest first; 0 when fewer than four were taken since begin. */
int phase_marks_last4(board_counters_t out[4]);

#endif
