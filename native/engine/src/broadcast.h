/*
 * broadcast.h – NumPy-style broadcasting of two operands into an output (up to
 * ENG_MAX_DIMS), shared by the elementwise binary kernels (ADD, MUL, DIV, MINIMUM, ...).
 * Prepare calls eng_bcast_init (validates shapes); eval walks the output in row-major
 * order with eng_bcast_next, which keeps the two input element indices.
 */
#ifndef XSINFER_ENGINE_BROADCAST_H
#define XSINFER_ENGINE_BROADCAST_H

#include "kernel.h"

typedef struct eng_bcast {
  uint32_t rank;      /* output rank (≥ 1) */
  uint32_t count;     /* output elements */
  uint8_t same_shape; /* both inputs have the output's shape: index a = b = out */
  int32_t dims[ENG_MAX_DIMS];
  int32_t a_stride[ENG_MAX_DIMS]; /* 0 along broadcast dimensions */
  int32_t b_stride[ENG_MAX_DIMS];
} eng_bcast_t;

/* Fails with ENG_ERR_SHAPE (via eng_fail) when a and b do not broadcast to out. */
eng_status_t eng_bcast_init(eng_node_t *node, eng_bcast_t *bc, const eng_tensor_t *a,
                            const eng_tensor_t *b, const eng_tensor_t *out);

/* Prepare of a broadcasting binary op whose persistent op data starts with an eng_bcast_t:
 * inputs 0 and 1 and output 0 present and of one type, `bytes` of op data allocated and
 * its broadcast initialised. Returns the op data, or NULL with *st set (after eng_fail). */
void *eng_bcast_prepare(eng_node_t *node, size_t bytes, const eng_tensor_t **a,
                        const eng_tensor_t **b, const eng_tensor_t **out, eng_status_t *st);

/* What the int8 forms of the binary ops share: the inputs' offsets (their negated zero
 * points), the output's zero point and its fused activation's clamp. */
typedef struct eng_bcast_q8 {
  int32_t in1_offset, in2_offset, out_offset;
  int32_t act_min, act_max;
} eng_bcast_q8_t;

/* Prepare, int8: ENG_ERR_MALFORMED unless a, b and out are quantized, ENG_ERR_UNSUPPORTED_TYPE
 * when `act` has no int8 range (both via eng_fail); else fills *q. */
eng_status_t eng_bcast_q8_prepare(eng_node_t *node, const eng_tensor_t *a, const eng_tensor_t *b,
                                  const eng_tensor_t *out, eng_activation_t act, eng_bcast_q8_t *q);

/* The head of ADD's and MUL's op data (its first member): the broadcast, the int8
 * offsets and clamp, and the float32 clamp. */
typedef struct eng_bcast_arith {
  eng_bcast_t bc;
  eng_bcast_q8_t q;
  float fmin, fmax;
} eng_bcast_arith_t;

/* Prepare of ADD and MUL: eng_bcast_prepare of `bytes` of op data that start with an
 * eng_bcast_arith_t, then by output type: float32, the fused activation's clamp into
 * fmin/fmax; int8, eng_bcast_q8_prepare into q; int32, nothing more (each op clamps its
 * own way); any other type fails. Returns the op data, or NULL with *st set (after
 * eng_fail). */
void *eng_bcast_arith_prepare(eng_node_t *node, size_t bytes, const eng_tensor_t **a,
                              const eng_tensor_t **b, const eng_tensor_t **out, eng_status_t *st);

/* One element of ADD or MUL per output type; `d` is the op's data. */
typedef int8_t eng_arith_s8_fn(const void *d, int8_t x, int8_t y);
typedef int32_t eng_arith_i32_fn(const void *d, int32_t x, int32_t y);
typedef float eng_arith_f32_fn(const void *d, float x, float y);

/* b is one value against an a of the output's size (the audio tail's DIV, MINIMUM and
 * MAXIMUM): a loop without the broadcast walk. */
int eng_bcast_scalar_b(const eng_bcast_t *bc, const eng_tensor_t *a, const eng_tensor_t *b);

/* Iterator state for one pass over the output. */
typedef struct eng_bcast_iter {
  int32_t idx[ENG_MAX_DIMS];
  uint32_t ia, ib;
} eng_bcast_iter_t;

static inline void eng_bcast_begin(eng_bcast_iter_t *it) {
  for (uint32_t d = 0; d < ENG_MAX_DIMS; d++) {
    it->idx[d] = 0;
  }
  it->ia = 0;
  it->ib = 0;
}

/* Advance to the next output element (row-major). */
static inline void eng_bcast_next(const eng_bcast_t *bc, eng_bcast_iter_t *it) {
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

/* Eval of ADD and MUL: y = op(a, b) element by element along the broadcast walk, the op
 * picked by the output type (int8, int32, else float32). Always inlined with constant
 * ops, so each op is inlined into its own loop. */
static inline __attribute__((always_inline)) void eng_bcast_arith_eval(eng_node_t *node,
                                                                       eng_arith_s8_fn *s8,
                                                                       eng_arith_i32_fn *i32,
                                                                       eng_arith_f32_fn *f32) {
  const eng_bcast_arith_t *d = node->user_data;
  const eng_tensor_t *ta = eng_input(node, 0);
  const eng_tensor_t *tb = eng_input(node, 1);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t n = d->bc.count;
  eng_bcast_iter_t it;
  eng_bcast_begin(&it);
  switch (out->type) {
    case ENG_INT8: {
      const int8_t *a = ta->data, *b = tb->data;
      int8_t *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->bc, &it)) {
        y[i] = s8(d, a[it.ia], b[it.ib]);
      }
      break;
    }
    case ENG_INT32: {
      const int32_t *a = ta->data, *b = tb->data;
      int32_t *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->bc, &it)) {
        y[i] = i32(d, a[it.ia], b[it.ib]);
      }
      break;
    }
    default: {
      const float *a = ta->data, *b = tb->data;
      float *y = out->data;
      for (uint32_t i = 0; i < n; i++, eng_bcast_next(&d->bc, &it)) {
        y[i] = f32(d, a[it.ia], b[it.ib]);
      }
      break;
    }
  }
}

#endif
