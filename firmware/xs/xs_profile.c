/*
 * xs_profile.c – the platform side of XS's profiler (xsProfile.c, compiled unmodified with
 * -DXSINFER_XS_PROFILE_TU, which routes its clock, memory and stdio here through
 * xsinfer_platform.h): the sample clock, the profiler's pool, the stream that carries the
 * .cpuprofile JSON out, and metering as the sampling trigger. Contract:
 * xsinfer_xs_profile.h.
 */
#include "xsAll.h"

#include "board.h"
#include "xs_internal.h"
#include "xsinfer_xs_profile.h"

#ifndef XSINFER_XS_PROFILE_POOL
#define XSINFER_XS_PROFILE_POOL 262144
#endif
/* Opcodes between two metering checks: each check reads the clock; XS takes a sample only
 * when its interval has passed (64: a sample lands within ≈64 opcodes of its time; the
 * checks cost ≈2 % of mnist's plain-JS POPULATE, docs/profiling.md). */
#ifndef XSINFER_XS_PROFILE_METER
#define XSINFER_XS_PROFILE_METER 64
#endif

static uint8_t pool_memory[XSINFER_XS_PROFILE_POOL] __attribute__((aligned(8)));
static xsinfer_pool_t pool = {pool_memory, sizeof pool_memory, NULL, NULL, 0, 0};

static uint32_t quantum = 1;
static int active;
static int truncated;
static uint64_t origin;     /* board ticks at the start: the clock counts from here */
static uint32_t last;       /* the clock's last value */
static uint64_t base_ticks; /* origin + base_units quanta */
static uint32_t base_units;
static uint32_t step_units; /* quanta in ≈2^30 ticks, and their ticks */
static uint32_t step_ticks;

/* ---- clock ---- */

/* Room the profiler may still need at once: the sample array moves when it grows by 1,024
 * samples (8 KB), so it needs its own size again plus the growth, with slack for records. */
static int pool_low(void) {
  return pool.used + 16384u > (pool.bytes - pool.used);
}

static txMachine *machine;
static int in_meter;

/* XS's typed-array element accessor: XS runs every a[i] on a typed array as a call of its
 * getter or setter (xsDataView.c) and checks the profiler when the call returns. Both are
 * built-ins that never move; read once per start. */
static txSlot *element_getter;
static txSlot *element_setter;

static int in_element_accessor(const txMachine *the) {
  const txSlot *frame = the->frame;
  if (!frame) return 0;
  const txSlot *function = frame + 3;
  return function->kind == XS_REFERENCE_KIND && (function->value.reference == element_getter ||
                                                 function->value.reference == element_setter);
}

/* Called at every profiler check (interpreter, host returns, collections), so it stays
 * cheap. */
int xsinfer_xs_profile_clock(struct timeval *tv, void *tz) {
  (void)tz;
  /* At an element accessor's return the clock reads as at the last check, so no sample is
   * taken there and the accessor's time goes to the JS function that indexed the array at
   * its next sample (as an element access is part of a function's code). Once the pool runs
   * low, or the clock would pass 2^31 units, it stops: no further sample. */
  if (!truncated && (in_meter || !machine || !in_element_accessor(machine))) {
    /* Ticks since `base` (whole quanta after the origin) stay under 2^31: a 32-bit division
     * (the M7's udiv) instead of a 64-bit one in the library. */
    uint64_t d = board_ticks() - base_ticks;
    while (d >> 31) {
      base_ticks += step_ticks;
      base_units += step_units;
      d -= step_ticks;
    }
    uint32_t t = base_units + (uint32_t)d / quantum;
    if (pool_low() || t > 0x7FFFFFFFu || t < base_units)
      truncated = 1;
    else
      last = t;
  }
  /* fxGetTicks reads tv_sec * 1000000 + tv_usec: the clock value exactly. */
  tv->tv_sec = 0;
  tv->tv_usec = (suseconds_t)last;
  return 0;
}

/* ---- memory ---- */

void *xsinfer_xs_profile_malloc(size_t size) {
  return xsinfer_pool_malloc(&pool, size);
}

void *xsinfer_xs_profile_calloc(size_t count, size_t size) {
  if (size && count > 0x7FFFFFF0u / size) return NULL;
  void *p = xsinfer_pool_malloc(&pool, count * size);
  if (p) memset(p, 0, count * size);
  return p;
}

void *xsinfer_xs_profile_realloc(void *block, size_t size) {
  return xsinfer_pool_realloc(&pool, block, size);
}

void xsinfer_xs_profile_free(void *block) {
  xsinfer_pool_free(&pool, block);
}

/* ---- the stream ---- */

typedef struct stream {
  xsinfer_xs_profile_out_fn out;
  void *user;
  uint32_t length;
  char buffer[XSINFER_XS_PROFILE_CHUNK];
} stream_t;

static stream_t stream;

static void put(stream_t *s, const char *text, uint32_t length) {
  while (length) {
    uint32_t n = sizeof s->buffer - s->length;
    if (n > length) n = length;
    memcpy(s->buffer + s->length, text, n);
    s->length += n;
    text += n;
    length -= n;
    if (s->length == sizeof s->buffer) {
      if (s->out) s->out(s->user, s->buffer, s->length, 0);
      s->length = 0;
    }
  }
}

static void put_unsigned(stream_t *s, unsigned long long v) {
  char digits[24];
  uint32_t n = 0;
  do {
    digits[sizeof digits - 1 - n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  put(s, digits + sizeof digits - n, n);
}

/* The conversions xsProfile.c uses: %d, %u, %llu, %s and %%. newlib-nano's printf has no
 * long long, and this keeps stdio's buffers (and their malloc) out of the image. */
int xsinfer_xs_profile_fprintf(FILE *file, const char *format, ...) {
  stream_t *s = (stream_t *)(void *)file;
  va_list args;
  va_start(args, format);
  for (const char *p = format; *p; p++) {
    if (*p != '%') {
      const char *q = p;
      while (q[1] && q[1] != '%') q++;
      put(s, p, (uint32_t)(q - p + 1));
      p = q;
      continue;
    }
    p++;
    if (*p == 'd') {
      int v = va_arg(args, int);
      if (v < 0) put(s, "-", 1);
      put_unsigned(s, v < 0 ? (unsigned long long)(-(long long)v) : (unsigned long long)v);
    } else if (*p == 'u') {
      put_unsigned(s, va_arg(args, unsigned));
    } else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'u') {
      put_unsigned(s, va_arg(args, unsigned long long));
      p += 2;
    } else if (*p == 's') {
      const char *text = va_arg(args, const char *);
      put(s, text, (uint32_t)strlen(text));
    } else if (*p == '%') {
      put(s, "%", 1);
    } else {
      /* Not a conversion xsProfile.c uses: stop rather than misread the arguments. */
      break;
    }
  }
  va_end(args);
  return 0;
}

int xsinfer_xs_profile_fclose(FILE *file) {
  stream_t *s = (stream_t *)(void *)file;
  if (s->out) s->out(s->user, s->buffer, s->length, 1);
  s->length = 0;
  return 0;
}

FILE *xsinfer_xs_profile_fopen(const char *name, const char *mode) {
  (void)name;
  (void)mode;
  return NULL;
}

size_t xsinfer_xs_profile_strftime(char *s, size_t max, const char *format, const struct tm *tm) {
  (void)format;
  (void)tm;
  if (max) s[0] = 0;
  return 0;
}

/* ---- start / stop ---- */

static txBoolean meter(txMachine *the, txU4 index) {
  (void)index;
  /* Called from the interpreter loop with the->frame current: the running function is the
   * sample's leaf, its callers the path XS records. */
  in_meter = 1;
  fxCheckProfiler(the, the->frame);
  in_meter = 0;
  return 1;
}

void xsinfer_xs_profile_start(xsMachine *the, uint32_t q) {
  if (active) return;
  xsinfer_pool_reset(&pool);
  quantum = q ? q : 1u;
  truncated = 0;
  last = 0;
  origin = board_ticks();
  base_ticks = origin;
  base_units = 0;
  step_units = (1u << 30) / quantum ? (1u << 30) / quantum : 1u;
  step_ticks = step_units * quantum;
  machine = the;
  element_getter = mxTypedArrayAccessor.value.accessor.getter;
  element_setter = mxTypedArrayAccessor.value.accessor.setter;
  active = 1;
  fxStartProfiling(the);
  fxBeginMetering(the, meter, XSINFER_XS_PROFILE_METER);
}

void xsinfer_xs_profile_stop(xsMachine *the, xsinfer_xs_profile_out_fn out, void *user) {
  if (!active) return;
  fxEndMetering(the);
  stream.out = out;
  stream.user = user;
  stream.length = 0;
  fxStopProfiling(the, &stream);
  machine = NULL;
  active = 0;
}

int xsinfer_xs_profile_active(void) {
  return active;
}

int xsinfer_xs_profile_truncated(void) {
  return truncated;
}

uint64_t xsinfer_xs_profile_origin(void) {
  return origin;
}

uint32_t xsinfer_xs_profile_pool_bytes(void) {
  return pool.bytes;
}

uint32_t xsinfer_xs_profile_pool_peak(void) {
  return pool.peak;
}
