/*
 * wire_records.c – writers for the device->host records of docs/protocol.md, so every
 * program spells the keys the same way the host's decoder expects.
 */
#include <string.h>

#include "wire_internal.h"

wire_mp_t *wire_info_begin(wire_t *w, const wire_info_t *info, uint32_t extra) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_INFO);
  if (!mp) return NULL;
  wire_mp_map(mp, 6u + (info->hello_seq >= 0) + extra);
  wire_mp_field_uint(mp, "v", WIRE_PROTOCOL_VERSION);
  wire_mp_field_str(mp, "build", info->build);
  wire_mp_field_str(mp, "target", info->target);
  wire_mp_str(mp, "tick");
  wire_mp_map(mp, 3u + (info->tick.hz != 0));
  wire_mp_field_str(mp, "unit", info->tick.unit);
  wire_mp_field_uint(mp, "num", info->tick.num);
  wire_mp_field_uint(mp, "den", info->tick.den);
  if (info->tick.hz) wire_mp_field_uint(mp, "hz", info->tick.hz);
  wire_mp_str(mp, "mem");
  wire_mp_map(mp, 4);
  wire_mp_field_uint(mp, "flash", info->flash_bytes);
  wire_mp_field_uint(mp, "ram", info->ram_bytes);
  wire_mp_field_uint(mp, "stackBottom", info->stack_bottom);
  wire_mp_field_uint(mp, "stackTop", info->stack_top);
  wire_mp_field_uint(mp, "maxFrame", w->max_frame);
  if (info->hello_seq >= 0) wire_mp_field_uint(mp, "cmd", (uint64_t)info->hello_seq);
  return mp;
}

wire_mp_t *wire_ack_begin(wire_t *w, const wire_cmd_t *cmd, uint32_t extra) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_ACK);
  if (!mp) return NULL;
  int hello = cmd->type == WIRE_CMD_HELLO;
  wire_mp_map(mp, 2u + (hello ? 2u : 0u) + extra);
  wire_mp_field_uint(mp, "cmd", cmd->seq);
  wire_mp_field_uint(mp, "type", cmd->type);
  if (hello) {
    wire_mp_field_uint(mp, "v", WIRE_PROTOCOL_VERSION);
    wire_mp_field_uint(mp, "maxFrame", w->max_frame);
  }
  return mp;
}

int wire_ack(wire_t *w, const wire_cmd_t *cmd) {
  return wire_ack_begin(w, cmd, 0) ? wire_queue_end(w) : -1;
}

wire_mp_t *wire_error_begin(wire_t *w, const wire_cmd_t *cmd, uint32_t code, const char *message,
                            uint32_t extra) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_ERROR);
  if (!mp) return NULL;
  /* A retried command must get the same answer: remember that this one failed. */
  if (cmd && w->rx_have_last && cmd->seq == w->rx_last_seq) w->rx_last_result = (uint8_t)code;
  wire_mp_map(mp, 2u + (cmd ? 2u : 0u) + extra);
  wire_mp_field_uint(mp, "code", code);
  wire_mp_field_str(mp, "message", message);
  if (cmd) {
    wire_mp_field_uint(mp, "cmd", cmd->seq);
    wire_mp_field_uint(mp, "type", cmd->type);
  }
  return mp;
}

int wire_error(wire_t *w, const wire_cmd_t *cmd, uint32_t code, const char *message) {
  return wire_error_begin(w, cmd, code, message, 0) ? wire_queue_end(w) : -1;
}

int wire_logn(wire_t *w, uint32_t level, const char *text, uint32_t len) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_LOG);
  if (!mp) return -1;
  wire_mp_map(mp, 2);
  wire_mp_field_uint(mp, "level", level);
  wire_mp_str(mp, "text");
  wire_mp_strn(mp, text, len);
  return wire_queue_end(w);
}

int wire_log(wire_t *w, uint32_t level, const char *text) {
  return wire_logn(w, level, text, (uint32_t)strlen(text));
}

wire_mp_t *wire_iter_begin(wire_t *w, const wire_iter_t *iter, uint32_t extra) {
  static const char *const phase_names[WIRE_PHASES] = {"populate", "invoke", "respond", "total"};
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_ITER);
  if (!mp) return NULL;
  wire_mp_map(mp, 4u + (iter->correct >= 0) + (iter->io_counted != 0) + extra);
  wire_mp_field_uint(mp, "run", iter->run);
  wire_mp_field_uint(mp, "i", iter->index);
  wire_mp_str(mp, "warmup");
  wire_mp_bool(mp, iter->warmup);
  wire_mp_str(mp, "ticks");
  wire_mp_map(mp, WIRE_PHASES);
  for (uint32_t p = 0; p < WIRE_PHASES; p++) wire_mp_field_uint(mp, phase_names[p], iter->ticks[p]);
  if (iter->correct >= 0) {
    wire_mp_str(mp, "correct");
    wire_mp_bool(mp, iter->correct);
  }
  if (iter->io_counted) {
    wire_mp_str(mp, "io");
    wire_mp_map(mp, 2);
    wire_mp_str(mp, "bytes");
    wire_mp_array(mp, WIRE_PHASE_TOTAL);
    for (uint32_t p = 0; p < WIRE_PHASE_TOTAL; p++) wire_mp_uint(mp, iter->io_bytes[p]);
    wire_mp_str(mp, "calls");
    wire_mp_array(mp, WIRE_PHASE_TOTAL);
    for (uint32_t p = 0; p < WIRE_PHASE_TOTAL; p++) wire_mp_uint(mp, iter->io_calls[p]);
  }
  return mp;
}

int wire_ops(wire_t *w, uint32_t run, uint32_t index, uint32_t first, const uint64_t *ticks,
             const char *const *names, uint32_t count) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_OPS);
  if (!mp) return -1;
  wire_mp_map(mp, 4u + (names != NULL));
  wire_mp_field_uint(mp, "run", run);
  wire_mp_field_uint(mp, "i", index);
  wire_mp_field_uint(mp, "first", first);
  wire_mp_str(mp, "ticks");
  wire_mp_array(mp, count);
  for (uint32_t k = 0; k < count; k++) wire_mp_uint(mp, ticks[k]);
  if (names) {
    wire_mp_str(mp, "names");
    wire_mp_array(mp, count);
    for (uint32_t k = 0; k < count; k++) wire_mp_str(mp, names[k]);
  }
  return wire_queue_end(w);
}

wire_mp_t *wire_mem_begin(wire_t *w, uint32_t keys) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_MEM);
  if (mp) wire_mp_map(mp, keys);
  return mp;
}

wire_mp_t *wire_done_begin(wire_t *w, uint32_t run, uint32_t status, uint32_t iterations,
                           uint32_t extra) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_DONE);
  if (!mp) return NULL;
  wire_mp_map(mp, 4u + extra);
  wire_mp_field_uint(mp, "run", run);
  wire_mp_field_uint(mp, "status", status);
  wire_mp_field_uint(mp, "iterations", iterations);
  wire_mp_str(mp, "tx");
  wire_mp_map(mp, 4);
  wire_mp_field_uint(mp, "peak", w->stats.queue_peak);
  wire_mp_field_uint(mp, "cap", w->stats.queue_cap);
  wire_mp_field_uint(mp, "dropped", w->stats.dropped);
  wire_mp_field_uint(mp, "oversize", w->stats.oversize);
  return mp;
}

wire_mp_t *wire_user_begin(wire_t *w, const char *name) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_USER);
  if (!mp) return NULL;
  wire_mp_map(mp, 2);
  wire_mp_field_str(mp, "name", name);
  wire_mp_str(mp, "value");
  return mp;
}

int wire_xsbug(wire_t *w, const uint8_t *data, uint32_t len) {
  wire_mp_t *mp = wire_queue_begin(w, WIRE_REC_XSBUG);
  if (!mp) return -1;
  wire_mp_map(mp, 1);
  wire_mp_str(mp, "data");
  wire_mp_bin(mp, data, len);
  return wire_queue_end(w);
}
