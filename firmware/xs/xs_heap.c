/*
 * xs_heap.c – first-fit pools over static blocks, so the device has no heap: the pool
 * behind XS's own c_malloc/c_free (key array, name tables, archive scratch, JSON buffers)
 * and, in the profiling flavour, the profiler's own (xs_profile.c).
 */
#include <stdint.h>
#include <string.h>

#include "xs_internal.h"

/* Every block starts with this header; sizes include it and are multiples of 8 so
 * payloads keep double alignment. */
typedef struct block {
  uint32_t size;
  uint32_t used;
} block_t;

#define ALIGN 8u

static void pool_init(xsinfer_pool_t *pool) {
  uintptr_t start = ((uintptr_t)pool->memory + (ALIGN - 1)) & ~(uintptr_t)(ALIGN - 1);
  uintptr_t end = ((uintptr_t)pool->memory + pool->bytes) & ~(uintptr_t)(ALIGN - 1);
  pool->start = (uint8_t *)start;
  pool->end = (uint8_t *)end;
  pool->used = 0;
  block_t *first = (block_t *)pool->start;
  first->size = (uint32_t)(end - start);
  first->used = 0;
}

void xsinfer_pool_reset(xsinfer_pool_t *pool) {
  pool_init(pool);
  pool->peak = 0;
}

static block_t *next_block(block_t *b) {
  return (block_t *)((uint8_t *)b + b->size);
}

/* Merge b with the free blocks that follow it. */
static void absorb_free(const xsinfer_pool_t *pool, block_t *b) {
  for (block_t *n = next_block(b); (uint8_t *)n < pool->end && !n->used; n = next_block(b))
    b->size += n->size;
}

static void split(block_t *b, uint32_t need) {
  if (b->size - need >= sizeof(block_t) + ALIGN) {
    block_t *rest = (block_t *)((uint8_t *)b + need);
    rest->size = b->size - need;
    rest->used = 0;
    b->size = need;
  }
}

static void account(xsinfer_pool_t *pool, int32_t delta) {
  pool->used = (uint32_t)((int32_t)pool->used + delta);
  if (pool->used > pool->peak) pool->peak = pool->used;
}

void *xsinfer_pool_malloc(xsinfer_pool_t *pool, size_t size) {
  if (!pool->start) pool_init(pool);
  if (size > 0x7FFFFFF0u) return NULL;
  uint32_t need = ((uint32_t)size + sizeof(block_t) + (ALIGN - 1)) & ~(ALIGN - 1);
  for (block_t *b = (block_t *)pool->start; (uint8_t *)b < pool->end; b = next_block(b)) {
    if (b->used) continue;
    absorb_free(pool, b);
    if (b->size >= need) {
      split(b, need);
      b->used = 1;
      account(pool, (int32_t)b->size);
      return b + 1;
    }
  }
  return NULL;
}

void xsinfer_pool_free(xsinfer_pool_t *pool, void *p) {
  if (!p) return;
  block_t *b = (block_t *)p - 1;
  b->used = 0;
  account(pool, -(int32_t)b->size);
}

void *xsinfer_pool_realloc(xsinfer_pool_t *pool, void *p, size_t size) {
  if (!p) return xsinfer_pool_malloc(pool, size);
  if (size > 0x7FFFFFF0u) return NULL;
  block_t *b = (block_t *)p - 1;
  uint32_t need = ((uint32_t)size + sizeof(block_t) + (ALIGN - 1)) & ~(ALIGN - 1);
  uint32_t old = b->size;
  absorb_free(pool, b);
  if (b->size >= need) {
    split(b, need);
    account(pool, (int32_t)b->size - (int32_t)old);
    return p;
  }
  /* Give back what was absorbed, then move. */
  if (b->size > old) {
    block_t *rest = (block_t *)((uint8_t *)b + old);
    rest->size = b->size - old;
    rest->used = 0;
    b->size = old;
  }
  void *q = xsinfer_pool_malloc(pool, size);
  if (!q) return NULL;
  memcpy(q, p, old - sizeof(block_t));
  xsinfer_pool_free(pool, p);
  return q;
}

/* ---- XS's pool ---- */

static xsinfer_pool_t xs_pool;

static xsinfer_pool_t *xs(void) {
  if (!xs_pool.memory) {
    xs_pool.memory = xsinfer_xs_image.pool;
    xs_pool.bytes = xsinfer_xs_image.pool_bytes;
  }
  return &xs_pool;
}

void *xsinfer_xs_malloc(size_t size) {
  return xsinfer_pool_malloc(xs(), size);
}

void *xsinfer_xs_calloc(size_t count, size_t size) {
  if (size && count > 0x7FFFFFF0u / size) return NULL;
  void *p = xsinfer_xs_malloc(count * size);
  if (p) memset(p, 0, count * size);
  return p;
}

void xsinfer_xs_free(void *p) {
  xsinfer_pool_free(xs(), p);
}

void *xsinfer_xs_realloc(void *p, size_t size) {
  return xsinfer_pool_realloc(xs(), p, size);
}

void xsinfer_xs_pool_stats(uint32_t *used, uint32_t *peak) {
  *used = xs_pool.used;
  *peak = xs_pool.peak;
}
