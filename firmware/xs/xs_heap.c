/*
 * xs_heap.c – the pool behind XS's own c_malloc/c_free (key array, name tables, archive
 * scratch, JSON buffers): first fit over one static block, so the device has no heap.
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

static uint8_t *pool_start;
static uint8_t *pool_end;
static uint32_t pool_used;
static uint32_t pool_peak;

static void pool_init(void) {
  uintptr_t start = ((uintptr_t)xsinfer_xs_image.pool + (ALIGN - 1)) & ~(uintptr_t)(ALIGN - 1);
  uintptr_t end =
      ((uintptr_t)xsinfer_xs_image.pool + xsinfer_xs_image.pool_bytes) & ~(uintptr_t)(ALIGN - 1);
  pool_start = (uint8_t *)start;
  pool_end = (uint8_t *)end;
  block_t *first = (block_t *)pool_start;
  first->size = (uint32_t)(end - start);
  first->used = 0;
}

static block_t *next_block(block_t *b) {
  return (block_t *)((uint8_t *)b + b->size);
}

/* Merge b with the free blocks that follow it. */
static void absorb_free(block_t *b) {
  for (block_t *n = next_block(b); (uint8_t *)n < pool_end && !n->used; n = next_block(b))
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

static void account(int32_t delta) {
  pool_used = (uint32_t)((int32_t)pool_used + delta);
  if (pool_used > pool_peak) pool_peak = pool_used;
}

void *xsinfer_xs_malloc(size_t size) {
  if (!pool_start) pool_init();
  if (size > 0x7FFFFFF0u) return NULL;
  uint32_t need = ((uint32_t)size + sizeof(block_t) + (ALIGN - 1)) & ~(ALIGN - 1);
  for (block_t *b = (block_t *)pool_start; (uint8_t *)b < pool_end; b = next_block(b)) {
    if (b->used) continue;
    absorb_free(b);
    if (b->size >= need) {
      split(b, need);
      b->used = 1;
      account((int32_t)b->size);
      return b + 1;
    }
  }
  return NULL;
}

void *xsinfer_xs_calloc(size_t count, size_t size) {
  if (size && count > 0x7FFFFFF0u / size) return NULL;
  void *p = xsinfer_xs_malloc(count * size);
  if (p) memset(p, 0, count * size);
  return p;
}

void xsinfer_xs_free(void *p) {
  if (!p) return;
  block_t *b = (block_t *)p - 1;
  b->used = 0;
  account(-(int32_t)b->size);
}

void *xsinfer_xs_realloc(void *p, size_t size) {
  if (!p) return xsinfer_xs_malloc(size);
  if (size > 0x7FFFFFF0u) return NULL;
  block_t *b = (block_t *)p - 1;
  uint32_t need = ((uint32_t)size + sizeof(block_t) + (ALIGN - 1)) & ~(ALIGN - 1);
  uint32_t old = b->size;
  absorb_free(b);
  if (b->size >= need) {
    split(b, need);
    account((int32_t)b->size - (int32_t)old);
    return p;
  }
  /* Give back what was absorbed, then move. */
  if (b->size > old) {
    block_t *rest = (block_t *)((uint8_t *)b + old);
    rest->size = b->size - old;
    rest->used = 0;
    b->size = old;
  }
  void *q = xsinfer_xs_malloc(size);
  if (!q) return NULL;
  memcpy(q, p, old - sizeof(block_t));
  xsinfer_xs_free(p);
  return q;
}

void xsinfer_xs_pool_stats(uint32_t *used, uint32_t *peak) {
  *used = pool_used;
  *peak = pool_peak;
}
