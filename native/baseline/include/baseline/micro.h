/* micro.h – the C side of the micro-benchmarks that explain the JS overhead table:
 * a tick-read pair, filling a model input (byte loop, table loop, memcpy) and arg-max,
 * each net of the tick-read pair. The JS side is device/lib/micro-bench.ts. */
#ifndef XSINFER_BASELINE_MICRO_H
#define XSINFER_BASELINE_MICRO_H

#include <stdint.h>

#include "baseline/bench.h"

#define C_MICRO_FILLS    4
#define C_MICRO_ARGMAXES 2
/* The model input sizes: hello_world, mnist, micro_speech, person_detect. */
extern const uint32_t c_micro_fill_bytes[C_MICRO_FILLS];
extern const uint32_t c_micro_argmax_n[C_MICRO_ARGMAXES];
/* Bytes of scratch c_micro_measure needs. */
#define C_MICRO_SCRATCH_BYTES (2u * 10240u + 256u)

typedef struct c_micro {
  uint64_t pair; /* two consecutive tick reads */
  uint64_t loop[C_MICRO_FILLS], lut[C_MICRO_FILLS], copy[C_MICRO_FILLS];
  uint64_t argmax[C_MICRO_ARGMAXES];
} c_micro_t;

/* Measures everything in ticks; scratch is overwritten and zeroed afterwards. */
void c_micro_measure(c_micro_t *out, bench_ticks_fn ticks, uint8_t *scratch);

#endif
