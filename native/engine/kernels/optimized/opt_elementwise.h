/*
 * opt_elementwise.h – broadcasting for the optimized binary int8 kernels (ADD, MUL): the
 * output as `outer` runs of `run` elements, where inside a run each input either steps
 * by one element or stays on one element (stride 0), so the inner loops are flat.
 *
 * Contract: eng_opt_bc_init() takes the engine's eng_bcast_t (already validated by
 * eng_bcast_init) and merges trailing dimensions with the same broadcast pattern into the
 * run; eng_opt_bc_next() advances the two input offsets to the next run. Size-1
 * dimensions are dropped (they move nothing). Visits the output in row-major order, the
 * same element pairs as eng_bcast_next.
 */
#ifndef XSINFER_KERNELS_OPTIMIZED_ELEMENTWISE_H
#define XSINFER_KERNELS_OPTIMIZED_ELEMENTWISE_H

#include <stdint.h>

#include "broadcast.h"
#include "kernel.h"

typedef struct eng_opt_bc {
  uint32_t run;   /* elements per run */
  uint32_t outer; /* runs */
  uint8_t sa, sb; /* 1: the input steps inside a run; 0: it repeats one element */
  uint8_t rank;   /* outer dimensions */
  int32_t dims[ENG_MAX_DIMS];
  int32_t a_stride[ENG_MAX_DIMS], b_stride[ENG_MAX_DIMS];
} eng_opt_bc_t;

typedef struct eng_opt_bc_iter {
  int32_t idx[ENG_MAX_DIMS];
  uint32_t ia, ib;
} eng_opt_bc_iter_t;

static inline void eng_opt_bc_init(eng_opt_bc_t *o, const eng_bcast_t *bc) {
  int32_t d = (int32_t)bc->rank - 1;
  while (d >= 0 && bc->dims[d] == 1) d--;
  o->run = 1;
  o->sa = 1;
  o->sb = 1;
  if (d >= 0) {
    o->sa = bc->a_stride[d] != 0;
    o->sb = bc->b_stride[d] != 0;
    /* Trailing dims with the same pattern are contiguous for a stepping input (packed
     * row-major) and constant for a repeating one: merge them. */
    for (; d >= 0; d--) {
      if (bc->dims[d] == 1) continue;
      if ((bc->a_stride[d] != 0) != o->sa || (bc->b_stride[d] != 0) != o->sb) break;
      o->run *= (uint32_t)bc->dims[d];
    }
  }
  o->rank = 0;
  o->outer = 1;
  for (int32_t k = 0; k <= d; k++) {
    if (bc->dims[k] == 1) continue;
    o->dims[o->rank] = bc->dims[k];
    o->a_stride[o->rank] = bc->a_stride[k];
    o->b_stride[o->rank] = bc->b_stride[k];
    o->outer *= (uint32_t)bc->dims[k];
    o->rank++;
  }
}

/* The shared step of ADD's and MUL's prepare, after the reference's (which validated
 * like TFLM): the operands and the output into *a, *b, *out and, for an int8 output
 * (*int8 = 1), their flat-run broadcast into *bc. ENG_ERR_SHAPE only if the broadcast is
 * refused, which the reference's acceptance rules out. */
static inline eng_status_t eng_opt_elementwise_prepare(eng_node_t *node, eng_opt_bc_t *bc,
                                                       const eng_tensor_t **a,
                                                       const eng_tensor_t **b,
                                                       const eng_tensor_t **out, int *int8) {
  *a = eng_input(node, 0);
  *b = eng_input(node, 1);
  *out = eng_output(node, 0);
  *int8 = (*out)->type == ENG_INT8;
  if (!*int8) {
    return ENG_OK;
  }
  eng_bcast_t full;
  if (eng_bcast_init(node, &full, *a, *b, *out) != ENG_OK) {
    return ENG_ERR_SHAPE;
  }
  eng_opt_bc_init(bc, &full);
  return ENG_OK;
}

static inline void eng_opt_bc_begin(eng_opt_bc_iter_t *it) {
  for (uint32_t d = 0; d < ENG_MAX_DIMS; d++) it->idx[d] = 0;
  it->ia = 0;
  it->ib = 0;
}

static inline void eng_opt_bc_next(const eng_opt_bc_t *o, eng_opt_bc_iter_t *it) {
  for (int32_t d = (int32_t)o->rank - 1; d >= 0; d--) {
    it->idx[d]++;
    it->ia += (uint32_t)o->a_stride[d];
    it->ib += (uint32_t)o->b_stride[d];
    if (it->idx[d] < o->dims[d]) return;
    it->ia -= (uint32_t)(o->a_stride[d] * o->dims[d]);
    it->ib -= (uint32_t)(o->b_stride[d] * o->dims[d]);
    it->idx[d] = 0;
  }
}

/* Calls RUN(op, a, b, y, n, sa, sb) for every broadcast run of an int8 elementwise op,
 * sa/sb (1: the operand steps along the run, 0: it repeats) passed as constants so each
 * case compiles to its own loop. */
#define ENG_OPT_BC_RUNS(BC, RUN, OP, A, B, Y)                                                  \
  do {                                                                                         \
    const eng_opt_bc_t *bc_ = (BC);                                                            \
    int8_t *y_ = (Y);                                                                          \
    eng_opt_bc_iter_t it_;                                                                     \
    eng_opt_bc_begin(&it_);                                                                    \
    for (uint32_t o_ = 0; o_ < bc_->outer; o_++, y_ += bc_->run, eng_opt_bc_next(bc_, &it_)) { \
      const int8_t *pa_ = (A) + it_.ia, *pb_ = (B) + it_.ib;                                   \
      if (bc_->sa && bc_->sb) {                                                                \
        RUN(OP, pa_, pb_, y_, bc_->run, 1, 1);                                                 \
      } else if (bc_->sa) {                                                                    \
        RUN(OP, pa_, pb_, y_, bc_->run, 1, 0);                                                 \
      } else if (bc_->sb) {                                                                    \
        RUN(OP, pa_, pb_, y_, bc_->run, 0, 1);                                                 \
      } else {                                                                                 \
        RUN(OP, pa_, pb_, y_, bc_->run, 0, 0);                                                 \
      }                                                                                        \
    }                                                                                          \
  } while (0)

#endif
