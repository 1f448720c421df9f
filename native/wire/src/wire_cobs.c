/*
 * wire_cobs.c – Consistent Overhead Byte Stuffing, so 0x00 can delimit frames.
 * The encoder streams, letting the framer encode header, payload and CRC without a copy.
 */
#include "wire_internal.h"

void wire_cobs_start(wire_cobs_t *c, uint8_t *dst, size_t cap) {
  c->dst = dst;
  c->cap = cap;
  c->code_pos = 0;
  c->out = 1;
  c->code = 1;
  c->failed = (uint8_t)(cap == 0);
}

/* Write the open block's code byte and start a new block. */
static int cobs_close(wire_cobs_t *c) {
  if (c->out >= c->cap) {
    c->failed = 1;
    return 0;
  }
  c->dst[c->code_pos] = c->code;
  c->code_pos = c->out++;
  c->code = 1;
  return 1;
}

void wire_cobs_put(wire_cobs_t *c, const uint8_t *src, size_t len) {
  for (size_t i = 0; i < len && !c->failed; i++) {
    /* A full block is closed only when more input follows, so an input ending on a
     * block boundary gets no extra code byte (canonical COBS). */
    if (c->code == 0xFFu && !cobs_close(c)) break;
    if (src[i] == 0) {
      cobs_close(c);
      continue;
    }
    if (c->out >= c->cap) {
      c->failed = 1;
      break;
    }
    c->dst[c->out++] = src[i];
    c->code++;
  }
}

size_t wire_cobs_finish(wire_cobs_t *c) {
  if (c->failed) return 0;
  c->dst[c->code_pos] = c->code;
  return c->out;
}

size_t wire_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_cap) {
  wire_cobs_t c;
  wire_cobs_start(&c, dst, dst_cap);
  wire_cobs_put(&c, src, len);
  return wire_cobs_finish(&c);
}

int32_t wire_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_cap) {
  size_t i = 0;
  size_t o = 0;
  while (i < len) {
    uint8_t code = src[i++];
    if (code == 0) return -1;
    for (uint8_t k = 1; k < code; k++) {
      if (i >= len || o >= dst_cap || src[i] == 0) return -1;
      dst[o++] = src[i++];
    }
    /* A short block stands for a zero, except at the very end of the frame. */
    if (code != 0xFFu && i < len) {
      if (o >= dst_cap) return -1;
      dst[o++] = 0;
    }
  }
  return (int32_t)o;
}
