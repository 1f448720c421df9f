/*
 * options.c – the builtin-options reader that kernels' parsers use (declared in kernel.h):
 * schema defaults for absent tables and fields, bounds-checked reads, and a mark instead
 * of an error code so a parser reads straight through its fields.
 */
#include <string.h>

#include "internal.h"

eng_status_t eng_options_type(eng_node_t *node, eng_options_reader_t *r, uint8_t expected) {
  if (r->present && r->type != expected) {
    return eng_fail(node, ENG_ERR_MALFORMED, "builtin options type %u, expected %u",
                    (uint32_t)r->type, (uint32_t)expected);
  }
  return ENG_OK;
}

int32_t eng_option_i32(eng_options_reader_t *r, uint32_t field, int32_t def) {
  int32_t v = def;
  if (r->present && fb_i32(&r->table, field, def, &v) != 0) {
    r->bad = 1;
  }
  return v;
}

int32_t eng_option_i8(eng_options_reader_t *r, uint32_t field, int32_t def) {
  int8_t v = (int8_t)def;
  if (r->present && fb_i8(&r->table, field, (int8_t)def, &v) != 0) {
    r->bad = 1;
  }
  return v;
}

int32_t eng_option_bool(eng_options_reader_t *r, uint32_t field, int32_t def) {
  uint8_t v = (uint8_t)def;
  if (r->present && fb_u8(&r->table, field, (uint8_t)def, &v) != 0) {
    r->bad = 1;
  }
  return v != 0;
}

float eng_option_f32(eng_options_reader_t *r, uint32_t field, float def) {
  float v = def;
  if (r->present && fb_f32(&r->table, field, def, &v) != 0) {
    r->bad = 1;
  }
  return v;
}

int32_t eng_option_i32_vector(eng_options_reader_t *r, uint32_t field, int32_t *out, uint32_t cap) {
  if (!r->present) {
    return 0;
  }
  fb_vec_t v;
  if (fb_vector(&r->table, field, 4, &v) != 0 || v.len > cap) {
    return -1;
  }
  for (uint32_t i = 0; i < v.len; i++) {
    out[i] = (int32_t)fb_load_u32(fb_vec_elem(&v, i, 4));
  }
  return (int32_t)v.len;
}
