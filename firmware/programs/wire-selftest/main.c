/*
 * wire-selftest – drives native/wire through the real UART so host tests can check the
 * C writer against msgpackr and the C command reader against the host encoder.
 *
 * Output: info, then `user` records holding every msgpack value kind, one of every record
 * type, an overflow episode (held queue too small, oversize record), the result of the
 * C-level checks in checks.c, then "rx ready".
 * Input: command frames from the UART (or, with the argument `commands=<path>`, from a
 * host file); each is answered (ack / error) and echoed as a `user` record of kind
 * "cmd", so the host sees what the C reader decoded. `reset` ends the program, as does
 * the end of the command file or ~10 s without input.
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "checks.h"
#include "wire.h"

#define SCRATCH_BYTES 4096u
#define QUEUE_BYTES   (WIRE_ENCODED_MAX(SCRATCH_BYTES) + WIRE_QUEUE_RESERVE + 2048u)
#define RX_BYTES      (WIRE_ENCODED_MAX(SCRATCH_BYTES))
#define FILE_BYTES    16384u

static uint8_t scratch[SCRATCH_BYTES];
static uint8_t queue[QUEUE_BYTES];
static uint8_t rx[RX_BYTES];
static uint8_t file_buf[FILE_BYTES];
static wire_t link;

/* Command source when reading from a host file instead of the UART. */
static struct {
  uint32_t len;
  uint32_t pos;
  uint8_t active;
} file_src;

static void uart_write(void *ctx, const uint8_t *data, size_t len) {
  (void)ctx;
  board_uart_write(data, len);
}

static size_t link_read(void *ctx, uint8_t *data, size_t cap) {
  (void)ctx;
  if (!file_src.active) return board_uart_read(data, cap);
  size_t n = file_src.len - file_src.pos;
  if (n > cap) n = cap;
  memcpy(data, file_buf + file_src.pos, n);
  file_src.pos += (uint32_t)n;
  return n;
}

static void user_str_array(const char *kind, const char *const *items, uint32_t n) {
  wire_mp_t *mp = wire_user_begin(&link, kind);
  wire_mp_array(mp, n);
  for (uint32_t i = 0; i < n; i++) wire_mp_str(mp, items[i]);
  wire_queue_end(&link);
}

/* A string of n copies of c, built in a static buffer (no allocation on the device). */
static const char *repeat(char c, uint32_t n) {
  static char buf[4][300];
  static uint32_t next;
  char *s = buf[next++ & 3u];
  memset(s, c, n);
  s[n] = 0;
  return s;
}

/* Every msgpack value kind, with boundary values of every width. The host test holds
 * the same expectations (test/bridge/selftest.test.ts). */
static void send_value_kinds(void) {
  static const uint64_t uints[] = {0u,
                                   1u,
                                   127u,
                                   128u,
                                   255u,
                                   256u,
                                   65535u,
                                   65536u,
                                   4294967295u,
                                   4294967296u,
                                   9007199254740993u,
                                   18446744073709551615u};
  static const int64_t ints[] = {-1,
                                 -32,
                                 -33,
                                 -128,
                                 -129,
                                 -32768,
                                 -32769,
                                 -2147483647 - 1,
                                 -2147483649LL,
                                 -9007199254740993LL,
                                 INT64_MIN};
  static const float f32[] = {
      0.0f, 0.5f, -1.25f, 0.1f, 3.4028234663852886e38f, 1.401298464324817e-45f, -0.0f};
  static const double f64[] = {0.1, -2.5e-300, 1.7976931348623157e308, 3.141592653589793,
                               4.9406564584124654e-324};
/* A user record `name` holding the array `values`, each element written by put. */
#define USER_ARRAY(name, values, put)                                                \
  do {                                                                               \
    wire_mp_t *m = wire_user_begin(&link, name);                                     \
    wire_mp_array(m, sizeof values / sizeof values[0]);                              \
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) put(m, values[i]); \
    wire_queue_end(&link);                                                           \
  } while (0)
  USER_ARRAY("uint", uints, wire_mp_uint);
  USER_ARRAY("int", ints, wire_mp_int);
  USER_ARRAY("float32", f32, wire_mp_float);
  USER_ARRAY("float64", f64, wire_mp_double);
#undef USER_ARRAY

  const char *strs[] = {"",
                        "a",
                        repeat('x', 31),
                        repeat('y', 32),
                        repeat('z', 255),
                        repeat('w', 256),
                        "\xc2\xb5s \xe2\x86\x92 \xe2\x82\xac"};
  user_str_array("str", strs, sizeof strs / sizeof strs[0]);

  static uint8_t bin[600];
  for (uint32_t i = 0; i < sizeof bin; i++) bin[i] = (uint8_t)(i * 7u);
  wire_mp_t *mp = wire_user_begin(&link, "bin");
  wire_mp_array(mp, 3);
  wire_mp_bin(mp, bin, 0);
  wire_mp_bin(mp, bin, 255);
  wire_mp_bin(mp, bin, 256);
  wire_queue_end(&link);

  /* COBS edge cases: a long run without zeros and a long run of zeros. */
  memset(bin, 0xff, sizeof bin);
  mp = wire_user_begin(&link, "bin-ff");
  wire_mp_bin(mp, bin, sizeof bin);
  wire_queue_end(&link);
  memset(bin, 0, sizeof bin);
  mp = wire_user_begin(&link, "bin-00");
  wire_mp_bin(mp, bin, sizeof bin);
  wire_queue_end(&link);

  mp = wire_user_begin(&link, "array");
  wire_mp_array(mp, 4);
  wire_mp_array(mp, 0);
  wire_mp_array(mp, 15);
  for (uint32_t i = 0; i < 15; i++) wire_mp_uint(mp, i);
  wire_mp_array(mp, 16);
  for (uint32_t i = 0; i < 16; i++) wire_mp_int(mp, -(int64_t)i);
  wire_mp_array(mp, 1);
  wire_mp_array(mp, 1);
  wire_mp_array(mp, 0);
  wire_queue_end(&link);

  mp = wire_user_begin(&link, "map");
  wire_mp_array(mp, 3);
  wire_mp_map(mp, 0);
  static const char *const keys16[16] = {"k0", "k1", "k2",  "k3",  "k4",  "k5",  "k6",  "k7",
                                         "k8", "k9", "k10", "k11", "k12", "k13", "k14", "k15"};
  wire_mp_map(mp, 16);
  for (uint32_t i = 0; i < 16; i++) {
    wire_mp_str(mp, keys16[i]);
    wire_mp_uint(mp, i * 1000u);
  }
  wire_mp_map(mp, 2);
  wire_mp_str(mp, "inner");
  wire_mp_map(mp, 1);
  wire_mp_str(mp, "deep");
  wire_mp_array(mp, 2);
  wire_mp_str(mp, "x");
  wire_mp_double(mp, 1.5);
  wire_mp_str(mp, "n");
  wire_mp_nil(mp);
  wire_queue_end(&link);

  mp = wire_user_begin(&link, "nil-bool");
  wire_mp_array(mp, 3);
  wire_mp_nil(mp);
  wire_mp_bool(mp, 1);
  wire_mp_bool(mp, 0);
  wire_queue_end(&link);
  wire_drain(&link);
}

/* The iteration records' result: {label: "yes", score: 200}. */
static void write_result(wire_mp_t *mp) {
  wire_mp_str(mp, "result");
  wire_mp_map(mp, 2);
  wire_mp_field_str(mp, "label", "yes");
  wire_mp_field_int(mp, "score", 200);
}

/* One record of every device->host type that is not answering a command. */
static void send_record_types(void) {
  wire_log(&link, WIRE_LOG_WARN, "selftest warning");
  wire_error(&link, NULL, WIRE_ERR_APP, "selftest error");

  wire_iter_t iter = {.run = 7,
                      .index = 2,
                      .warmup = 0,
                      .correct = 1,
                      .ticks = {1000u, 5000000000u, 30u, 5000001100u},
                      .io_counted = 1,
                      .io_bytes = {17u, 0u, 70000u},
                      .io_calls = {1u, 0u, 2u}};
  wire_mp_t *mp = wire_iter_begin(&link, &iter, 1);
  write_result(mp);
  wire_queue_end(&link);

  wire_iter_t warm = {.run = 7, .index = 0, .warmup = 1, .correct = -1, .ticks = {1, 2, 3, 6}};
  wire_iter_begin(&link, &warm, 0);
  wire_queue_end(&link);

  static const uint64_t op_ticks[3] = {11u, 222u, 3333u};
  static const char *const op_names[3] = {"CONV_2D", "FULLY_CONNECTED", "SOFTMAX"};
  wire_ops(&link, 7, 2, 0, op_ticks, op_names, 3);
  wire_ops(&link, 7, 3, 1, op_ticks + 1, NULL, 2);

  mp = wire_mem_begin(&link, 2);
  wire_mp_str(mp, "arena");
  wire_mp_map(mp, 3);
  wire_mp_field_uint(mp, "head", 6000);
  wire_mp_field_uint(mp, "tail", 788);
  wire_mp_field_uint(mp, "size", 8192);
  wire_mp_str(mp, "stack");
  wire_mp_map(mp, 1);
  wire_mp_field_uint(mp, "c", 1234);
  wire_queue_end(&link);

  wire_done_begin(&link, 7, 0, 3, 0);
  wire_queue_end(&link);
  wire_drain(&link);
}

/* Hold the queue through a "timed region" that produces more than it can hold, plus a
 * record too large for any frame: both must be reported by the overflow record. */
static void send_overflow_episode(void) {
  uint32_t queued = 0;
  wire_hold(&link, 1);
  for (uint32_t i = 0; i < 400u; i++) {
    wire_iter_t it = {
        .run = 8, .index = i, .warmup = 0, .correct = 1, .ticks = {i, i * 2u, i * 3u, i * 6u}};
    wire_iter_begin(&link, &it, 0);
    if (wire_queue_end(&link) == 0) queued++;
  }
  static uint8_t big[2000];
  wire_mp_t *mp = wire_user_begin(&link, "too-big");
  wire_mp_bin(mp, big, sizeof big);
  wire_queue_end(&link);
  wire_hold(&link, 0);
  wire_drain(&link);
  mp = wire_user_begin(&link, "overflow-episode");
  wire_mp_map(mp, 2);
  wire_mp_field_uint(mp, "queued", queued);
  wire_mp_field_uint(mp, "attempted", 400);
  wire_queue_end(&link);
  wire_done_begin(&link, 8, 0, 400, 0);
  wire_queue_end(&link);
  wire_drain(&link);
}

/* What a record costs the device: ticks to queue one iter record (what a bench loop
 * pays between timed regions) and to drain it. Reported as user record "costs". */
static void send_costs(void) {
  wire_drain(&link);
  wire_iter_t it = {.run = 9,
                    .index = 0,
                    .warmup = 0,
                    .correct = 1,
                    .ticks = {1234567u, 9332854u, 4321u, 10571742u}};
  uint64_t t0 = board_ticks();
  wire_mp_t *mp = wire_iter_begin(&link, &it, 1);
  write_result(mp);
  wire_queue_end(&link);
  uint64_t t1 = board_ticks();
  uint32_t bytes = wire_queue_pending(&link);
  wire_drain(&link);
  uint64_t t2 = board_ticks();
  uint64_t empty = board_ticks();
  empty = board_ticks() - empty;
  mp = wire_user_begin(&link, "costs");
  wire_mp_map(mp, 4);
  wire_mp_field_uint(mp, "iterQueueTicks", t1 - t0);
  wire_mp_field_uint(mp, "iterDrainTicks", t2 - t1);
  wire_mp_field_uint(mp, "iterWireBytes", bytes);
  wire_mp_field_uint(mp, "timerReadTicks", empty);
  wire_queue_end(&link);
  wire_drain(&link);
}

static void echo_bytes(wire_mp_t *mp, const char *key, wire_bytes_t b) {
  wire_mp_str(mp, key);
  wire_mp_strn(mp, b.ptr, b.len);
}

/* The echo's map: type and seq, then `fields` more entries. */
static void echo_head(wire_mp_t *mp, const wire_cmd_t *cmd, uint32_t fields) {
  wire_mp_map(mp, 2u + fields);
  wire_mp_field_uint(mp, "type", cmd->type);
  wire_mp_field_uint(mp, "seq", cmd->seq);
}

/* Tell the host exactly what the C reader decoded. */
static void echo_command(const wire_cmd_t *cmd) {
  wire_mp_t *mp = wire_user_begin(&link, "cmd");
  switch (cmd->type) {
    case WIRE_CMD_HELLO:
      echo_head(mp, cmd, 2);
      wire_mp_field_uint(mp, "v", cmd->u.hello.version);
      wire_mp_field_uint(mp, "maxFrame", cmd->u.hello.max_frame);
      break;
    case WIRE_CMD_RUN:
      echo_head(mp, cmd, cmd->u.run.model.len ? 7 : 6);
      echo_bytes(mp, "app", cmd->u.run.app);
      if (cmd->u.run.model.len) echo_bytes(mp, "model", cmd->u.run.model);
      wire_mp_field_str(mp, "impl", cmd->u.run.impl_c ? "c" : "js");
      wire_mp_field_str(mp, "kernels", cmd->u.run.optimized ? "optimized" : "reference");
      wire_mp_field_uint(mp, "iterations", cmd->u.run.iterations);
      wire_mp_field_uint(mp, "warmup", cmd->u.run.warmup);
      wire_mp_str(mp, "ops");
      wire_mp_bool(mp, cmd->u.run.ops);
      break;
    case WIRE_CMD_UPLOAD_BEGIN:
      echo_head(mp, cmd, 4);
      wire_mp_field_str(mp, "kind", cmd->u.upload_begin.kind_app ? "app" : "model");
      echo_bytes(mp, "name", cmd->u.upload_begin.name);
      wire_mp_field_uint(mp, "size", cmd->u.upload_begin.size);
      wire_mp_field_uint(mp, "crc", cmd->u.upload_begin.crc);
      break;
    case WIRE_CMD_UPLOAD_CHUNK:
      echo_head(mp, cmd, 3);
      wire_mp_field_uint(mp, "offset", cmd->u.upload_chunk.offset);
      wire_mp_str(mp, "data");
      wire_mp_bin(mp, cmd->u.upload_chunk.data, cmd->u.upload_chunk.len);
      wire_mp_field_uint(mp, "crc", cmd->u.upload_chunk.crc);
      break;
    case WIRE_CMD_UPLOAD_END:
      echo_head(mp, cmd, 1);
      wire_mp_field_uint(mp, "crc", cmd->u.upload_end.crc);
      break;
    default: echo_head(mp, cmd, 0); break;
  }
  wire_queue_end(&link);
}

static void send_info(int32_t hello_seq) {
  const board_tick_unit_t *u = board_tick_unit();
  board_memory_t m;
  board_memory(&m);
  wire_info_t info = {
      .build = "wire-selftest",
      .target = board_name(),
      .tick = {.unit = u->unit, .num = u->num, .den = u->den, .hz = u->hz},
      .flash_bytes = m.flash_bytes,
      .ram_bytes = m.ram_bytes,
      .stack_bottom = m.stack_bottom,
      .stack_top = m.stack_top,
      .hello_seq = hello_seq,
  };
  wire_info_begin(&link, &info, 0);
  wire_queue_end(&link);
}

/* Ticks in about ten seconds, for the idle timeout. */
static uint64_t idle_ticks(void) {
  const board_tick_unit_t *u = board_tick_unit();
  uint64_t units = u->hz ? (uint64_t)u->hz * 10u : 10000000000u; /* ns, or ~1e9 instr/s */
  return units * u->den / (u->num ? u->num : 1u);
}

static int serve_commands(void) {
  uint64_t idle_limit = idle_ticks();
  uint64_t last = board_ticks();
  for (;;) {
    wire_cmd_t cmd;
    if (!wire_poll(&link, &cmd)) {
      wire_drain(&link); /* answers the wire layer queued itself */
      if (file_src.active && file_src.pos == file_src.len) return 0;
      if (board_ticks() - last > idle_limit) return 2;
      continue;
    }
    last = board_ticks();
    echo_command(&cmd);
    if (cmd.type == WIRE_CMD_HELLO) {
      wire_ack(&link, &cmd);
      send_info((int32_t)cmd.seq);
    } else if (cmd.type == WIRE_CMD_RUN && cmd.u.run.app.len == 0) {
      wire_error(&link, &cmd, WIRE_ERR_APP, "empty app name");
    } else {
      wire_ack(&link, &cmd);
    }
    wire_drain(&link);
    if (cmd.type == WIRE_CMD_RESET) return 0;
  }
}

int main(void) {
  board_init();
  const wire_config_t cfg = WIRE_CONFIG(uart_write, link_read, NULL, scratch, queue, rx);
  if (wire_init(&link, &cfg) != 0) board_exit(3);

  const char *args = board_cmdline();
  const char *path = strstr(args, "commands=");
  if (path) {
    static char name[256];
    path += 9;
    size_t n = 0;
    while (path[n] && path[n] != ' ' && n < sizeof name - 1u) n++;
    memcpy(name, path, n);
    name[n] = 0;
    int32_t got = board_host_file_read(name, file_buf, sizeof file_buf);
    if (got < 0) board_exit(4);
    file_src.len = (uint32_t)got;
    file_src.active = 1;
  }

  send_info(-1);
  wire_log(&link, WIRE_LOG_INFO, "wire-selftest start");
  wire_drain(&link);
  send_value_kinds();
  send_record_types();
  send_overflow_episode();
  wire_checks_run(&link);
  send_costs();
  wire_log(&link, WIRE_LOG_INFO, "rx ready");
  wire_drain(&link);

  int status = serve_commands();
  wire_stats_t st;
  wire_stats(&link, &st);
  wire_mp_t *mp = wire_user_begin(&link, "rx-stats");
  wire_mp_map(mp, 5);
  wire_mp_field_uint(mp, "frames", st.rx_frames);
  wire_mp_field_uint(mp, "bad", st.rx_bad);
  wire_mp_field_uint(mp, "oversize", st.rx_oversize);
  wire_mp_field_uint(mp, "duplicates", st.rx_duplicates);
  wire_mp_field_uint(mp, "gaps", st.rx_gaps);
  wire_queue_end(&link);
  wire_drain(&link);
  board_uart_flush();
  board_exit(status);
}
