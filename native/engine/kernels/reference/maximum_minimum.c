/*
 * maximum_minimum.c – MAXIMUM and MINIMUM, element-wise with broadcasting, TFLM reference
 * semantics: raw values compared (no requantization), `a > b ? a : b` / `a < b ? a : b`
 * (so a NaN in input 2 wins), for float32, int8, uint8, int16, int32 and int64.
 */
#include <stddef.h>

#include "broadcast.h"
#include "kernel.h"

typedef struct {
  eng_bcast_t bcast;
  uint8_t type;
  uint8_t scalar2; /* eng_bcast_scalar_b */
} maxmin_data_t;
_Static_assert(offsetof(maxmin_data_t, bcast) == 0,
               "eng_bcast_prepare initialises the first member");

static eng_status_t maxmin_prepare(eng_node_t *node) {
  if (eng_num_inputs(node) != 2 || eng_num_outputs(node) != 1) {
    return eng_fail(node, ENG_ERR_SHAPE, "expects 2 inputs and 1 output");
  }
  const eng_tensor_t *a, *b, *out;
  eng_status_t st;
  maxmin_data_t *d = eng_bcast_prepare(node, sizeof *d, &a, &b, &out, &st);
  if (d == NULL) {
    return st;
  }
  switch (out->type) {
    case ENG_FLOAT32:
    case ENG_INT8:
    case ENG_UINT8:
    case ENG_INT16:
    case ENG_INT32:
    case ENG_INT64: break;
    default: return eng_fail_type(node, out);
  }
  d->type = out->type;
  d->scalar2 = (uint8_t)eng_bcast_scalar_b(&d->bcast, a, b);
  node->user_data = d;
  return ENG_OK;
}

/* One loop per type and direction; `GT` selects maximum (1) or minimum (0). */
#define MAXMIN_LOOP(T, GT)                                                       \
  do {                                                                           \
    const T *x = a;                                                              \
    const T *y = b;                                                              \
    T *z = out;                                                                  \
    if (p->same_shape) {                                                         \
      for (uint32_t i = 0; i < p->count; ++i)                                    \
        z[i] = (GT) ? (x[i] > y[i] ? x[i] : y[i]) : (x[i] < y[i] ? x[i] : y[i]); \
    } else if (d->scalar2) {                                                     \
      const T s = y[0];                                                          \
      for (uint32_t i = 0; i < p->count; ++i)                                    \
        z[i] = (GT) ? (x[i] > s ? x[i] : s) : (x[i] < s ? x[i] : s);             \
    } else {                                                                     \
      eng_bcast_iter_t it;                                                       \
      eng_bcast_begin(&it);                                                      \
      for (uint32_t i = 0; i < p->count; ++i) {                                  \
        const T u = x[it.ia], v = y[it.ib];                                      \
        z[i] = (GT) ? (u > v ? u : v) : (u < v ? u : v);                         \
        eng_bcast_next(p, &it);                                                  \
      }                                                                          \
    }                                                                            \
  } while (0)

static void maxmin_run(const maxmin_data_t *d, const void *a, const void *b, void *out,
                       int is_max) {
  const eng_bcast_t *p = &d->bcast;
  switch (d->type) {
    case ENG_FLOAT32:
      if (is_max)
        MAXMIN_LOOP(float, 1);
      else
        MAXMIN_LOOP(float, 0);
      break;
    case ENG_INT8:
      if (is_max)
        MAXMIN_LOOP(int8_t, 1);
      else
        MAXMIN_LOOP(int8_t, 0);
      break;
    case ENG_UINT8:
      if (is_max)
        MAXMIN_LOOP(uint8_t, 1);
      else
        MAXMIN_LOOP(uint8_t, 0);
      break;
    case ENG_INT16:
      if (is_max)
        MAXMIN_LOOP(int16_t, 1);
      else
        MAXMIN_LOOP(int16_t, 0);
      break;
    case ENG_INT32:
      if (is_max)
        MAXMIN_LOOP(int32_t, 1);
      else
        MAXMIN_LOOP(int32_t, 0);
      break;
    default: /* ENG_INT64, the only other type prepare accepts */
      if (is_max)
        MAXMIN_LOOP(int64_t, 1);
      else
        MAXMIN_LOOP(int64_t, 0);
      break;
  }
}

static eng_status_t maximum_eval(eng_node_t *node) {
  maxmin_run(node->user_data, eng_input(node, 0)->data, eng_input(node, 1)->data,
             eng_output(node, 0)->data, 1);
  return ENG_OK;
}

static eng_status_t minimum_eval(eng_node_t *node) {
  maxmin_run(node->user_data, eng_input(node, 0)->data, eng_input(node, 1)->data,
             eng_output(node, 0)->data, 0);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_maximum_ref = {ENG_OP_MAXIMUM, NULL, NULL, maxmin_prepare,
                                             maximum_eval};
const eng_kernel_t eng_kernel_minimum_ref = {ENG_OP_MINIMUM, NULL, NULL, maxmin_prepare,
                                             minimum_eval};
