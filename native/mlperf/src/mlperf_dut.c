/* mlperf_dut.c – the MLPerf Tiny runner's serial protocol, device side (see mlperf_dut.h). */
#include "mlperf_dut.h"

#include <stdio.h>
#include <string.h>

enum { MAX_WORDS = 4 };

static void out(mlperf_dut_t *dut, const char *text) {
  dut->ops.write(dut->ops.user, text, strlen(text));
}

static void line(mlperf_dut_t *dut, const char *text) {
  out(dut, text);
  out(dut, "\r\n");
}

static void error(mlperf_dut_t *dut, const char *what) {
  snprintf(dut->scratch, sizeof dut->scratch, "e-[%s]", what);
  line(dut, dut->scratch);
}

void mlperf_dut_init(mlperf_dut_t *dut, const mlperf_dut_ops_t *ops, uint8_t *buffer,
                     uint32_t capacity) {
  memset(dut, 0, sizeof *dut);
  dut->ops = *ops;
  dut->buffer = buffer;
  dut->capacity = capacity;
}

void mlperf_dut_banner(mlperf_dut_t *dut) {
  snprintf(dut->scratch, sizeof dut->scratch, "m-timestamp-mode-performance");
  line(dut, dut->scratch);
  line(dut, "m-init-done");
  line(dut, "m-ready");
}

/* A whole decimal number of at most 9 digits (no sign). Returns 1 and *value, or 0. */
static int number(const char *word, int32_t *value) {
  if (!word || !*word) return 0;
  int32_t v = 0;
  int digits = 0;
  for (const char *p = word; *p; p++) {
    if (*p < '0' || *p > '9' || ++digits > 9) return 0;
    v = v * 10 + (*p - '0');
  }
  *value = v;
  return 1;
}

/* A signed decimal (infer's N and W may be given negative, which is an error to report). */
static int signed_number(const char *word, int32_t *value) {
  if (word && word[0] == '-') {
    if (!number(word + 1, value)) return 0;
    *value = -*value;
    return 1;
  }
  return number(word, value);
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decimal text of v (newlib-nano's printf has no %llu). */
static void u64_text(uint64_t v, char *out) {
  char digits[21];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  while (n) *out++ = digits[--n];
  *out = 0;
}

static void timestamp_line(mlperf_dut_t *dut) {
  memcpy(dut->scratch, "m-lap-us-", 9);
  u64_text(dut->ops.micros(dut->ops.user), dut->scratch + 9);
  line(dut, dut->scratch);
}

static void db_load(mlperf_dut_t *dut, const char *arg) {
  int32_t n;
  if (!number(arg, &n) || n <= 0) {
    error(dut, "db load: N must be a whole number > 0");
    return;
  }
  if ((uint32_t)n > dut->capacity) {
    snprintf(dut->scratch, sizeof dut->scratch,
             "e-[db load: %ld bytes do not fit the %lu-byte buffer]", (long)n,
             (unsigned long)dut->capacity);
    line(dut, dut->scratch);
    return;
  }
  dut->expected = (uint32_t)n;
  dut->received = 0;
  dut->loaded = 0;
  dut->have_results = 0;
  snprintf(dut->scratch, sizeof dut->scratch, "m-[Expecting %ld bytes]", (long)n);
  line(dut, dut->scratch);
}

static void db_data(mlperf_dut_t *dut, const char *hex) {
  if (dut->expected == 0) {
    error(dut, "db: no load armed (db load N first)");
    return;
  }
  size_t len = strlen(hex);
  if (len == 0 || len % 2) {
    error(dut, "db: hex bytes must come in pairs of digits");
    return;
  }
  for (size_t i = 0; i < len; i++) {
    if (hex_digit(hex[i]) < 0) {
      error(dut, "db: not a hex digit");
      return;
    }
  }
  if (len / 2 > dut->expected - dut->received) {
    error(dut, "db: more bytes than db load announced");
    return;
  }
  for (size_t i = 0; i < len; i += 2)
    dut->buffer[dut->received++] = (uint8_t)(hex_digit(hex[i]) << 4 | hex_digit(hex[i + 1]));
  if (dut->received == dut->expected) {
    dut->loaded = dut->received;
    dut->expected = 0;
    line(dut, "m-load-done");
  }
}

static void db_print(mlperf_dut_t *dut, const char *count, const char *offset) {
  int32_t n = (int32_t)dut->loaded, off = 0;
  if ((count && !number(count, &n)) || (offset && !number(offset, &off))) {
    error(dut, "db print: N and OFF must be whole numbers");
    return;
  }
  uint32_t have = dut->expected ? dut->received : dut->loaded;
  if ((uint32_t)off > have) off = (int32_t)have;
  if ((uint32_t)n > have - (uint32_t)off) n = (int32_t)(have - (uint32_t)off);
  out(dut, "m-buffer-");
  static const char digits[] = "0123456789abcdef";
  char pair[2];
  for (int32_t i = 0; i < n; i++) {
    uint8_t b = dut->buffer[off + i];
    pair[0] = digits[b >> 4];
    pair[1] = digits[b & 15];
    dut->ops.write(dut->ops.user, pair, 2);
  }
  out(dut, "\r\n");
}

static void results(mlperf_dut_t *dut) {
  const char *why = dut->ops.results(dut->ops.user, dut->text, sizeof dut->text);
  if (why) {
    error(dut, why);
    return;
  }
  out(dut, "m-results-[");
  out(dut, dut->text);
  out(dut, "]\r\n");
}

static void infer(mlperf_dut_t *dut, const char *count, const char *warmup) {
  int32_t n = 1, w = 10;
  if ((count && !signed_number(count, &n)) || (warmup && !signed_number(warmup, &w))) {
    error(dut, "infer: N and W must be whole numbers");
    return;
  }
  if (n <= 0 || w < 0) {
    error(dut, "infer: N must be > 0 and W >= 0");
    return;
  }
  if (dut->loaded == 0) {
    error(dut, "infer: no input loaded (db load N, then db HEX...)");
    return;
  }
  const char *why = dut->ops.load(dut->ops.user, dut->buffer, dut->loaded);
  if (why) {
    error(dut, why);
    return;
  }
  snprintf(dut->scratch, sizeof dut->scratch, "m-warmup-start-%ld", (long)w);
  line(dut, dut->scratch);
  for (int32_t i = 0; i < w && !why; i++) why = dut->ops.infer(dut->ops.user);
  if (why) {
    error(dut, why);
    return;
  }
  line(dut, "m-warmup-done");
  snprintf(dut->scratch, sizeof dut->scratch, "m-infer-start-%ld", (long)n);
  line(dut, dut->scratch);
  timestamp_line(dut);
  for (int32_t i = 0; i < n && !why; i++) why = dut->ops.infer(dut->ops.user);
  timestamp_line(dut);
  if (why) {
    error(dut, why);
    return;
  }
  line(dut, "m-infer-done");
  dut->have_results = 1;
  results(dut);
}

static void help(mlperf_dut_t *dut) {
  line(dut, "name              device name");
  line(dut, "profile           benchmark version and model");
  line(dut, "timestamp         board clock in microseconds");
  line(dut, "db load N         expect N input bytes");
  line(dut, "db HEX...         input bytes as hex pairs");
  line(dut, "db print [N] [OFF] show the buffer");
  line(dut, "infer [N [W]]     load the input, W warm-up and N timed inferences, results");
  line(dut, "results           the last inference's results");
  if (dut->ops.help) line(dut, dut->ops.help);
}

void mlperf_dut_command(mlperf_dut_t *dut, const char *command) {
  char copy[MLPERF_DUT_LINE_MAX + 1];
  snprintf(copy, sizeof copy, "%s", command);
  char *words[MAX_WORDS + 1] = {0};
  int count = 0;
  for (char *p = copy; *p;) {
    while (*p == ' ' || *p == '\t') *p++ = 0;
    if (!*p) break;
    if (count == MAX_WORDS) {
      count++;
      break;
    }
    words[count++] = p;
    while (*p && *p != ' ' && *p != '\t') p++;
  }
  const char *w0 = words[0] ? words[0] : "";
  if (count > MAX_WORDS) {
    error(dut, "too many arguments");
  } else if (count == 0) {
    error(dut, "empty command");
  } else if (strcmp(w0, "name") == 0 && count == 1) {
    snprintf(dut->scratch, sizeof dut->scratch, "m-name-dut-[%s]", dut->ops.name);
    line(dut, dut->scratch);
  } else if (strcmp(w0, "profile") == 0 && count == 1) {
    snprintf(dut->scratch, sizeof dut->scratch, "m-profile-[%s]", dut->ops.version);
    line(dut, dut->scratch);
    snprintf(dut->scratch, sizeof dut->scratch, "m-model-[%s]", dut->ops.model);
    line(dut, dut->scratch);
  } else if (strcmp(w0, "timestamp") == 0 && count == 1) {
    timestamp_line(dut);
  } else if (strcmp(w0, "db") == 0 && count >= 2) {
    if (strcmp(words[1], "load") == 0 && count == 3)
      db_load(dut, words[2]);
    else if (strcmp(words[1], "print") == 0)
      db_print(dut, words[2], count > 3 ? words[3] : NULL);
    else if (count == 2)
      db_data(dut, words[1]);
    else
      error(dut, "db: use db load N, db HEX... or db print [N] [OFF]");
  } else if (strcmp(w0, "infer") == 0 && count <= 3) {
    infer(dut, words[1], words[2]);
  } else if (strcmp(w0, "results") == 0 && count == 1) {
    if (!dut->have_results)
      error(dut, "results: no inference since the last load");
    else
      results(dut);
  } else if (strcmp(w0, "help") == 0) {
    help(dut);
  } else {
    snprintf(dut->scratch, sizeof dut->scratch, "e-[unknown command or arguments: %.60s]", command);
    line(dut, dut->scratch);
  }
  line(dut, "m-ready");
}

void mlperf_dut_feed(mlperf_dut_t *dut, const uint8_t *data, size_t len) {
  for (size_t i = 0; i < len; i++) {
    char c = (char)data[i];
    if (c == '%') {
      dut->line[dut->line_len] = 0;
      if (dut->overflow) {
        error(dut, "command too long");
        line(dut, "m-ready");
      } else {
        mlperf_dut_command(dut, dut->line);
      }
      dut->line_len = 0;
      dut->overflow = 0;
    } else if (c == '\r' || c == '\n' || c == 0) {
      continue;
    } else if (dut->line_len < MLPERF_DUT_LINE_MAX) {
      dut->line[dut->line_len++] = c;
    } else {
      dut->overflow = 1;
    }
  }
}
