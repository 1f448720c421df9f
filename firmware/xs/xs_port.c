/*
 * xs_port.c – the platform hooks XS 13.3 calls (memory, abort, C stack limit, promise
 * jobs, parser stub, time) and machine creation/statistics for xsinfer programs.
 */
#include "xsAll.h"

#include "board.h"
#include "xs_internal.h"
#include "xsinfer_xs.h"

_Static_assert(sizeof(txSlot) == XSINFER_XS_SLOT_BYTES, "XSINFER_XS_SLOT_BYTES is wrong");

/* ---- static arena: chunks bump up from arena_lo, slots bump down from arena_hi ---- */

static uint8_t *arena_lo;
static uint8_t *arena_hi;
static txSlot *stack_bottom; /* JS stack, painted to measure its high water */
static txSlot *stack_top;

#define STACK_PAINT 0xA5u

void xsinfer_xs_arena_reset(void) {
  uintptr_t lo = ((uintptr_t)xsinfer_xs_image.arena + 15u) & ~(uintptr_t)15u;
  uintptr_t hi =
      ((uintptr_t)xsinfer_xs_image.arena + xsinfer_xs_image.arena_bytes) & ~(uintptr_t)15u;
  arena_lo = (uint8_t *)lo;
  arena_hi = (uint8_t *)hi;
  stack_bottom = stack_top = NULL;
}

uint32_t xsinfer_xs_arena_free(void) {
  return (uint32_t)(arena_hi - arena_lo);
}

void *fxAllocateChunks(txMachine *the, txSize size) {
  (void)the;
  /* Keep 8-byte steps so consecutive blocks stay adjacent: fxGrowChunks then extends
   * the previous block instead of starting a new one. */
  uint32_t step = ((uint32_t)size + 7u) & ~7u;
  if (size <= 0 || step > (uint32_t)(arena_hi - arena_lo)) return NULL;
  void *p = arena_lo;
  arena_lo += step;
  return p;
}

void fxFreeChunks(txMachine *the, void *chunks) {
  /* The device never deletes its machine; the arena is reset with the next creation. */
  (void)the;
  (void)chunks;
}

txSlot *fxAllocateSlots(txMachine *the, txSize count) {
  uint32_t bytes = (uint32_t)count * (uint32_t)sizeof(txSlot);
  if (count <= 0 || bytes > (uint32_t)(arena_hi - arena_lo)) return NULL;
  arena_hi -= bytes;
  /* fxAllocate asks for the JS stack first, before its slot heap exists. */
  if (!the->firstHeap && !stack_bottom) {
    stack_bottom = (txSlot *)arena_hi;
    stack_top = stack_bottom + count;
    memset(stack_bottom, STACK_PAINT, bytes);
  }
  /* New slot blocks sit right below the previous one: fxGrowSlots merges them. */
  return (txSlot *)arena_hi;
}

void fxFreeSlots(txMachine *the, void *slots) {
  (void)the;
  (void)slots;
}

uint32_t xsinfer_xs_stack_peak_slots(void) {
  /* The JS stack grows down from stack_top, but xsdtoa and xsre borrow its unused bottom
   * as scratch, so count down from the top to the first slot still fully painted. */
  if (!stack_bottom) return 0;
  const txSlot *slot = stack_top;
  while (slot > stack_bottom) {
    const uint8_t *b = (const uint8_t *)(slot - 1);
    uint32_t painted = 0;
    for (uint32_t i = 0; i < sizeof(txSlot); i++) painted += b[i] == STACK_PAINT;
    if (painted == sizeof(txSlot)) break;
    slot--;
  }
  return (uint32_t)(stack_top - slot);
}

/* ---- abort, stack, jobs, parser ---- */

static const char *abort_reason(int status) {
  switch (status) {
    case XS_DEBUGGER_EXIT: return "debugger";
    case XS_NOT_ENOUGH_MEMORY_EXIT: return "memory full";
    case XS_STACK_OVERFLOW_EXIT: return "stack overflow";
    case XS_FATAL_CHECK_EXIT: return "fatal check";
    case XS_DEAD_STRIP_EXIT: return "dead strip";
    case XS_UNHANDLED_EXCEPTION_EXIT: return "unhandled exception";
    case XS_NO_MORE_KEYS_EXIT: return "not enough keys";
    case XS_TOO_MUCH_COMPUTATION_EXIT: return "too much computation";
    case XS_UNHANDLED_REJECTION_EXIT: return "unhandled rejection";
    default: return "unknown";
  }
}

static xsinfer_xs_abort_fn abort_handler;

void xsinfer_xs_set_abort_handler(xsinfer_xs_abort_fn fn) {
  abort_handler = fn;
}

void fxAbort(txMachine *the, int status) {
  /* Unhandled rejections are reported and survived, as on Moddable devices; everything
   * else leaves the machine unusable, so stop with a status the host can tell apart. */
  if (status == XS_UNHANDLED_REJECTION_EXIT) {
    xsinfer_xs_printf("xs: unhandled rejection\n");
    return;
  }
  (void)the;
  xsinfer_xs_printf("xs: abort: %s (status %d)\n", abort_reason(status), status);
  if (abort_handler) abort_handler(status, abort_reason(status));
  board_uart_flush();
  board_exit(XSINFER_XS_EXIT_ABORT + status);
}

char *fxCStackLimit(void) {
  /* XS compares the address of a local with this before deep recursion and reports
   * XS_STACK_OVERFLOW_EXIT instead of running off the stack. */
  return (char *)board_stack_limit();
}

void fxQueuePromiseJobs(txMachine *the) {
  the->promiseJobs = 1;
}

void xsinfer_xs_run_jobs(xsMachine *the) {
  while (the->promiseJobs) {
    the->promiseJobs = 0;
    fxRunPromiseJobs(the);
  }
}

txScript *fxParseScript(txMachine *the, void *stream, txGetter getter, txUnsigned flags) {
  (void)stream;
  (void)getter;
  (void)flags;
  mxSyntaxError("no parser on this device (eval/Function need host-compiled code)");
  return C_NULL;
}

/* ---- C library pieces XS uses, without syscalls or newlib's reentrancy heap ---- */

void xsinfer_xs_exit(int status) {
  board_uart_flush();
  board_exit(status);
}

int xsinfer_xs_rand(void) {
  /* xorshift32: Math.random needs no quality, only no heap (newlib-nano's rand mallocs). */
  static uint32_t state = 0x9E3779B9u;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return (int)(state & 0x7FFFFFFFu);
}

int xsinfer_xs_gettimeofday(struct timeval *tv, void *tz) {
  /* Time since boot where the tick unit is a time (host: ns; F769: cycles at hz); an
   * instruction count (QEMU) is no time, so Date.now() stays 0 there and runs repeat. */
  (void)tz;
  const board_tick_unit_t *u = board_tick_unit();
  uint64_t us = 0;
  uint64_t t = board_ticks();
  if (u->hz)
    us = t * u->num / u->den / (u->hz / 1000000u ? u->hz / 1000000u : 1u);
  else if (u->unit[0] == 'n' && u->unit[1] == 's')
    us = t * u->num / u->den / 1000u;
  tv->tv_sec = (time_t)(us / 1000000u);
  tv->tv_usec = (int32_t)(us % 1000000u);
  return 0;
}

struct tm *xsinfer_xs_localtime(const time_t *t) {
  /* The device has no time zone: local time is UTC. */
  static struct tm tm;
  return gmtime_r(t, &tm);
}

time_t xsinfer_xs_mktime(struct tm *tm) {
  /* UTC inverse of gmtime (days from civil, proleptic Gregorian). */
  int64_t y = (int64_t)tm->tm_year + 1900 + tm->tm_mon / 12;
  int64_t m = tm->tm_mon % 12;
  if (m < 0) {
    m += 12;
    y -= 1;
  }
  y -= m < 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + tm->tm_mday - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + doe - 719468;
  int64_t secs = days * 86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 + tm->tm_sec;
  time_t result = (time_t)secs;
  gmtime_r(&result, tm); /* normalise fields like mktime does */
  return result;
}

/* ---- machine ---- */

xsMachine *xsinfer_xs_create(const xsinfer_xs_host_t *hosts, uint32_t host_count) {
  const xsinfer_xs_creation_t *c = &xsinfer_xs_image.creation;
  txCreation creation = {
      .initialChunkSize = c->chunk_initial,
      .incrementalChunkSize = c->chunk_incremental,
      .initialHeapCount = c->heap_initial,
      .incrementalHeapCount = c->heap_incremental,
      .stackCount = c->stack,
      .initialKeyCount = c->keys_initial,
      .incrementalKeyCount = c->keys_incremental,
      .nameModulo = c->keys_name,
      .symbolModulo = c->keys_symbol,
      .parserBufferSize = c->parser_buffer,
      .parserTableModulo = c->parser_table,
      .staticSize = c->static_bytes,
  };
  xsinfer_xs_arena_reset();
  xsinfer_xs_set_hosts(hosts, host_count);
  txMachine *the;
#ifndef XSINFER_XS_NO_PREPARATION
  if (xsinfer_xs_preparation) {
    /* Built-ins cloned from flash: only the global, program and realm are made in RAM,
     * writable built-ins are copied on first write (aliases). creation.initialKeyCount
     * now counts the keys beyond the preparation's; no archive is given to XS, our
     * xsinfer_xs_map registers its symbols right after, as with fxCreateMachine. */
    the =
        fxPrepareMachine(&creation, (txPreparation *)xsinfer_xs_preparation, "xsinfer", NULL, NULL);
  } else
#endif
    the = fxCreateMachine(&creation, "xsinfer", NULL, XS_NO_ID);
  if (!the)
    xsinfer_xs_printf("xs: machine creation failed (pool of %u bytes)\n",
                      (unsigned)xsinfer_xs_image.pool_bytes);
  return the;
}

void xsinfer_xs_delete(xsMachine *the) {
  /* XS frees its own c_malloc blocks (keys, tables, shared cluster) back to the pool;
   * chunks and slots live in the arena, which the next creation resets. */
  if (the) fxDeleteMachine(the);
}

void xsinfer_xs_stats(xsMachine *the, xsinfer_xs_stats_t *out) {
  memset(out, 0, sizeof(*out));
  out->slot_bytes = (uint32_t)sizeof(txSlot);
  out->slots_used = (uint32_t)the->currentHeapCount;
  out->slots_peak = (uint32_t)the->peakHeapCount;
  out->slots_reserved = (uint32_t)the->maximumHeapCount;
  out->chunks_used = (uint32_t)the->currentChunksSize;
  out->chunks_peak = (uint32_t)the->peakChunksSize;
  out->chunks_reserved = (uint32_t)the->maximumChunksSize;
  out->arena_bytes = xsinfer_xs_image.arena_bytes;
  out->arena_free = xsinfer_xs_arena_free();
  out->pool_bytes = xsinfer_xs_image.pool_bytes;
  xsinfer_xs_pool_stats(&out->pool_used, &out->pool_peak);
  out->stack_slots = (uint32_t)(the->stackTop - the->stackBottom);
  out->stack_peak_slots = xsinfer_xs_stack_peak_slots();
  out->keys_used = (uint32_t)the->keyIndex;
  out->keys_reserved = (uint32_t)the->keyCount;
}

_Static_assert((int)XSINFER_XS_ABORT_MEMORY == (int)XS_NOT_ENOUGH_MEMORY_EXIT &&
                   (int)XSINFER_XS_ABORT_STACK == (int)XS_STACK_OVERFLOW_EXIT,
               "xsinfer_xs.h's abort statuses must match XS's");
