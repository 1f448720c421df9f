/* arenas.h – the main firmware's two inference arenas, shared by C and JS runs (one run
 * at a time): "main" for the app's model, "aux" for micro_speech's front end. */
#ifndef XSINFER_ARENAS_H
#define XSINFER_ARENAS_H

#include <stdint.h>

/* 96 KB: person_detect needs ≈82 KB (reference) / 87 KB (optimized) plus the planner's
 * temporary records; the F769's SRAM also holds the XS heap. */
enum { MAIN_ARENA_BYTES = 96 * 1024, AUX_ARENA_BYTES = 24 * 1024 };

extern uint8_t main_arena[MAIN_ARENA_BYTES];
extern uint8_t aux_arena[AUX_ARENA_BYTES];

#endif
