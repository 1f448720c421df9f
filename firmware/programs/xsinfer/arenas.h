/* arenas.h – the main firmware's two inference arenas, shared by C and JS runs (one run
 * at a time): "main" for the app's model (and app-upload staging, the model verifier),
 * "aux" for micro_speech's front end. Sized per target by manifest.json `defines.arena`. */
#ifndef XSINFER_ARENAS_H
#define XSINFER_ARENAS_H

#include <stdint.h>

#include "mc.defines.h"

/* Defaults fit every built-in app: person_detect needs ≈82 KB (reference) / 87 KB
 * (optimized) plus the planner's temporary records; the front end ≈8 KB. */
#ifndef MODDEF_ARENA_MAIN
#define MODDEF_ARENA_MAIN (96 * 1024)
#endif
#ifndef MODDEF_ARENA_AUX
#define MODDEF_ARENA_AUX (24 * 1024)
#endif

enum { MAIN_ARENA_BYTES = MODDEF_ARENA_MAIN, AUX_ARENA_BYTES = MODDEF_ARENA_AUX };

extern uint8_t main_arena[MAIN_ARENA_BYTES];
extern uint8_t aux_arena[AUX_ARENA_BYTES];

#endif
