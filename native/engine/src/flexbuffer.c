/*
 * flexbuffer.c – bounds-checked FlexBuffers reader for custom-op options (see
 * flexbuffer.h for what is supported). Every position is computed in 64 bits and checked
 * against the buffer length before any byte is read.
 */
#include "flexbuffer.h"

#include <string.h>

static int valid_width(uint64_t w) {
  return w == 1 || w == 2 || w == 4 || w == 8;
}

static int fits(const eng_flex_value_t *v, uint64_t pos, uint64_t n) {
  return pos <= v->len && n <= (uint64_t)v->len - pos;
}

static uint64_t read_u(const uint8_t *p, uint32_t width) {
  uint64_t x = 0;
  for (uint32_t i = width; i-- > 0;) {
    x = (x << 8) | p[i];
  }
  return x;
}

static int64_t read_i(const uint8_t *p, uint32_t width) {
  const uint64_t u = read_u(p, width);
  if (width == 8) {
    return (int64_t)u;
  }
  const uint64_t sign = (uint64_t)1 << (width * 8 - 1);
  return (int64_t)((u ^ sign) - sign); /* sign-extend without implementation-defined casts */
}

static int is_inline(uint8_t type) {
  return type == ENG_FLEX_NULL || type == ENG_FLEX_INT || type == ENG_FLEX_UINT ||
         type == ENG_FLEX_FLOAT || type == ENG_FLEX_BOOL;
}

static int known_type(uint8_t type) {
  return type <= ENG_FLEX_BOOL || type == ENG_FLEX_VECTOR_BOOL;
}

/* The value stored in the slot at `slot` (parent element width `pw`) with packed type
 * byte `packed`: inline scalars stay at the slot, others follow the backward offset. */
static eng_flex_status_t resolve(const eng_flex_value_t *ctx, uint64_t slot, uint32_t pw,
                                 uint8_t packed, eng_flex_value_t *out) {
  const uint8_t type = (uint8_t)(packed >> 2);
  if (!known_type(type) || !fits(ctx, slot, pw)) {
    return ENG_FLEX_MALFORMED;
  }
  out->buf = ctx->buf;
  out->len = ctx->len;
  out->type = type;
  if (is_inline(type)) {
    out->pos = (uint32_t)slot;
    out->width = (uint8_t)pw;
    return ENG_FLEX_OK;
  }
  const uint64_t off = read_u(ctx->buf + slot, pw);
  if (off > slot) {
    return ENG_FLEX_MALFORMED;
  }
  out->pos = (uint32_t)(slot - off);
  out->width = (uint8_t)(1u << (packed & 3u));
  return ENG_FLEX_OK;
}

eng_flex_status_t eng_flex_root(const uint8_t *buf, size_t len, eng_flex_value_t *out) {
  if (buf == NULL || out == NULL || len < 3 || len > UINT32_MAX) {
    return ENG_FLEX_MALFORMED;
  }
  const uint32_t rw = buf[len - 1];
  if (!valid_width(rw) || len < 2u + rw) {
    return ENG_FLEX_MALFORMED;
  }
  const eng_flex_value_t ctx = {buf, (uint32_t)len, 0, 0, 0};
  return resolve(&ctx, len - 2 - rw, rw, buf[len - 2], out);
}

static int is_typed_vector(uint8_t type) {
  return (type >= ENG_FLEX_VECTOR_INT && type <= ENG_FLEX_VECTOR_STRING_DEPRECATED) ||
         type == ENG_FLEX_VECTOR_BOOL;
}

static int fixed_count(uint8_t type) {
  if (type >= ENG_FLEX_VECTOR_INT2 && type <= ENG_FLEX_VECTOR_FLOAT2) return 2;
  if (type >= ENG_FLEX_VECTOR_INT3 && type <= ENG_FLEX_VECTOR_FLOAT3) return 3;
  if (type >= ENG_FLEX_VECTOR_INT4 && type <= ENG_FLEX_VECTOR_FLOAT4) return 4;
  return 0;
}

/* Element type of a typed or fixed vector. */
static uint8_t element_type(uint8_t type) {
  if (type == ENG_FLEX_VECTOR_BOOL) return ENG_FLEX_BOOL;
  if (is_typed_vector(type)) {
    return type == ENG_FLEX_VECTOR_STRING_DEPRECATED
               ? ENG_FLEX_STRING
               : (uint8_t)(type - ENG_FLEX_VECTOR_INT + ENG_FLEX_INT);
  }
  const int n = fixed_count(type);
  if (n == 2) return (uint8_t)(type - ENG_FLEX_VECTOR_INT2 + ENG_FLEX_INT);
  if (n == 3) return (uint8_t)(type - ENG_FLEX_VECTOR_INT3 + ENG_FLEX_INT);
  return (uint8_t)(type - ENG_FLEX_VECTOR_INT4 + ENG_FLEX_INT);
}

eng_flex_status_t eng_flex_size(const eng_flex_value_t *v, uint32_t *size) {
  const uint32_t w = v->width;
  const int fixed = fixed_count(v->type);
  if (fixed) {
    if (!valid_width(w) || !fits(v, v->pos, (uint64_t)fixed * w)) {
      return ENG_FLEX_MALFORMED;
    }
    *size = (uint32_t)fixed;
    return ENG_FLEX_OK;
  }
  const int untyped = v->type == ENG_FLEX_MAP || v->type == ENG_FLEX_VECTOR;
  if (!untyped && !is_typed_vector(v->type)) {
    return ENG_FLEX_TYPE;
  }
  if (!valid_width(w) || v->pos < w || !fits(v, v->pos - w, w)) {
    return ENG_FLEX_MALFORMED;
  }
  const uint64_t n = read_u(v->buf + v->pos - w, w);
  /* elements, plus one packed-type byte each for maps and untyped vectors */
  const uint64_t per = (uint64_t)w + (untyped ? 1u : 0u);
  if (n > v->len || !fits(v, v->pos, n * per)) {
    return ENG_FLEX_MALFORMED;
  }
  *size = (uint32_t)n;
  return ENG_FLEX_OK;
}

eng_flex_status_t eng_flex_at(const eng_flex_value_t *v, uint32_t i, eng_flex_value_t *out) {
  uint32_t n;
  const eng_flex_status_t st = eng_flex_size(v, &n);
  if (st != ENG_FLEX_OK) {
    return st;
  }
  if (i >= n) {
    return ENG_FLEX_NOT_FOUND;
  }
  const uint64_t slot = v->pos + (uint64_t)i * v->width;
  if (v->type == ENG_FLEX_MAP || v->type == ENG_FLEX_VECTOR) {
    const uint8_t packed = v->buf[v->pos + (uint64_t)n * v->width + i];
    return resolve(v, slot, v->width, packed, out);
  }
  /* Typed vectors: the element type is implied; keys/strings are offsets (their own
   * width byte is irrelevant to the accessors here, so use width 1). */
  const uint8_t et = element_type(v->type);
  return resolve(v, slot, v->width, (uint8_t)(et << 2), out);
}

/* Compare the NUL-terminated key at pos with `key`, never reading past the buffer. */
static eng_flex_status_t key_equals(const eng_flex_value_t *ctx, uint64_t pos, const char *key,
                                    int *equal) {
  const size_t klen = strlen(key);
  for (size_t j = 0;; ++j) {
    if (!fits(ctx, pos + j, 1)) {
      return ENG_FLEX_MALFORMED;
    }
    const uint8_t c = ctx->buf[pos + j];
    if (j == klen) {
      *equal = c == 0;
      return ENG_FLEX_OK;
    }
    if (c == 0 || c != (uint8_t)key[j]) {
      *equal = 0;
      return ENG_FLEX_OK;
    }
  }
}

eng_flex_status_t eng_flex_map_get(const eng_flex_value_t *map, const char *key,
                                   eng_flex_value_t *out) {
  if (map->type != ENG_FLEX_MAP) {
    return ENG_FLEX_TYPE;
  }
  uint32_t n;
  eng_flex_status_t st = eng_flex_size(map, &n);
  if (st != ENG_FLEX_OK) {
    return st;
  }
  /* Map prefix, below the size field: [keys offset][keys byte width][size]. */
  const uint32_t w = map->width;
  if (map->pos < 3u * w) {
    return ENG_FLEX_MALFORMED;
  }
  const uint64_t keys_slot = map->pos - 3u * w;
  const uint64_t keys_off = read_u(map->buf + keys_slot, w);
  const uint64_t kw = read_u(map->buf + map->pos - 2u * w, w);
  if (keys_off > keys_slot || !valid_width(kw)) {
    return ENG_FLEX_MALFORMED;
  }
  const uint64_t keys_pos = keys_slot - keys_off;
  if (!fits(map, keys_pos, (uint64_t)n * kw)) {
    return ENG_FLEX_MALFORMED;
  }
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t slot = keys_pos + (uint64_t)i * kw;
    const uint64_t off = read_u(map->buf + slot, (uint32_t)kw);
    if (off > slot) {
      return ENG_FLEX_MALFORMED;
    }
    int equal = 0;
    st = key_equals(map, slot - off, key, &equal);
    if (st != ENG_FLEX_OK) {
      return st;
    }
    if (equal) {
      return eng_flex_at(map, i, out);
    }
  }
  return ENG_FLEX_NOT_FOUND;
}

static eng_flex_status_t read_float(const eng_flex_value_t *v, double *out) {
  if (!fits(v, v->pos, v->width)) {
    return ENG_FLEX_MALFORMED;
  }
  if (v->width == 4) {
    const uint32_t bits = (uint32_t)read_u(v->buf + v->pos, 4);
    float f;
    memcpy(&f, &bits, sizeof f);
    *out = f;
    return ENG_FLEX_OK;
  }
  if (v->width == 8) {
    const uint64_t bits = read_u(v->buf + v->pos, 8);
    memcpy(out, &bits, sizeof *out);
    return ENG_FLEX_OK;
  }
  return ENG_FLEX_MALFORMED;
}

eng_flex_status_t eng_flex_as_int64(const eng_flex_value_t *v, int64_t *out) {
  if (!valid_width(v->width) || !fits(v, v->pos, v->width)) {
    return ENG_FLEX_MALFORMED;
  }
  const uint8_t *p = v->buf + v->pos;
  switch (v->type) {
    case ENG_FLEX_INT:
    case ENG_FLEX_INDIRECT_INT: *out = read_i(p, v->width); return ENG_FLEX_OK;
    case ENG_FLEX_UINT:
    case ENG_FLEX_INDIRECT_UINT: {
      const uint64_t u = read_u(p, v->width);
      if (u > (uint64_t)INT64_MAX) {
        return ENG_FLEX_TYPE;
      }
      *out = (int64_t)u;
      return ENG_FLEX_OK;
    }
    case ENG_FLEX_BOOL: *out = read_u(p, v->width) != 0; return ENG_FLEX_OK;
    case ENG_FLEX_FLOAT:
    case ENG_FLEX_INDIRECT_FLOAT: {
      double d;
      const eng_flex_status_t st = read_float(v, &d);
      if (st != ENG_FLEX_OK) {
        return st;
      }
      if (!(d == d)) {
        *out = 0;
      } else if (d >= 9223372036854775807.0) {
        *out = INT64_MAX;
      } else if (d <= -9223372036854775808.0) {
        *out = INT64_MIN;
      } else {
        *out = (int64_t)d;
      }
      return ENG_FLEX_OK;
    }
    default: return ENG_FLEX_TYPE;
  }
}

eng_flex_status_t eng_flex_as_double(const eng_flex_value_t *v, double *out) {
  if (v->type == ENG_FLEX_FLOAT || v->type == ENG_FLEX_INDIRECT_FLOAT) {
    return read_float(v, out);
  }
  int64_t i;
  const eng_flex_status_t st = eng_flex_as_int64(v, &i);
  if (st == ENG_FLEX_OK) {
    *out = (double)i;
  }
  return st;
}

eng_flex_status_t eng_flex_as_bool(const eng_flex_value_t *v, int *out) {
  int64_t i;
  const eng_flex_status_t st = eng_flex_as_int64(v, &i);
  if (st == ENG_FLEX_OK) {
    *out = i != 0;
  }
  return st;
}

eng_flex_status_t eng_flex_map_int32(const eng_flex_value_t *map, const char *key, int32_t min,
                                     int32_t max, int32_t *out) {
  eng_flex_value_t v;
  eng_flex_status_t st = eng_flex_map_get(map, key, &v);
  if (st != ENG_FLEX_OK) {
    return st;
  }
  int64_t i;
  st = eng_flex_as_int64(&v, &i);
  if (st != ENG_FLEX_OK) {
    return st;
  }
  if (i < min || i > max) {
    return ENG_FLEX_TYPE;
  }
  *out = (int32_t)i;
  return ENG_FLEX_OK;
}

eng_flex_status_t eng_flex_map_bool(const eng_flex_value_t *map, const char *key, int *out) {
  eng_flex_value_t v;
  const eng_flex_status_t st = eng_flex_map_get(map, key, &v);
  return st == ENG_FLEX_OK ? eng_flex_as_bool(&v, out) : st;
}

const char *eng_flex_status_name(eng_flex_status_t s) {
  switch (s) {
    case ENG_FLEX_OK: return "ok";
    case ENG_FLEX_NOT_FOUND: return "missing";
    case ENG_FLEX_TYPE: return "wrong type or out of range";
    case ENG_FLEX_MALFORMED: return "malformed flexbuffer";
  }
  return "unknown";
}
