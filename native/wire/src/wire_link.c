/*
 * wire_link.c – framing, the bounded TX queue and the RX command path of the wire
 * protocol (docs/protocol.md). The link itself is two caller-supplied functions.
 */
#include <string.h>

#include "wire_internal.h"

static uint32_t min_u32(uint32_t a, uint32_t b) {
  return a < b ? a : b;
}

/* The largest decoded frame the caller's buffers can carry in both directions. */
static uint32_t capacity(const wire_t *w) {
  uint32_t tx = w->cfg.scratch_cap;
  /* An encoded frame of n bytes needs n + n/254 + 1 bytes of RX buffer. */
  uint32_t rx = w->cfg.read ? w->cfg.rx_cap - w->cfg.rx_cap / 255u - 1u : tx;
  return min_u32(min_u32(tx, rx), WIRE_LIMIT_MAX_FRAME);
}

int wire_init(wire_t *w, const wire_config_t *cfg) {
  memset(w, 0, sizeof *w);
  if (!cfg->write || !cfg->scratch || !cfg->queue) return -1;
  if (cfg->scratch_cap < WIRE_FRAME_OVERHEAD_BYTES + 16u) return -1;
  if (cfg->queue_cap < WIRE_ENCODED_MAX(cfg->scratch_cap) + WIRE_QUEUE_RESERVE) return -1;
  if (cfg->read && (!cfg->rx || cfg->rx_cap < 64u)) return -1;
  w->cfg = *cfg;
  w->max_frame = min_u32(WIRE_DEFAULT_MAX_FRAME, capacity(w));
  w->stats.queue_cap = cfg->queue_cap;
  return 0;
}

uint32_t wire_max_frame(const wire_t *w) {
  return w->max_frame;
}

void wire_stats(const wire_t *w, wire_stats_t *out) {
  *out = w->stats;
}

void wire_hold(wire_t *w, int held) {
  w->held = (uint8_t)(held != 0);
}

uint32_t wire_queue_pending(const wire_t *w) {
  return w->queue_len;
}

size_t wire_frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len,
                         uint8_t *out, size_t out_cap) {
  uint8_t head[WIRE_FRAME_HEADER_BYTES] = {type, (uint8_t)seq, (uint8_t)(seq >> 8)};
  uint32_t crc = wire_crc32(0, head, sizeof head);
  crc = wire_crc32(crc, payload, len);
  uint8_t tail[WIRE_FRAME_CRC_BYTES] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16),
                                        (uint8_t)(crc >> 24)};
  if (out_cap < 1) return 0;
  wire_cobs_t c;
  wire_cobs_start(&c, out, out_cap - 1);
  wire_cobs_put(&c, head, sizeof head);
  wire_cobs_put(&c, payload, len);
  wire_cobs_put(&c, tail, sizeof tail);
  size_t n = wire_cobs_finish(&c);
  if (n == 0) return 0;
  out[n] = 0;
  return n + 1;
}

/* Encode a frame into the queue within `limit` bytes of it; 0 when it does not fit. */
static int queue_frame(wire_t *w, uint8_t type, const uint8_t *payload, size_t len,
                       uint32_t limit) {
  if (w->queue_len >= limit) return 0;
  size_t n = wire_frame_encode(type, w->tx_seq, payload, len, w->cfg.queue + w->queue_len,
                               limit - w->queue_len);
  if (n == 0) return 0;
  w->queue_len += (uint32_t)n;
  if (w->queue_len > w->stats.queue_peak) w->stats.queue_peak = w->queue_len;
  w->tx_seq++;
  w->stats.tx_frames++;
  return 1;
}

static void write_queue(wire_t *w) {
  if (w->queue_len == 0) return;
  w->cfg.write(w->cfg.ctx, w->cfg.queue, w->queue_len);
  w->stats.tx_bytes += w->queue_len;
  w->queue_len = 0;
}

void wire_drain(wire_t *w) {
  if (w->stats.dropped != w->reported_dropped || w->stats.oversize != w->reported_oversize) {
    /* Built outside the scratch buffer: a record may be open while we drain. */
    /* Largest payload: map(3) + three keys (30 bytes) + three uint32 (15 bytes) = 46;
     * as a frame 53 bytes, encoded 55: within WIRE_QUEUE_RESERVE. */
    uint8_t buf[48];
    wire_mp_t mp;
    wire_mp_init(&mp, buf, sizeof buf);
    wire_mp_map(&mp, 3);
    wire_mp_str(&mp, "dropped");
    wire_mp_uint(&mp, w->stats.dropped);
    wire_mp_str(&mp, "droppedBytes");
    wire_mp_uint(&mp, w->stats.dropped_bytes);
    wire_mp_str(&mp, "oversize");
    wire_mp_uint(&mp, w->stats.oversize);
    /* The reserve guarantees room; the check only guards a misconfigured reserve. */
    if (!mp.failed && queue_frame(w, WIRE_REC_OVERFLOW, buf, mp.len, w->cfg.queue_cap)) {
      w->reported_dropped = w->stats.dropped;
      w->reported_oversize = w->stats.oversize;
    }
  }
  write_queue(w);
}

wire_mp_t *wire_queue_begin(wire_t *w, uint8_t type) {
  if (w->open_type) return NULL;
  w->open_type = type;
  uint32_t room = w->max_frame - WIRE_FRAME_OVERHEAD_BYTES;
  wire_mp_init(&w->mp, w->cfg.scratch + WIRE_FRAME_HEADER_BYTES, room);
  return &w->mp;
}

void wire_queue_cancel(wire_t *w) {
  w->open_type = 0;
}

int wire_queue_end(wire_t *w) {
  if (!w->open_type) return -1;
  uint8_t type = w->open_type;
  w->open_type = 0;
  if (w->mp.failed) {
    w->stats.oversize++;
    return -1;
  }
  const uint8_t *payload = w->mp.buf;
  uint32_t limit = w->cfg.queue_cap - WIRE_QUEUE_RESERVE;
  if (queue_frame(w, type, payload, w->mp.len, limit)) return 0;
  if (!w->held) {
    write_queue(w);
    if (queue_frame(w, type, payload, w->mp.len, limit)) return 0;
  }
  w->stats.dropped++;
  w->stats.dropped_bytes += w->mp.len + WIRE_FRAME_OVERHEAD_BYTES;
  return -1;
}

/* ---- RX ---- */

static int answer_duplicate(wire_t *w, const wire_cmd_t *cmd) {
  if (w->rx_last_result == 0) {
    wire_mp_t *mp = wire_ack_begin(w, cmd, 1);
    if (!mp) return -1;
    wire_mp_str(mp, "duplicate");
    wire_mp_bool(mp, 1);
    return wire_queue_end(w);
  }
  return wire_error(w, cmd, w->rx_last_result, "repeated command (already failed)");
}

/* A complete decoded frame arrived: returns 1 when cmd must go to the caller. */
static int rx_frame(wire_t *w, const uint8_t *frame, size_t len, wire_cmd_t *cmd) {
  int rc = wire_cmd_decode(frame, len, cmd);
  if (rc < 0) {
    w->stats.rx_bad++;
    return 0;
  }
  if (cmd->type != WIRE_CMD_HELLO && w->rx_have_last) {
    uint16_t skipped = (uint16_t)(cmd->seq - w->rx_last_seq - 1u);
    if (skipped == 0xffffu) {
      /* The host retried: its ack was lost or late. Answer again, do not execute. */
      w->stats.rx_duplicates++;
      answer_duplicate(w, cmd);
      return 0;
    }
    if (skipped >= 0x8000u) {
      /* Older than the last command: a late copy of a retry already answered. */
      w->stats.rx_duplicates++;
      return 0;
    }
    w->stats.rx_gaps += skipped;
  }
  w->stats.rx_frames++;
  w->rx_have_last = 1;
  w->rx_last_seq = cmd->seq;
  w->rx_last_type = cmd->type;
  w->rx_last_result = 0;
  if (rc == 0 && cmd->type == WIRE_CMD_HELLO) {
    if (cmd->u.hello.version != WIRE_PROTOCOL_VERSION) {
      rc = WIRE_ERR_BAD_VERSION;
    } else {
      uint32_t want = cmd->u.hello.max_frame ? cmd->u.hello.max_frame : WIRE_DEFAULT_MAX_FRAME;
      if (want < 64u) want = 64u;
      w->max_frame = min_u32(want, capacity(w));
      w->tx_seq = 0;
    }
  }
  if (rc != 0) {
    wire_error(w, cmd, (uint32_t)rc,
               rc == WIRE_ERR_UNKNOWN_COMMAND ? "unknown command"
               : rc == WIRE_ERR_BAD_VERSION   ? "unsupported protocol version"
               : rc == WIRE_ERR_BAD_CRC       ? "chunk CRC mismatch"
                                              : "malformed command");
    return 0;
  }
  return 1;
}

/* One received byte; returns 1 when it completed a command for the caller. */
static int rx_byte(wire_t *w, uint8_t b, wire_cmd_t *cmd) {
  uint32_t limit = min_u32(w->cfg.rx_cap, WIRE_ENCODED_MAX(w->max_frame) - 1u);
  if (b != 0) {
    if (w->rx_discard) return 0;
    if (w->rx_len >= limit) {
      w->rx_discard = 1;
      w->rx_len = 0;
      w->stats.rx_oversize++;
      return 0;
    }
    w->cfg.rx[w->rx_len++] = b;
    return 0;
  }
  uint32_t n = w->rx_len;
  w->rx_len = 0;
  if (w->rx_discard) {
    w->rx_discard = 0;
    return 0;
  }
  if (n == 0) return 0; /* idle delimiters */
  int32_t dec = wire_cobs_decode(w->cfg.rx, n, w->cfg.rx, w->cfg.rx_cap);
  if (dec < 0 || (uint32_t)dec > w->max_frame) {
    w->stats.rx_bad++;
    return 0;
  }
  return rx_frame(w, w->cfg.rx, (size_t)dec, cmd);
}

int wire_feed(wire_t *w, const uint8_t *data, size_t len, size_t *used, wire_cmd_t *cmd) {
  size_t i = 0;
  int got = 0;
  while (i < len && !got) got = rx_byte(w, data[i++], cmd);
  if (used) *used = i;
  return got;
}

int wire_poll(wire_t *w, wire_cmd_t *cmd) {
  if (!w->cfg.read) return 0;
  for (;;) {
    if (w->stage_pos == w->stage_len) {
      w->stage_pos = w->stage_len = 0;
      size_t n = w->cfg.read(w->cfg.ctx, w->stage, sizeof w->stage);
      if (n == 0) return 0;
      w->stage_len = (uint8_t)(n > sizeof w->stage ? sizeof w->stage : n);
    }
    size_t used = 0;
    int got =
        wire_feed(w, w->stage + w->stage_pos, (size_t)(w->stage_len - w->stage_pos), &used, cmd);
    w->stage_pos = (uint8_t)(w->stage_pos + used);
    if (got) return 1;
  }
}
