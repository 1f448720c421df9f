/*
 * wire_internal.h – helpers shared by the wire module's source files (not part of the API).
 */
#ifndef XSINFER_WIRE_INTERNAL_H
#define XSINFER_WIRE_INTERNAL_H

#include "wire.h"

/* Streaming COBS encoder: failed is set (and finish returns 0) when dst is too small. */
typedef struct wire_cobs {
  uint8_t *dst;
  size_t cap;
  size_t code_pos;
  size_t out;
  uint8_t code;
  uint8_t failed;
} wire_cobs_t;

void wire_cobs_start(wire_cobs_t *c, uint8_t *dst, size_t cap);
void wire_cobs_put(wire_cobs_t *c, const uint8_t *src, size_t len);
size_t wire_cobs_finish(wire_cobs_t *c);

/* Compare a msgpack string with a NUL-terminated literal. */
int wire_bytes_eq(const char *data, uint32_t len, const char *lit);

#endif
