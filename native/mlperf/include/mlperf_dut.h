/* mlperf_dut.h – the device side of the MLPerf Tiny runner's serial protocol (facts:
 * docs/mlperf.md): ASCII commands ended by '%', answers as lines ended by "\r\n", every
 * answer closed by "m-ready", errors as "e-[...]". This module parses and answers; what a
 * command does to a model (load the input tensor, invoke, read the results, read the
 * clock) is the caller's, through mlperf_dut_ops_t.
 *
 * Contract
 * - Pure C11, no heap, no I/O of its own: bytes come in through mlperf_dut_feed, text goes
 *   out through ops.write. The caller owns the state and the input buffer (`db` bytes);
 *   both outlive every call.
 * - Any byte sequence is safe: a command longer than MLPERF_DUT_LINE_MAX, an unknown
 *   command or bad arguments get one "e-[...]" line and "m-ready", and the state (a `db`
 *   load in progress included) stays consistent. Nothing here blocks or loops on input.
 * - Commands: name, profile, timestamp, db load N, db HEX…, db print [N] [OFF],
 *   infer [N [W]] (defaults N=1, W=10), results, help. Whitespace separates words; '\r',
 *   '\n' and NUL around commands are ignored.
 */
#ifndef XSINFER_MLPERF_DUT_H
#define XSINFER_MLPERF_DUT_H

#include <stddef.h>
#include <stdint.h>

#define MLPERF_DUT_LINE_MAX 160u /* longest command kept (a 31-byte `db` line is 65) */

typedef struct mlperf_dut_ops {
  void (*write)(void *user, const char *text, size_t len);
  /* The board clock in microseconds (timestamps). */
  uint64_t (*micros)(void *user);
  /* th_load_tensor: the buffer's `bytes` into the model input. Returns NULL or why not. */
  const char *(*load)(void *user, const uint8_t *data, uint32_t bytes);
  /* One inference (th_infer). Returns NULL or why it failed. */
  const char *(*infer)(void *user);
  /* th_results: writes the comma-separated results ("0.000,0.996,…", no brackets) into
   * out (cap bytes, NUL-terminated). Returns NULL or why not. */
  const char *(*results)(void *user, char *out, size_t cap);
  void *user;
  const char *name;    /* m-name-dut-[NAME] */
  const char *version; /* m-profile-[VERSION] */
  const char *model;   /* m-model-[MODEL]: kws01, ic01, vww01, ad01 */
  const char *help;    /* extra help lines (may be NULL) */
} mlperf_dut_ops_t;

typedef struct mlperf_dut {
  mlperf_dut_ops_t ops;
  uint8_t *buffer; /* `db` bytes */
  uint32_t capacity;
  uint32_t expected; /* armed by `db load N` (0: none) */
  uint32_t received;
  uint32_t loaded;  /* complete bytes in the buffer (the last finished load) */
  int have_results; /* an infer ran since the last load */
  char line[MLPERF_DUT_LINE_MAX + 1];
  uint32_t line_len;
  int overflow;      /* the command being read was longer than MLPERF_DUT_LINE_MAX */
  char scratch[128]; /* one answer line */
  char text[1024];   /* the results text */
} mlperf_dut_t;

/* Sets up the state over the caller's buffer. */
void mlperf_dut_init(mlperf_dut_t *dut, const mlperf_dut_ops_t *ops, uint8_t *buffer,
                     uint32_t capacity);

/* The banner lines a DUT prints at boot, ending with m-ready. */
void mlperf_dut_banner(mlperf_dut_t *dut);

/* Consumes received bytes; each '%' runs the command read so far and writes its answer. */
void mlperf_dut_feed(mlperf_dut_t *dut, const uint8_t *data, size_t len);

/* Runs one command (without the '%') and writes its answer; what feed does per '%'. */
void mlperf_dut_command(mlperf_dut_t *dut, const char *command);

#endif
