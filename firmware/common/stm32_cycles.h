/* stm32_cycles.h – board_ticks() of the STM32F4/F7 boards: the DWT cycle counter (with
 * the CPI/EXC/SLEEP/LSU/FOLD event counters on) extended to 64 bits in software. CYCCNT
 * wraps every 2^32 cycles (19.9 s at 216 MHz, 42.9 s at 100 MHz); TIM2 interrupts every
 * 10 s and its handler reads the counter, so no wrap is missed. TIM2 and RCC_APB1ENR sit
 * at the same addresses on both parts (RM0430, RM0410). Untested on hardware. */
#ifndef XSINFER_STM32_CYCLES_H
#define XSINFER_STM32_CYCLES_H

#include <stdint.h>

/* Once, from board_init, after the clocks: tim2_clock_hz is TIM2's input clock (APB1 x2);
 * unlock_dwt writes the DWT lock-access key first (the Cortex-M7 needs it). Enables TIM2's
 * interrupt, whose vector is stm32_tim2_irq. board_ticks() counts from here. */
void stm32_cycles_init(uint32_t tim2_clock_hz, int unlock_dwt);
void stm32_tim2_irq(void);

#endif
