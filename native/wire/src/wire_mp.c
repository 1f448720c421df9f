/*
 * wire_mp.c – the msgpack subset the protocol needs: a writer for records (smallest
 * encoding of every value) and a bounds-checked reader for host commands.
 */
#include <string.h>

#include "wire_internal.h"

/* ---- writer ---- */

void wire_mp_init(wire_mp_t *mp, uint8_t *buf, uint32_t cap) {
  mp->buf = buf;
  mp->cap = cap;
  mp->len = 0;
  mp->failed = 0;
}

static uint8_t *mp_room(wire_mp_t *mp, uint32_t n) {
  if (mp->failed || n > mp->cap - mp->len) {
    mp->failed = 1;
    return NULL;
  }
  uint8_t *p = mp->buf + mp->len;
  mp->len += n;
  return p;
}

static void put_be(uint8_t *p, uint64_t v, uint32_t bytes) {
  for (uint32_t i = 0; i < bytes; i++) p[i] = (uint8_t)(v >> (8u * (bytes - 1u - i)));
}

/* One tag byte followed by a big-endian number of `bytes` bytes. */
static void mp_tagged(wire_mp_t *mp, uint8_t tag, uint64_t v, uint32_t bytes) {
  uint8_t *p = mp_room(mp, 1u + bytes);
  if (!p) return;
  p[0] = tag;
  put_be(p + 1, v, bytes);
}

void wire_mp_nil(wire_mp_t *mp) {
  mp_tagged(mp, 0xc0, 0, 0);
}

void wire_mp_bool(wire_mp_t *mp, int value) {
  mp_tagged(mp, value ? 0xc3 : 0xc2, 0, 0);
}

void wire_mp_uint(wire_mp_t *mp, uint64_t v) {
  if (v < 0x80u)
    mp_tagged(mp, (uint8_t)v, 0, 0);
  else if (v <= 0xffu)
    mp_tagged(mp, 0xcc, v, 1);
  else if (v <= 0xffffu)
    mp_tagged(mp, 0xcd, v, 2);
  else if (v <= 0xffffffffu)
    mp_tagged(mp, 0xce, v, 4);
  else
    mp_tagged(mp, 0xcf, v, 8);
}

void wire_mp_int(wire_mp_t *mp, int64_t v) {
  if (v >= 0)
    wire_mp_uint(mp, (uint64_t)v);
  else if (v >= -32)
    mp_tagged(mp, (uint8_t)(int8_t)v, 0, 0);
  else if (v >= INT8_MIN)
    mp_tagged(mp, 0xd0, (uint64_t)v & 0xffu, 1);
  else if (v >= INT16_MIN)
    mp_tagged(mp, 0xd1, (uint64_t)v & 0xffffu, 2);
  else if (v >= INT32_MIN)
    mp_tagged(mp, 0xd2, (uint64_t)v & 0xffffffffu, 4);
  else
    mp_tagged(mp, 0xd3, (uint64_t)v, 8);
}

void wire_mp_float(wire_mp_t *mp, float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof bits);
  mp_tagged(mp, 0xca, bits, 4);
}

void wire_mp_double(wire_mp_t *mp, double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof bits);
  mp_tagged(mp, 0xcb, bits, 8);
}

/* Header for str/bin/array/map: fix form where there is one, else 8/16/32-bit length. */
static void mp_header(wire_mp_t *mp, uint32_t n, uint8_t fix, uint32_t fix_max, uint8_t t8,
                      uint8_t t16, uint8_t t32) {
  if (fix && n <= fix_max)
    mp_tagged(mp, (uint8_t)(fix | n), 0, 0);
  else if (t8 && n <= 0xffu)
    mp_tagged(mp, t8, n, 1);
  else if (n <= 0xffffu)
    mp_tagged(mp, t16, n, 2);
  else
    mp_tagged(mp, t32, n, 4);
}

void wire_mp_strn(wire_mp_t *mp, const char *data, uint32_t len) {
  mp_header(mp, len, 0xa0, 31, 0xd9, 0xda, 0xdb);
  wire_mp_raw(mp, data, len);
}

void wire_mp_str(wire_mp_t *mp, const char *s) {
  wire_mp_strn(mp, s ? s : "", s ? (uint32_t)strlen(s) : 0u);
}

void wire_mp_field_uint(wire_mp_t *mp, const char *key, uint64_t value) {
  wire_mp_str(mp, key);
  wire_mp_uint(mp, value);
}

void wire_mp_field_int(wire_mp_t *mp, const char *key, int64_t value) {
  wire_mp_str(mp, key);
  wire_mp_int(mp, value);
}

void wire_mp_field_str(wire_mp_t *mp, const char *key, const char *s) {
  wire_mp_str(mp, key);
  wire_mp_str(mp, s);
}

void wire_mp_bin(wire_mp_t *mp, const void *data, uint32_t len) {
  mp_header(mp, len, 0, 0, 0xc4, 0xc5, 0xc6);
  wire_mp_raw(mp, data, len);
}

void wire_mp_array(wire_mp_t *mp, uint32_t count) {
  mp_header(mp, count, 0x90, 15, 0, 0xdc, 0xdd);
}

void wire_mp_map(wire_mp_t *mp, uint32_t count) {
  mp_header(mp, count, 0x80, 15, 0, 0xde, 0xdf);
}

void wire_mp_raw(wire_mp_t *mp, const void *data, uint32_t len) {
  uint8_t *p = mp_room(mp, len);
  if (p && len) memcpy(p, data, len);
}

/* ---- reader ---- */

void wire_mr_init(wire_mr_t *mr, const uint8_t *data, size_t len) {
  mr->p = data;
  mr->end = data + len;
  mr->failed = 0;
}

static uint64_t get_be(const uint8_t *p, uint32_t bytes) {
  uint64_t v = 0;
  for (uint32_t i = 0; i < bytes; i++) v = (v << 8) | p[i];
  return v;
}

/* What the next value is, plus the sizes needed to read or skip it. */
typedef struct mr_head {
  wire_mp_kind_t kind;
  uint32_t head;  /* bytes of tag + length/value field */
  uint32_t body;  /* payload bytes after the head (str/bin/ext) */
  uint64_t value; /* integer bits, float bits, length or element count */
  uint8_t width;  /* integer/float width in bytes (0 for fix forms) */
  uint8_t is_signed;
} mr_head_t;

static int mr_head(const wire_mr_t *mr, mr_head_t *h) {
  if (mr->failed || mr->p >= mr->end) return 0;
  size_t avail = (size_t)(mr->end - mr->p);
  uint8_t t = mr->p[0];
  memset(h, 0, sizeof *h);
  h->head = 1;
  uint32_t field = 0; /* bytes of the field after the tag */
  if (t <= 0x7f) {
    h->kind = WIRE_MP_UINT;
    h->value = t;
  } else if (t >= 0xe0) {
    h->kind = WIRE_MP_INT;
    h->value = (uint64_t)(int64_t)(int8_t)t;
    h->is_signed = 1;
  } else if (t <= 0x8f) {
    h->kind = WIRE_MP_MAP;
    h->value = t & 0x0fu;
  } else if (t <= 0x9f) {
    h->kind = WIRE_MP_ARRAY;
    h->value = t & 0x0fu;
  } else if (t <= 0xbf) {
    h->kind = WIRE_MP_STR;
    h->value = t & 0x1fu;
    h->body = t & 0x1fu;
  } else {
    switch (t) {
      case 0xc0: h->kind = WIRE_MP_NIL; break;
      case 0xc2:
      case 0xc3:
        h->kind = WIRE_MP_BOOL;
        h->value = t == 0xc3;
        break;
      case 0xc4:
      case 0xc5:
      case 0xc6:
        h->kind = WIRE_MP_BIN;
        field = 1u << (t - 0xc4);
        break;
      case 0xc7:
      case 0xc8:
      case 0xc9:
        h->kind = WIRE_MP_EXT;
        field = 1u << (t - 0xc7);
        break;
      case 0xca:
        h->kind = WIRE_MP_FLOAT;
        field = 4;
        break;
      case 0xcb:
        h->kind = WIRE_MP_FLOAT;
        field = 8;
        break;
      case 0xcc:
      case 0xcd:
      case 0xce:
      case 0xcf:
        h->kind = WIRE_MP_UINT;
        field = 1u << (t - 0xcc);
        break;
      case 0xd0:
      case 0xd1:
      case 0xd2:
      case 0xd3:
        h->kind = WIRE_MP_INT;
        field = 1u << (t - 0xd0);
        h->is_signed = 1;
        break;
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        h->kind = WIRE_MP_EXT;
        h->head = 2;
        h->body = 1u << (t - 0xd4);
        break;
      case 0xd9:
      case 0xda:
      case 0xdb:
        h->kind = WIRE_MP_STR;
        field = 1u << (t - 0xd9);
        break;
      case 0xdc:
      case 0xdd:
        h->kind = WIRE_MP_ARRAY;
        field = 2u << (t - 0xdc);
        break;
      case 0xde:
      case 0xdf:
        h->kind = WIRE_MP_MAP;
        field = 2u << (t - 0xde);
        break;
      default: return 0; /* 0xc1 is never used */
    }
  }
  if (h->head + field > avail) return 0;
  if (field) {
    uint64_t v = get_be(mr->p + 1, field);
    h->width = (uint8_t)field;
    if (h->kind == WIRE_MP_STR || h->kind == WIRE_MP_BIN) h->body = (uint32_t)v;
    if (h->kind == WIRE_MP_EXT) {
      h->body = (uint32_t)v;
      field += 1;
    } /* + ext type byte */
    if (h->is_signed) {
      /* Sign-extend; a non-negative signed encoding is still a UINT for the caller. */
      uint32_t shift = 64u - 8u * h->width;
      v = (uint64_t)(((int64_t)(v << shift)) >> shift);
      if ((int64_t)v >= 0) h->kind = WIRE_MP_UINT;
    }
    h->value = v;
    h->head += field;
  }
  if (h->head > avail || h->body > avail - h->head) return 0;
  return 1;
}

wire_mp_kind_t wire_mr_peek(const wire_mr_t *mr) {
  mr_head_t h;
  return mr_head(mr, &h) ? h.kind : WIRE_MP_INVALID;
}

/* Read the head of a value of `kind`; on mismatch leave the cursor, on bad input fail. */
/* The next value's head; a malformed one fails the reader. */
static int mr_next(wire_mr_t *mr, mr_head_t *h) {
  if (mr_head(mr, h)) return 1;
  mr->failed = 1;
  return 0;
}

static int mr_take(wire_mr_t *mr, wire_mp_kind_t kind, mr_head_t *h) {
  if (!mr_next(mr, h)) return 0;
  if (h->kind != kind) return 0;
  mr->p += h->head + h->body;
  return 1;
}

int wire_mr_nil(wire_mr_t *mr) {
  mr_head_t h;
  return mr_take(mr, WIRE_MP_NIL, &h);
}

int wire_mr_bool(wire_mr_t *mr, int *out) {
  mr_head_t h;
  if (!mr_take(mr, WIRE_MP_BOOL, &h)) return 0;
  *out = (int)h.value;
  return 1;
}

static double mr_float_value(const mr_head_t *h) {
  if (h->width == 4) {
    uint32_t bits = (uint32_t)h->value;
    float f;
    memcpy(&f, &bits, sizeof f);
    return (double)f;
  }
  double d;
  memcpy(&d, &h->value, sizeof d);
  return d;
}

int wire_mr_uint(wire_mr_t *mr, uint64_t *out) {
  mr_head_t h;
  if (!mr_next(mr, &h)) return 0;
  if (h.kind == WIRE_MP_UINT) {
    *out = h.value;
  } else if (h.kind == WIRE_MP_FLOAT) {
    double d = mr_float_value(&h);
    if (!(d >= 0.0 && d < 18446744073709551616.0) || (double)(uint64_t)d != d) return 0;
    *out = (uint64_t)d;
  } else {
    return 0;
  }
  mr->p += h.head;
  return 1;
}

int wire_mr_int(wire_mr_t *mr, int64_t *out) {
  mr_head_t h;
  if (!mr_next(mr, &h)) return 0;
  if (h.kind == WIRE_MP_INT) {
    *out = (int64_t)h.value;
  } else if (h.kind == WIRE_MP_UINT) {
    if (h.value > (uint64_t)INT64_MAX) return 0;
    *out = (int64_t)h.value;
  } else if (h.kind == WIRE_MP_FLOAT) {
    double d = mr_float_value(&h);
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || (double)(int64_t)d != d)
      return 0;
    *out = (int64_t)d;
  } else {
    return 0;
  }
  mr->p += h.head;
  return 1;
}

int wire_mr_double(wire_mr_t *mr, double *out) {
  mr_head_t h;
  if (!mr_next(mr, &h)) return 0;
  if (h.kind == WIRE_MP_FLOAT)
    *out = mr_float_value(&h);
  else if (h.kind == WIRE_MP_UINT)
    *out = (double)h.value;
  else if (h.kind == WIRE_MP_INT)
    *out = (double)(int64_t)h.value;
  else
    return 0;
  mr->p += h.head;
  return 1;
}

int wire_mr_str(wire_mr_t *mr, const char **data, uint32_t *len) {
  mr_head_t h;
  const uint8_t *start = mr->p;
  if (!mr_take(mr, WIRE_MP_STR, &h)) return 0;
  *data = (const char *)(start + h.head);
  *len = h.body;
  return 1;
}

int wire_mr_bin(wire_mr_t *mr, const uint8_t **data, uint32_t *len) {
  mr_head_t h;
  const uint8_t *start = mr->p;
  if (!mr_take(mr, WIRE_MP_BIN, &h)) return 0;
  *data = start + h.head;
  *len = h.body;
  return 1;
}

int wire_mr_array(wire_mr_t *mr, uint32_t *count) {
  mr_head_t h;
  if (!mr_take(mr, WIRE_MP_ARRAY, &h)) return 0;
  *count = (uint32_t)h.value;
  return 1;
}

int wire_mr_map(wire_mr_t *mr, uint32_t *count) {
  mr_head_t h;
  if (!mr_take(mr, WIRE_MP_MAP, &h)) return 0;
  *count = (uint32_t)h.value;
  return 1;
}

int wire_mr_skip(wire_mr_t *mr) {
  /* Iterative: containers add their elements to the count still to skip, so hostile
   * nesting costs no stack; a huge count simply runs out of input. */
  uint64_t pending = 1;
  while (pending > 0) {
    mr_head_t h;
    if (!mr_next(mr, &h)) return 0;
    mr->p += h.head + h.body;
    pending--;
    if (h.kind == WIRE_MP_ARRAY)
      pending += h.value;
    else if (h.kind == WIRE_MP_MAP)
      pending += 2u * h.value;
  }
  return 1;
}

int wire_bytes_eq(const char *data, uint32_t len, const char *lit) {
  size_t n = strlen(lit);
  return n == len && memcmp(data, lit, n) == 0;
}
