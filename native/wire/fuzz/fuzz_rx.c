/*
 * fuzz_rx.c – libFuzzer harness for the device's receive path: arbitrary bytes go through
 * wire_feed (COBS, CRC, command decoding, duplicate handling, answers) and the msgpack
 * reader. Every frame the device sends in reply must itself decode cleanly. Inputs with
 * an odd first byte are a list of (length, type, seq, payload) records that the harness
 * frames with a valid CRC, so the fuzzer reaches command decoding past the CRC check.
 *
 * Build and run (host, clang with libFuzzer), from the repository root:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Inative/wire/include \
 *     native/wire/src/wire_{crc,cobs,mp,cmd,link,records}.c native/wire/fuzz/fuzz_rx.c \
 *     -o /tmp/fuzz_rx && /tmp/fuzz_rx -max_total_time=60
 */
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static uint8_t scratch[1024], queue[4096], rx[1100];
static uint8_t decoded[4096];

/* Replies must be well-formed frames: COBS blocks that decode and carry a valid CRC. */
static void check_reply(void *ctx, const uint8_t *data, size_t len) {
  (void)ctx;
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    if (data[i] != 0) continue;
    int32_t n = wire_cobs_decode(data + start, i - start, decoded, sizeof decoded);
    if (n < (int32_t)WIRE_FRAME_OVERHEAD_BYTES) abort();
    uint32_t body = (uint32_t)n - WIRE_FRAME_CRC_BYTES;
    uint32_t crc = (uint32_t)decoded[body] | (uint32_t)decoded[body + 1] << 8 |
                   (uint32_t)decoded[body + 2] << 16 | (uint32_t)decoded[body + 3] << 24;
    if (wire_crc32(0, decoded, body) != crc) abort();
    wire_mr_t mr;
    wire_mr_init(&mr, decoded + WIRE_FRAME_HEADER_BYTES, body - WIRE_FRAME_HEADER_BYTES);
    if (!wire_mr_skip(&mr) || mr.p != mr.end) abort();
    start = i + 1;
  }
  if (start != len) abort(); /* drains write whole frames only */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wire_t w;
  const wire_config_t cfg = WIRE_CONFIG(check_reply, NULL, NULL, scratch, queue, rx);
  if (wire_init(&w, &cfg) != 0) abort();
  static uint8_t framed[1 << 16];
  if (size > 0 && (data[0] & 1u)) {
    /* Re-frame: each record is u8 length, then that many bytes of type, seq, payload. */
    size_t in = 1, out = 0;
    while (in < size) {
      size_t n = data[in++];
      if (n > size - in) n = size - in;
      if (n >= 3) {
        size_t k = wire_frame_encode(data[in], (uint16_t)(data[in + 1] | data[in + 2] << 8),
                                     data + in + 3, n - 3, framed + out, sizeof framed - out);
        out += k;
      }
      in += n;
    }
    data = framed;
    size = out;
  }
  size_t pos = 0;
  while (pos < size) {
    size_t used = 0;
    wire_cmd_t cmd;
    if (wire_feed(&w, data + pos, size - pos, &used, &cmd)) {
      if (cmd.type == WIRE_CMD_RUN && cmd.u.run.app.len > w.max_frame) abort();
      if (cmd.type == WIRE_CMD_UPLOAD_CHUNK &&
          wire_crc32(0, cmd.u.upload_chunk.data, cmd.u.upload_chunk.len) != cmd.u.upload_chunk.crc)
        abort();
      wire_ack(&w, &cmd);
    }
    wire_drain(&w);
    pos += used;
  }
  wire_mr_t mr;
  wire_mr_init(&mr, data, size);
  while (wire_mr_skip(&mr)) {}
  return 0;
}
