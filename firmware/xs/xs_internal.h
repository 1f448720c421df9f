/*
 * xs_internal.h – what the files of firmware/xs share with each other (not for programs).
 */
#ifndef XSINFER_XS_INTERNAL_H
#define XSINFER_XS_INTERNAL_H

#include <stdint.h>

#include "xsinfer_xs_image.h"

/* gen/xs_preparation.c (xsarc --out-prep): the built-ins as a const txPreparation, or
 * NULL when the build has none (then fxCreateMachine builds them in RAM). */
extern const void *const xsinfer_xs_preparation;

/* xs_heap.c */
void xsinfer_xs_pool_stats(uint32_t *used, uint32_t *peak);

/* xs_port.c: the static arena behind chunks and slots. */
void xsinfer_xs_arena_reset(void);
uint32_t xsinfer_xs_arena_free(void);
uint32_t xsinfer_xs_stack_peak_slots(void);

/* xs_modules.c: the host-function table given to xsinfer_xs_create. */
struct xsinfer_xs_host;
void xsinfer_xs_set_hosts(const struct xsinfer_xs_host *hosts, uint32_t count);

#endif
