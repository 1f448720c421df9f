/* board.c – STM32F769I-DISCO: 216 MHz from the 25 MHz HSE crystal (PLL M=25 N=432
 * P=2 Q=9, over-drive, 7 flash wait states, ART + prefetch), I/D caches, USART1 on
 * PA9/PA10 (the ST-LINK virtual COM port) with an RX interrupt into a ring buffer, and
 * the flash sectors of the three upload slots (the top 768 KB of the 2 MB). The cycle
 * counter and the flash controller are firmware/common/stm32_cycles.c and stm32_flash.c.
 * Register values follow RM0410 (STM32F76xxx reference manual); not yet run on a
 * board here — see the README's hardware section. */
#include <string.h>

#include "../../common/armv7m.h"
#include "board.h"
#include "../../common/stm32_cycles.h"
#include "../../common/stm32_flash.h"
#include "../../common/uart_rx_ring.h"
#include "board_flash.h"

/* XSINFER_UART_BAUD comes from target.cmake, the one place the host also reads it from
 * (bin/board.json). */

enum { CORE_HZ = 216000000u, APB1_TIMER_HZ = 108000000u, APB2_HZ = 108000000u };

#define RCC_BASE     0x40023800u
#define RCC_CR       REG32(RCC_BASE + 0x00u)
#define RCC_PLLCFGR  REG32(RCC_BASE + 0x04u)
#define RCC_CFGR     REG32(RCC_BASE + 0x08u)
#define RCC_AHB1ENR  REG32(RCC_BASE + 0x30u)
#define RCC_APB1ENR  REG32(RCC_BASE + 0x40u)
#define RCC_APB2ENR  REG32(RCC_BASE + 0x44u)
#define RCC_DCKCFGR2 REG32(RCC_BASE + 0x90u)

#define PWR_CR1   REG32(0x40007000u)
#define PWR_CSR1  REG32(0x40007004u)
#define FLASH_ACR REG32(0x40023C00u)

#define GPIOA_BASE    0x40020000u
#define GPIOA_MODER   REG32(GPIOA_BASE + 0x00u)
#define GPIOA_OSPEEDR REG32(GPIOA_BASE + 0x08u)
#define GPIOA_PUPDR   REG32(GPIOA_BASE + 0x0Cu)
#define GPIOA_AFRH    REG32(GPIOA_BASE + 0x24u)

#define USART1_BASE    0x40011000u
#define USART1_CR1     REG32(USART1_BASE + 0x00u)
#define USART1_BRR     REG32(USART1_BASE + 0x0Cu)
#define USART1_ISR     REG32(USART1_BASE + 0x1Cu)
#define USART1_ICR     REG32(USART1_BASE + 0x20u)
#define USART1_RDR     REG32(USART1_BASE + 0x24u)
#define USART1_TDR     REG32(USART1_BASE + 0x28u)
#define USART_ISR_ORE  (1u << 3)
#define USART_ISR_RXNE (1u << 5)
#define USART_ISR_TC   (1u << 6)
#define USART_ISR_TXE  (1u << 7)

#define TIM2_BASE 0x40000000u
#define TIM2_ARR  REG32(TIM2_BASE + 0x2Cu)
#define TIM2_CNT  REG32(TIM2_BASE + 0x24u)

enum { IRQ_USART1 = 37 };

static void clocks_216mhz(void) {
  RCC_APB1ENR |= 1u << 28; /* PWREN */
  (void)RCC_APB1ENR;
  PWR_CR1 = (PWR_CR1 & ~(3u << 14)) | (3u << 14); /* VOS scale 1 */

  RCC_CR |= 1u << 16; /* HSEON (crystal, no bypass) */
  while (!(RCC_CR & (1u << 17))) {}
  RCC_PLLCFGR = 25u           /* PLLM: 25 MHz / 25 = 1 MHz */
                | (432u << 6) /* PLLN: 432 MHz VCO */
                | (0u << 16)  /* PLLP = /2 -> 216 MHz */
                | (1u << 22)  /* PLLSRC = HSE */
                | (9u << 24)  /* PLLQ = /9 -> 48 MHz */
                | (7u << 28); /* PLLR (unused) */
  RCC_CR |= 1u << 24;         /* PLLON */

  PWR_CR1 |= 1u << 16; /* ODEN: over-drive, needed above 180 MHz */
  while (!(PWR_CSR1 & (1u << 16))) {}
  PWR_CR1 |= 1u << 17; /* ODSWEN */
  while (!(PWR_CSR1 & (1u << 17))) {}
  while (!(RCC_CR & (1u << 25))) {}

  FLASH_ACR = 7u | (1u << 8) | (1u << 9); /* 7 wait states, prefetch, ART */
  while ((FLASH_ACR & 0xFu) != 7u) {}

  RCC_CFGR = (RCC_CFGR & ~((0xFu << 4) | (7u << 10) | (7u << 13) | 3u)) | (0u << 4) /* AHB /1 */
             | (5u << 10) /* APB1 /4 = 54 MHz */
             | (4u << 13) /* APB2 /2 = 108 MHz */
             | 2u;        /* SW = PLL */
  while (((RCC_CFGR >> 2) & 3u) != 2u) {}
}

static void caches_on(void) {
  armv7m_dsb();
  armv7m_isb();
  SCB_ICIALLU = 0u;
  armv7m_dsb();
  armv7m_isb();
  SCB_CCR |= 1u << 17; /* IC */
  armv7m_dsb();
  armv7m_isb();

  SCB_CSSELR = 0u; /* L1 data cache */
  armv7m_dsb();
  uint32_t ccsidr = SCB_CCSIDR;
  uint32_t sets = ((ccsidr >> 13) & 0x7FFFu) + 1u;
  uint32_t ways = ((ccsidr >> 3) & 0x3FFu) + 1u;
  for (uint32_t set = 0; set < sets; set++)
    for (uint32_t way = 0; way < ways; way++) SCB_DCISW = (set << 5) | (way << 30);
  armv7m_dsb();
  SCB_CCR |= 1u << 16; /* DC */
  armv7m_dsb();
  armv7m_isb();
}

/* ---- USART1 with an RX ring buffer (the interrupt only fills it) ---- */
static uart_rx_ring_t rx;

void stm32_usart1_irq(void) {
  uint32_t isr = USART1_ISR;
  if (isr & USART_ISR_ORE) {
    USART1_ICR = USART_ISR_ORE;
    rx.overruns++;
  }
  if (isr & USART_ISR_RXNE) {
    uint8_t byte = (uint8_t)USART1_RDR;
    uart_rx_ring_put(&rx, byte);
  }
}

static void usart1_init(void) {
  RCC_AHB1ENR |= 1u << 0; /* GPIOA */
  RCC_APB2ENR |= 1u << 4; /* USART1 */
  RCC_DCKCFGR2 &= ~3u;    /* USART1 clock = APB2 */
  (void)RCC_APB2ENR;
  GPIOA_MODER = (GPIOA_MODER & ~((3u << 18) | (3u << 20))) | (2u << 18) | (2u << 20);
  GPIOA_OSPEEDR |= (3u << 18) | (3u << 20);
  GPIOA_PUPDR = (GPIOA_PUPDR & ~(3u << 20)) | (1u << 20); /* pull-up on RX */
  GPIOA_AFRH = (GPIOA_AFRH & ~((0xFu << 4) | (0xFu << 8))) | (7u << 4) | (7u << 8);
  USART1_BRR = (APB2_HZ + XSINFER_UART_BAUD / 2u) / XSINFER_UART_BAUD;
  USART1_CR1 = (1u << 0) | (1u << 2) | (1u << 3) | (1u << 5); /* UE, RE, TE, RXNEIE */
  NVIC_ISER(IRQ_USART1 / 32) = 1u << (IRQ_USART1 % 32);
}

void board_init(void) {
  clocks_216mhz();
  caches_on();
  armv7m_enable_fault_reporting();
  usart1_init();
  stm32_cycles_init(APB1_TIMER_HZ, 1); /* the M7 DWT needs its lock-access key */
}

/* board_ticks: firmware/common/stm32_cycles.c */

const board_tick_unit_t *board_tick_unit(void) {
  static const board_tick_unit_t unit = {"cycles", 1u, 1u, CORE_HZ};
  return &unit;
}

uint32_t board_ticks_per_second(void) {
  return CORE_HZ;
}

const char *board_name(void) {
  return "stm32f769i-disco";
}

volatile board_io_t board_io;

void board_uart_write(const void *data, size_t len) {
  const uint8_t *bytes = data;
  board_io.uart_bytes += (uint32_t)len;
  for (size_t i = 0; i < len; i++) {
    while (!(USART1_ISR & USART_ISR_TXE)) {}
    USART1_TDR = bytes[i];
  }
}

size_t board_uart_read(void *data, size_t cap) {
  return uart_rx_ring_take(&rx, data, cap);
}

void board_uart_flush(void) {
  while (!(USART1_ISR & USART_ISR_TC)) {}
}

/* board_host_file_*, board_cmdline, board_exit, board_reset: firmware/common/board_standalone.c */

/* ---- embedded flash: the upload slots (RM0410 §3 "Embedded Flash memory") ----
 * The slots are the top 768 KB, 0x08140000-0x081FFFFF (layout.ld keeps the image below):
 * app 0x08140000, model A 0x08180000, model B 0x081C0000.
 * nDBANK = 1 (single bank, the factory setting): 2 MB = 4x32 + 128 + 7x256 KB sectors,
 * so the slots are sectors 9, 10 and 11. nDBANK = 0 (dual bank): two banks of
 * 4x16 + 64 + 7x128 KB, and the same addresses are bank 2's sectors 18-19, 20-21 and
 * 22-23, whose FLASH_CR.SNB value is 0x10 | (n - 12) (§3.7, FLASH_CR). Both modes give the
 * same slots; only the sectors erased differ. */
#define FLASH_OPTCR   REG32(0x40023C14u)
/* Flash size in KB, from the device electronic signature (RM0410, "Flash size"). */
#define FLASH_SIZE_KB (*(volatile const uint16_t *)(uintptr_t)0x1FF0F442u)

#define FLASH_OPTCR_NDBANK (1u << 29)

#define SCB_CCR_DC (1u << 16)

/* FLASH_SR: OPERR, WRPERR, PGAERR, PGPERR, ERSERR (§3.7, FLASH_SR). A 256 KB sector erase
 * at x32 takes a few seconds at most: 10 s is far beyond the datasheet's worst case. */
const stm32_flash_part_t stm32_flash_part = {
    (1u << 1) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7),
    (uint64_t)CORE_HZ * 10u,
    "none (flash smaller than 2 MB)",
};

/* Indexed by board_flash_slot_t; the last entry is MODEL_AB, the sectors of A and B. */
static const stm32_flash_slot_t single_bank_slots[BOARD_FLASH_SLOT_MODEL_AB + 1] = {
    {0x08140000u, 256u * 1024u, 1u, {9u, 0u}, "flash sector 9 (single bank)"},
    {0x08180000u, 256u * 1024u, 1u, {10u, 0u}, "flash sector 10 (single bank)"},
    {0x081C0000u, 256u * 1024u, 1u, {11u, 0u}, "flash sector 11 (single bank)"},
    {0x08180000u, 512u * 1024u, 2u, {10u, 11u}, "flash sectors 10-11 (single bank)"},
};
static const stm32_flash_slot_t dual_bank_slots[BOARD_FLASH_SLOT_MODEL_AB + 1] = {
    {0x08140000u,
     256u * 1024u,
     2u,
     {0x10u | 6u, 0x10u | 7u},
     "flash bank 2 sectors 18-19 (dual bank)"},
    {0x08180000u,
     256u * 1024u,
     2u,
     {0x10u | 8u, 0x10u | 9u},
     "flash bank 2 sectors 20-21 (dual bank)"},
    {0x081C0000u,
     256u * 1024u,
     2u,
     {0x10u | 10u, 0x10u | 11u},
     "flash bank 2 sectors 22-23 (dual bank)"},
    {0x08180000u,
     512u * 1024u,
     4u,
     {0x10u | 8u, 0x10u | 9u, 0x10u | 10u, 0x10u | 11u},
     "flash bank 2 sectors 20-23 (dual bank)"},
};

/* NULL on a part with less than 2 MB: the addresses would not be flash. */
const stm32_flash_slot_t *stm32_flash_slot(board_flash_slot_t slot) {
  if ((unsigned)slot > BOARD_FLASH_SLOT_MODEL_AB || FLASH_SIZE_KB < 2048u) return NULL;
  return (FLASH_OPTCR & FLASH_OPTCR_NDBANK) ? &single_bank_slots[slot] : &dual_bank_slots[slot];
}

/* Flash is read through the AXIM and the (write-through) D-cache: after the controller
 * changed it, drop any line that still holds what was there before. */
static void dcache_invalidate(uint32_t addr, uint32_t len) {
  if (!(SCB_CCR & SCB_CCR_DC) || len == 0) return;
  armv7m_dsb();
  for (uint32_t line = addr & ~31u; line < addr + len; line += 32u) SCB_DCIMVAC = line;
  armv7m_dsb();
  armv7m_isb();
}

void stm32_flash_before_read(uint32_t addr, uint32_t len) {
  dcache_invalidate(addr, len);
}

void stm32_flash_changed(uint32_t addr, uint32_t len) {
  dcache_invalidate(addr, len);
}

/* ---- board-check (untested on hardware) ---- */
#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)

/* SysTick (24-bit, core clock, down-counting, polled faster than its 77 ms wrap) and TIM2
 * (10 kHz from APB1 x2, wraps every 10 s) over `ticks` DWT cycles. A counted run owns
 * SysTick; board-check runs between runs, never inside one. */
uint32_t board_clock_compare(uint64_t ticks, board_clock_count_t out[2]) {
  enum { SYST_TOP = 0x00FFFFFFu };
  SYST_CSR = 0u;
  SYST_RVR = SYST_TOP;
  SYST_CVR = 0u;
  SYST_CSR = (1u << 2) | 1u; /* core clock, enabled, no interrupt */
  uint32_t arr = TIM2_ARR + 1u;
  uint32_t tim_start = TIM2_CNT, tim_last = tim_start, tim_wraps = 0;
  uint32_t syst_last = SYST_CVR;
  uint64_t syst_count = 0;
  uint64_t start = board_ticks();
  while (board_ticks() - start < ticks) {
    uint32_t now = SYST_CVR;
    syst_count += (syst_last - now) & SYST_TOP;
    syst_last = now;
    uint32_t tim = TIM2_CNT;
    if (tim < tim_last) tim_wraps++;
    tim_last = tim;
  }
  SYST_CSR = 0u;
  out[0] = (board_clock_count_t){"SysTick", syst_count, CORE_HZ};
  out[1] = (board_clock_count_t){"TIM2", (uint64_t)tim_wraps * arr + tim_last - tim_start, 10000u};
  return 2;
}

void board_core_state(board_core_state_t *out) {
  out->icache = (int8_t)((SCB_CCR >> 17) & 1u);
  out->dcache = (int8_t)((SCB_CCR >> 16) & 1u);
  out->mpu = (int8_t)(MPU_CTRL & 1u);
  out->mpu_regions = (uint8_t)(MPU_TYPE >> 8);
}
