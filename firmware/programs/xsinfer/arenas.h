/* arenas.h – the main firmware's two inference arenas, shared by C and JS runs (one run
 * at a time): "main" for the app's model (and app-upload staging, the model verifier),
 * "aux" for micro_speech's front end. Sized per target by manifest.json `defines.arena`. */
#ifndef XSINFER_ARENAS_H
#define XSINFER_ARENAS_H

#include <stdint.h>

#include "mc.defines.h"

/* The sizes' one home is manifest.json (`defines.arena`, per platform): the typings and
 * tests read them from there too (tflm arenaBytes()). */
#if !defined(MODDEF_ARENA_MAIN) || !defined(MODDEF_ARENA_AUX)
#error "manifest.json must define defines.arena.main and defines.arena.aux"
#endif

enum { MAIN_ARENA_BYTES = MODDEF_ARENA_MAIN, AUX_ARENA_BYTES = MODDEF_ARENA_AUX };

extern uint8_t main_arena[MAIN_ARENA_BYTES];
extern uint8_t aux_arena[AUX_ARENA_BYTES];

#endif
