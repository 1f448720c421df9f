/*
 * flexbuffer.h – a small, bounds-checked reader for FlexBuffers, the schemaless encoding of
 * custom-op options (`custom_options`) in .tflite models.
 *
 * Contract
 * - Read-only and zero-copy over untrusted bytes: every offset, width and length is
 *   checked against the buffer before it is dereferenced; malformed input yields
 *   ENG_FLEX_MALFORMED, never a read outside [buf, buf + len).
 * - Supported: a root map (what custom options are); inline and indirect ints, uints,
 *   floats and bools; maps (lookup by key); untyped vectors, typed vectors
 *   (VECTOR_INT/UINT/FLOAT/BOOL) and fixed typed vectors (2/3/4 elements). Strings and
 *   blobs are recognised but have no accessors (no op needs them).
 * - Conversions follow flexbuffers' As*() rules where an op could rely on them: ints,
 *   uints and bools convert to each other, floats truncate toward zero (saturating).
 * - No allocation; values are small structs the caller keeps on its stack.
 */
#ifndef XSINFER_ENGINE_FLEXBUFFER_H
#define XSINFER_ENGINE_FLEXBUFFER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum eng_flex_status {
  ENG_FLEX_OK = 0,
  ENG_FLEX_NOT_FOUND = 1, /* key absent / index out of range */
  ENG_FLEX_TYPE = 2,      /* value exists but is not convertible to what was asked */
  ENG_FLEX_MALFORMED = 3  /* bytes violate the format (or point outside the buffer) */
} eng_flex_status_t;

/* FlexBuffers value types (the format's numbering). */
enum {
  ENG_FLEX_NULL = 0,
  ENG_FLEX_INT = 1,
  ENG_FLEX_UINT = 2,
  ENG_FLEX_FLOAT = 3,
  ENG_FLEX_KEY = 4,
  ENG_FLEX_STRING = 5,
  ENG_FLEX_INDIRECT_INT = 6,
  ENG_FLEX_INDIRECT_UINT = 7,
  ENG_FLEX_INDIRECT_FLOAT = 8,
  ENG_FLEX_MAP = 9,
  ENG_FLEX_VECTOR = 10,
  ENG_FLEX_VECTOR_INT = 11,
  ENG_FLEX_VECTOR_UINT = 12,
  ENG_FLEX_VECTOR_FLOAT = 13,
  ENG_FLEX_VECTOR_KEY = 14,
  ENG_FLEX_VECTOR_STRING_DEPRECATED = 15,
  ENG_FLEX_VECTOR_INT2 = 16,
  ENG_FLEX_VECTOR_UINT2 = 17,
  ENG_FLEX_VECTOR_FLOAT2 = 18,
  ENG_FLEX_VECTOR_INT3 = 19,
  ENG_FLEX_VECTOR_UINT3 = 20,
  ENG_FLEX_VECTOR_FLOAT3 = 21,
  ENG_FLEX_VECTOR_INT4 = 22,
  ENG_FLEX_VECTOR_UINT4 = 23,
  ENG_FLEX_VECTOR_FLOAT4 = 24,
  ENG_FLEX_BLOB = 25,
  ENG_FLEX_BOOL = 26,
  ENG_FLEX_VECTOR_BOOL = 36
};

/* One value: where its slot is and how to read it. For inline scalars `pos` is the slot
 * (read with `width` bytes = the parent's width); for everything else `pos` is the start
 * of the pointed-to data and `width` its element width. */
typedef struct eng_flex_value {
  const uint8_t *buf;
  uint32_t len;
  uint32_t pos;
  uint8_t type;
  uint8_t width;
} eng_flex_value_t;

/* The root value of a FlexBuffer. */
eng_flex_status_t eng_flex_root(const uint8_t *buf, size_t len, eng_flex_value_t *out);

/* Elements of a map or any vector kind (typed, fixed, untyped). */
eng_flex_status_t eng_flex_size(const eng_flex_value_t *v, uint32_t *size);

/* Map lookup by exact key (NUL-terminated). */
eng_flex_status_t eng_flex_map_get(const eng_flex_value_t *map, const char *key,
                                   eng_flex_value_t *out);
/* Element i of a map (in key order) or of any vector kind. */
eng_flex_status_t eng_flex_at(const eng_flex_value_t *v, uint32_t i, eng_flex_value_t *out);

/* Scalar conversions. */
eng_flex_status_t eng_flex_as_int64(const eng_flex_value_t *v, int64_t *out);
eng_flex_status_t eng_flex_as_double(const eng_flex_value_t *v, double *out);
eng_flex_status_t eng_flex_as_bool(const eng_flex_value_t *v, int *out);

/* Convenience for op options: map[key] as an int32 within [min, max]. ENG_FLEX_TYPE when
 * the value is out of that range or not numeric. */
eng_flex_status_t eng_flex_map_int32(const eng_flex_value_t *map, const char *key, int32_t min,
                                     int32_t max, int32_t *out);
eng_flex_status_t eng_flex_map_bool(const eng_flex_value_t *map, const char *key, int *out);

/* Short English name of a status ("malformed", ...). */
const char *eng_flex_status_name(eng_flex_status_t s);

#ifdef __cplusplus
}
#endif

#endif
