/* startup.c – vector table and reset path for the STM32F769: FPU on, the hot code copied
 * into ITCM RAM (layout.ld's .itcm), .data/.bss initialised, then main(). Clocks and
 * caches are set up in board_init(). */
#include <stdint.h>

#include "../../common/armv7m.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __itcm_load[], __itcm_start[], __itcm_end[];
extern uint32_t __stack_top[];
extern int main(void);
extern void board_exit(int) __attribute__((noreturn));

void Reset_Handler(void) __attribute__((noreturn));
void Default_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void stm32_tim2_irq(void);
void stm32_usart1_irq(void);
void dwt_counters_systick(void); /* firmware/common/dwt_counters.c */

enum { IRQ_TIM2 = 28, IRQ_USART1 = 37, IRQ_COUNT = 110 };

typedef void (*vector_t)(void);
__attribute__((section(".vectors"), used)) static const vector_t vectors[16 + IRQ_COUNT] = {
    [0] = (vector_t)(uintptr_t)__stack_top,
    [1] = Reset_Handler,
    [2] = Default_Handler,
    [3] = HardFault_Handler,
    [4] = MemManage_Handler,
    [5] = BusFault_Handler,
    [6] = UsageFault_Handler,
    [11] = Default_Handler,
    [14] = Default_Handler,
    [15] = dwt_counters_systick,
    [16 + IRQ_TIM2] = stm32_tim2_irq,
    [16 + IRQ_USART1] = stm32_usart1_irq,
};

void Reset_Handler(void) {
  armv7m_enable_fpu();
  /* Before any call into it: the ITCM code's bytes, then a barrier so instruction fetch
   * sees them (no cache is on yet). Nothing here runs from ITCM. */
  for (uint32_t *src = __itcm_load, *dst = __itcm_start; dst < __itcm_end;) *dst++ = *src++;
  __asm volatile("dsb\n\tisb" ::: "memory");
  for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
  SCB_VTOR = (uint32_t)(uintptr_t)vectors;
  board_exit(main());
}
