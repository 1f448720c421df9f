/*
 * plan.h – the arena planner: which activation buffers are live when, which may share
 * bytes, and where each sits in the arena head. Pure functions over a graph description;
 * the interpreter (interp.c) fills that description from the model and commits the result.
 *
 * Contract
 * - No allocation, no globals: every function works in caller-owned arrays and reads the
 *   graph only (unit-tested on its own: test/engine/plan-harness.c).
 * - items[] has one entry per tensor (index = tensor index), then one per scratch request.
 *   A result item with size 0 is not placed: a constant, a variable, a tensor no op
 *   touches, or (first == ENG_PLAN_SHARED) a tensor sharing tensor `offset`'s buffer.
 * - Sizes are rounded up to ENG_PLAN_ALIGN; offsets are multiples of it.
 * - Op indices fit in int16 (the reader caps models at 32767 ops).
 */
#ifndef XSINFER_ENGINE_PLAN_H
#define XSINFER_ENGINE_PLAN_H

#include <stdint.h>

#include "kernel.h"

#define ENG_PLAN_ALIGN  16u
#define ENG_PLAN_SHARED (-2) /* item.first: the tensor shares the buffer of tensor item.offset */

typedef struct eng_plan_item {
  uint32_t size;       /* bytes, 0 = not placed */
  int16_t first, last; /* ops of the lifetime, inclusive */
  uint32_t offset;     /* head offset once placed */
} eng_plan_item_t;

/* A scratch buffer one op asked for in prepare: live only during that op. */
typedef struct eng_scratch_req {
  uint16_t node, slot;
  uint32_t bytes;
} eng_scratch_req_t;

/* What the planner reads. Node input/output lists and the subgraph lists are int32 LE
 * vectors (the model's own), -1 = absent; node lists carry their count in the word before
 * the first element. tensors[i] are eval-time tensor records, `tensor_stride` bytes apart
 * (bytes, is_const and is_variable are read). */
typedef struct eng_plan_graph {
  const eng_node_t *nodes;
  uint32_t num_ops;
  const uint8_t *tensors;
  uint32_t tensor_stride;
  uint32_t num_tensors;
  const uint8_t *inputs; /* subgraph inputs */
  uint32_t num_inputs;
  const uint8_t *outputs; /* subgraph outputs */
  uint32_t num_outputs;
  int preserve_all; /* every planned tensor lives for the whole run (debugging) */
} eng_plan_graph_t;

static inline uint32_t eng_plan_align(uint32_t v) {
  return (v + (ENG_PLAN_ALIGN - 1)) & ~(ENG_PLAN_ALIGN - 1);
}

/* Lifetimes of every tensor into items[0..num_tensors): from the first op that reads or
 * writes it to the last that reads it; subgraph inputs live from op 0, outputs to the
 * last op. With share_reshapes (and not preserve_all), a RESHAPE output of the same byte
 * size takes its input's buffer: the pair becomes one item spanning both lifetimes. */
void eng_plan_lifetimes(const eng_plan_graph_t *g, eng_plan_item_t *items, int share_reshapes);

/* Places items[0..count) with size > 0: largest first (ties: earliest first op), each at
 * the lowest offset that overlaps no placed item whose lifetime intersects its own.
 * Returns the head size (end of the highest item). */
uint32_t eng_plan_place(eng_plan_item_t *items, uint32_t count);

/* The whole plan: lifetimes for the tensors, one item per scratch request after them, then
 * placement with RESHAPE sharing and without, keeping sharing unless it costs head bytes.
 * items needs num_tensors + num_scratch entries. Returns the head size. */
uint32_t eng_plan(const eng_plan_graph_t *g, const eng_scratch_req_t *reqs, uint32_t num_scratch,
                  eng_plan_item_t *items);

/* The tensor whose buffer tensor i uses (i itself unless it is shared). */
uint32_t eng_plan_buffer_of(const eng_plan_item_t *items, uint32_t i);

#endif
