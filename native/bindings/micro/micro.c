/*
 * micro.c – host functions of the JS module "micro": probes for the JS↔C boundary (an
 * empty call, a zero-copy Int8Array over C memory and a C-side read of it).
 */
#include "xsinfer_bindings.h"

static int8_t scratch[XSINFER_MICRO_SCRATCH_BYTES] __attribute__((aligned(8)));

int8_t *xsinfer_micro_scratch(void) {
  return scratch;
}

void xs_micro_nop(xsMachine *the) {
  (void)the;
}

void xs_micro_scratch(xsMachine *the) {
  xsinfer_xs_view(the, &xsResult, "Int8Array", scratch, sizeof(scratch), 0);
}

/* Sum of the scratch bytes as C sees them: proves JS writes land in C memory. */
void xs_micro_scratch_sum(xsMachine *the) {
  int32_t sum = 0;
  for (uint32_t i = 0; i < sizeof(scratch); i++) sum += scratch[i];
  xsResult = xsInteger(sum);
}
