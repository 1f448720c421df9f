/* startup.c – the STM32F413's vector table; the reset path is firmware/common/armv7m_reset.c. */
#include <stdint.h>

#include "../../common/armv7m.h"

void stm32_tim2_irq(void);
void stm32_usart3_irq(void);

/* RM0430 chapter "Interrupts and events", vector table (STM32F413/423: 102 maskable interrupts). */
enum { IRQ_TIM2 = 28, IRQ_USART3 = 39, IRQ_COUNT = 102 };

__attribute__((section(".vectors"), used)) const armv7m_vector_t armv7m_vectors[16 + IRQ_COUNT] = {
    ARMV7M_CORE_VECTORS(Default_Handler),
    [16 + IRQ_TIM2] = stm32_tim2_irq,
    [16 + IRQ_USART3] = stm32_usart3_irq,
};
