/*
 * flatbuf.h – bounds-checked, zero-copy access to FlatBuffers binary data (just what
 * the .tflite schema needs). Every access checks the table, its vtable, the field and
 * the referenced object against the buffer before reading; nothing is trusted.
 *
 * Offsets to sub-objects are unsigned and forward (FlatBuffers' uoffset_t), so object
 * graphs cannot loop; vector lengths are limited by the bytes that remain.
 * All functions return 0 on success and -1 when the data is malformed.
 */
#ifndef XSINFER_ENGINE_FLATBUF_H
#define XSINFER_ENGINE_FLATBUF_H

#include <stdint.h>

typedef struct fb_buf {
  const uint8_t *data;
  uint32_t size;
} fb_buf_t;

typedef struct fb_table {
  const fb_buf_t *buf;
  uint32_t pos;     /* table start */
  uint32_t vt;      /* vtable start */
  uint16_t vt_len;  /* vtable bytes */
  uint16_t obj_len; /* table bytes (from the vtable) */
} fb_table_t;

typedef struct fb_vec {
  const fb_buf_t *buf;
  uint32_t pos; /* first element */
  uint32_t len; /* element count */
} fb_vec_t;

/* Little-endian loads (no alignment needed). */
uint16_t fb_load_u16(const uint8_t *p);
uint32_t fb_load_u32(const uint8_t *p);
uint64_t fb_load_u64(const uint8_t *p);
float fb_load_f32(const uint8_t *p);

/* The root table (uoffset at byte 0). */
int fb_root(const fb_buf_t *buf, fb_table_t *out);
/* A table starting at pos. */
int fb_table_at(const fb_buf_t *buf, uint32_t pos, fb_table_t *out);

/* 1 when field id is present in the table, 0 when absent, -1 when malformed. */
int fb_has(const fb_table_t *t, uint32_t id);

/* Scalars with defaults for absent fields. */
int fb_u8(const fb_table_t *t, uint32_t id, uint8_t def, uint8_t *out);
int fb_i8(const fb_table_t *t, uint32_t id, int8_t def, int8_t *out);
int fb_i32(const fb_table_t *t, uint32_t id, int32_t def, int32_t *out);
int fb_u32(const fb_table_t *t, uint32_t id, uint32_t def, uint32_t *out);
int fb_u64(const fb_table_t *t, uint32_t id, uint64_t def, uint64_t *out);
int fb_f32(const fb_table_t *t, uint32_t id, float def, float *out);

/* Sub-table; *present = 0 (and out untouched) when absent. */
int fb_table(const fb_table_t *t, uint32_t id, fb_table_t *out, int *present);
/* Vector of elem_size-byte scalars (or of uoffsets when elem_size = 4 and used with
 * fb_vec_table); an absent field gives an empty vector. */
int fb_vector(const fb_table_t *t, uint32_t id, uint32_t elem_size, fb_vec_t *out);
/* Element i of a vector of tables. */
int fb_vec_table(const fb_vec_t *v, uint32_t i, fb_table_t *out);
/* String (bytes without the terminator); absent → len 0, data NULL. */
int fb_string(const fb_table_t *t, uint32_t id, const char **data, uint32_t *len);

/* Element i of a scalar vector (caller checked i < len). */
static inline const uint8_t *fb_vec_elem(const fb_vec_t *v, uint32_t i, uint32_t elem_size) {
  return v->buf->data + v->pos + i * elem_size;
}

#endif
