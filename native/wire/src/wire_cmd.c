/*
 * wire_cmd.c – decodes host command frames (docs/protocol.md, "Host to device") into
 * wire_cmd_t. Unknown keys are skipped so newer hosts can add optional fields.
 */
#include <string.h>

#include "wire_internal.h"

static int read_u32(wire_mr_t *mr, uint32_t *out) {
  uint64_t v;
  if (!wire_mr_uint(mr, &v) || v > 0xffffffffu) return 0;
  *out = (uint32_t)v;
  return 1;
}

/* A boolean into a one-byte flag (0 or 1). */
static int read_flag(wire_mr_t *mr, uint8_t *out) {
  int b = 0;
  if (!wire_mr_bool(mr, &b)) return 0;
  *out = (uint8_t)b;
  return 1;
}

static int read_bytes(wire_mr_t *mr, wire_bytes_t *out) {
  return wire_mr_str(mr, &out->ptr, &out->len);
}

/* Read a string that must be one of two words; *out = 0 for a, 1 for b. */
static int read_choice(wire_mr_t *mr, const char *a, const char *b, uint8_t *out) {
  wire_bytes_t s;
  if (!read_bytes(mr, &s)) return 0;
  if (wire_bytes_eq(s.ptr, s.len, a))
    *out = 0;
  else if (wire_bytes_eq(s.ptr, s.len, b))
    *out = 1;
  else
    return 0;
  return 1;
}

/* upload_begin's kind: "model", "app" or "inputs". */
static int read_upload_kind(wire_mr_t *mr, wire_cmd_t *cmd) {
  wire_bytes_t s;
  if (!read_bytes(mr, &s)) return 0;
  cmd->u.upload_begin.kind_app = wire_bytes_eq(s.ptr, s.len, "app");
  cmd->u.upload_begin.kind_inputs = wire_bytes_eq(s.ptr, s.len, "inputs");
  return cmd->u.upload_begin.kind_app || cmd->u.upload_begin.kind_inputs ||
         wire_bytes_eq(s.ptr, s.len, "model");
}

#define KEY(lit)  wire_bytes_eq(key.ptr, key.len, lit)
#define NEED(bit) (seen |= (bit))

static int decode_payload(wire_mr_t *mr, wire_cmd_t *cmd) {
  uint32_t count;
  if (!wire_mr_map(mr, &count)) return WIRE_ERR_BAD_COMMAND;
  uint32_t seen = 0, required = 0;
  switch (cmd->type) {
    case WIRE_CMD_HELLO: required = 1u; break;
    case WIRE_CMD_RUN:
      required = 1u | 2u;
      cmd->u.run.iterations = 1;
      break;
    case WIRE_CMD_UPLOAD_BEGIN: required = 1u | 2u | 4u | 8u; break;
    case WIRE_CMD_UPLOAD_CHUNK: required = 1u | 2u | 4u; break;
    case WIRE_CMD_UPLOAD_END: required = 1u; break;
    case WIRE_CMD_CHECK: required = 1u; break;
    case WIRE_CMD_ENGINE_INPUT: required = 1u | 2u; break;
    case WIRE_CMD_ENGINE_INVOKE: cmd->u.engine_invoke.outputs = 1; break;
    default: break;
  }
  for (uint32_t i = 0; i < count; i++) {
    wire_bytes_t key;
    if (!read_bytes(mr, &key)) return WIRE_ERR_BAD_COMMAND;
    int ok = 1;
    int known = 1;
    switch (cmd->type) {
      case WIRE_CMD_HELLO:
        if (KEY("v"))
          ok = read_u32(mr, &cmd->u.hello.version) && NEED(1u);
        else if (KEY("maxFrame"))
          ok = read_u32(mr, &cmd->u.hello.max_frame);
        else
          known = 0;
        break;
      case WIRE_CMD_RUN:
        if (KEY("app"))
          ok = read_bytes(mr, &cmd->u.run.app) && NEED(1u);
        else if (KEY("impl"))
          ok = read_choice(mr, "js", "c", &cmd->u.run.impl_c) && NEED(2u);
        else if (KEY("kernels"))
          ok = read_choice(mr, "reference", "optimized", &cmd->u.run.optimized);
        else if (KEY("iterations"))
          ok = read_u32(mr, &cmd->u.run.iterations);
        else if (KEY("warmup"))
          ok = read_u32(mr, &cmd->u.run.warmup);
        else if (KEY("model"))
          ok = read_bytes(mr, &cmd->u.run.model);
        else if (KEY("ops"))
          ok = read_flag(mr, &cmd->u.run.ops);
        else if (KEY("counters"))
          ok = read_flag(mr, &cmd->u.run.counters);
        else if (KEY("profile"))
          ok = read_u32(mr, &cmd->u.run.profile);
        else
          known = 0;
        break;
      case WIRE_CMD_UPLOAD_BEGIN:
        if (KEY("kind"))
          ok = read_upload_kind(mr, cmd) && NEED(1u);
        else if (KEY("name"))
          ok = read_bytes(mr, &cmd->u.upload_begin.name) && NEED(2u);
        else if (KEY("size"))
          ok = read_u32(mr, &cmd->u.upload_begin.size) && NEED(4u);
        else if (KEY("crc"))
          ok = read_u32(mr, &cmd->u.upload_begin.crc) && NEED(8u);
        else
          known = 0;
        break;
      case WIRE_CMD_UPLOAD_CHUNK:
        if (KEY("offset"))
          ok = read_u32(mr, &cmd->u.upload_chunk.offset) && NEED(1u);
        else if (KEY("data"))
          ok = wire_mr_bin(mr, &cmd->u.upload_chunk.data, &cmd->u.upload_chunk.len) && NEED(2u);
        else if (KEY("crc"))
          ok = read_u32(mr, &cmd->u.upload_chunk.crc) && NEED(4u);
        else
          known = 0;
        break;
      case WIRE_CMD_UPLOAD_END:
        if (KEY("crc"))
          ok = read_u32(mr, &cmd->u.upload_end.crc) && NEED(1u);
        else
          known = 0;
        break;
      case WIRE_CMD_CHECK:
        if (KEY("item"))
          ok = read_bytes(mr, &cmd->u.check.item) && NEED(1u);
        else if (KEY("data"))
          ok = wire_mr_bin(mr, &cmd->u.check.data, &cmd->u.check.len);
        else if (KEY("ms"))
          ok = read_u32(mr, &cmd->u.check.ms);
        else
          known = 0;
        break;
      case WIRE_CMD_XSBUG:
        if (KEY("data"))
          ok = wire_mr_bin(mr, &cmd->u.xsbug.data, &cmd->u.xsbug.len);
        else if (KEY("attach"))
          ok = read_flag(mr, &cmd->u.xsbug.attach);
        else if (KEY("detach"))
          ok = read_flag(mr, &cmd->u.xsbug.detach);
        else
          known = 0;
        break;
      case WIRE_CMD_ENGINE_OPEN:
        if (KEY("model"))
          ok = read_bytes(mr, &cmd->u.engine_open.model);
        else if (KEY("kernels"))
          ok = read_choice(mr, "reference", "optimized", &cmd->u.engine_open.optimized);
        else
          known = 0;
        break;
      case WIRE_CMD_ENGINE_INPUT:
        if (KEY("index"))
          ok = read_u32(mr, &cmd->u.engine_input.index);
        else if (KEY("offset"))
          ok = read_u32(mr, &cmd->u.engine_input.offset) && NEED(1u);
        else if (KEY("data"))
          ok = wire_mr_bin(mr, &cmd->u.engine_input.data, &cmd->u.engine_input.len) && NEED(2u);
        else
          known = 0;
        break;
      case WIRE_CMD_ENGINE_INVOKE: {
        uint8_t *flag = KEY("ops")       ? &cmd->u.engine_invoke.ops
                        : KEY("dump")    ? &cmd->u.engine_invoke.dump
                        : KEY("outputs") ? &cmd->u.engine_invoke.outputs
                                         : NULL;
        if (flag)
          ok = read_flag(mr, flag);
        else
          known = 0;
        break;
      }
      default: known = 0; break;
    }
    if (!known) ok = wire_mr_skip(mr);
    if (!ok || mr->failed) return WIRE_ERR_BAD_COMMAND;
  }
  if ((seen & required) != required) return WIRE_ERR_BAD_COMMAND;
  if (cmd->type == WIRE_CMD_UPLOAD_CHUNK &&
      wire_crc32(0, cmd->u.upload_chunk.data, cmd->u.upload_chunk.len) != cmd->u.upload_chunk.crc)
    return WIRE_ERR_BAD_CRC;
  return 0;
}

int wire_cmd_decode(const uint8_t *frame, size_t len, wire_cmd_t *cmd) {
  memset(cmd, 0, sizeof *cmd);
  if (len < WIRE_FRAME_OVERHEAD_BYTES) return -1;
  size_t body = len - WIRE_FRAME_CRC_BYTES;
  const uint8_t *t = frame + body;
  uint32_t crc = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
  if (wire_crc32(0, frame, body) != crc) return -1;
  cmd->type = frame[0];
  cmd->seq = (uint16_t)(frame[1] | frame[2] << 8);
  switch (cmd->type) {
    case WIRE_CMD_HELLO:
    case WIRE_CMD_RUN:
    case WIRE_CMD_STOP:
    case WIRE_CMD_RESET:
    case WIRE_CMD_UPLOAD_BEGIN:
    case WIRE_CMD_UPLOAD_CHUNK:
    case WIRE_CMD_UPLOAD_END:
    case WIRE_CMD_CHECK:
    case WIRE_CMD_XSBUG: break;
    case WIRE_CMD_ENGINE_OPEN:
    case WIRE_CMD_ENGINE_INPUT:
    case WIRE_CMD_ENGINE_INVOKE: break;
    default: return WIRE_ERR_UNKNOWN_COMMAND;
  }
  wire_mr_t mr;
  wire_mr_init(&mr, frame + WIRE_FRAME_HEADER_BYTES, body - WIRE_FRAME_HEADER_BYTES);
  int rc = decode_payload(&mr, cmd);
  if (rc == 0 && mr.p != mr.end) rc = WIRE_ERR_BAD_COMMAND; /* trailing bytes */
  return rc;
}
