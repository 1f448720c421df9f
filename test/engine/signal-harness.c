/*
 * signal-harness.c – host test driver for the audio front end (signal-library kernels,
 * their FlexBuffer options and the engine running audio_preprocessor_*.tflite). Built and
 * driven by test/engine/signal-frontend.test.ts (gcc, ASan + UBSan); not firmware code.
 *
 * Modes (stdin carries whitespace-separated integers, stdout carries results):
 *   run <model>       stdin: ncases, then per case nframes and nframes*480 samples.
 *                     stdout: "FRAME <case> <frame> v0 .. v39" per frame (fresh
 *                     interpreter per case, frames in order).
 *   perop <model>     stdin: 480 samples. One invoke with every tensor preserved;
 *                     stdout: "OP <index> <name> <n>" then n lines "T <tensor> <type> v..".
 *   mutate <model>    corrupts every byte of every op's custom options (bit flips, 0x00,
 *                     0xFF) and runs create/allocate/invoke: must never crash or read out
 *                     of bounds; prints "MUTATE <variants> <accepted> <rejected>".
 *   exec <model>      any model: stdin gives every subgraph input's values in order;
 *                     stdout "OUT <i> <type> v.." per output, or "ERROR <status> <msg>"
 *                     (exit 3) when create/allocate/invoke refuses.
 *   selftest          unit checks of the integer helpers, the FFT and the FlexBuffer
 *                     reader; prints "SELFTEST OK <checks>" or the first failure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flexbuffer.h"
#include "harness_io.h"
#include "internal.h"
#include "signal_dsp.h"
#include "xsinfer/engine.h"

enum { FRAME = 480, ARENA_BYTES = 256 * 1024 };
static const double PI = 3.14159265358979323846;

static uint8_t g_arena[ARENA_BYTES] __attribute__((aligned(16)));

static long next_int(void) {
  long v;
  if (scanf("%ld", &v) != 1) {
    fprintf(stderr, "truncated input\n");
    exit(2);
  }
  return v;
}

static eng_interp_t *open_model(const uint8_t *model, size_t len, int preserve) {
  eng_error_t err;
  eng_interp_t *it =
      eng_interp_create(model, len, g_arena, sizeof g_arena, ENG_KERNELS_REFERENCE, &err);
  if (it == NULL) {
    printf("ERROR create: %s\n", err.message);
    exit(1);
  }
  if (preserve && eng_interp_preserve_all(it, 1) != ENG_OK) {
    printf("ERROR preserve_all: %s\n", eng_interp_error(it)->message);
    exit(1);
  }
  if (eng_interp_allocate(it) != ENG_OK) {
    printf("ERROR allocate: %s\n", eng_interp_error(it)->message);
    exit(1);
  }
  return it;
}

/* The tensor's elements, each after a space, then the end of the line. */
static void print_tensor(const eng_tensor_info_t *t) {
  const void *data = t->data;
  const eng_type_t type = t->type;
  const uint32_t n = t->bytes / eng_type_size(t->type);
  for (uint32_t i = 0; i < n; ++i) {
    switch (type) {
      case ENG_INT8: printf(" %d", ((const int8_t *)data)[i]); break;
      case ENG_UINT8: printf(" %u", ((const uint8_t *)data)[i]); break;
      case ENG_BOOL: printf(" %u", ((const uint8_t *)data)[i]); break;
      case ENG_UINT16: printf(" %u", ((const uint16_t *)data)[i]); break;
      case ENG_INT64: printf(" %lld", (long long)((const int64_t *)data)[i]); break;
      case ENG_INT16: printf(" %d", ((const int16_t *)data)[i]); break;
      case ENG_INT32: printf(" %d", ((const int32_t *)data)[i]); break;
      case ENG_UINT32: printf(" %u", ((const uint32_t *)data)[i]); break;
      case ENG_UINT64: printf(" %llu", (unsigned long long)((const uint64_t *)data)[i]); break;
      case ENG_FLOAT32: printf(" %.9g", (double)((const float *)data)[i]); break;
      default: printf(" ?"); break;
    }
  }
  printf("\n");
}

/* One FRAME of int16 samples from stdin into the input tensor. */
static void read_frame(const eng_tensor_info_t *in) {
  int16_t *x = in->data;
  for (int i = 0; i < FRAME; ++i) x[i] = (int16_t)next_int();
}

static int mode_exec(const char *path) {
  size_t len;
  uint8_t *model = harness_read_file(path, &len);
  eng_error_t err;
  eng_interp_t *it =
      eng_interp_create(model, len, g_arena, sizeof g_arena, ENG_KERNELS_REFERENCE, &err);
  eng_status_t st = it == NULL ? err.code : eng_interp_allocate(it);
  for (uint32_t i = 0; st == ENG_OK && i < eng_interp_input_count(it); ++i) {
    eng_tensor_info_t t;
    eng_interp_input(it, i, &t);
    const uint32_t n = t.bytes / eng_type_size(t.type);
    for (uint32_t k = 0; k < n; ++k) {
      char tok[64];
      if (scanf("%63s", tok) != 1) {
        fprintf(stderr, "truncated input\n");
        return 2;
      }
      uint8_t *p = (uint8_t *)t.data + (size_t)k * eng_type_size(t.type);
      switch (t.type) {
        case ENG_FLOAT32: {
          const float f = strtof(tok, NULL);
          memcpy(p, &f, 4);
          break;
        }
        case ENG_INT64: {
          const int64_t v = strtoll(tok, NULL, 10);
          memcpy(p, &v, 8);
          break;
        }
        case ENG_UINT64: {
          const uint64_t v = strtoull(tok, NULL, 10);
          memcpy(p, &v, 8);
          break;
        }
        default: { /* integers up to 32 bits: little-endian truncation */
          const int64_t v = strtoll(tok, NULL, 10);
          for (uint32_t b = 0; b < eng_type_size(t.type); ++b)
            p[b] = (uint8_t)((uint64_t)v >> (8 * b));
          break;
        }
      }
    }
  }
  if (st == ENG_OK) st = eng_interp_invoke(it);
  if (st != ENG_OK) {
    printf("ERROR %s %s\n", eng_status_name(st),
           it == NULL ? err.message : eng_interp_error(it)->message);
    free(model);
    return 3;
  }
  for (uint32_t i = 0; i < eng_interp_output_count(it); ++i) {
    eng_tensor_info_t t;
    eng_interp_output(it, i, &t);
    printf("OUT %u %s", i, eng_type_name(t.type));
    print_tensor(&t);
  }
  free(model);
  return 0;
}

static int mode_run(const char *path) {
  size_t len;
  uint8_t *model = harness_read_file(path, &len);
  const long cases = next_int();
  for (long c = 0; c < cases; ++c) {
    const long frames = next_int();
    eng_interp_t *it = open_model(model, len, 0);
    eng_tensor_info_t in, out;
    eng_interp_input(it, 0, &in);
    eng_interp_output(it, 0, &out);
    if (in.type != ENG_INT16 || in.bytes != FRAME * 2) {
      printf("ERROR input is not int16[%d]\n", FRAME);
      return 1;
    }
    for (long k = 0; k < frames; ++k) {
      read_frame(&in);
      if (eng_interp_invoke(it) != ENG_OK) {
        printf("ERROR invoke: %s\n", eng_interp_error(it)->message);
        return 1;
      }
      printf("FRAME %ld %ld", c, k);
      print_tensor(&out);
    }
  }
  free(model);
  return 0;
}

static int mode_perop(const char *path) {
  size_t len;
  uint8_t *model = harness_read_file(path, &len);
  eng_interp_t *it = open_model(model, len, 1);
  eng_tensor_info_t in;
  eng_interp_input(it, 0, &in);
  read_frame(&in);
  if (eng_interp_invoke(it) != ENG_OK) {
    printf("ERROR invoke: %s\n", eng_interp_error(it)->message);
    return 1;
  }
  for (uint32_t op = 0; op < eng_interp_op_count(it); ++op) {
    int32_t outs[8];
    const uint32_t n = eng_interp_op_outputs(it, op, outs, 8);
    printf("OP %u %s %u\n", op, eng_interp_op_name(it, op), n);
    for (uint32_t k = 0; k < n; ++k) {
      eng_tensor_info_t t;
      eng_interp_tensor(it, (uint32_t)outs[k], &t);
      printf("T %d %s", outs[k], eng_type_name(t.type));
      print_tensor(&t);
    }
  }
  free(model);
  return 0;
}

static int mode_mutate(const char *path) {
  size_t len;
  uint8_t *model = harness_read_file(path, &len);
  uint8_t *copy = aligned_alloc(16, (len + 15u) / 16u * 16u);
  /* Where each op's custom options sit in the file (from a clean interpreter). */
  uint32_t spans[64][2];
  uint32_t nspans = 0;
  {
    eng_interp_t *it = open_model(model, len, 0);
    for (uint32_t i = 0; i < it->num_ops && nspans < 64; ++i) {
      const eng_node_t *n = &it->nodes[i];
      if (n->custom_options != NULL && n->custom_options_len > 0) {
        spans[nspans][0] = (uint32_t)(n->custom_options - model);
        spans[nspans][1] = n->custom_options_len;
        ++nspans;
      }
    }
  }
  static const uint8_t values[2] = {0x00, 0xFF};
  uint32_t variants = 0, accepted = 0, rejected = 0;
  for (uint32_t s = 0; s < nspans; ++s) {
    for (uint32_t b = 0; b < spans[s][1]; ++b) {
      const uint32_t at = spans[s][0] + b;
      for (int v = 0; v < 10; ++v) {
        memcpy(copy, model, len);
        if (v < 8) {
          copy[at] ^= (uint8_t)(1u << v);
        } else {
          if (copy[at] == values[v - 8]) continue;
          copy[at] = values[v - 8];
        }
        ++variants;
        eng_error_t err;
        eng_interp_t *it =
            eng_interp_create(copy, len, g_arena, sizeof g_arena, ENG_KERNELS_REFERENCE, &err);
        if (it == NULL || eng_interp_allocate(it) != ENG_OK) {
          ++rejected;
          continue;
        }
        eng_tensor_info_t in;
        eng_interp_input(it, 0, &in);
        int16_t *x = in.data;
        for (int i = 0; i < FRAME; ++i) x[i] = (int16_t)((i * 2654435761u) >> 16);
        (void)eng_interp_invoke(it); /* may fail (e.g. a zero divisor); must not crash */
        ++accepted;
      }
    }
  }
  printf("MUTATE %u %u %u\n", variants, accepted, rejected);
  free(copy);
  free(model);
  return 0;
}

/* ---- selftest ---- */

static uint32_t g_checks;
static int g_failed;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    ++g_checks;                                            \
    if (!(cond) && !g_failed) {                            \
      g_failed = 1;                                        \
      printf("SELFTEST FAIL %s:%d: ", __FILE__, __LINE__); \
      printf(__VA_ARGS__);                                 \
      printf("\n");                                        \
    }                                                      \
  } while (0)

static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 7;
  g_rng ^= g_rng << 17;
  return g_rng;
}

static uint64_t isqrt_floor(uint64_t x) {
  uint64_t r = (uint64_t)sqrt((double)x);
  while (r > 0 && (r > 0xFFFFFFFFull || r * r > x)) --r;
  while (r < 0xFFFFFFFFull && (r + 1) * (r + 1) <= x) ++r;
  return r;
}

/* Documented rounding: floor root plus one when the remainder exceeds the root, unless
 * the result would leave the output type. */
static uint64_t sqrt_expected(uint64_t x, uint64_t cap) {
  const uint64_t r = isqrt_floor(x);
  return (x - r * r > r && r != cap) ? r + 1 : r;
}

static void test_integer_math(void) {
  CHECK(eng_sig_msb32(0) == 32 && eng_sig_msb32(1) == 1 && eng_sig_msb32(0x80000000u) == 32,
        "msb32 edges");
  CHECK(eng_sig_msb64(0) == 64 && eng_sig_msb64(1ull << 40) == 41, "msb64 edges");
  for (int i = 0; i < 20000; ++i) {
    const uint32_t x = i < 2000 ? (uint32_t)i : (uint32_t)(rnd() >> (32 + rnd() % 32));
    CHECK(eng_sig_sqrt32(x) == sqrt_expected(x, 0xFFFF), "sqrt32(%u) = %u", x, eng_sig_sqrt32(x));
    const uint64_t y = (rnd() >> (rnd() % 32)) | (1ull << 32);
    CHECK(eng_sig_sqrt64(y) == sqrt_expected(y, 0xFFFFFFFFull), "sqrt64(%llu)",
          (unsigned long long)y);
  }
  CHECK(eng_sig_sqrt32(0xFFFFFFFFu) == 0xFFFF, "sqrt32 cap");
  CHECK(eng_sig_sqrt64(UINT64_MAX) == 0xFFFFFFFFu, "sqrt64 cap");
  /* log: ln(x) * scale in Q16 of the scale, checked against libm within the LUT's error */
  for (int i = 0; i < 5000; ++i) {
    const uint32_t x = 2u + (uint32_t)(rnd() >> (33 + rnd() % 31));
    const double want = log((double)x) * 64.0;
    const double got = eng_sig_log32(x, 64);
    CHECK(fabs(got - want) <= 1.0, "log32(%u) = %g, ln*64 = %g", x, got, want);
  }
  int16_t out[4];
  const uint32_t in[4] = {0, 1, 2, 0xFFFFFFFFu};
  eng_sig_filter_bank_log(in, 4, 64, 3, out);
  CHECK(out[0] == 0 && out[1] > 0 && out[2] > out[1] && out[3] > 0, "filter bank log edges");
}

/* The fixed-point FFT divides by the transform length on the way; compare with a double
 * DFT scaled the same way. */
static void test_fft(int32_t n) {
  const size_t bytes = eng_sig_rfft_memory_bytes(n);
  CHECK(bytes > 0, "fft length %d should be supported", n);
  if (bytes == 0) return;
  void *mem = aligned_alloc(16, (bytes + 15u) / 16u * 16u);
  int16_t *x = calloc((size_t)n, sizeof *x);
  eng_sig_cpx16 *y = calloc((size_t)n / 2 + 1, sizeof *y);
  eng_sig_rfft_plan plan;
  CHECK(eng_sig_rfft_init(&plan, n, mem, bytes) == 0, "init %d", n);
  /* the tables are exactly TFLM's: floor(0.5 + 32767 * cos/sin(phase)) from libm */
  const int32_t nc = n / 2;
  for (int32_t i = 0; i < nc; ++i) {
    const double ph = -2 * PI * i / nc;
    CHECK(plan.twiddles[i].r == (int16_t)floor(0.5 + 32767.0 * cos(ph)) &&
              plan.twiddles[i].i == (int16_t)floor(0.5 + 32767.0 * sin(ph)),
          "fft %d twiddle %d", n, i);
  }
  for (int32_t i = 0; i < nc / 2; ++i) {
    const double ph = -PI * ((double)(i + 1) / nc + .5);
    CHECK(plan.super_twiddles[i].r == (int16_t)floor(0.5 + 32767.0 * cos(ph)) &&
              plan.super_twiddles[i].i == (int16_t)floor(0.5 + 32767.0 * sin(ph)),
          "fft %d super twiddle %d", n, i);
  }
  for (int32_t i = 0; i < n; ++i) x[i] = (int16_t)((int32_t)(rnd() % 40000) - 20000);
  eng_sig_rfft(&plan, x, n, y);
  double worst = 0;
  for (int32_t k = 0; k <= n / 2; ++k) {
    double re = 0, im = 0;
    for (int32_t t = 0; t < n; ++t) {
      re += x[t] * cos(2 * PI * k * t / n);
      im -= x[t] * sin(2 * PI * k * t / n);
    }
    re /= n;
    im /= n;
    const double e = fmax(fabs(re - y[k].r), fabs(im - y[k].i));
    worst = fmax(worst, e);
  }
  /* A few LSB per stage of rounding. */
  CHECK(worst <= 2.0 * (plan.num_stages + 1), "fft %d worst error %g", n, worst);
  free(mem);
  free(x);
  free(y);
}

static void test_flexbuffer(void) {
  /* {"a": 5} */
  static const uint8_t map1[] = {0x61, 0x00, 0x01, 0x03, 0x01, 0x01,
                                 0x01, 0x05, 0x04, 0x02, 0x24, 0x01};
  eng_flex_value_t root, v;
  int32_t i32;
  CHECK(eng_flex_root(map1, sizeof map1, &root) == ENG_FLEX_OK && root.type == ENG_FLEX_MAP,
        "map1 root");
  CHECK(eng_flex_map_int32(&root, "a", 0, 10, &i32) == ENG_FLEX_OK && i32 == 5, "map1 a");
  CHECK(eng_flex_map_get(&root, "b", &v) == ENG_FLEX_NOT_FOUND, "map1 missing key");
  CHECK(eng_flex_map_get(&root, "", &v) == ENG_FLEX_NOT_FOUND, "map1 empty key");
  CHECK(eng_flex_map_int32(&root, "a", 6, 10, &i32) == ENG_FLEX_TYPE, "map1 range");
  /* {"v": [1, 2, 3]} as a typed int vector */
  static const uint8_t map2[] = {0x76, 0x00, 0x01, 0x03, 0x03, 0x01, 0x02, 0x03,
                                 0x05, 0x01, 0x01, 0x06, 0x2c, 0x02, 0x24, 0x01};
  uint32_t size = 0;
  int64_t e[3] = {0, 0, 0};
  CHECK(eng_flex_root(map2, sizeof map2, &root) == ENG_FLEX_OK, "map2 root");
  CHECK(eng_flex_map_get(&root, "v", &v) == ENG_FLEX_OK && v.type == ENG_FLEX_VECTOR_INT,
        "map2 v type %d", v.type);
  CHECK(eng_flex_size(&v, &size) == ENG_FLEX_OK && size == 3, "map2 size %u", size);
  for (uint32_t k = 0; k < 3; ++k) {
    eng_flex_value_t el;
    CHECK(eng_flex_at(&v, k, &el) == ENG_FLEX_OK && eng_flex_as_int64(&el, &e[k]) == ENG_FLEX_OK,
          "map2 element %u", k);
  }
  CHECK(e[0] == 1 && e[1] == 2 && e[2] == 3, "map2 values");
  eng_flex_value_t el;
  CHECK(eng_flex_at(&v, 3, &el) == ENG_FLEX_NOT_FOUND, "map2 index bound");
  /* {"f": 1.5} with a 4-byte map */
  static const uint8_t map3[] = {0x66, 0x00, 0x01, 0x03, 0x01, 0x00, 0x00, 0x00,
                                 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0xC0, 0x3F, 0x0E, 0x05, 0x26, 0x01};
  double d = 0;
  CHECK(eng_flex_root(map3, sizeof map3, &root) == ENG_FLEX_OK, "map3 root");
  CHECK(eng_flex_map_get(&root, "f", &v) == ENG_FLEX_OK && v.type == ENG_FLEX_FLOAT &&
            eng_flex_as_double(&v, &d) == ENG_FLEX_OK && d == 1.5,
        "map3 float %g", d);
  CHECK(eng_flex_map_int32(&root, "f", 0, 9, &i32) == ENG_FLEX_OK && i32 == 1, "map3 trunc");
  /* Every truncation and every single-byte corruption stays in bounds (ASan watches). */
  const uint8_t *bufs[3] = {map1, map2, map3};
  const size_t lens[3] = {sizeof map1, sizeof map2, sizeof map3};
  for (int b = 0; b < 3; ++b) {
    for (size_t cut = 0; cut < lens[b]; ++cut) {
      uint8_t *t = malloc(cut ? cut : 1);
      memcpy(t, bufs[b] + lens[b] - cut, cut); /* keep the tail: the root lives there */
      if (eng_flex_root(t, cut, &root) == ENG_FLEX_OK) {
        (void)eng_flex_map_get(&root, "a", &v);
        (void)eng_flex_size(&root, &size);
      }
      free(t);
    }
    for (size_t at = 0; at < lens[b]; ++at) {
      for (int bit = 0; bit < 8; ++bit) {
        uint8_t *t = malloc(lens[b]);
        memcpy(t, bufs[b], lens[b]);
        t[at] ^= (uint8_t)(1u << bit);
        if (eng_flex_root(t, lens[b], &root) == ENG_FLEX_OK) {
          int64_t x;
          if (eng_flex_map_get(&root, "a", &v) == ENG_FLEX_OK) (void)eng_flex_as_int64(&v, &x);
          if (eng_flex_map_get(&root, "v", &v) == ENG_FLEX_OK &&
              eng_flex_size(&v, &size) == ENG_FLEX_OK) {
            for (uint32_t k = 0; k < size && k < 16; ++k) {
              if (eng_flex_at(&v, k, &el) == ENG_FLEX_OK) (void)eng_flex_as_int64(&el, &x);
            }
          }
          (void)eng_flex_map_get(&root, "f", &v);
        }
        free(t);
      }
    }
  }
  CHECK(eng_flex_root(map1, 2, &root) == ENG_FLEX_MALFORMED, "tiny buffer");
  static const uint8_t bad_width[] = {0x05, 0x04, 0x03};
  CHECK(eng_flex_root(bad_width, sizeof bad_width, &root) == ENG_FLEX_MALFORMED, "root width 3");
  static const uint8_t far_offset[] = {0x7F, 0x24, 0x01};
  CHECK(eng_flex_root(far_offset, sizeof far_offset, &root) == ENG_FLEX_MALFORMED,
        "offset before start");
}

static int mode_selftest(void) {
  test_integer_math();
  static const int32_t lengths[] = {512, 4, 8, 16, 32, 64, 128, 256, 1024, 2048, 4096, 8192};
  for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; ++i) test_fft(lengths[i]);
  static const int32_t refused[] = {0, 2, 5, 6, 10, 24, 96, 2000, 2 * 37, 1 << 18};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; ++i) {
    CHECK(eng_sig_rfft_memory_bytes(refused[i]) == 0 && eng_sig_rfft_work_bytes(refused[i]) == 0,
          "fft length %d (not a power of two in 4..2^17) is refused", refused[i]);
  }
  test_flexbuffer();
  if (!g_failed) printf("SELFTEST OK %u\n", g_checks);
  return g_failed;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "selftest") == 0) return mode_selftest();
  if (argc >= 3 && strcmp(argv[1], "run") == 0) return mode_run(argv[2]);
  if (argc >= 3 && strcmp(argv[1], "perop") == 0) return mode_perop(argv[2]);
  if (argc >= 3 && strcmp(argv[1], "mutate") == 0) return mode_mutate(argv[2]);
  if (argc >= 3 && strcmp(argv[1], "exec") == 0) return mode_exec(argv[2]);
  fprintf(stderr, "usage: signal-harness selftest | run|perop|mutate|exec <model.tflite>\n");
  return 2;
}
