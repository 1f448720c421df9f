/*
 * xsinfer_bindings.h – the C host functions JS may call (modules board, micro; time/time.h,
 * timer/timer.h, tflm/tflm.h, assets/assets_binding.h and bench/bench.h declare the rest), as one table for
 * xsinfer_xs_create.
 *
 * Contract: each JS module in native/bindings/<module>/<module>.js declares its functions
 * with `@ "xs_<module>_<name>"`; every such name appears exactly once in the table, and
 * an archive that names a function the table lacks fails at import with a ReferenceError.
 * Host functions check their arguments (TypeError/RangeError) and never allocate from a
 * system heap.
 */
#ifndef XSINFER_BINDINGS_H
#define XSINFER_BINDINGS_H

#include <stdint.h>

#include "xsinfer_xs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* All host functions of this firmware; *count receives the number of entries. */
const xsinfer_xs_host_t *xsinfer_bindings_hosts(uint32_t *count);

/* Scratch memory behind micro.scratch() (a zero-copy Int8Array view). */
#define XSINFER_MICRO_SCRATCH_BYTES 1960u
int8_t *xsinfer_micro_scratch(void);

void xs_board_name(xsMachine *the);
void xs_board_memory(xsMachine *the);
void xs_board_xs_stats(xsMachine *the);
void xs_board_write(xsMachine *the);
void xs_micro_nop(xsMachine *the);
void xs_micro_scratch(xsMachine *the);
void xs_micro_scratch_sum(xsMachine *the);

#ifdef __cplusplus
}
#endif

#endif
