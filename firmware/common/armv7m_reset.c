/* armv7m_reset.c – the reset path of every ARM target: the FPU on before any C that may
 * use it, .data copied from flash, .bss zeroed, the target's vector table made current,
 * then main(), whose status goes to board_exit. Clocks and caches are board_init()'s. */
#include "armv7m.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern int main(void);
extern void board_exit(int) __attribute__((noreturn));

void Reset_Handler(void) {
  armv7m_enable_fpu();
  for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
  SCB_VTOR = (uint32_t)(uintptr_t)armv7m_vectors;
  board_exit(main());
}
