/* stm32_cycles.c – the 64-bit cycle counter of the STM32F4/F7 boards (stm32_cycles.h).
 * Untested on hardware. */
#include "stm32_cycles.h"

#include "armv7m.h"
#include "board.h"

#define RCC_APB1ENR REG32(0x40023840u)

#define TIM2_BASE 0x40000000u
#define TIM2_CR1  REG32(TIM2_BASE + 0x00u)
#define TIM2_DIER REG32(TIM2_BASE + 0x0Cu)
#define TIM2_SR   REG32(TIM2_BASE + 0x10u)
#define TIM2_EGR  REG32(TIM2_BASE + 0x14u)
#define TIM2_PSC  REG32(TIM2_BASE + 0x28u)
#define TIM2_ARR  REG32(TIM2_BASE + 0x2Cu)

enum { IRQ_TIM2 = 28 };

static volatile uint32_t cyc_high, cyc_last;

void stm32_tim2_irq(void) {
  TIM2_SR = 0u;
  (void)board_ticks(); /* a read at least every 10 s catches every wrap */
}

void stm32_cycles_init(uint32_t tim2_clock_hz, int unlock_dwt) {
  DEMCR |= 1u << 24; /* TRCENA */
  if (unlock_dwt) DWT_LAR = 0xC5ACCE55u;
  DWT_CYCCNT = 0u;
  /* CYCCNT plus the CPI/EXC/SLEEP/LSU/FOLD event counters (instructions = cycles - stalls). */
  DWT_CTRL |= 1u | (1u << 17) | (1u << 18) | (1u << 19) | (1u << 20) | (1u << 21);

  RCC_APB1ENR |= 1u << 0; /* TIM2 */
  (void)RCC_APB1ENR;
  TIM2_PSC = tim2_clock_hz / 10000u - 1u; /* 10 kHz */
  TIM2_ARR = 100000u;                     /* 10 s */
  TIM2_EGR = 1u;
  TIM2_SR = 0u;
  TIM2_DIER = 1u;
  TIM2_CR1 = 1u;
  NVIC_ISER(IRQ_TIM2 / 32) = 1u << (IRQ_TIM2 % 32);
}

uint64_t board_ticks(void) {
  uint32_t primask = armv7m_irq_save();
  uint32_t now = DWT_CYCCNT;
  if (now < cyc_last) cyc_high++;
  cyc_last = now;
  uint64_t ticks = ((uint64_t)cyc_high << 32) | now;
  armv7m_irq_restore(primask);
  return ticks;
}
