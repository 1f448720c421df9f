/* armv7m_reset.c – the reset path of every ARM target: the FPU on before any C that may
 * use it, code the linker script places in RAM copied there (the F769's .itcm; a target
 * without such a section leaves the weak symbols at 0 and copies nothing), .data copied
 * from flash, .bss zeroed, the target's vector table made current,
 * then main(), whose status goes to board_exit. Clocks and caches are board_init()'s. */
#include "armv7m.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __itcm_load[] __attribute__((weak)), __itcm_start[] __attribute__((weak)),
    __itcm_end[] __attribute__((weak));
extern int main(void);
extern void board_exit(int) __attribute__((noreturn));

void Reset_Handler(void) {
  armv7m_enable_fpu();
  /* Before any call into it: the RAM code's bytes, then a barrier so instruction fetch
   * sees them (no cache is on yet). Nothing here runs from that RAM. */
  for (uint32_t *src = __itcm_load, *dst = __itcm_start; dst < __itcm_end;) *dst++ = *src++;
  __asm volatile("dsb\n\tisb" ::: "memory");
  for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
  SCB_VTOR = (uint32_t)(uintptr_t)armv7m_vectors;
  board_exit(main());
}
