/* startup.c – vector table and reset path for mps2-an500: copy .data, zero .bss,
 * enable the FPU before any C that may use it, then main(). */
#include <stdint.h>

#include "../../common/armv7m.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];
extern int main(void);

void Reset_Handler(void) __attribute__((noreturn));
void Default_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void mps2_dualtimer_irq(void);

/* External interrupts 0..31 of the AN500 as QEMU wires them (UARTs 0..5, timers 8/9, dual timer 10). */
typedef void (*vector_t)(void);
__attribute__((section(".vectors"), used)) static const vector_t vectors[16 + 32] = {
    [0] = (vector_t)(uintptr_t)__stack_top,
    [1] = Reset_Handler,
    [2] = Default_Handler, /* NMI */
    [3] = HardFault_Handler,
    [4] = MemManage_Handler,
    [5] = BusFault_Handler,
    [6] = UsageFault_Handler,
    [11] = Default_Handler, /* SVC */
    [14] = Default_Handler, /* PendSV */
    [15] = Default_Handler, /* SysTick */
    [16 + 10] = mps2_dualtimer_irq,
};

void Reset_Handler(void) {
  armv7m_enable_fpu();
  for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
  SCB_VTOR = (uint32_t)(uintptr_t)vectors;
  int status = main();
  extern void board_exit(int) __attribute__((noreturn));
  board_exit(status);
}
