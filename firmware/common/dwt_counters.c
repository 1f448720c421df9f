/* dwt_counters.c – board_counters_* on a Cortex-M with a full DWT (M7, M4): CYCCNT through
 * board_ticks(), and the five 8-bit profiling counters (CPICNT, EXCCNT, SLEEPCNT, LSUCNT,
 * FOLDCNT; ARMv7-M ARM C1.8.8-C1.8.13) extended to 64 bits in software. Each counts at most
 * one event per cycle, so reading them at least every 255 cycles sees every wrap: while
 * counting, SysTick interrupts every DWT_SAMPLE_PERIOD cycles at the highest priority and
 * adds the 8-bit deltas (dwt_counters_systick, the target's SysTick vector). The sampler
 * costs cycles and instructions of its own (`samples` says how many times it ran), so only
 * runs that ask for counters start it. A target's board_init must have enabled the
 * counters (DEMCR.TRCENA, DWT_CTRL bits 0 and 17-21). Untested on hardware. */
#include "../common/armv7m.h"
#include "board.h"

#define SYST_CSR     REG32(0xE000E010u)
#define SYST_RVR     REG32(0xE000E014u)
#define SYST_CVR     REG32(0xE000E018u)
#define SCB_SHPR3    REG32(0xE000ED20u)
#define SYST_ENABLE  (1u << 0)
#define SYST_TICKINT (1u << 1)
#define SYST_CORECLK (1u << 2)

/* Below 256 with room for the interrupt's entry latency and its own reads. */
enum { DWT_SAMPLE_PERIOD = 200u };

enum { CPI, EXC, SLEEP, LSU, FOLD, COUNTERS };

static volatile uint64_t totals[COUNTERS];
static volatile uint8_t last[COUNTERS];
static volatile uint64_t samples;

static void raw(uint8_t out[COUNTERS]) {
  out[CPI] = (uint8_t)DWT_CPICNT;
  out[EXC] = (uint8_t)DWT_EXCCNT;
  out[SLEEP] = (uint8_t)DWT_SLEEPCNT;
  out[LSU] = (uint8_t)DWT_LSUCNT;
  out[FOLD] = (uint8_t)DWT_FOLDCNT;
}

/* Adds what each counter advanced since the last look (mod 256). Interrupts masked. */
static void accumulate(void) {
  uint8_t now[COUNTERS];
  raw(now);
  for (int k = 0; k < COUNTERS; k++) {
    totals[k] += (uint8_t)(now[k] - last[k]);
    last[k] = now[k];
  }
}

void dwt_counters_systick(void) {
  accumulate();
  samples++;
}

int board_counters_start(void) {
  uint32_t primask = armv7m_irq_save();
  raw((uint8_t *)last);
  for (int k = 0; k < COUNTERS; k++) totals[k] = 0;
  samples = 0;
  SCB_SHPR3 = (SCB_SHPR3 & 0x00FFFFFFu); /* SysTick priority 0: before every other interrupt */
  SYST_RVR = DWT_SAMPLE_PERIOD - 1u;
  SYST_CVR = 0u;
  SYST_CSR = SYST_ENABLE | SYST_TICKINT | SYST_CORECLK;
  armv7m_irq_restore(primask);
  return 1;
}

void board_counters_read(board_counters_t *out) {
  uint32_t primask = armv7m_irq_save();
  out->cycles = board_ticks();
  accumulate();
  out->cpi = totals[CPI];
  out->exc = totals[EXC];
  out->sleep = totals[SLEEP];
  out->lsu = totals[LSU];
  out->fold = totals[FOLD];
  out->samples = samples;
  armv7m_irq_restore(primask);
}

void board_counters_stop(void) {
  SYST_CSR = 0u;
}
