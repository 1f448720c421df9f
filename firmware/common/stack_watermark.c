/* stack_watermark.c – see stack_watermark.h. */
#include "stack_watermark.h"

#include "board.h"

#define STACK_PATTERN 0xA5u

static int painted;

void stack_paint(void) {
#if defined(__arm__)
  board_memory_t memory;
  board_memory(&memory);
  uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
  uint8_t *limit = (uint8_t *)(sp - 256u); /* leave this frame and its callees alone */
  for (uint8_t *p = (uint8_t *)memory.stack_bottom; p < limit; p++) *p = STACK_PATTERN;
  painted = 1;
#endif
}

uint32_t stack_peak_bytes(void) {
  if (!painted) return 0;
  board_memory_t memory;
  board_memory(&memory);
  const uint8_t *p = (const uint8_t *)memory.stack_bottom;
  while (p < (const uint8_t *)memory.stack_top && *p == STACK_PATTERN) p++;
  return (uint32_t)(memory.stack_top - (uintptr_t)p);
}
