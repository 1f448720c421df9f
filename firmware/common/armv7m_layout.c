/* armv7m_layout.c – board_memory() and board_stack_limit() for the ARM targets, from the
 * symbols every target's linker script defines (__flash_size, __ram_size, __stack_*). */
#include "board.h"

extern uint32_t __stack_bottom[], __stack_top[], __flash_size[], __ram_size[];

void board_memory(board_memory_t *out) {
  out->flash_bytes = (uint32_t)(uintptr_t)__flash_size;
  out->ram_bytes = (uint32_t)(uintptr_t)__ram_size;
  out->stack_bottom = (uintptr_t)__stack_bottom;
  out->stack_top = (uintptr_t)__stack_top;
}

/* 1 KB above the bottom: room for a fault handler to report an overflow. */
uintptr_t board_stack_limit(void) {
  return (uintptr_t)__stack_bottom + 1024u;
}
