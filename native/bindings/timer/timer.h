/*
 * timer/timer.h – the JS module "timer": Moddable's Timer class (set, repeat, clear,
 * schedule, delay). The timers themselves live in JS (native/bindings/timer/timer.js);
 * C keeps only when the earliest one is due, so the program's idle loop can tell with one
 * tick read whether JS has work.
 *
 * Contract: timers fire only when the program calls the module's service() (the main
 * firmware does so from its idle loop, between commands, so never inside a run and never
 * inside a timed region); xsinfer_timer_due() does no I/O and calls no JS. Times are ms of
 * the board's clock (QEMU: virtual time). A machine that is replaced (deploy) takes its
 * timers with it: a stale due time only makes the next service() find nothing to fire.
 */
#ifndef XSINFER_BINDINGS_TIMER_H
#define XSINFER_BINDINGS_TIMER_H

#include "xsinfer_xs.h"

/* 1 when a timer is due now (the program should call the JS module's service()). */
int xsinfer_timer_due(void);

void xs_timer_now(xsMachine *the);
void xs_timer_arm(xsMachine *the);
void xs_timer_delay(xsMachine *the);

#endif
