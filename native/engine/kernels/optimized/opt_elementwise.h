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
#include "opt_common.h"
#include "quant.h"

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

/* The head of ADD's and MUL's op data (their first member). */
typedef struct eng_opt_elementwise {
  void *ref_data; /* the reference's op data (eng_opt_prepare_ref fills it) */
  int32_t fast;   /* 1: the int8 path runs; 0: the reference kernel */
  eng_opt_bc_t bc;
  int32_t off1, off2, out_off; /* the inputs' negated zero points, the output's */
  int32_t act_min, act_max;
} eng_opt_elementwise_t;

/* The shared prepare of ADD and MUL: the reference `ref`'s (which validates like TFLM)
 * with `bytes` of op data that start with an eng_opt_elementwise_t; then, for an int8
 * output whose fused activation has an int8 range, the flat-run broadcast, the offsets and
 * the clamp, and the tensors into *a, *b, *out. Returns the op data when the caller may
 * set up its int8 path (and then sets `fast`); otherwise NULL with *st the status to
 * return (ENG_OK: the reference runs). */
static inline void *eng_opt_elementwise_prepare(eng_node_t *node, const eng_kernel_t *ref,
                                                size_t bytes, const eng_tensor_t **a,
                                                const eng_tensor_t **b, const eng_tensor_t **out,
                                                eng_status_t *st) {
  eng_opt_elementwise_t *ew = eng_opt_prepare_ref(node, ref, bytes, st);
  if (ew == NULL) {
    return NULL;
  }
  *a = eng_input(node, 0);
  *b = eng_input(node, 1);
  *out = eng_output(node, 0);
  if ((*out)->type != ENG_INT8) {
    return NULL;
  }
  eng_bcast_t full;
  if (eng_bcast_init(node, &full, *a, *b, *out) != ENG_OK) {
    *st = ENG_ERR_SHAPE; /* the reference's acceptance rules this out */
    return NULL;
  }
  eng_opt_bc_init(&ew->bc, &full);
  if (eng_activation_range_quantized(node->options->arith.activation, ENG_INT8, (*out)->scale,
                                     (*out)->zero_point, &ew->act_min, &ew->act_max) != ENG_OK) {
    return NULL;
  }
  ew->off1 = -(*a)->zero_point;
  ew->off2 = -(*b)->zero_point;
  ew->out_off = (*out)->zero_point;
  return ew;
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
