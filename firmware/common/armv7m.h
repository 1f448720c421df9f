/* armv7m.h – Cortex-M7 core registers (SCB, NVIC, MPU, FPU, DWT) shared by the
 * ARM targets. Included only from firmware/targets/<t>/. */
#ifndef XSINFER_ARMV7M_H
#define XSINFER_ARMV7M_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

#define SCB_CPACR   REG32(0xE000ED88u)
#define SCB_VTOR    REG32(0xE000ED08u)
#define SCB_SHCSR   REG32(0xE000ED24u)
#define SCB_CFSR    REG32(0xE000ED28u)
#define SCB_HFSR    REG32(0xE000ED2Cu)
#define SCB_MMFAR   REG32(0xE000ED34u)
#define SCB_BFAR    REG32(0xE000ED38u)
#define SCB_CCR     REG32(0xE000ED14u)
#define SCB_CCSIDR  REG32(0xE000ED80u)
#define SCB_CSSELR  REG32(0xE000ED84u)
#define SCB_ICIALLU REG32(0xE000EF50u)
#define SCB_DCIMVAC REG32(0xE000EF5Cu)
#define SCB_DCISW   REG32(0xE000EF60u)

#define NVIC_ISER(n)     REG32(0xE000E100u + 4u * (n))
#define NVIC_IPR_BYTE(n) (*(volatile uint8_t *)(uintptr_t)(0xE000E400u + (n)))

#define MPU_TYPE REG32(0xE000ED90u)
#define MPU_CTRL REG32(0xE000ED94u)
#define MPU_RNR  REG32(0xE000ED98u)
#define MPU_RBAR REG32(0xE000ED9Cu)
#define MPU_RASR REG32(0xE000EDA0u)

#define DEMCR        REG32(0xE000EDFCu)
#define DWT_CTRL     REG32(0xE0001000u)
#define DWT_CYCCNT   REG32(0xE0001004u)
#define DWT_CPICNT   REG32(0xE0001008u)
#define DWT_EXCCNT   REG32(0xE000100Cu)
#define DWT_SLEEPCNT REG32(0xE0001010u)
#define DWT_LSUCNT   REG32(0xE0001014u)
#define DWT_FOLDCNT  REG32(0xE0001018u)
#define DWT_LAR      REG32(0xE0001FB0u)

static inline void armv7m_dsb(void) {
  __asm__ volatile("dsb 0xF" ::: "memory");
}
static inline void armv7m_isb(void) {
  __asm__ volatile("isb 0xF" ::: "memory");
}

static inline uint32_t armv7m_irq_save(void) {
  uint32_t primask;
  __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
  return primask;
}

static inline void armv7m_irq_restore(uint32_t primask) {
  __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

/* CP10/CP11 full access: XS numbers are doubles, so this precedes any C that may use the FPU. */
static inline void armv7m_enable_fpu(void) {
  SCB_CPACR |= (0xFu << 20);
  armv7m_dsb();
  armv7m_isb();
}

/* Trap divide-by-zero and report faults precisely instead of escalating to HardFault. */
void armv7m_enable_fault_reporting(void);
/* Print the fault registers and the stacked PC over the console, then exit(status). */
void armv7m_report_fault(const char *kind, const uint32_t *stacked, int status)
    __attribute__((noreturn));

#endif
