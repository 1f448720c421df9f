/*
 * maximum_minimum.c – MAXIMUM and MINIMUM, element-wise with broadcasting, TFLM reference
 * semantics: raw values compared (no requantization), `a > b ? a : b` / `a < b ? a : b`
 * (so a NaN in input 2 wins), for float32, int8, uint8, int16, int32 and int64.
 */
#include "broadcast.h"
#include "kernel.h"

typedef struct {
  xs_bcast_t bcast;
  uint8_t type;
  uint8_t scalar2;
} maxmin_data_t;

static xs_status_t maxmin_prepare(xs_node_t *node) {
  if (xs_num_inputs(node) != 2 || xs_num_outputs(node) != 1) {
    return xs_fail(node, XS_ERR_SHAPE, "expects 2 inputs and 1 output");
  }
  const xs_tensor_t *a = xs_input(node, 0);
  const xs_tensor_t *b = xs_input(node, 1);
  const xs_tensor_t *out = xs_output(node, 0);
  if (a == NULL || b == NULL || out == NULL) {
    return xs_fail(node, XS_ERR_SHAPE, "missing input or output");
  }
  switch (out->type) {
    case XS_FLOAT32: case XS_INT8: case XS_UINT8: case XS_INT16: case XS_INT32: case XS_INT64:
      break;
    default:
      return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "type %s", xs_type_name((xs_type_t)out->type));
  }
  if (a->type != out->type || b->type != out->type) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "inputs %s, %s must match output %s",
                   xs_type_name((xs_type_t)a->type), xs_type_name((xs_type_t)b->type),
                   xs_type_name((xs_type_t)out->type));
  }
  maxmin_data_t *d = xs_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return xs_fail(node, XS_ERR_ARENA, "op data");
  }
  xs_status_t st = xs_bcast_init(node, &d->bcast, a, b, out);
  if (st != XS_OK) {
    return st;
  }
  /* input 2 a single value against a full-size input 1 (the audio tail's case) */
  d->scalar2 = !d->bcast.same_shape && xs_tensor_elements(b) == 1 &&
               xs_tensor_elements(a) == d->bcast.count;
  d->type = out->type;
  node->user_data = d;
  return XS_OK;
}

/* One loop per type and direction; `GT` selects maximum (1) or minimum (0). */
#define MAXMIN_LOOP(T, GT)                                                                   \
  do {                                                                                       \
    const T *x = a;                                                                          \
    const T *y = b;                                                                          \
    T *z = out;                                                                              \
    if (p->same_shape) {                                                                     \
      for (uint32_t i = 0; i < p->count; ++i)                                                \
        z[i] = (GT) ? (x[i] > y[i] ? x[i] : y[i]) : (x[i] < y[i] ? x[i] : y[i]);             \
    } else if (d->scalar2) {                                                             \
      const T s = y[0];                                                                      \
      for (uint32_t i = 0; i < p->count; ++i)                                                \
        z[i] = (GT) ? (x[i] > s ? x[i] : s) : (x[i] < s ? x[i] : s);                         \
    } else {                                                                                 \
      xs_bcast_iter_t it;                                                                    \
      xs_bcast_begin(&it);                                                                   \
      for (uint32_t i = 0; i < p->count; ++i) {                                              \
        const T u = x[it.ia], v = y[it.ib];                                              \
        z[i] = (GT) ? (u > v ? u : v) : (u < v ? u : v);                                     \
        xs_bcast_next(p, &it);                                                               \
      }                                                                                      \
    }                                                                                        \
  } while (0)

static void maxmin_run(const maxmin_data_t *d, const void *a, const void *b, void *out,
                       int is_max) {
  const xs_bcast_t *p = &d->bcast;
  switch (d->type) {
    case XS_FLOAT32:
      if (is_max) MAXMIN_LOOP(float, 1); else MAXMIN_LOOP(float, 0);
      break;
    case XS_INT8:
      if (is_max) MAXMIN_LOOP(int8_t, 1); else MAXMIN_LOOP(int8_t, 0);
      break;
    case XS_UINT8:
      if (is_max) MAXMIN_LOOP(uint8_t, 1); else MAXMIN_LOOP(uint8_t, 0);
      break;
    case XS_INT16:
      if (is_max) MAXMIN_LOOP(int16_t, 1); else MAXMIN_LOOP(int16_t, 0);
      break;
    case XS_INT32:
      if (is_max) MAXMIN_LOOP(int32_t, 1); else MAXMIN_LOOP(int32_t, 0);
      break;
    default: /* XS_INT64, the only other type prepare accepts */
      if (is_max) MAXMIN_LOOP(int64_t, 1); else MAXMIN_LOOP(int64_t, 0);
      break;
  }
}

static xs_status_t maximum_eval(xs_node_t *node) {
  maxmin_run(node->user_data, xs_input(node, 0)->data, xs_input(node, 1)->data,
             xs_output(node, 0)->data, 1);
  return XS_OK;
}

static xs_status_t minimum_eval(xs_node_t *node) {
  maxmin_run(node->user_data, xs_input(node, 0)->data, xs_input(node, 1)->data,
             xs_output(node, 0)->data, 0);
  return XS_OK;
}

const xs_kernel_t xs_kernel_maximum_ref = {XS_OP_MAXIMUM, NULL, maxmin_prepare, maximum_eval};
const xs_kernel_t xs_kernel_minimum_ref = {XS_OP_MINIMUM, NULL, maxmin_prepare, minimum_eval};
