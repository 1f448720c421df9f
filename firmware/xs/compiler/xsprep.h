/*
 * xsprep.h – the preparation writer of xsarc (xsprep.c): a fresh machine's built-ins as a
 * C txPreparation for the target.
 */
#ifndef XSPREP_H
#define XSPREP_H

#include <stdint.h>

typedef struct {
  uint32_t slots, items, heap_count, stack_count, aliases, keys, callbacks;
} xsprep_stats_t;

/* Writes path (via path.tmp); `creation` is xsarc's 12 creation values. The machine
 * must be fresh (nothing but fxCreateMachine ran on it) and is not usable afterwards.
 * Exits the tool with a message when something cannot be placed in flash. */
xsprep_stats_t xsprep_write(txMachine *the, const char *path, const int32_t *creation);

#endif
