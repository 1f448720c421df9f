/*
 * kernel-diff – the optimized kernel set against the reference set, byte for byte, on
 * randomized single-op models written by test/engine/optimized-*.test.ts, plus a direct
 * check of the fast requantization against quant.c. Prints one JSON line per finding.
 *
 * Usage (board_cmdline):
 *   diff <dir> <count> <seed> <inputs>
 *       for i < count: <dir>/m<i>.tflite runs on a reference and an optimized interpreter
 *       (separate arenas). Both must accept or both refuse it with the same status; then
 *       <inputs> inputs (uniform random bytes, all minimum, all maximum, random extremes,
 *       by turn) must give identical bytes in every output.
 *       Lines: {"t":"mismatch",...} {"t":"status",...}; last {"t":"done",...}.
 *   requant <n> <seed>
 *       n random (multiplier, shift, zero point, clamp, accumulator) draws inside the
 *       fast form's proven domain: eng_opt_requant() vs eng_requantize()
 *       + zero point + clamp. Last line {"t":"done","runs":n,"mismatches":k}.
 *   softexp <n> <seed>
 *       the optimized kernels' inline gemmlowp helpers against quant.c: n random
 *       arguments of eng_opt_exp_q5 vs eng_q31_exp_neg(a, 5) (every a <= 0
 *       class: small, near quarter boundaries, any) and n random (a, b) pairs of
 *       eng_opt_srdhm / eng_opt_rdbp vs eng_q31_mul /
 *       eng_shr_round. Same "done" line.
 */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "cmdline.h"
#include "console.h"
#include "opt_common.h"
#include "quant.h"
#include "xsinfer/engine.h"

enum { MODEL_CAPACITY = 256 * 1024, ARENA_BYTES = 512 * 1024, MAX_OUT_BYTES = 64 * 1024 };

static uint8_t model[MODEL_CAPACITY] __attribute__((aligned(16)));
static uint8_t arena_ref[ARENA_BYTES] __attribute__((aligned(16)));
static uint8_t arena_opt[ARENA_BYTES] __attribute__((aligned(16)));

/* xorshift64*: deterministic on every target. */
static uint64_t rng_state;
static uint32_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * UINT64_C(2685821657736338717)) >> 32);
}
static void rng_seed(uint64_t s) {
  rng_state = s * UINT64_C(0x9E3779B97F4A7C15) + 1;
}

static long parse_num(const char *s) {
  long v = 0;
  if (s == NULL || *s == '\0') return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 100000000L) return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}

static void finish(int status) {
  board_uart_flush();
  board_exit(status);
}

/* Input pattern p: 0 uniform, 1 all minimum, 2 all maximum, 3 random extremes. */
static void fill_input(const eng_tensor_info_t *t, uint32_t pattern) {
  uint8_t *b = t->data;
  if (t->type == ENG_FLOAT32) {
    float *f = t->data;
    for (uint32_t i = 0; i < t->bytes / 4; i++)
      f[i] = (float)((int32_t)(rng() % 2001u) - 1000) / 250.0f;
    return;
  }
  for (uint32_t i = 0; i < t->bytes; i++) {
    switch (pattern % 4) {
      case 0: b[i] = (uint8_t)rng(); break;
      case 1: b[i] = 0x80; break;
      case 2: b[i] = 0x7F; break;
      default: b[i] = (rng() & 1) ? 0x80 : 0x7F; break;
    }
  }
}

static eng_interp_t *open_interp(const uint8_t *m, uint32_t bytes, uint8_t *arena,
                                 eng_kernel_set_t set, eng_status_t *status, const char **msg) {
  eng_error_t err;
  eng_interp_t *it = eng_interp_create(m, bytes, arena, ARENA_BYTES, set, &err);
  if (it == NULL) {
    *status = err.code;
    static char keep[2][ENG_ERROR_MESSAGE_BYTES];
    char *k = keep[set == ENG_KERNELS_OPTIMIZED];
    memcpy(k, err.message, sizeof err.message);
    *msg = k;
    return NULL;
  }
  *status = eng_interp_allocate(it);
  *msg = eng_interp_error(it)->message;
  return *status == ENG_OK ? it : NULL;
}

static int run_diff(const char *dir, long count, long seed, long inputs) {
  static char path[400];
  uint32_t rejected = 0, runs = 0, mismatches = 0, status_diffs = 0;
  for (long i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/m%ld.tflite", dir, i);
    const int32_t bytes = board_host_file_read(path, model, sizeof model);
    if (bytes <= 0) {
      console_printf("{\"t\":\"error\",\"msg\":\"cannot read %s\"}\n", path);
      return 2;
    }
    eng_status_t s_ref, s_opt;
    const char *m_ref, *m_opt;
    eng_interp_t *ref =
        open_interp(model, (uint32_t)bytes, arena_ref, ENG_KERNELS_REFERENCE, &s_ref, &m_ref);
    eng_interp_t *opt =
        open_interp(model, (uint32_t)bytes, arena_opt, ENG_KERNELS_OPTIMIZED, &s_opt, &m_opt);
    if (s_ref != s_opt) {
      status_diffs++;
      console_printf(
          "{\"t\":\"status\",\"model\":%ld,\"ref\":%d,\"opt\":%d,\"refMsg\":\"%s\",\"optMsg\":\"%"
          "s\"}\n",
          i, (int)s_ref, (int)s_opt, s_ref ? m_ref : "", s_opt ? m_opt : "");
      continue;
    }
    if (ref == NULL) {
      rejected++;
      continue;
    }
    rng_seed((uint64_t)seed * 1000003u + (uint64_t)i);
    for (long r = 0; r < inputs; r++) {
      for (uint32_t k = 0; k < eng_interp_input_count(ref); k++) {
        eng_tensor_info_t a, b;
        eng_interp_input(ref, k, &a);
        eng_interp_input(opt, k, &b);
        fill_input(&a, (uint32_t)r);
        memcpy(b.data, a.data, a.bytes);
      }
      const eng_status_t i_ref = eng_interp_invoke(ref);
      const eng_status_t i_opt = eng_interp_invoke(opt);
      runs++;
      if (i_ref != i_opt) {
        mismatches++;
        console_printf(
            "{\"t\":\"mismatch\",\"model\":%ld,\"input\":%ld,\"what\":\"invoke status %d vs "
            "%d\"}\n",
            i, r, (int)i_ref, (int)i_opt);
        continue;
      }
      for (uint32_t k = 0; k < eng_interp_output_count(ref); k++) {
        eng_tensor_info_t a, b;
        eng_interp_output(ref, k, &a);
        eng_interp_output(opt, k, &b);
        if (a.bytes != b.bytes || memcmp(a.data, b.data, a.bytes) != 0) {
          uint32_t at = 0;
          while (at < a.bytes && ((const uint8_t *)a.data)[at] == ((const uint8_t *)b.data)[at])
            at++;
          mismatches++;
          console_printf(
              "{\"t\":\"mismatch\",\"model\":%ld,\"input\":%ld,\"output\":%lu,\"byte\":%lu,\"ref\":"
              "%d,\"opt\":%d}\n",
              i, r, (unsigned long)k, (unsigned long)at,
              at < a.bytes ? (int)((const int8_t *)a.data)[at] : 0,
              at < b.bytes ? (int)((const int8_t *)b.data)[at] : 0);
          break;
        }
      }
    }
  }
  console_printf(
      "{\"t\":\"done\",\"models\":%ld,\"rejected\":%lu,\"statusDiffs\":%lu,\"runs\":%lu,"
      "\"mismatches\":%lu}\n",
      count, (unsigned long)rejected, (unsigned long)status_diffs, (unsigned long)runs,
      (unsigned long)mismatches);
  return 0;
}

static int32_t rand_range(int32_t lo, int32_t hi) {
  return lo + (int32_t)(rng() % (uint32_t)(hi - lo + 1));
}

static int run_requant(long n, long seed) {
  rng_seed((uint64_t)seed);
  uint32_t mismatches = 0, runs = 0;
  for (long i = 0; i < n; i++) {
    /* multiplier: a random real in [2^-30, 1), or exactly 0.5 (many ties) */
    int32_t m, shift;
    if (rng() % 4 == 0) {
      m = 1 << 30;
      shift = -rand_range(0, 12);
    } else {
      const double real = (double)(rng() | 1u) / 4294967296.0 / (double)(1u << (rng() % 24));
      eng_quantize_multiplier(real, &m, &shift);
    }
    const int32_t e = -shift;
    if (e < 1 || e > 31) continue;
    const int sat = rng() % 2;
    const int32_t zp = sat ? -128 : rand_range(-128, 127);
    int32_t amin = -128, amax = 127;
    if (!sat && rng() % 2) {
      amin = rand_range(-128, 127);
      amax = rand_range(amin, 127);
    }
    /* accumulator: small, large, or near the proven limit |acc| < 2^30 */
    int32_t acc;
    switch (rng() % 4) {
      case 0: acc = rand_range(-4096, 4096); break;
      case 1: acc = (int32_t)(rng() >> 2) - (1 << 29); break;
      case 2: acc = (int32_t)(rng() % (1u << 30)) * ((rng() & 1) ? 1 : -1); break;
      default: acc = (int32_t)((1u << 30) - 1 - (rng() % 64)) * ((rng() & 1) ? 1 : -1); break;
    }
    /* A zero multiplier (TFLM's for reals below 2^-32) outputs zp for any accumulator,
     * also one whose double wraps: the fast form runs it with shift 0. */
    const int zero = rng() % 16 == 0;
    if (zero) {
      m = 0;
      acc = (int32_t)rng();
    }
    const eng_opt_ch_t ch = {0, m};
    const eng_opt_out_t out = {amin, amax, 2 * zp + 1, (uint8_t)sat};
    const int32_t acc2 = (int32_t)((uint32_t)acc << 1);
    const int32_t fshift = zero ? 0 : e - 1;
    const int8_t fast = sat ? eng_opt_requant(acc2, &ch, fshift, &out, 1)
                            : eng_opt_requant(acc2, &ch, fshift, &out, 0);
    const int32_t want = eng_clamp32(eng_requantize(acc, m, shift) + zp, amin, amax);
    runs++;
    if (fast != want) {
      mismatches++;
      if (mismatches < 20) {
        console_printf(
            "{\"t\":\"mismatch\",\"acc\":%ld,\"m\":%ld,\"shift\":%ld,\"zp\":%ld,\"min\":%ld,"
            "\"max\":%ld,\"sat\":%d,\"fast\":%d,\"want\":%ld}\n",
            (long)acc, (long)m, (long)shift, (long)zp, (long)amin, (long)amax, sat, (int)fast,
            (long)want);
      }
    }
  }
  console_printf("{\"t\":\"done\",\"runs\":%lu,\"mismatches\":%lu}\n", (unsigned long)runs,
                 (unsigned long)mismatches);
  return 0;
}

static int run_softexp(long n, long seed) {
  rng_seed((uint64_t)seed);
  uint32_t mismatches = 0, runs = 0;
  for (long i = 0; i < n; i++) {
    int32_t a;
    switch (rng() % 4) {
      case 0: a = -(int32_t)(rng() % 4096u); break;
      case 1: a = -(int32_t)((rng() % 32u) << 24) + (int32_t)(rng() % 5u) - 2; break;
      case 2: a = (int32_t)(rng() | 0x80000000u); break;
      default: a = -(int32_t)(rng() >> 1); break;
    }
    if (a > 0) a = -a;
    const int32_t fast = eng_opt_exp_q5(a), want = eng_q31_exp_neg(a, 5);
    runs++;
    if (fast != want && ++mismatches < 20) {
      console_printf("{\"t\":\"mismatch\",\"what\":\"exp\",\"a\":%ld,\"fast\":%ld,\"want\":%ld}\n",
                     (long)a, (long)fast, (long)want);
    }
    int32_t x = (int32_t)rng(), y = (int32_t)rng();
    if (rng() % 8 == 0) x = INT32_MIN + (int32_t)(rng() % 3u);
    if (rng() % 8 == 0) y = INT32_MAX - (int32_t)(rng() % 3u);
    if (x == INT32_MIN && y == INT32_MIN) y = 0;
    const int32_t e = 1 + (int32_t)(rng() % 31u);
    runs++;
    if (eng_opt_srdhm(x, y) != eng_q31_mul(x, y) || eng_opt_rdbp(x, e) != eng_shr_round(x, e)) {
      if (++mismatches < 20) {
        console_printf(
            "{\"t\":\"mismatch\",\"what\":\"srdhm/rdbp\",\"x\":%ld,\"y\":%ld,\"e\":%ld}\n", (long)x,
            (long)y, (long)e);
      }
    }
  }
  console_printf("{\"t\":\"done\",\"runs\":%lu,\"mismatches\":%lu}\n", (unsigned long)runs,
                 (unsigned long)mismatches);
  return 0;
}

int main(void) {
  board_init();
  static char args[600];
  char *argv[8];
  const int argc = cmdline_words(args, sizeof args, argv, 8);
  if (argc >= 5 && strcmp(argv[0], "diff") == 0) {
    finish(run_diff(argv[1], parse_num(argv[2]), parse_num(argv[3]), parse_num(argv[4])));
  }
  if (argc >= 3 && strcmp(argv[0], "requant") == 0) {
    finish(run_requant(parse_num(argv[1]), parse_num(argv[2])));
  }
  if (argc >= 3 && strcmp(argv[0], "softexp") == 0) {
    finish(run_softexp(parse_num(argv[1]), parse_num(argv[2])));
  }
  console_printf(
      "{\"t\":\"error\",\"msg\":\"usage: kernel-diff diff <dir> <count> <seed> <inputs> | requant "
      "<n> <seed> | softexp <n> <seed>\"}\n");
  finish(2);
}
