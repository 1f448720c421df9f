/*
 * cast.c – CAST between bool, int8/16/32/64, uint8/16/32/64 and float32/64 with C
 * conversion semantics (integers wrap modulo 2^n, floats truncate toward zero), as TFLM's
 * static_cast does; the pairs the audio front end uses get direct loops.
 */
#include <string.h>

#include "kernel.h"

/* A value in transit: integers as two's-complement 64-bit patterns plus signedness,
 * floats as double. */
typedef struct {
  int is_float;
  int is_unsigned;
  uint64_t bits;
  double f;
} cast_value_t;

typedef enum {
  PATH_GENERIC = 0,
  PATH_COPY,        /* same width integers (int32 <-> uint32, ...) or same type */
  PATH_I16_TO_I32,
  PATH_I32_TO_I8,
  PATH_I16_TO_F32,
  PATH_I32_TO_F32
} cast_path_t;

typedef struct {
  uint8_t in_type, out_type;
  uint8_t path;
  uint32_t count;
} cast_data_t;

static int supported(xs_type_t t) {
  switch (t) {
    case XS_BOOL: case XS_UINT8: case XS_INT8: case XS_INT16: case XS_UINT16: case XS_INT32:
    case XS_UINT32: case XS_INT64: case XS_UINT64: case XS_FLOAT32: case XS_FLOAT64:
      return 1;
    default:
      return 0;
  }
}

static int is_integer(xs_type_t t) {
  return supported(t) && t != XS_BOOL && t != XS_FLOAT32 && t != XS_FLOAT64;
}

static cast_value_t load(xs_type_t t, const uint8_t *p) {
  cast_value_t v = {0, 0, 0, 0.0};
  switch (t) {
    case XS_BOOL: v.bits = p[0] != 0; v.is_unsigned = 1; break;
    case XS_UINT8: v.bits = p[0]; v.is_unsigned = 1; break;
    case XS_INT8: { int8_t x; memcpy(&x, p, 1); v.bits = (uint64_t)(int64_t)x; break; }
    case XS_INT16: { int16_t x; memcpy(&x, p, 2); v.bits = (uint64_t)(int64_t)x; break; }
    case XS_UINT16: { uint16_t x; memcpy(&x, p, 2); v.bits = x; v.is_unsigned = 1; break; }
    case XS_INT32: { int32_t x; memcpy(&x, p, 4); v.bits = (uint64_t)(int64_t)x; break; }
    case XS_UINT32: { uint32_t x; memcpy(&x, p, 4); v.bits = x; v.is_unsigned = 1; break; }
    case XS_INT64: { int64_t x; memcpy(&x, p, 8); v.bits = (uint64_t)x; break; }
    case XS_UINT64: { memcpy(&v.bits, p, 8); v.is_unsigned = 1; break; }
    case XS_FLOAT32: { float x; memcpy(&x, p, 4); v.f = x; v.is_float = 1; break; }
    default: { memcpy(&v.f, p, 8); v.is_float = 1; break; } /* XS_FLOAT64 */
  }
  return v;
}

/* Float to integer: truncate toward zero; out of range (undefined in C) saturates to the
 * 64-bit range and then wraps to the target like any integer, NaN gives 0. */
static uint64_t float_to_bits(double f, int target_unsigned) {
  if (!(f == f)) {
    return 0;
  }
  if (target_unsigned && f >= 0.0) {
    return f >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)f;
  }
  if (f >= 9223372036854775807.0) return (uint64_t)INT64_MAX;
  if (f <= -9223372036854775808.0) return (uint64_t)INT64_MIN;
  return (uint64_t)(int64_t)f;
}

static void store(xs_type_t t, uint8_t *p, cast_value_t v) {
  if (t == XS_FLOAT32 || t == XS_FLOAT64) {
    double f = v.is_float ? v.f
                          : (v.is_unsigned ? (double)v.bits : (double)(int64_t)v.bits);
    if (t == XS_FLOAT32) {
      /* int32 -> float rounds once in C; going through double could round twice. */
      float x = v.is_float ? (float)v.f
                           : (v.is_unsigned ? (float)v.bits : (float)(int64_t)v.bits);
      memcpy(p, &x, 4);
    } else {
      memcpy(p, &f, 8);
    }
    return;
  }
  if (t == XS_BOOL) {
    p[0] = v.is_float ? v.f != 0.0 : v.bits != 0;
    return;
  }
  const int target_unsigned = t == XS_UINT8 || t == XS_UINT16 || t == XS_UINT32 || t == XS_UINT64;
  const uint64_t bits = v.is_float ? float_to_bits(v.f, target_unsigned) : v.bits;
  /* little-endian truncation to the target width = C's modulo conversion */
  const uint32_t size = xs_type_size(t);
  for (uint32_t i = 0; i < size; ++i) {
    p[i] = (uint8_t)(bits >> (8 * i));
  }
}

static xs_status_t cast_prepare(xs_node_t *node) {
  if (xs_num_inputs(node) != 1 || xs_num_outputs(node) != 1) {
    return xs_fail(node, XS_ERR_SHAPE, "expects 1 input and 1 output");
  }
  const xs_tensor_t *in = xs_input(node, 0);
  const xs_tensor_t *out = xs_output(node, 0);
  if (in == NULL || out == NULL) {
    return xs_fail(node, XS_ERR_SHAPE, "missing input or output");
  }
  const xs_type_t it = (xs_type_t)in->type, ot = (xs_type_t)out->type;
  if (!supported(it) || !supported(ot)) {
    return xs_fail(node, XS_ERR_UNSUPPORTED_TYPE, "%s to %s", xs_type_name(it),
                   xs_type_name(ot));
  }
  if (xs_tensor_elements(in) != xs_tensor_elements(out)) {
    return xs_fail(node, XS_ERR_SHAPE, "input has %u elements, output %u",
                   xs_tensor_elements(in), xs_tensor_elements(out));
  }
  cast_data_t *d = xs_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return xs_fail(node, XS_ERR_ARENA, "op data");
  }
  d->in_type = (uint8_t)it;
  d->out_type = (uint8_t)ot;
  d->count = xs_tensor_elements(out);
  if (it == ot || (is_integer(it) && is_integer(ot) && xs_type_size(it) == xs_type_size(ot))) {
    d->path = PATH_COPY;
  } else if (it == XS_INT16 && ot == XS_INT32) {
    d->path = PATH_I16_TO_I32;
  } else if (it == XS_INT32 && ot == XS_INT8) {
    d->path = PATH_I32_TO_I8;
  } else if (it == XS_INT16 && ot == XS_FLOAT32) {
    d->path = PATH_I16_TO_F32;
  } else if (it == XS_INT32 && ot == XS_FLOAT32) {
    d->path = PATH_I32_TO_F32;
  } else {
    d->path = PATH_GENERIC;
  }
  node->user_data = d;
  return XS_OK;
}

static xs_status_t cast_eval(xs_node_t *node) {
  const cast_data_t *d = node->user_data;
  const xs_tensor_t *in = xs_input(node, 0);
  xs_tensor_t *out = xs_output(node, 0);
  const uint32_t n = d->count;
  switch ((cast_path_t)d->path) {
    case PATH_COPY:
      if (out->data != in->data) {
        memcpy(out->data, in->data, (size_t)n * xs_type_size((xs_type_t)d->in_type));
      }
      break;
    case PATH_I16_TO_I32: {
      const int16_t *x = in->data;
      int32_t *y = out->data;
      for (uint32_t i = 0; i < n; ++i) y[i] = x[i];
      break;
    }
    case PATH_I32_TO_I8: {
      const int32_t *x = in->data;
      int8_t *y = out->data;
      for (uint32_t i = 0; i < n; ++i) y[i] = (int8_t)(uint8_t)((uint32_t)x[i] & 0xFFu);
      break;
    }
    case PATH_I16_TO_F32: {
      const int16_t *x = in->data;
      float *y = out->data;
      for (uint32_t i = 0; i < n; ++i) y[i] = (float)x[i];
      break;
    }
    case PATH_I32_TO_F32: {
      const int32_t *x = in->data;
      float *y = out->data;
      for (uint32_t i = 0; i < n; ++i) y[i] = (float)x[i];
      break;
    }
    default: {
      const uint32_t isz = xs_type_size((xs_type_t)d->in_type);
      const uint32_t osz = xs_type_size((xs_type_t)d->out_type);
      const uint8_t *x = in->data;
      uint8_t *y = out->data;
      for (uint32_t i = 0; i < n; ++i) {
        store((xs_type_t)d->out_type, y + (size_t)i * osz,
              load((xs_type_t)d->in_type, x + (size_t)i * isz));
      }
      break;
    }
  }
  return XS_OK;
}

const xs_kernel_t xs_kernel_cast_ref = {XS_OP_CAST, NULL, cast_prepare, cast_eval};
