/* startup.c – the mps2-an500's vector table; the reset path is firmware/common/armv7m_reset.c. */
#include <stdint.h>

#include "../../common/armv7m.h"

void mps2_dualtimer_irq(void);

/* External interrupts 0..31 of the AN500 as QEMU wires them (UARTs 0..5, timers 8/9, dual timer 10). */
__attribute__((section(".vectors"), used)) const armv7m_vector_t armv7m_vectors[16 + 32] = {
    ARMV7M_CORE_VECTORS(Default_Handler),
    [16 + 10] = mps2_dualtimer_irq,
};
