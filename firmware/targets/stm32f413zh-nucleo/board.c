/* board.c – NUCLEO-F413ZH (STM32F413ZH): 100 MHz from the ST-LINK's 8 MHz MCO on HSE in
 * bypass mode (PLL M=4 N=100 P=2, VOS scale 1, 3 flash wait states, ART instruction and
 * data caches + prefetch), AHB 100 / APB1 50 / APB2 100 MHz, USART3 on PD8/PD9 (AF7, the
 * ST-LINK virtual COM port) with an RX interrupt into a ring buffer, and the flash
 * sectors of the three upload slots (the top 768 KB of the 1.5 MB). The cycle counter and
 * the flash controller are firmware/common/stm32_cycles.c and stm32_flash.c.
 * Register values follow RM0430 (STM32F413/423 reference manual) and UM1974 (Nucleo-144
 * user manual); untested on hardware — see firmware/targets/stm32f413zh-nucleo/README.md. */
#include <string.h>

#include "../../common/armv7m.h"
#include "board.h"
#include "../../common/stm32_cycles.h"
#include "../../common/stm32_flash.h"
#include "../../common/uart_rx_ring.h"
#include "board_flash.h"

#ifndef XSINFER_UART_BAUD
#define XSINFER_UART_BAUD 921600u
#endif

enum { CORE_HZ = 100000000u, APB1_HZ = 50000000u, APB1_TIMER_HZ = 100000000u };

/* RM0430 chapter "Reset and clock control (RCC)". */
#define RCC_BASE    0x40023800u
#define RCC_CR      REG32(RCC_BASE + 0x00u)
#define RCC_PLLCFGR REG32(RCC_BASE + 0x04u)
#define RCC_CFGR    REG32(RCC_BASE + 0x08u)
#define RCC_AHB1ENR REG32(RCC_BASE + 0x30u)
#define RCC_APB1ENR REG32(RCC_BASE + 0x40u)

#define RCC_CR_HSEON  (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_HSEBYP (1u << 18)
#define RCC_CR_PLLON  (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)

/* RM0430 chapter "Power controller (PWR)": VOS in PWR_CR bits 15:14. */
#define PWR_CR           REG32(0x40007000u)
/* RM0430 chapter "Embedded Flash memory interface", FLASH_ACR. */
#define FLASH_ACR        REG32(0x40023C00u)
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN   (1u << 9)
#define FLASH_ACR_DCEN   (1u << 10)
#define FLASH_ACR_ICRST  (1u << 11)
#define FLASH_ACR_DCRST  (1u << 12)

#define GPIOD_BASE    0x40020C00u
#define GPIOD_MODER   REG32(GPIOD_BASE + 0x00u)
#define GPIOD_OSPEEDR REG32(GPIOD_BASE + 0x08u)
#define GPIOD_PUPDR   REG32(GPIOD_BASE + 0x0Cu)
#define GPIOD_AFRH    REG32(GPIOD_BASE + 0x24u)

/* USART3 (RM0430 chapter "Universal synchronous receiver transmitter (USART)": the F4
 * register layout, SR/DR, not the F7's ISR/RDR). */
#define USART3_BASE    0x40004800u
#define USART3_SR      REG32(USART3_BASE + 0x00u)
#define USART3_DR      REG32(USART3_BASE + 0x04u)
#define USART3_BRR     REG32(USART3_BASE + 0x08u)
#define USART3_CR1     REG32(USART3_BASE + 0x0Cu)
#define USART_SR_ORE   (1u << 3)
#define USART_SR_RXNE  (1u << 5)
#define USART_SR_TC    (1u << 6)
#define USART_SR_TXE   (1u << 7)
#define USART_CR1_RE   (1u << 2)
#define USART_CR1_TE   (1u << 3)
#define USART_CR1_RXNE (1u << 5)
#define USART_CR1_UE   (1u << 13)

enum { IRQ_USART3 = 39 };

/* RM0430 RCC chapter, "Clocks" and RCC_PLLCFGR: VCO input = HSE / M must be 1-2 MHz
 * (2 MHz limits jitter), VCO output 100-432 MHz, SYSCLK <= 100 MHz. UM1974 "OSC clock supply": the
 * ST-LINK's MCO gives the target 8 MHz on PH0 (OSC_IN) in the default solder-bridge
 * configuration, so HSE runs in bypass mode. 8 / 4 * 100 / 2 = 100 MHz. */
static void clocks_100mhz(void) {
  RCC_APB1ENR |= 1u << 28; /* PWREN */
  (void)RCC_APB1ENR;
  PWR_CR = (PWR_CR & ~(3u << 14)) | (3u << 14); /* VOS scale 1: up to 100 MHz */

  RCC_CR |= RCC_CR_HSEBYP;
  RCC_CR |= RCC_CR_HSEON;
  while (!(RCC_CR & RCC_CR_HSERDY)) {}
  RCC_PLLCFGR = 4u            /* PLLM: 8 MHz / 4 = 2 MHz */
                | (100u << 6) /* PLLN: 200 MHz VCO */
                | (0u << 16)  /* PLLP = /2 -> 100 MHz */
                | (1u << 22)  /* PLLSRC = HSE */
                | (5u << 24)  /* PLLQ = /5 -> 40 MHz (USB/SDIO unused) */
                | (2u << 28); /* PLLR = /2 (unused) */
  RCC_CR |= RCC_CR_PLLON;
  while (!(RCC_CR & RCC_CR_PLLRDY)) {}

  /* RM0430 Flash chapter, "Relation between CPU clock frequency and Flash memory read
   * time": 3 wait states for 90 < HCLK <= 100 MHz at 2.7-3.6 V (the
   * Nucleo runs the MCU at 3.3 V). Raised before the clock goes up. */
  FLASH_ACR = 3u | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
  while ((FLASH_ACR & 0xFu) != 3u) {}

  RCC_CFGR = (RCC_CFGR & ~((0xFu << 4) | (7u << 10) | (7u << 13) | 3u)) | (0u << 4) /* AHB /1 */
             | (4u << 10) /* APB1 /2 = 50 MHz (its maximum) */
             | (0u << 13) /* APB2 /1 = 100 MHz */
             | 2u;        /* SW = PLL */
  while (((RCC_CFGR >> 2) & 3u) != 2u) {}
}

/* ---- USART3 with an RX ring buffer (the interrupt only fills it) ---- */
static uart_rx_ring_t rx;

void stm32_usart3_irq(void) {
  uint32_t sr = USART3_SR;
  if (sr & (USART_SR_RXNE | USART_SR_ORE)) {
    /* Reading DR after SR clears RXNE and ORE alike (RM0430, USART_SR). */
    uint8_t byte = (uint8_t)USART3_DR;
    if (sr & USART_SR_ORE) rx.overruns++;
    uart_rx_ring_put(&rx, byte);
  }
}

/* UM1974 §6.9, "USART communication": USART3 on PD8 (TX) and PD9 (RX) reaches the
 * ST-LINK virtual COM port; AF7 per the STM32F413 datasheet's alternate-function table. */
static void usart3_init(void) {
  RCC_AHB1ENR |= 1u << 3;  /* GPIOD */
  RCC_APB1ENR |= 1u << 18; /* USART3 */
  (void)RCC_APB1ENR;
  GPIOD_MODER = (GPIOD_MODER & ~((3u << 16) | (3u << 18))) | (2u << 16) | (2u << 18);
  GPIOD_OSPEEDR |= (3u << 16) | (3u << 18);
  GPIOD_PUPDR = (GPIOD_PUPDR & ~(3u << 18)) | (1u << 18); /* pull-up on RX */
  GPIOD_AFRH = (GPIOD_AFRH & ~((0xFu << 0) | (0xFu << 4))) | (7u << 0) | (7u << 4);
  /* Oversampling by 16: BRR holds APB1 / baud in 1/16ths (mantissa.fraction), i.e.
   * round(50 MHz / 921,600) = 54 -> 925,926 baud, +0.47 %. */
  USART3_BRR = (APB1_HZ + XSINFER_UART_BAUD / 2u) / XSINFER_UART_BAUD;
  USART3_CR1 = USART_CR1_UE | USART_CR1_RE | USART_CR1_TE | USART_CR1_RXNE;
  NVIC_ISER(IRQ_USART3 / 32) = 1u << (IRQ_USART3 % 32);
}

void board_init(void) {
  clocks_100mhz();
  armv7m_enable_fault_reporting();
  usart3_init();
  stm32_cycles_init(APB1_TIMER_HZ, 0); /* APB1 x2 = 100 MHz timer clock */
}

/* board_ticks: firmware/common/stm32_cycles.c */

const board_tick_unit_t *board_tick_unit(void) {
  static const board_tick_unit_t unit = {"cycles", 1u, 1u, CORE_HZ};
  return &unit;
}

const char *board_name(void) {
  return "stm32f413zh-nucleo";
}

uint32_t board_ticks_per_second(void) {
  return CORE_HZ;
}

volatile board_io_t board_io;

void board_uart_write(const void *data, size_t len) {
  const uint8_t *bytes = data;
  board_io.uart_bytes += (uint32_t)len;
  for (size_t i = 0; i < len; i++) {
    while (!(USART3_SR & USART_SR_TXE)) {}
    USART3_DR = bytes[i];
  }
}

size_t board_uart_read(void *data, size_t cap) {
  return uart_rx_ring_take(&rx, data, cap);
}

void board_uart_flush(void) {
  while (!(USART3_SR & USART_SR_TC)) {}
}

/* board_host_file_*, board_cmdline, board_exit, board_reset: firmware/common/board_standalone.c */

/* ---- embedded flash: the upload slots (RM0430 chapter "Embedded Flash memory interface") ----
 * One bank, 1.5 MB = 4x16 + 64 + 11x128 KB sectors ("Flash memory organization"). The slots are the top
 * 768 KB, two 128 KB sectors each: app 0x080C0000 (sectors 10-11), model A 0x08100000
 * (12-13), model B 0x08140000 (14-15); FLASH_CR.SNB takes the sector number (0-15). */
/* Flash size in KB, from the device electronic signature (RM0430, "Flash size data register"). */
#define FLASH_SIZE_KB (*(volatile const uint16_t *)(uintptr_t)0x1FFF7A22u)

/* FLASH_SR: OPERR, WRPERR, PGAERR, PGPERR, PGSERR, RDERR. A 128 KB sector erase at x32
 * takes a few seconds at most: 10 s is far beyond the datasheet's worst case. */
const stm32_flash_part_t stm32_flash_part = {
    (1u << 1) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8),
    (uint64_t)CORE_HZ * 10u,
    "none (flash smaller than 1.5 MB)",
};

static const stm32_flash_slot_t slots[BOARD_FLASH_SLOT_COUNT] = {
    {0x080C0000u, 256u * 1024u, 2u, {10u, 11u}, "flash sectors 10-11"},
    {0x08100000u, 256u * 1024u, 2u, {12u, 13u}, "flash sectors 12-13"},
    {0x08140000u, 256u * 1024u, 2u, {14u, 15u}, "flash sectors 14-15"},
};

/* NULL on a part with less than 1.5 MB (an F413xG): the addresses would not be flash. */
const stm32_flash_slot_t *stm32_flash_slot(board_flash_slot_t slot) {
  if ((unsigned)slot >= BOARD_FLASH_SLOT_COUNT || FLASH_SIZE_KB < 1536u) return NULL;
  return &slots[slot];
}

/* The ART accelerator caches flash instructions and data; after the controller changed
 * flash, lines may hold what was there before. Its caches are reset only while disabled
 * (RM0430, "Adaptive real-time memory accelerator (ART Accelerator)"). */
void stm32_flash_changed(uint32_t addr, uint32_t len) {
  (void)addr;
  (void)len;
  uint32_t acr = FLASH_ACR;
  FLASH_ACR = acr & ~(FLASH_ACR_ICEN | FLASH_ACR_DCEN);
  FLASH_ACR = (acr & ~(FLASH_ACR_ICEN | FLASH_ACR_DCEN)) | FLASH_ACR_ICRST | FLASH_ACR_DCRST;
  FLASH_ACR = acr & ~(FLASH_ACR_ICRST | FLASH_ACR_DCRST);
  armv7m_dsb();
  armv7m_isb();
}

/* The ART caches are flushed after the change; nothing to do before reading. */
void stm32_flash_before_read(uint32_t addr, uint32_t len) {
  (void)addr;
  (void)len;
}
