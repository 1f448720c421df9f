/*
 * checks.c – C-level checks of native/wire that the wire itself cannot show: exact
 * msgpack bytes, 32-bit length forms, reader behaviour on truncated and hostile input,
 * COBS vectors and configuration errors. Run on every target by wire-selftest; the
 * result goes to the host as a `user` record named "c-checks".
 */
#include <string.h>

#include "checks.h"
#include "wire.h"

typedef struct checks {
  uint32_t passed;
  uint32_t failed;
  const char *first_failure;
} checks_t;

static void check(checks_t *c, int ok, const char *what) {
  if (ok) {
    c->passed++;
  } else {
    if (!c->failed) c->first_failure = what;
    c->failed++;
  }
}

static int bytes_are(const wire_mp_t *mp, const uint8_t *want, uint32_t n) {
  return !mp->failed && mp->len == n && memcmp(mp->buf, want, n) == 0;
}

static void check_writer(checks_t *c) {
  uint8_t buf[64];
  wire_mp_t mp;
#define EXPECT_BYTES(call, what, ...)                    \
  do {                                                   \
    static const uint8_t want_[] = {__VA_ARGS__};        \
    wire_mp_init(&mp, buf, sizeof buf);                  \
    call;                                                \
    check(c, bytes_are(&mp, want_, sizeof want_), what); \
  } while (0)
  EXPECT_BYTES(wire_mp_uint(&mp, 127), "uint 127 fixint", 0x7f);
  EXPECT_BYTES(wire_mp_uint(&mp, 128), "uint 128 u8", 0xcc, 0x80);
  EXPECT_BYTES(wire_mp_uint(&mp, 0x1234), "uint16 big endian", 0xcd, 0x12, 0x34);
  EXPECT_BYTES(wire_mp_uint(&mp, 0x12345678u), "uint32", 0xce, 0x12, 0x34, 0x56, 0x78);
  EXPECT_BYTES(wire_mp_uint(&mp, 0x0102030405060708u), "uint64", 0xcf, 1, 2, 3, 4, 5, 6, 7, 8);
  EXPECT_BYTES(wire_mp_int(&mp, -32), "int -32 fixint", 0xe0);
  EXPECT_BYTES(wire_mp_int(&mp, -33), "int -33 i8", 0xd0, 0xdf);
  EXPECT_BYTES(wire_mp_int(&mp, -129), "int -129 i16", 0xd1, 0xff, 0x7f);
  EXPECT_BYTES(wire_mp_int(&mp, -32769), "int -32769 i32", 0xd2, 0xff, 0xff, 0x7f, 0xff);
  EXPECT_BYTES(wire_mp_int(&mp, INT64_MIN), "int64 min", 0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0);
  EXPECT_BYTES(wire_mp_int(&mp, 5), "non-negative int as uint", 0x05);
  EXPECT_BYTES(wire_mp_float(&mp, 1.0f), "float32 1.0", 0xca, 0x3f, 0x80, 0, 0);
  EXPECT_BYTES(wire_mp_double(&mp, -2.0), "float64 -2.0", 0xcb, 0xc0, 0, 0, 0, 0, 0, 0, 0);
  EXPECT_BYTES(wire_mp_array(&mp, 15), "fixarray", 0x9f);
  EXPECT_BYTES(wire_mp_array(&mp, 16), "array16", 0xdc, 0, 16);
  EXPECT_BYTES(wire_mp_array(&mp, 70000), "array32", 0xdd, 0, 1, 0x11, 0x70);
  EXPECT_BYTES(wire_mp_map(&mp, 15), "fixmap", 0x8f);
  EXPECT_BYTES(wire_mp_map(&mp, 65535), "map16", 0xde, 0xff, 0xff);
  EXPECT_BYTES(wire_mp_map(&mp, 65536), "map32", 0xdf, 0, 1, 0, 0);
  EXPECT_BYTES(wire_mp_strn(&mp, "ab", 2), "fixstr", 0xa2, 'a', 'b');
  EXPECT_BYTES(wire_mp_bin(&mp, "ab", 2), "bin8", 0xc4, 2, 'a', 'b');
  EXPECT_BYTES((wire_mp_nil(&mp), wire_mp_bool(&mp, 1), wire_mp_bool(&mp, 0)), "nil true false",
               0xc0, 0xc3, 0xc2);
#undef EXPECT_BYTES
  /* Overflow: stops writing, flags once, never writes past cap. */
  uint8_t small[4] = {0xee, 0xee, 0xee, 0xee};
  wire_mp_init(&mp, small, 3);
  wire_mp_uint(&mp, 1);
  wire_mp_uint(&mp, 0x1234);
  wire_mp_uint(&mp, 2);
  check(c, mp.failed && mp.len == 1 && small[3] == 0xee, "writer overflow is flagged and bounded");
  /* str8 header for 32..255 bytes, str16 from 256. */
  static char text[300];
  memset(text, 'q', sizeof text);
  uint8_t big[320];
  wire_mp_init(&mp, big, sizeof big);
  wire_mp_strn(&mp, text, 255);
  check(c, mp.len == 257 && big[0] == 0xd9 && big[1] == 255, "str8 header");
  wire_mp_init(&mp, big, sizeof big);
  wire_mp_strn(&mp, text, 300);
  check(c, mp.len == 303 && big[0] == 0xda && big[1] == 1 && big[2] == 44, "str16 header");
}

static void check_reader(checks_t *c) {
  /* 32-bit length forms and non-minimal encodings, as other writers may send. */
  static const uint8_t msg[] = {
      0xdf, 0,   0,    0,    5, /* map32 of 5 */
      0xdb, 0,   0,    0,    1,    'a', 0xdd, 0, 0, 0,    2,
      0xcc, 7,   0xd1, 0xff, 0x85,                           /* a: [7, -123] */
      0xd9, 1,   'b',  0xc6, 0,    0,   0,    2, 0, 0xff,    /* b: bin32 00 ff */
      0xa1, 'c', 0xcf, 0,    0,    0,   0,    0, 0, 0,    9, /* c: uint64 9 */
      0xa1, 'd', 0xcb, 0x41, 0xf0, 0,   0,    0, 0, 0,    0, /* d: 2^32 as float64 */
      0xa1, 'e', 0xd6, 0x01, 1,    2,   3,    4,             /* e: fixext4 */
  };
  wire_mr_t mr;
  wire_mr_init(&mr, msg, sizeof msg);
  uint32_t n = 0, alen = 0, slen = 0, blen = 0;
  const char *s = NULL;
  const uint8_t *b = NULL;
  uint64_t u = 0, big = 0;
  int64_t i = 0;
  int ok = wire_mr_map(&mr, &n) && n == 5;
  ok = ok && wire_mr_str(&mr, &s, &slen) && slen == 1 && s[0] == 'a';
  ok = ok && wire_mr_array(&mr, &alen) && alen == 2 && wire_mr_uint(&mr, &u) && u == 7;
  ok = ok && wire_mr_int(&mr, &i) && i == -123;
  ok = ok && wire_mr_str(&mr, &s, &slen) && s[0] == 'b' && wire_mr_bin(&mr, &b, &blen) &&
       blen == 2 && b[1] == 0xff;
  ok = ok && wire_mr_skip(&mr) && wire_mr_uint(&mr, &u) && u == 9;
  ok = ok && wire_mr_skip(&mr) && wire_mr_uint(&mr, &big) && big == 4294967296u;
  ok = ok && wire_mr_skip(&mr) && wire_mr_peek(&mr) == WIRE_MP_EXT && wire_mr_skip(&mr);
  check(c, ok && mr.p == mr.end && !mr.failed,
        "reader: 32-bit forms, non-minimal ints, float as uint, ext");

  /* Kind mismatch leaves the cursor; uint refuses negatives and fractions. */
  static const uint8_t neg[] = {0xff, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0}; /* -1, 1.5 */
  wire_mr_init(&mr, neg, sizeof neg);
  ok = !wire_mr_uint(&mr, &u) && mr.p == neg && !mr.failed && wire_mr_int(&mr, &i) && i == -1;
  ok = ok && !wire_mr_uint(&mr, &u) && !wire_mr_int(&mr, &i) && !wire_mr_str(&mr, &s, &slen);
  check(c, ok && !mr.failed, "reader: mismatches leave the cursor");

  /* Truncation at every byte: reading stops with failed set, never past the end. */
  int cut_ok = 1;
  for (uint32_t cut = 0; cut < sizeof msg; cut++) {
    wire_mr_init(&mr, msg, cut);
    if (wire_mr_skip(&mr) || !mr.failed || mr.p > msg + cut) cut_ok = 0;
  }
  check(c, cut_ok, "reader: every truncation fails cleanly");

  /* Hostile counts and depth cost neither stack nor time beyond the input. */
  static const uint8_t huge[] = {0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0};
  wire_mr_init(&mr, huge, sizeof huge);
  check(c, !wire_mr_skip(&mr) && mr.failed, "reader: array32 of 2^32-1 with no data");
  static uint8_t deep[2000];
  memset(deep, 0x91, sizeof deep - 1); /* 1999 nested one-element arrays around nil */
  deep[sizeof deep - 1] = 0xc0;
  wire_mr_init(&mr, deep, sizeof deep);
  check(c, wire_mr_skip(&mr) && mr.p == mr.end, "reader: deep nesting skipped iteratively");
  static const uint8_t never[] = {0xc1};
  wire_mr_init(&mr, never, sizeof never);
  check(c, wire_mr_peek(&mr) == WIRE_MP_INVALID && !wire_mr_skip(&mr), "reader: 0xc1 is invalid");
  static const uint8_t longstr[] = {0xda, 0x00, 0x05, 'a', 'b'};
  wire_mr_init(&mr, longstr, sizeof longstr);
  check(c, !wire_mr_str(&mr, &s, &slen) && mr.failed, "reader: string longer than input");
}

static void check_cobs_crc(checks_t *c) {
  check(c, wire_crc32(0, "123456789", 9) == 0xCBF43926u, "crc32 check value");
  check(c, wire_crc32(wire_crc32(0, "1234", 4), "56789", 5) == 0xCBF43926u, "crc32 continues");
  uint8_t in[300], enc[310], dec[300];
  for (uint32_t k = 0; k < sizeof in; k++) in[k] = (uint8_t)(k % 255u + 1u);
  size_t n = wire_cobs_encode(in, 254, enc, sizeof enc);
  check(c, n == 255 && enc[0] == 0xff, "cobs: 254 non-zero bytes, no trailing code");
  n = wire_cobs_encode(in, 255, enc, sizeof enc);
  check(c, n == 257 && enc[255] == 0x02 && enc[256] == in[254], "cobs: 255 non-zero bytes");
  static const uint8_t zeros[3] = {0, 0, 0};
  n = wire_cobs_encode(zeros, 3, enc, sizeof enc);
  check(c, n == 4 && enc[0] == 1 && enc[3] == 1, "cobs: zeros");
  check(c, wire_cobs_encode(in, 254, enc, 254) == 0, "cobs: encoder respects capacity");
  in[10] = 0;
  in[200] = 0;
  n = wire_cobs_encode(in, 300, enc, sizeof enc);
  int32_t d = wire_cobs_decode(enc, n, enc, sizeof enc); /* in place */
  check(c, d == 300 && memcmp(enc, in, 300) == 0, "cobs: in-place decode");
  static const uint8_t bad[] = {0x05, 1, 2};
  check(c, wire_cobs_decode(bad, sizeof bad, dec, sizeof dec) < 0, "cobs: block past the end");
}

static void write_nothing(void *ctx, const uint8_t *data, size_t len) {
  (void)ctx;
  (void)data;
  (void)len;
}

static size_t read_nothing(void *ctx, uint8_t *data, size_t cap) {
  (void)ctx;
  (void)data;
  (void)cap;
  return 0;
}

static void check_config(checks_t *c) {
  static uint8_t scratch[256], queue[512], rx[256];
  wire_t w;
  wire_config_t cfg = {.write = write_nothing,
                       .scratch = scratch,
                       .scratch_cap = sizeof scratch,
                       .queue = queue,
                       .queue_cap = sizeof queue};
  check(c, wire_init(&w, &cfg) == 0 && wire_max_frame(&w) == 256,
        "config: small buffers bound the frame");
  cfg.queue_cap = 200;
  check(c, wire_init(&w, &cfg) != 0, "config: queue smaller than one frame is refused");
  cfg.queue_cap = sizeof queue;
  cfg.read = (wire_read_fn)0;
  cfg.rx = rx;
  cfg.rx_cap = 16;
  check(c, wire_init(&w, &cfg) == 0 && wire_max_frame(&w) == 256,
        "config: TX-only link ignores RX buffers");
  cfg.read = read_nothing;
  check(c, wire_init(&w, &cfg) != 0, "config: a reader needs an RX buffer of 64 bytes or more");
  cfg.rx_cap = 200;
  check(c, wire_init(&w, &cfg) == 0 && wire_max_frame(&w) == 199,
        "config: the RX buffer bounds the frame");
  cfg.read = (wire_read_fn)0;
  wire_init(&w, &cfg);
  check(c, wire_queue_begin(&w, WIRE_REC_LOG) != NULL && wire_queue_begin(&w, WIRE_REC_LOG) == NULL,
        "queue: one record open at a time");
  wire_queue_cancel(&w);
  check(c, wire_queue_pending(&w) == 0 && wire_queue_begin(&w, WIRE_REC_LOG) != NULL,
        "queue: cancel");
  wire_queue_cancel(&w);
}

void wire_checks_run(wire_t *link) {
  checks_t c = {0, 0, ""};
  check_writer(&c);
  check_reader(&c);
  check_cobs_crc(&c);
  check_config(&c);
  wire_mp_t *mp = wire_user_begin(link, "c-checks");
  wire_mp_map(mp, 3);
  wire_mp_field_uint(mp, "passed", c.passed);
  wire_mp_field_uint(mp, "failed", c.failed);
  wire_mp_field_str(mp, "firstFailure", c.first_failure);
  wire_queue_end(link);
}
