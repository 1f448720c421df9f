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
  PATH_COPY, /* same width integers (int32 <-> uint32, ...) or same type */
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

static int supported(eng_type_t t) {
  switch (t) {
    case ENG_BOOL:
    case ENG_UINT8:
    case ENG_INT8:
    case ENG_INT16:
    case ENG_UINT16:
    case ENG_INT32:
    case ENG_UINT32:
    case ENG_INT64:
    case ENG_UINT64:
    case ENG_FLOAT32:
    case ENG_FLOAT64: return 1;
    default: return 0;
  }
}

static int is_integer(eng_type_t t) {
  return supported(t) && t != ENG_BOOL && t != ENG_FLOAT32 && t != ENG_FLOAT64;
}

static int is_unsigned(eng_type_t t) {
  return t == ENG_UINT8 || t == ENG_UINT16 || t == ENG_UINT32 || t == ENG_UINT64;
}

/* Integers are read as little-endian bytes, as store() writes them (both targets are
 * little-endian), and sign-extended from their width unless unsigned; bool is 0 or 1. */
static cast_value_t load(eng_type_t t, const uint8_t *p) {
  cast_value_t v = {0, 0, 0, 0.0};
  if (t == ENG_FLOAT32) {
    float x;
    memcpy(&x, p, 4);
    v.f = x;
    v.is_float = 1;
    return v;
  }
  if (t == ENG_FLOAT64) {
    memcpy(&v.f, p, 8);
    v.is_float = 1;
    return v;
  }
  const uint32_t size = eng_type_size(t);
  for (uint32_t i = 0; i < size; ++i) {
    v.bits |= (uint64_t)p[i] << (8 * i);
  }
  if (t == ENG_BOOL) {
    v.bits = v.bits != 0;
    v.is_unsigned = 1;
  } else if (is_unsigned(t)) {
    v.is_unsigned = 1;
  } else if (size < 8) {
    const uint64_t sign = (uint64_t)1 << (8 * size - 1);
    v.bits = (v.bits ^ sign) - sign;
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

static void store(eng_type_t t, uint8_t *p, cast_value_t v) {
  if (t == ENG_FLOAT32 || t == ENG_FLOAT64) {
    double f = v.is_float ? v.f : (v.is_unsigned ? (double)v.bits : (double)(int64_t)v.bits);
    if (t == ENG_FLOAT32) {
      /* int32 -> float rounds once in C; going through double could round twice. */
      float x = v.is_float ? (float)v.f : (v.is_unsigned ? (float)v.bits : (float)(int64_t)v.bits);
      memcpy(p, &x, 4);
    } else {
      memcpy(p, &f, 8);
    }
    return;
  }
  if (t == ENG_BOOL) {
    p[0] = v.is_float ? v.f != 0.0 : v.bits != 0;
    return;
  }
  const uint64_t bits = v.is_float ? float_to_bits(v.f, is_unsigned(t)) : v.bits;
  /* little-endian truncation to the target width = C's modulo conversion */
  const uint32_t size = eng_type_size(t);
  for (uint32_t i = 0; i < size; ++i) {
    p[i] = (uint8_t)(bits >> (8 * i));
  }
}

static eng_status_t cast_prepare(eng_node_t *node) {
  if (eng_num_inputs(node) != 1 || eng_num_outputs(node) != 1) {
    return eng_fail(node, ENG_ERR_SHAPE, "expects 1 input and 1 output");
  }
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *out = eng_output(node, 0);
  if (in == NULL || out == NULL) {
    return eng_fail(node, ENG_ERR_SHAPE, "missing input or output");
  }
  const eng_type_t it = (eng_type_t)in->type, ot = (eng_type_t)out->type;
  if (!supported(it) || !supported(ot)) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "%s to %s", eng_type_name(it),
                    eng_type_name(ot));
  }
  if (eng_tensor_elements(in) != eng_tensor_elements(out)) {
    return eng_fail(node, ENG_ERR_SHAPE, "input has %u elements, output %u",
                    eng_tensor_elements(in), eng_tensor_elements(out));
  }
  cast_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  d->in_type = (uint8_t)it;
  d->out_type = (uint8_t)ot;
  d->count = eng_tensor_elements(out);
  if (it == ot || (is_integer(it) && is_integer(ot) && eng_type_size(it) == eng_type_size(ot))) {
    d->path = PATH_COPY;
  } else if (it == ENG_INT16 && ot == ENG_INT32) {
    d->path = PATH_I16_TO_I32;
  } else if (it == ENG_INT32 && ot == ENG_INT8) {
    d->path = PATH_I32_TO_I8;
  } else if (it == ENG_INT16 && ot == ENG_FLOAT32) {
    d->path = PATH_I16_TO_F32;
  } else if (it == ENG_INT32 && ot == ENG_FLOAT32) {
    d->path = PATH_I32_TO_F32;
  } else {
    d->path = PATH_GENERIC;
  }
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t cast_eval(eng_node_t *node) {
  const cast_data_t *d = node->user_data;
  const eng_tensor_t *in = eng_input(node, 0);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t n = d->count;
  switch ((cast_path_t)d->path) {
    case PATH_COPY:
      if (out->data != in->data) {
        memcpy(out->data, in->data, (size_t)n * eng_type_size((eng_type_t)d->in_type));
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
      const uint32_t isz = eng_type_size((eng_type_t)d->in_type);
      const uint32_t osz = eng_type_size((eng_type_t)d->out_type);
      const uint8_t *x = in->data;
      uint8_t *y = out->data;
      for (uint32_t i = 0; i < n; ++i) {
        store((eng_type_t)d->out_type, y + (size_t)i * osz,
              load((eng_type_t)d->in_type, x + (size_t)i * isz));
      }
      break;
    }
  }
  return ENG_OK;
}

static eng_status_t parse_cast_options(eng_node_t *node, eng_options_reader_t *r,
                                       eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 37); /* CastOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->cast.in_type = eng_option_i8(r, 0, -1);
  o->cast.out_type = eng_option_i8(r, 1, -1);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_cast_ref = {ENG_OP_CAST, NULL, parse_cast_options, cast_prepare,
                                          cast_eval};
