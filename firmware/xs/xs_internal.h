/*
 * xs_internal.h – what the files of firmware/xs share with each other (not for programs).
 */
#ifndef XSINFER_XS_INTERNAL_H
#define XSINFER_XS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xsinfer_xs_image.h"

/* gen/xs_preparation.c (xsarc --out-prep): the built-ins as a const txPreparation, or
 * NULL when the build has none (then fxCreateMachine builds them in RAM). */
extern const void *const xsinfer_xs_preparation;

/* xs_heap.c: a first-fit pool over `memory` (set memory and bytes, the rest starts zero;
 * the first allocation lays it out). Not thread-safe; NULL when no block fits. */
typedef struct xsinfer_pool {
  uint8_t *memory;
  uint32_t bytes;
  uint8_t *start, *end;
  uint32_t used, peak;
} xsinfer_pool_t;
void *xsinfer_pool_malloc(xsinfer_pool_t *pool, size_t size);
void *xsinfer_pool_realloc(xsinfer_pool_t *pool, void *p, size_t size);
void xsinfer_pool_free(xsinfer_pool_t *pool, void *p);
/* Drops every block at once (the pool's owner knows none is in use). */
void xsinfer_pool_reset(xsinfer_pool_t *pool);
void xsinfer_xs_pool_stats(uint32_t *used, uint32_t *peak);

/* xs_port.c: the static arena behind chunks and slots. */
void xsinfer_xs_arena_reset(void);
uint32_t xsinfer_xs_arena_free(void);
uint32_t xsinfer_xs_stack_peak_slots(void);

/* xs_modules.c: the host-function table given to xsinfer_xs_create. */
struct xsinfer_xs_host;
void xsinfer_xs_set_hosts(const struct xsinfer_xs_host *hosts, uint32_t count);

#endif
