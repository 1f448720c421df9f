/*
 * flatbuf.c – bounds-checked FlatBuffers access (see flatbuf.h). All arithmetic on
 * offsets is done in 64 bits so hostile values cannot wrap around the checks.
 */
#include "flatbuf.h"

#include <string.h>

uint16_t fb_load_u16(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t fb_load_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

uint64_t fb_load_u64(const uint8_t *p) {
  return (uint64_t)fb_load_u32(p) | ((uint64_t)fb_load_u32(p + 4) << 32);
}

float fb_load_f32(const uint8_t *p) {
  const uint32_t u = fb_load_u32(p);
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

static int in_range(const fb_buf_t *buf, uint64_t pos, uint64_t len) {
  return pos <= buf->size && len <= (uint64_t)buf->size - pos;
}

int fb_table_at(const fb_buf_t *buf, uint32_t pos, fb_table_t *out) {
  if (!in_range(buf, pos, 4) || (pos & 3u) != 0) {
    return -1;
  }
  /* soffset: vtable = table - value (signed). */
  const int64_t vt = (int64_t)pos - (int64_t)(int32_t)fb_load_u32(buf->data + pos);
  if (vt < 0 || (vt & 1) != 0 || !in_range(buf, (uint64_t)vt, 4)) {
    return -1;
  }
  const uint16_t vt_len = fb_load_u16(buf->data + vt);
  const uint16_t obj_len = fb_load_u16(buf->data + vt + 2);
  if (vt_len < 4 || (vt_len & 1u) != 0 || !in_range(buf, (uint64_t)vt, vt_len) || obj_len < 4 ||
      !in_range(buf, pos, obj_len)) {
    return -1;
  }
  out->buf = buf;
  out->pos = pos;
  out->vt = (uint32_t)vt;
  out->vt_len = vt_len;
  out->obj_len = obj_len;
  return 0;
}

int fb_root(const fb_buf_t *buf, fb_table_t *out) {
  if (buf->data == NULL || buf->size < 8) {
    return -1;
  }
  return fb_table_at(buf, fb_load_u32(buf->data), out);
}

/* Field offset inside the table (0 = absent); -1 when the vtable entry is bogus. */
static int64_t field_off(const fb_table_t *t, uint32_t id, uint32_t size) {
  const uint32_t slot = 4u + 2u * id;
  if (slot + 2u > t->vt_len) {
    return 0;
  }
  const uint16_t off = fb_load_u16(t->buf->data + t->vt + slot);
  if (off == 0) {
    return 0;
  }
  if (off < 4 || (uint32_t)off + size > t->obj_len) {
    return -1;
  }
  return off;
}

int fb_has(const fb_table_t *t, uint32_t id) {
  const int64_t off = field_off(t, id, 1);
  return off < 0 ? -1 : (off > 0 ? 1 : 0);
}

#define FB_SCALAR(name, type, size, load)                           \
  int name(const fb_table_t *t, uint32_t id, type def, type *out) { \
    const int64_t off = field_off(t, id, size);                     \
    if (off < 0) {                                                  \
      return -1;                                                    \
    }                                                               \
    if (off == 0) {                                                 \
      *out = def;                                                   \
      return 0;                                                     \
    }                                                               \
    const uint8_t *p = t->buf->data + t->pos + (uint32_t)off;       \
    *out = load;                                                    \
    return 0;                                                       \
  }

FB_SCALAR(fb_u8, uint8_t, 1, p[0])
FB_SCALAR(fb_i8, int8_t, 1, (int8_t)p[0])
FB_SCALAR(fb_i32, int32_t, 4, (int32_t)fb_load_u32(p))
FB_SCALAR(fb_u32, uint32_t, 4, fb_load_u32(p))
FB_SCALAR(fb_u64, uint64_t, 8, fb_load_u64(p))
FB_SCALAR(fb_f32, float, 4, fb_load_f32(p))

/* Follow the uoffset stored at absolute position at; result must stay in the buffer. */
static int follow(const fb_buf_t *buf, uint32_t at, uint32_t *target) {
  if (!in_range(buf, at, 4)) {
    return -1;
  }
  const uint64_t dst = (uint64_t)at + fb_load_u32(buf->data + at);
  if (dst >= buf->size) {
    return -1;
  }
  *target = (uint32_t)dst;
  return 0;
}

int fb_table(const fb_table_t *t, uint32_t id, fb_table_t *out, int *present) {
  *present = 0;
  const int64_t off = field_off(t, id, 4);
  if (off <= 0) {
    return off < 0 ? -1 : 0;
  }
  uint32_t dst;
  if (follow(t->buf, t->pos + (uint32_t)off, &dst) != 0 || fb_table_at(t->buf, dst, out) != 0) {
    return -1;
  }
  *present = 1;
  return 0;
}

static int vector_at(const fb_buf_t *buf, uint32_t at, uint32_t elem_size, fb_vec_t *out) {
  if (!in_range(buf, at, 4) || (at & 3u) != 0) {
    return -1;
  }
  const uint32_t len = fb_load_u32(buf->data + at);
  if (!in_range(buf, (uint64_t)at + 4, (uint64_t)len * elem_size)) {
    return -1;
  }
  out->buf = buf;
  out->pos = at + 4;
  out->len = len;
  return 0;
}

int fb_vector(const fb_table_t *t, uint32_t id, uint32_t elem_size, fb_vec_t *out) {
  out->buf = t->buf;
  out->pos = 0;
  out->len = 0;
  const int64_t off = field_off(t, id, 4);
  if (off <= 0) {
    return off < 0 ? -1 : 0;
  }
  uint32_t dst;
  if (follow(t->buf, t->pos + (uint32_t)off, &dst) != 0) {
    return -1;
  }
  return vector_at(t->buf, dst, elem_size, out);
}

int fb_vec_table(const fb_vec_t *v, uint32_t i, fb_table_t *out) {
  if (i >= v->len) {
    return -1;
  }
  uint32_t dst;
  if (follow(v->buf, v->pos + 4u * i, &dst) != 0) {
    return -1;
  }
  return fb_table_at(v->buf, dst, out);
}

int fb_string(const fb_table_t *t, uint32_t id, const char **data, uint32_t *len) {
  fb_vec_t v;
  *data = NULL;
  *len = 0;
  if (fb_vector(t, id, 1, &v) != 0) {
    return -1;
  }
  if (v.pos == 0) {
    return 0;
  }
  *data = (const char *)(v.buf->data + v.pos);
  *len = v.len;
  return 0;
}
