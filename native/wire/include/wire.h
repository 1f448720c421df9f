/*
 * wire.h – device side of the xsinfer wire protocol (docs/protocol.md is the spec):
 * msgpack writer/reader, COBS, CRC-32/IEEE, framing, a bounded TX queue and the RX
 * command decoder. Portable C11, no allocation, no board calls.
 *
 * Contract
 * - All memory is supplied by the caller (wire_config_t); the module keeps no globals.
 * - Bytes leave only through cfg.write and arrive only through cfg.read (non-blocking).
 * - A record is built in place: wire_queue_begin() hands out a msgpack writer over the
 *   frame scratch buffer, wire_queue_end() CRCs and COBS-encodes it into the TX queue.
 *   Nothing is written to the link until wire_drain() (or, while not held, when the
 *   queue needs room). Between wire_hold(w, 1) and wire_hold(w, 0) the link is never
 *   touched: a record that does not fit is dropped and counted, and the next drain
 *   appends an `overflow` record (queue space is reserved for it), so loss is never
 *   silent. Dropped records take no sequence number, so host-side sequence gaps mean
 *   link loss only.
 * - A record larger than the negotiated frame limit is dropped and counted as oversize.
 * - wire_poll() returns at most one decoded host command per call; pointers inside the
 *   command (strings, binary) stay valid until the next wire_poll(). Duplicate commands
 *   (same seq as the previous one, as the host sends on retry) are answered again by the
 *   wire layer and not returned; older ones are ignored. Answers are queued: drain after.
 * - An ack means "accepted": a run is acked before it starts, its records follow.
 */
#ifndef XSINFER_WIRE_H
#define XSINFER_WIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WIRE_PROTOCOL_VERSION     1u
/* Largest decoded frame (type + seq + payload + CRC) before a hello negotiates more. */
#define WIRE_DEFAULT_MAX_FRAME    1024u
/* Largest frame any hello may negotiate. */
#define WIRE_LIMIT_MAX_FRAME      16384u
#define WIRE_FRAME_HEADER_BYTES   3u /* u8 type, u16 seq LE */
#define WIRE_FRAME_CRC_BYTES      4u /* u32 CRC-32 LE */
#define WIRE_FRAME_OVERHEAD_BYTES (WIRE_FRAME_HEADER_BYTES + WIRE_FRAME_CRC_BYTES)
/* Bytes on the wire for a decoded frame of n bytes, at most: COBS code bytes (one per
 * started 254 bytes; rounded up here) + delimiter. */
#define WIRE_ENCODED_MAX(n)       ((n) + (n) / 254u + 2u)
/* Queue space kept free for the overflow record so it can always be sent. */
#define WIRE_QUEUE_RESERVE        64u

/* Host -> device commands. */
enum {
  WIRE_CMD_HELLO = 0x01,
  WIRE_CMD_RUN = 0x02,
  WIRE_CMD_STOP = 0x03,
  WIRE_CMD_RESET = 0x04,
  WIRE_CMD_UPLOAD_BEGIN = 0x05,
  WIRE_CMD_UPLOAD_CHUNK = 0x06,
  WIRE_CMD_UPLOAD_END = 0x07,
  WIRE_CMD_CHECK = 0x08,
  WIRE_CMD_ENGINE_OPEN = 0x09,   /* interpreter on a model asset (validation on target) */
  WIRE_CMD_ENGINE_INPUT = 0x0a,  /* bytes of one input tensor, in offset order */
  WIRE_CMD_ENGINE_INVOKE = 0x0b, /* one timed invoke; outputs follow as `tensor` records */
  /* The xsbug stream toward XS's debugger (debug firmware); taken from the end of the
   * command range. */
  WIRE_CMD_XSBUG = 0x3f
};

/* Device -> host records. */
enum {
  WIRE_REC_INFO = 0x40,
  WIRE_REC_ACK = 0x41,
  WIRE_REC_ERROR = 0x42,
  WIRE_REC_LOG = 0x43,
  WIRE_REC_ITER = 0x44,
  WIRE_REC_OPS = 0x45,
  WIRE_REC_MEM = 0x46,
  WIRE_REC_DONE = 0x47,
  WIRE_REC_OVERFLOW = 0x48,
  WIRE_REC_TENSOR = 0x49, /* a chunk of a tensor's bytes (engine_invoke's outputs) */
  WIRE_REC_USER = 0x4f,
  /* A JS profile (profiling flavour): a timed iteration's phase marks or a piece of the
   * .cpuprofile JSON (docs/protocol.md). */
  WIRE_REC_PROFILE = 0x7e,
  /* XS's xsbug stream toward the host's relay (debug firmware); the end of the range. */
  WIRE_REC_XSBUG = 0x7f
};

/* Error codes carried by `error` records. */
enum {
  WIRE_ERR_UNKNOWN_COMMAND = 1,
  WIRE_ERR_BAD_COMMAND = 2, /* payload not a map or a key has the wrong type */
  WIRE_ERR_BAD_STATE = 3,   /* e.g. run while running */
  WIRE_ERR_UNSUPPORTED = 4, /* known command this build does not implement */
  WIRE_ERR_BAD_VERSION = 5,
  WIRE_ERR_BAD_CRC = 6, /* upload chunk or image CRC mismatch */
  WIRE_ERR_TOO_LARGE = 7,
  WIRE_ERR_FLASH = 8, /* writing an upload slot's flash failed (the slot is empty then) */
  WIRE_ERR_APP = 16,  /* app-level failure (wrong result, unknown app) */
  WIRE_ERR_JS_EXCEPTION = 17,
  WIRE_ERR_OUT_OF_MEMORY = 18,
  WIRE_ERR_STACK_OVERFLOW = 19,
  WIRE_ERR_ABORT = 20, /* XS fxAbort */
  WIRE_ERR_MODEL = 32, /* model failed verification */
  WIRE_ERR_UNSUPPORTED_OP = 33,
  WIRE_ERR_ARENA_TOO_SMALL = 34
};

enum { WIRE_LOG_DEBUG = 0, WIRE_LOG_INFO = 1, WIRE_LOG_WARN = 2, WIRE_LOG_ERROR = 3 };

/* ---- CRC-32/IEEE (zlib) and COBS ---------------------------------------- */

/* Continue a CRC: start with crc = 0; wire_crc32(0, "123456789", 9) == 0xCBF43926. */
uint32_t wire_crc32(uint32_t crc, const void *data, size_t len);

/* COBS-encode src into dst (no delimiter). Returns bytes written, or 0 when dst_cap
 * is too small (an empty input encodes to one byte, so 0 is never a valid length). */
size_t wire_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_cap);
/* Decode one COBS block (no delimiter inside). dst may equal src (in place).
 * Returns decoded length, or -1 when the block is malformed or dst_cap too small. */
int32_t wire_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_cap);

/* ---- msgpack writer -------------------------------------------------------- */

/* Writes into a bounded buffer; on overflow sets `failed` and stops writing, so a
 * caller checks once at the end. Integers use the smallest encoding. */
typedef struct wire_mp {
  uint8_t *buf;
  uint32_t cap;
  uint32_t len;
  uint8_t failed;
} wire_mp_t;

void wire_mp_init(wire_mp_t *mp, uint8_t *buf, uint32_t cap);
void wire_mp_nil(wire_mp_t *mp);
void wire_mp_bool(wire_mp_t *mp, int value);
void wire_mp_uint(wire_mp_t *mp, uint64_t value);
void wire_mp_int(wire_mp_t *mp, int64_t value);
void wire_mp_float(wire_mp_t *mp, float value);
void wire_mp_double(wire_mp_t *mp, double value);
void wire_mp_str(wire_mp_t *mp, const char *nul_terminated);
void wire_mp_strn(wire_mp_t *mp, const char *data, uint32_t len);
/* One map entry each: the key string, then the value. */
void wire_mp_field_uint(wire_mp_t *mp, const char *key, uint64_t value);
void wire_mp_field_int(wire_mp_t *mp, const char *key, int64_t value);
void wire_mp_field_str(wire_mp_t *mp, const char *key, const char *nul_terminated);
void wire_mp_bin(wire_mp_t *mp, const void *data, uint32_t len);
void wire_mp_array(wire_mp_t *mp, uint32_t count);
void wire_mp_map(wire_mp_t *mp, uint32_t count);
/* Append already-encoded msgpack (one or more complete values). */
void wire_mp_raw(wire_mp_t *mp, const void *data, uint32_t len);

/* ---- msgpack reader -------------------------------------------------------- */

typedef enum wire_mp_kind {
  WIRE_MP_INVALID = 0,
  WIRE_MP_NIL,
  WIRE_MP_BOOL,
  WIRE_MP_UINT,  /* non-negative integer */
  WIRE_MP_INT,   /* negative integer */
  WIRE_MP_FLOAT, /* float32 or float64 */
  WIRE_MP_STR,
  WIRE_MP_BIN,
  WIRE_MP_ARRAY,
  WIRE_MP_MAP,
  WIRE_MP_EXT
} wire_mp_kind_t;

/* Cursor over one buffer; any malformed or truncated input sets `failed`, after
 * which every read fails. */
typedef struct wire_mr {
  const uint8_t *p;
  const uint8_t *end;
  uint8_t failed;
} wire_mr_t;

void wire_mr_init(wire_mr_t *mr, const uint8_t *data, size_t len);
wire_mp_kind_t wire_mr_peek(const wire_mr_t *mr);
/* Each returns 1 on success, 0 on a kind mismatch (cursor unchanged) or bad input. */
int wire_mr_nil(wire_mr_t *mr);
int wire_mr_bool(wire_mr_t *mr, int *out);
/* Accepts any integer encoding, and floats holding an exact integer (msgpackr writes
 * integers above 2^32 as float64). */
int wire_mr_uint(wire_mr_t *mr, uint64_t *out);
int wire_mr_int(wire_mr_t *mr, int64_t *out);
int wire_mr_double(wire_mr_t *mr, double *out);
int wire_mr_str(wire_mr_t *mr, const char **data, uint32_t *len);
int wire_mr_bin(wire_mr_t *mr, const uint8_t **data, uint32_t *len);
int wire_mr_array(wire_mr_t *mr, uint32_t *count);
int wire_mr_map(wire_mr_t *mr, uint32_t *count);
/* Skip one complete value (nesting bounded, deeper input counts as malformed). */
int wire_mr_skip(wire_mr_t *mr);

/* ---- frames ---------------------------------------------------------------- */

/* Build a complete wire frame (COBS + trailing 0x00) from type, seq and payload.
 * Returns bytes written to out, 0 when out_cap is too small. */
size_t wire_frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len,
                         uint8_t *out, size_t out_cap);

/* ---- host commands ----------------------------------------------------------- */

typedef struct wire_bytes {
  const char *ptr; /* not NUL-terminated */
  uint32_t len;
} wire_bytes_t;

typedef struct wire_cmd {
  uint8_t type;
  uint16_t seq;
  union {
    struct {
      uint32_t version;
      uint32_t max_frame;
    } hello;
    struct {
      wire_bytes_t app;
      uint8_t impl_c;    /* 0 = js, 1 = c */
      uint8_t optimized; /* 0 = reference kernels, 1 = optimized */
      uint8_t ops;       /* per-op profile requested */
      uint8_t counters;  /* core event counters per phase requested (boards that have them) */
      uint32_t profile;  /* profiling flavour: clock quantum in ticks, 0 = not profiled */
      uint32_t iterations;
      uint32_t warmup;
      wire_bytes_t model; /* model asset to run the app on; len 0: the app's own */
    } run;
    struct {
      uint8_t kind_app;    /* 1: "app" */
      uint8_t kind_inputs; /* 1: "inputs" (the generic app's input set); both 0: "model" */
      wire_bytes_t name;
      uint32_t size;
      uint32_t crc;
    } upload_begin;
    struct {
      uint32_t offset;
      const uint8_t *data;
      uint32_t len;
      uint32_t crc;
    } upload_chunk;
    struct {
      uint32_t crc;
    } upload_end;
    struct {
      wire_bytes_t item;   /* board-check item: "clock", "echo", "core", "ram", "flash" */
      const uint8_t *data; /* "echo": bytes to send back */
      uint32_t len;
      uint32_t ms; /* "clock": how long to count board ticks */
    } check;
    struct {
      const uint8_t *data; /* bytes of the xsbug stream for XS's debugger (may be empty) */
      uint32_t len;
      uint8_t attach; /* 1: connect XS's debugger (it logs in and waits for commands) */
      uint8_t detach; /* 1: disconnect it (the machine runs on without a debugger) */
    } xsbug;
    struct {
      wire_bytes_t model; /* model asset; len 0: "upload/model" */
      uint8_t optimized;  /* 0 = reference kernels, 1 = optimized */
    } engine_open;
    struct {
      uint32_t index; /* model input, default 0 */
      uint32_t offset;
      const uint8_t *data;
      uint32_t len;
    } engine_input;
    struct {
      uint8_t ops;     /* per-op ticks as `ops` records */
      uint8_t dump;    /* every op's outputs as `tensor` records, sent as each op ends */
      uint8_t outputs; /* the model's outputs as `tensor` records (default 1) */
    } engine_invoke;
  } u;
} wire_cmd_t;

/* Decode a COBS-decoded frame into a command. Returns 0 when it is a valid command,
 * otherwise a WIRE_ERR_* code (frame CRC/length problems return -1 and are not
 * answerable). cmd->type and cmd->seq are set whenever the header could be read. */
int wire_cmd_decode(const uint8_t *frame, size_t len, wire_cmd_t *cmd);

/* ---- the link ---------------------------------------------------------------- */

typedef void (*wire_write_fn)(void *ctx, const uint8_t *data, size_t len);
typedef size_t (*wire_read_fn)(void *ctx, uint8_t *data, size_t cap);

typedef struct wire_config {
  wire_write_fn write;
  wire_read_fn read; /* may be NULL for a TX-only link */
  void *ctx;
  uint8_t *scratch; /* one decoded TX frame; its size bounds max_frame */
  uint32_t scratch_cap;
  uint8_t *queue;     /* encoded frames waiting for wire_drain */
  uint32_t queue_cap; /* >= WIRE_ENCODED_MAX(scratch_cap) + WIRE_QUEUE_RESERVE */
  uint8_t *rx;        /* one encoded RX frame; its size bounds max_frame too */
  uint32_t rx_cap;
} wire_config_t;

/* A wire_config_t over three static uint8_t arrays (not pointers: each capacity is the
 * array's sizeof), the way a program gives its link its buffers. */
#define WIRE_CONFIG(write_fn, read_fn, context, scratch_array, queue_array, rx_array) \
  ((wire_config_t){.write = (write_fn),                                               \
                   .read = (read_fn),                                                 \
                   .ctx = (context),                                                  \
                   .scratch = (scratch_array),                                        \
                   .scratch_cap = (uint32_t)sizeof(scratch_array),                    \
                   .queue = (queue_array),                                            \
                   .queue_cap = (uint32_t)sizeof(queue_array),                        \
                   .rx = (rx_array),                                                  \
                   .rx_cap = (uint32_t)sizeof(rx_array)})

typedef struct wire_stats {
  uint32_t tx_frames;  /* frames queued */
  uint32_t tx_bytes;   /* encoded bytes written to the link */
  uint32_t queue_peak; /* most bytes ever waiting in the queue */
  uint32_t queue_cap;
  uint32_t dropped; /* records dropped because the held queue was full */
  uint32_t dropped_bytes;
  uint32_t oversize;      /* records dropped for exceeding max_frame */
  uint32_t rx_frames;     /* valid command frames */
  uint32_t rx_bad;        /* frames with bad CRC, COBS or length */
  uint32_t rx_oversize;   /* frames longer than the RX buffer */
  uint32_t rx_duplicates; /* repeated commands answered again */
  uint32_t rx_gaps;       /* commands missing by sequence number */
} wire_stats_t;

typedef struct wire {
  wire_config_t cfg;
  uint32_t max_frame;
  uint32_t queue_len;
  uint16_t tx_seq;
  uint8_t held;
  uint8_t open_type; /* record type being built, 0 = none */
  wire_mp_t mp;
  uint32_t reported_dropped;
  uint32_t reported_oversize;
  /* RX */
  uint32_t rx_len;
  uint8_t rx_discard; /* dropping an oversize frame until the next 0x00 */
  uint8_t rx_have_last;
  uint16_t rx_last_seq;
  uint8_t rx_last_type;
  uint8_t rx_last_result; /* 0 = acked, else the error code sent */
  uint8_t stage[64];
  uint8_t stage_pos;
  uint8_t stage_len;
  wire_stats_t stats;
} wire_t;

/* Returns 0, or -1 when the buffers are inconsistent (see wire_config_t). */
int wire_init(wire_t *w, const wire_config_t *cfg);
/* Frame limit in force (WIRE_DEFAULT_MAX_FRAME until a hello negotiates). */
uint32_t wire_max_frame(const wire_t *w);
void wire_stats(const wire_t *w, wire_stats_t *out);

/* While held, the link is never written; see the contract above. */
void wire_hold(wire_t *w, int held);
/* Start a record; returns the payload writer, or NULL if a record is already open.
 * The caller writes exactly one msgpack value (normally a map). */
wire_mp_t *wire_queue_begin(wire_t *w, uint8_t type);
/* Finish the open record. Returns 0 when queued, -1 when dropped (counted). */
int wire_queue_end(wire_t *w);
/* Abandon the open record without counting it. */
void wire_queue_cancel(wire_t *w);
/* Bytes waiting in the queue. */
uint32_t wire_queue_pending(const wire_t *w);
/* Write every queued frame (preceded by an overflow record if records were lost).
 * Ignores the hold flag: the caller drains between timed regions. */
void wire_drain(wire_t *w);

/* Read what the link has and decode at most one command. Returns 1 and fills cmd
 * when a command needs handling (the caller answers with wire_ack or wire_error);
 * 0 otherwise. Malformed or unknown commands are answered with an error here.
 * A hello is handled here as far as the wire is concerned (sequence reset, frame limit);
 * it is still returned so the caller can answer with `info` before wire_ack. */
int wire_poll(wire_t *w, wire_cmd_t *cmd);
/* Feed bytes from elsewhere (tests, files) through the same decoder; consumes up to
 * len bytes, stores how many in *used, and returns like wire_poll. */
int wire_feed(wire_t *w, const uint8_t *data, size_t len, size_t *used, wire_cmd_t *cmd);

/* ---- records ------------------------------------------------------------------ */
/* The *_begin helpers open a record, write the fixed keys of docs/protocol.md and leave
 * room for `extra` more key/value pairs that the caller writes before wire_queue_end().
 * They return NULL when a record is already open. */

typedef struct wire_tick_unit {
  const char *unit;
  uint32_t num;
  uint32_t den;
  uint32_t hz; /* 0 = omitted */
} wire_tick_unit_t;

typedef struct wire_info {
  const char *build;
  const char *target;
  wire_tick_unit_t tick;
  uint32_t flash_bytes;
  uint32_t ram_bytes;
  uint64_t stack_bottom;
  uint64_t stack_top;
  int32_t hello_seq; /* seq of the hello this answers, -1 at boot */
} wire_info_t;

wire_mp_t *wire_info_begin(wire_t *w, const wire_info_t *info, uint32_t extra);

/* Acknowledge cmd (queues an ack record). extra: keys the caller appends. */
wire_mp_t *wire_ack_begin(wire_t *w, const wire_cmd_t *cmd, uint32_t extra);
int wire_ack(wire_t *w, const wire_cmd_t *cmd);
/* cmd may be NULL for an error not answering a command. */
wire_mp_t *wire_error_begin(wire_t *w, const wire_cmd_t *cmd, uint32_t code, const char *message,
                            uint32_t extra);
int wire_error(wire_t *w, const wire_cmd_t *cmd, uint32_t code, const char *message);
int wire_log(wire_t *w, uint32_t level, const char *text);
int wire_logn(wire_t *w, uint32_t level, const char *text, uint32_t len);

enum {
  WIRE_PHASE_POPULATE = 0,
  WIRE_PHASE_INVOKE,
  WIRE_PHASE_RESPOND,
  WIRE_PHASE_TOTAL,
  WIRE_PHASES
};

typedef struct wire_iter {
  uint32_t run;
  uint32_t index;
  uint8_t warmup;
  int8_t correct; /* 1 correct, 0 wrong, -1 omitted (not checked) */
  uint64_t ticks[WIRE_PHASES];
  /* Output inside each timed phase (POPULATE, INVOKE, RESPOND): bytes handed to the UART
   * and text output calls; sent as `io` only when io_counted is 1. */
  uint8_t io_counted;
  uint32_t io_bytes[WIRE_PHASE_TOTAL];
  uint32_t io_calls[WIRE_PHASE_TOTAL];
} wire_iter_t;

/* Fixed keys run, i, warmup, ticks{populate,invoke,respond,total}[, correct][, io{bytes,
 * calls}]; the caller normally adds `result`. */
wire_mp_t *wire_iter_begin(wire_t *w, const wire_iter_t *iter, uint32_t extra);

/* Per-op ticks for ops [first, first + count) of one invoke. names may be NULL. */
int wire_ops(wire_t *w, uint32_t run, uint32_t index, uint32_t first, const uint64_t *ticks,
             const char *const *names, uint32_t count);

/* mem: the caller writes all keys (arena, xs, stack ... see docs/protocol.md). */
wire_mp_t *wire_mem_begin(wire_t *w, uint32_t keys);

/* done: run, status, iterations and the TX queue figures {peak, cap, dropped, oversize}. */
wire_mp_t *wire_done_begin(wire_t *w, uint32_t run, uint32_t status, uint32_t iterations,
                           uint32_t extra);

/* user: {name, value} (app telemetry); the caller writes exactly one value. */
wire_mp_t *wire_user_begin(wire_t *w, const char *name);

/* xsbug: {data: bin} – len bytes of XS's debugger stream, queued like any record. */
int wire_xsbug(wire_t *w, const uint8_t *data, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif
