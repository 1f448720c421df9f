/* micro.c – see micro.h. */
#include "baseline/micro.h"

#include <string.h>

const uint32_t c_micro_fill_bytes[C_MICRO_FILLS] = {1, 784, 1960, 9216};
const uint32_t c_micro_argmax_n[C_MICRO_ARGMAXES] = {4, 10};

/* A byte loop GCC may not turn into a memcpy call: what a JS element loop is compared to. */
__attribute__((noinline, optimize("no-tree-loop-distribute-patterns"))) static void copy_loop(
    int8_t *dst, const int8_t *src, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) dst[i] = src[i];
}

/* POPULATE's work in mnist/person_detect: a table lookup per byte. */
__attribute__((noinline)) static void lut_loop(int8_t *dst, const uint8_t *src, const int8_t *lut,
                                               uint32_t n) {
  for (uint32_t i = 0; i < n; i++) dst[i] = lut[src[i]];
}

#define BARRIER() __asm__ volatile("" ::: "memory")

static uint64_t ticks_pair(bench_ticks_fn ticks) {
  uint64_t best = UINT64_MAX;
  for (int k = 0; k < 5; k++) {
    uint64_t t0 = ticks();
    BARRIER();
    uint64_t t1 = ticks();
    if (t1 - t0 < best) best = t1 - t0;
  }
  return best;
}

static uint64_t net(uint64_t t0, uint64_t t1, uint64_t pair) {
  return t1 - t0 > pair ? t1 - t0 - pair : 0;
}

void c_micro_measure(c_micro_t *out, bench_ticks_fn ticks, uint8_t *scratch) {
  int8_t *dst = (int8_t *)scratch;
  int8_t *src = (int8_t *)scratch + 10240;
  int8_t *table = (int8_t *)scratch + 20480;
  for (uint32_t i = 0; i < 10240; i++) src[i] = (int8_t)((i & 127) - 64);
  for (uint32_t p = 0; p < 256; p++) table[p] = (int8_t)(p - 128);
  out->pair = ticks_pair(ticks);
  for (uint32_t s = 0; s < C_MICRO_FILLS; s++) {
    uint32_t n = c_micro_fill_bytes[s];
    uint64_t t0 = ticks();
    BARRIER();
    copy_loop(dst, src, n);
    BARRIER();
    uint64_t t1 = ticks();
    out->loop[s] = net(t0, t1, out->pair);
    t0 = ticks();
    BARRIER();
    lut_loop(dst, (const uint8_t *)src, table, n);
    BARRIER();
    t1 = ticks();
    out->lut[s] = net(t0, t1, out->pair);
    t0 = ticks();
    BARRIER();
    memcpy(dst, src, n);
    BARRIER();
    t1 = ticks();
    out->copy[s] = net(t0, t1, out->pair);
  }
  for (uint32_t s = 0; s < C_MICRO_ARGMAXES; s++) {
    for (uint32_t i = 0; i < c_micro_argmax_n[s]; i++) dst[i] = (int8_t)((i * 37u) & 63u);
    uint64_t t0 = ticks();
    BARRIER();
    volatile int32_t best = app_argmax_i8(dst, c_micro_argmax_n[s]);
    BARRIER();
    uint64_t t1 = ticks();
    (void)best;
    out->argmax[s] = net(t0, t1, out->pair);
  }
  memset(scratch, 0, C_MICRO_SCRATCH_BYTES);
}
