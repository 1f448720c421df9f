/*
 * verify – the device side of `xsinfer verify` / `xsinfer inspect`: loads a model and
 * case files from the host (board_host_file_read), runs them through the engine and
 * prints one JSON object per line on the UART. The host compares against the goldens.
 *
 * Usage (board_cmdline, space separated):
 *   run <model> <pack-dir> <num-cases> <reference|optimized>
 *       every case file <pack-dir>/case-<i>.bin (format: native/engine/README.md) runs
 *       on a fresh interpreter; outputs of every step are printed as hex.
 *   inspect <model> <reference|optimized> [arena-bytes] [preserve]
 *       create + allocate, arena figures (or the error), then one invoke on zeroed
 *       inputs.
 * Lines: {"t":"arena",...} {"t":"case",...} {"t":"op",...} {"t":"error",...}
 *        {"t":"unsupported","missing":"A,B"} {"t":"done",...}
 */
#include <string.h>

#include "board.h"
#include "cmdline.h"
#include "console.h"
#include "xsinfer/engine.h"

enum {
  MODEL_CAPACITY = 512 * 1024,
  CASE_CAPACITY = 128 * 1024,
  ARENA_BYTES = 256 * 1024,
  MAX_IO = 8,
  MAX_OP_OUTPUTS = 8
};

#define CASE_MAGIC       0x53435358u /* "XSCS" little endian */
#define CASE_FLAG_PER_OP 1u

static uint8_t model[MODEL_CAPACITY] __attribute__((aligned(16)));
static uint8_t case_buf[CASE_CAPACITY] __attribute__((aligned(16)));
static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));

/* ---- buffered UART output ---- */

static char out_buf[1024];
static uint32_t out_len;

static void out_flush(void) {
  if (out_len > 0) {
    board_uart_write(out_buf, out_len);
    out_len = 0;
  }
}

static void out_char(char c) {
  if (out_len == sizeof out_buf) {
    out_flush();
  }
  out_buf[out_len++] = c;
}

static void out_str(const char *s) {
  while (*s != '\0') {
    out_char(*s++);
  }
}

static void out_json_str(const char *s, uint32_t max) {
  out_char('"');
  for (uint32_t i = 0; i < max && s[i] != '\0'; i++) {
    const char c = s[i];
    if (c == '"' || c == '\\') {
      out_char('\\');
      out_char(c);
    } else if ((unsigned char)c < 0x20) {
      out_char(' ');
    } else {
      out_char(c);
    }
  }
  out_char('"');
}

static void out_u64(uint64_t v) {
  char digits[21];
  out_str(console_u64(digits, v));
}

static void out_i32(int32_t v) {
  if (v < 0) {
    out_char('-');
    out_u64((uint64_t)(-(int64_t)v));
  } else {
    out_u64((uint64_t)v);
  }
}

static void out_hex(const uint8_t *p, uint32_t n) {
  static const char digits[] = "0123456789abcdef";
  for (uint32_t i = 0; i < n; i++) {
    out_char(digits[p[i] >> 4]);
    out_char(digits[p[i] & 15]);
  }
}

static void out_end_line(void) {
  out_str("}\n");
  out_flush();
}

static void print_error(const char *what, const eng_error_t *e) {
  out_str("{\"t\":\"error\",\"what\":");
  out_json_str(what, 64);
  out_str(",\"code\":");
  out_i32((int32_t)e->code);
  out_str(",\"status\":");
  out_json_str(eng_status_name(e->code), 64);
  out_str(",\"op\":");
  out_i32(e->op_index);
  out_str(",\"bytesNeeded\":");
  out_u64(e->bytes_needed);
  out_str(",\"msg\":");
  out_json_str(e->message, sizeof e->message);
  out_end_line();
}

static void print_simple_error(const char *what, const char *detail) {
  out_str("{\"t\":\"error\",\"what\":");
  out_json_str(what, 64);
  out_str(",\"msg\":");
  out_json_str(detail, 256);
  out_end_line();
}

/* ---- model ---- */

static int32_t load_file(const char *path, uint8_t *buf, uint32_t cap) {
  const int32_t size = board_host_file_size(path);
  if (size < 0 || (uint32_t)size > cap) {
    return -1;
  }
  return board_host_file_read(path, buf, cap);
}

static eng_interp_t *open_interp(uint32_t model_bytes, eng_kernel_set_t kernels,
                                 uint32_t arena_bytes, int report_missing, int preserve_all) {
  eng_error_t err;
  eng_interp_t *it = eng_interp_create(model, model_bytes, arena, arena_bytes, kernels, &err);
  if (it == NULL) {
    if (err.code == ENG_ERR_UNSUPPORTED_OP && report_missing) {
      static char names[512];
      eng_model_missing_ops(model, model_bytes, kernels, names, sizeof names);
      out_str("{\"t\":\"unsupported\",\"missing\":");
      out_json_str(names, sizeof names);
      out_str(",\"msg\":");
      out_json_str(err.message, sizeof err.message);
      out_end_line();
    } else {
      print_error("create", &err);
    }
    return NULL;
  }
  if (preserve_all) {
    eng_interp_preserve_all(it, 1);
  }
  if (eng_interp_allocate(it) != ENG_OK) {
    print_error("allocate", eng_interp_error(it));
    return NULL;
  }
  return it;
}

static void print_arena(const eng_interp_t *it) {
  eng_arena_usage_t u;
  eng_interp_arena_usage(it, &u);
  out_str("{\"t\":\"arena\",\"head\":");
  out_u64(u.head_bytes);
  out_str(",\"tail\":");
  out_u64(u.tail_bytes);
  out_str(",\"total\":");
  out_u64(u.total_bytes);
  out_str(",\"pointerBytes\":");
  out_u64(sizeof(void *));
  out_end_line();
}

/* ---- per-op dump through the profiler hook (called after each op's eval) ---- */

typedef struct perop_ctx {
  eng_interp_t *it;
} perop_ctx_t;

static void on_op(void *user, int32_t op_index, int32_t builtin, uint64_t ticks) {
  const perop_ctx_t *ctx = user;
  int32_t outs[MAX_OP_OUTPUTS];
  const uint32_t n = eng_interp_op_outputs(ctx->it, (uint32_t)op_index, outs, MAX_OP_OUTPUTS);
  out_str("{\"t\":\"op\",\"i\":");
  out_i32(op_index);
  out_str(",\"builtin\":");
  out_i32(builtin);
  out_str(",\"ticks\":");
  out_u64(ticks);
  out_str(",\"outs\":[");
  for (uint32_t k = 0; k < n; k++) {
    eng_tensor_info_t info;
    if (k > 0) {
      out_char(',');
    }
    out_char('"');
    if (eng_interp_tensor(ctx->it, (uint32_t)outs[k], &info) == ENG_OK && info.data != NULL) {
      out_hex(info.data, info.bytes);
    }
    out_char('"');
  }
  out_str("]");
  out_end_line();
}

/* ---- cases ---- */

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void case_error(uint32_t index, const char *msg, const eng_error_t *e) {
  out_str("{\"t\":\"case\",\"i\":");
  out_u64(index);
  out_str(",\"ok\":0,\"msg\":");
  out_json_str(msg, 200);
  if (e != NULL) {
    out_str(",\"code\":");
    out_i32((int32_t)e->code);
    out_str(",\"op\":");
    out_i32(e->op_index);
    out_str(",\"detail\":");
    out_json_str(e->message, sizeof e->message);
  }
  out_end_line();
}

/* Outputs of every step are kept here until the case ends (one line per case). */
static uint8_t step_outputs[CASE_CAPACITY] __attribute__((aligned(16)));

static int run_case(uint32_t index, const char *dir, uint32_t model_bytes, eng_kernel_set_t kernels,
                    int first) {
  static char path[300];
  const size_t dl = strlen(dir);
  if (dl + 32 > sizeof path) {
    case_error(index, "pack path too long", NULL);
    return 1;
  }
  memcpy(path, dir, dl);
  path[dl] = '/';
  memcpy(path + dl + 1, "case-", 5);
  char num[12];
  int nl = 0;
  uint32_t v = index;
  do {
    num[nl++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0);
  char *p = path + dl + 6;
  while (nl > 0) {
    *p++ = num[--nl];
  }
  memcpy(p, ".bin", 5);
  const int32_t size = load_file(path, case_buf, sizeof case_buf);
  if (size < 16 || rd32(case_buf) != CASE_MAGIC) {
    case_error(index, "cannot read case file", NULL);
    return 1;
  }
  const uint32_t flags = rd32(case_buf + 4);
  const uint32_t steps = rd32(case_buf + 8);
  const uint32_t num_inputs = rd32(case_buf + 12);
  eng_interp_t *it = open_interp((uint32_t)model_bytes, kernels, ARENA_BYTES, 0, 0);
  if (it == NULL) {
    case_error(index, "interpreter", NULL);
    return 1;
  }
  if (first) {
    print_arena(it);
  }
  const uint32_t nin = eng_interp_input_count(it);
  const uint32_t nout = eng_interp_output_count(it);
  if (num_inputs != nin || nout > MAX_IO) {
    case_error(index, "case has a different number of inputs than the model", NULL);
    return 1;
  }
  uint32_t out_bytes[MAX_IO];
  uint32_t total_out = 0;
  for (uint32_t o = 0; o < nout; o++) {
    eng_tensor_info_t info;
    eng_interp_output(it, o, &info);
    out_bytes[o] = info.bytes;
    total_out += info.bytes;
  }
  if ((uint64_t)total_out * steps > sizeof step_outputs) {
    case_error(index, "outputs of all steps exceed the buffer", NULL);
    return 1;
  }
  perop_ctx_t ctx = {it};
  uint32_t at = 16;
  uint64_t ticks = 0;
  for (uint32_t s = 0; s < steps; s++) {
    for (uint32_t i = 0; i < nin; i++) {
      eng_tensor_info_t info;
      eng_interp_input(it, i, &info);
      if (at + 4 > (uint32_t)size) {
        case_error(index, "case file truncated", NULL);
        return 1;
      }
      const uint32_t bytes = rd32(case_buf + at);
      at += 4;
      if (bytes != info.bytes || bytes > (uint32_t)size - at) {
        case_error(index, "input size does not match the model's input tensor", NULL);
        return 1;
      }
      memcpy(info.data, case_buf + at, bytes);
      at += (bytes + 3u) & ~3u;
    }
    const int per_op = (flags & CASE_FLAG_PER_OP) != 0 && s == 0;
    eng_interp_set_profiler(it, per_op ? board_ticks : NULL, per_op ? on_op : NULL, &ctx);
    const uint64_t t0 = board_ticks();
    const eng_status_t st = eng_interp_invoke(it);
    ticks += board_ticks() - t0;
    if (st != ENG_OK) {
      case_error(index, "invoke failed", eng_interp_error(it));
      return 1;
    }
    uint32_t off = s * total_out;
    for (uint32_t o = 0; o < nout; o++) {
      eng_tensor_info_t info;
      eng_interp_output(it, o, &info);
      memcpy(step_outputs + off, info.data, info.bytes);
      off += info.bytes;
    }
  }
  out_str("{\"t\":\"case\",\"i\":");
  out_u64(index);
  out_str(",\"ok\":1,\"steps\":");
  out_u64(steps);
  out_str(",\"ticks\":");
  out_u64(ticks);
  out_str(",\"outs\":[");
  for (uint32_t o = 0; o < nout; o++) {
    if (o > 0) {
      out_char(',');
    }
    out_char('"');
    uint32_t before = 0;
    for (uint32_t k = 0; k < o; k++) {
      before += out_bytes[k];
    }
    for (uint32_t s = 0; s < steps; s++) {
      out_hex(step_outputs + s * total_out + before, out_bytes[o]);
    }
    out_char('"');
  }
  out_str("]");
  out_end_line();
  return 0;
}

/* Decimal parse without libc (newlib's strtol/strtok touch reentrancy state that
 * allocates on first use; this program must not allocate). -1 when not a number. */
static long parse_count(const char *s) {
  long v = 0;
  if (*s == '\0') {
    return -1;
  }
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9' || v > 100000000L) {
      return -1;
    }
    v = v * 10 + (*s - '0');
  }
  return v;
}

static void finish(int status) {
  out_flush();
  board_uart_flush();
  board_exit(status);
}

int main(void) {
  board_init();
  static char args[600];
  char *argv[8];
  const int argc = cmdline_words(args, sizeof args, argv, 8);
  if (argc < 3) {
    print_simple_error(
        "usage",
        "verify run <model> <pack-dir> <cases> <kernels> | inspect <model> <kernels> [arena]");
    finish(2);
  }
  const int32_t model_bytes = load_file(argv[1], model, sizeof model);
  if (model_bytes < 0) {
    print_simple_error("cannot read model (missing or larger than the model buffer)", argv[1]);
    finish(2);
  }
  if (strcmp(argv[0], "inspect") == 0) {
    const eng_kernel_set_t kernels =
        strcmp(argv[2], "optimized") == 0 ? ENG_KERNELS_OPTIMIZED : ENG_KERNELS_REFERENCE;
    uint32_t arena_bytes = ARENA_BYTES;
    int preserve = 0;
    for (int a = 3; a < argc; a++) {
      if (strcmp(argv[a], "preserve") == 0) {
        preserve = 1;
        continue;
      }
      const long v = parse_count(argv[a]);
      arena_bytes = v > 0 && v <= ARENA_BYTES ? (uint32_t)v : ARENA_BYTES;
    }
    eng_interp_t *it = open_interp((uint32_t)model_bytes, kernels, arena_bytes, 1, preserve);
    if (it == NULL) {
      finish(3);
    }
    print_arena(it);
    /* One invoke on zeroed inputs: hostile-model tests reach eval too. */
    for (uint32_t i = 0; i < eng_interp_input_count(it); i++) {
      eng_tensor_info_t info;
      if (eng_interp_input(it, i, &info) == ENG_OK && info.data != NULL) {
        memset(info.data, 0, info.bytes);
      }
    }
    const uint64_t t0 = board_ticks();
    const eng_status_t st = eng_interp_invoke(it);
    const uint64_t ticks = board_ticks() - t0;
    if (st != ENG_OK) {
      print_error("invoke", eng_interp_error(it));
      finish(3);
    }
    out_str("{\"t\":\"invoked\",\"ticks\":");
    out_u64(ticks);
    out_end_line();
    out_str("{\"t\":\"done\",\"inputs\":");
    out_u64(eng_interp_input_count(it));
    out_str(",\"outputs\":");
    out_u64(eng_interp_output_count(it));
    out_end_line();
    finish(0);
  }
  if (strcmp(argv[0], "run") != 0 || argc < 5) {
    print_simple_error("usage", "verify run <model> <pack-dir> <cases> <kernels>");
    finish(2);
  }
  const eng_kernel_set_t kernels =
      strcmp(argv[4], "optimized") == 0 ? ENG_KERNELS_OPTIMIZED : ENG_KERNELS_REFERENCE;
  const long cases = parse_count(argv[3]);
  if (cases < 0) {
    print_simple_error("usage", "number of cases must be a non-negative integer");
    finish(2);
  }
  /* Check the model once up front so unsupported ops are reported as such. */
  if (open_interp((uint32_t)model_bytes, kernels, ARENA_BYTES, 1, 0) == NULL) {
    finish(3);
  }
  uint32_t failed = 0;
  for (long i = 0; i < cases; i++) {
    failed += (uint32_t)run_case((uint32_t)i, argv[2], (uint32_t)model_bytes, kernels, i == 0);
  }
  out_str("{\"t\":\"done\",\"cases\":");
  out_u64((uint64_t)cases);
  out_str(",\"errors\":");
  out_u64(failed);
  out_end_line();
  finish(0);
}
