/*
 * broadcast.h – NumPy-style broadcasting of two operands into an output (up to
 * XS_MAX_DIMS), shared by the elementwise binary kernels (ADD, MUL, DIV, MINIMUM, ...).
 * Prepare calls xs_bcast_init (validates shapes); eval walks the output in row-major
 * order with xs_bcast_next, which keeps the two input element indices.
 */
#ifndef XSINFER_ENGINE_BROADCAST_H
#define XSINFER_ENGINE_BROADCAST_H

#include "kernel.h"

typedef struct xs_bcast {
  uint32_t rank;       /* output rank (≥ 1) */
  uint32_t count;      /* output elements */
  uint8_t same_shape;  /* both inputs have the output's shape: index a = b = out */
  int32_t dims[XS_MAX_DIMS];
  int32_t a_stride[XS_MAX_DIMS]; /* 0 along broadcast dimensions */
  int32_t b_stride[XS_MAX_DIMS];
} xs_bcast_t;

/* Fails with XS_ERR_SHAPE (via xs_fail) when a and b do not broadcast to out. */
xs_status_t xs_bcast_init(xs_node_t *node, xs_bcast_t *bc, const xs_tensor_t *a,
                          const xs_tensor_t *b, const xs_tensor_t *out);

/* Prepare of a broadcasting binary op whose persistent op data starts with an xs_bcast_t:
 * inputs 0 and 1 and output 0 present and of one type, `bytes` of op data allocated and
 * its broadcast initialised. Returns the op data, or NULL with *st set (after xs_fail). */
void *xs_bcast_prepare(xs_node_t *node, size_t bytes, const xs_tensor_t **a, const xs_tensor_t **b,
                       const xs_tensor_t **out, xs_status_t *st);

/* Iterator state for one pass over the output. */
typedef struct xs_bcast_iter {
  int32_t idx[XS_MAX_DIMS];
  uint32_t ia, ib;
} xs_bcast_iter_t;

static inline void xs_bcast_begin(xs_bcast_iter_t *it) {
  for (uint32_t d = 0; d < XS_MAX_DIMS; d++) {
    it->idx[d] = 0;
  }
  it->ia = 0;
  it->ib = 0;
}

/* Advance to the next output element (row-major). */
static inline void xs_bcast_next(const xs_bcast_t *bc, xs_bcast_iter_t *it) {
  for (int32_t d = (int32_t)bc->rank - 1; d >= 0; d--) {
    it->idx[d]++;
    it->ia += (uint32_t)bc->a_stride[d];
    it->ib += (uint32_t)bc->b_stride[d];
    if (it->idx[d] < bc->dims[d]) {
      return;
    }
    it->ia -= (uint32_t)(bc->a_stride[d] * bc->dims[d]);
    it->ib -= (uint32_t)(bc->b_stride[d] * bc->dims[d]);
    it->idx[d] = 0;
  }
}

#endif
