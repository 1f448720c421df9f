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

/* ---- vector table and reset (armv7m_reset.c, armv7m_faults.c, the target's startup.c) ---- */
typedef void (*armv7m_vector_t)(void);

/* The target's vector table (its startup.c, section .vectors): the core's entries
 * (ARMV7M_CORE_VECTORS) and the target's interrupts. Reset_Handler makes it current. */
extern const armv7m_vector_t armv7m_vectors[];

extern uint32_t __stack_top[]; /* layout.ld */

/* FPU on, .data copied, .bss zeroed, VTOR = armv7m_vectors, then board_exit(main()). */
void Reset_Handler(void) __attribute__((noreturn));
/* armv7m_faults.c: report over the console and exit. */
void Default_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);

/* The first 16 entries of every target's table: initial stack, reset, NMI, the four
 * faults, SVC and PendSV (unused: Default_Handler) and SysTick, which the target names. */
#define ARMV7M_CORE_VECTORS(systick)                                                         \
  [0] = (armv7m_vector_t)(uintptr_t)__stack_top, [1] = Reset_Handler, [2] = Default_Handler, \
  [3] = HardFault_Handler, [4] = MemManage_Handler, [5] = BusFault_Handler,                  \
  [6] = UsageFault_Handler, [11] = Default_Handler, [14] = Default_Handler, [15] = (systick)

/* Trap divide-by-zero and report faults precisely instead of escalating to HardFault. */
void armv7m_enable_fault_reporting(void);
/* Print the fault registers and the stacked PC over the console, then exit(status). */
void armv7m_report_fault(const char *kind, const uint32_t *stacked, int status)
    __attribute__((noreturn));

#endif
