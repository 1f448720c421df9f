/* armv7m_faults.c – fault handlers shared by the ARM targets: a fault prints its
 * registers and ends the program with a distinct status instead of hanging. */
#include "armv7m.h"
#include "board.h"
#include "console.h"

enum { FAULT_EXIT_STATUS = 70 };

void armv7m_enable_fault_reporting(void) {
  SCB_CCR |= (1u << 4);                              /* DIV_0_TRP */
  SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18); /* MemManage, BusFault, UsageFault */
}

void armv7m_report_fault(const char *kind, const uint32_t *stacked, int status) {
  /* Raw text on the UART: the program's own text route may be in the middle of a record. */
  console_set_output(NULL);
  console_printf("\r\n*** %s: CFSR=%08lx HFSR=%08lx MMFAR=%08lx BFAR=%08lx PC=%08lx LR=%08lx\r\n",
                 kind, (unsigned long)SCB_CFSR, (unsigned long)SCB_HFSR, (unsigned long)SCB_MMFAR,
                 (unsigned long)SCB_BFAR, (unsigned long)stacked[6], (unsigned long)stacked[5]);
  board_uart_flush();
  board_exit(status);
}

/* Each handler passes the stack pointer in use at the time of the fault. */
#define FAULT_HANDLER(name, text)                                                              \
  void name##_c(const uint32_t *stacked) __attribute__((noreturn, used));                      \
  void name##_c(const uint32_t *stacked) {                                                     \
    armv7m_report_fault(text, stacked, FAULT_EXIT_STATUS);                                     \
  }                                                                                            \
  __attribute__((naked)) void name(void) {                                                     \
    __asm__ volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b " #name "_c\n"); \
  }

FAULT_HANDLER(HardFault_Handler, "HardFault")
FAULT_HANDLER(MemManage_Handler, "MemManage fault")
FAULT_HANDLER(BusFault_Handler, "BusFault")
FAULT_HANDLER(UsageFault_Handler, "UsageFault")
FAULT_HANDLER(Default_Handler, "unexpected interrupt")
