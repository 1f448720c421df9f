/* startup.c – the STM32F769's vector table; the reset path (which also copies layout.ld's
 * .itcm code into ITCM RAM) is firmware/common/armv7m_reset.c. */
#include <stdint.h>

#include "../../common/armv7m.h"

void stm32_tim2_irq(void);
void stm32_usart1_irq(void);
void dwt_counters_systick(void); /* firmware/common/dwt_counters.c */

enum { IRQ_TIM2 = 28, IRQ_USART1 = 37, IRQ_COUNT = 110 };

__attribute__((section(".vectors"), used)) const armv7m_vector_t armv7m_vectors[16 + IRQ_COUNT] = {
    ARMV7M_CORE_VECTORS(dwt_counters_systick),
    [16 + IRQ_TIM2] = stm32_tim2_irq,
    [16 + IRQ_USART1] = stm32_usart1_irq,
};
