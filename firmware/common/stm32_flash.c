/* stm32_flash.c – board_flash_* over the STM32F4/F7 embedded-flash controller
 * (stm32_flash.h). Register values follow RM0430 (F413) and RM0410 (F769), chapter
 * "Embedded Flash memory": the same on both parts but for the error flags the board names.
 * Untested on hardware. */
#include "stm32_flash.h"

#include <string.h>

#include "armv7m.h"
#include "board.h"

#define FLASH_KEYR REG32(0x40023C04u)
#define FLASH_SR   REG32(0x40023C0Cu)
#define FLASH_CR   REG32(0x40023C10u)

#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu

#define FLASH_SR_EOP (1u << 0)
#define FLASH_SR_BSY (1u << 16)

#define FLASH_CR_PG        (1u << 0)
#define FLASH_CR_SER       (1u << 1)
#define FLASH_CR_SNB_SHIFT 3u
/* Program/erase parallelism. x32 needs VDD 2.7-3.6 V: both boards run the MCU at 3.3 V. */
#define FLASH_CR_PSIZE_X8  (0u << 8)
#define FLASH_CR_PSIZE_X32 (2u << 8)
#define FLASH_CR_STRT      (1u << 16)
#define FLASH_CR_LOCK      (1u << 31)

/* Waits out BSY, then reports (and clears) the error flags of the finished operation. */
static int32_t flash_wait(void) {
  uint64_t start = board_ticks();
  while (FLASH_SR & FLASH_SR_BSY)
    if (board_ticks() - start > stm32_flash_part.timeout_ticks) return BOARD_FLASH_TIMEOUT;
  uint32_t errors = FLASH_SR & stm32_flash_part.sr_errors;
  if (errors) {
    FLASH_SR = errors; /* write 1 to clear */
    return BOARD_FLASH_CONTROLLER;
  }
  return BOARD_FLASH_OK;
}

/* KEYR takes KEY1 then KEY2 only while CR is locked: a wrong or repeated sequence locks
 * the controller until the next reset ("Unlocking the Flash control register"). Stale
 * flags from an earlier operation are cleared so the next check sees only this one's. */
static int32_t flash_open(void) {
  int32_t status = flash_wait();
  if (status == BOARD_FLASH_TIMEOUT) return status;
  if (FLASH_CR & FLASH_CR_LOCK) {
    FLASH_KEYR = FLASH_KEY1;
    FLASH_KEYR = FLASH_KEY2;
  }
  if (FLASH_CR & FLASH_CR_LOCK) return BOARD_FLASH_LOCKED;
  FLASH_SR = stm32_flash_part.sr_errors | FLASH_SR_EOP;
  return BOARD_FLASH_OK;
}

/* Clears PG/SER/SNB and locks in one write. */
static void flash_close(void) {
  FLASH_CR = FLASH_CR_LOCK;
}

int32_t board_flash_region(board_flash_slot_t slot, board_flash_region_t *out) {
  const stm32_flash_slot_t *s = stm32_flash_slot(slot);
  out->base = s ? (const uint8_t *)(uintptr_t)s->base : NULL;
  out->bytes = s ? s->bytes : 0u;
  out->where = s ? s->where : stm32_flash_part.no_slot;
  return s ? BOARD_FLASH_OK : BOARD_FLASH_NO_SLOT;
}

/* Sector erase ("Flash erase sequences"): SER + SNB, then STRT, then wait for BSY; one
 * sector at a time. */
int32_t board_flash_erase(board_flash_slot_t slot) {
  const stm32_flash_slot_t *s = stm32_flash_slot(slot);
  if (!s) return BOARD_FLASH_NO_SLOT;
  int32_t status = flash_open();
  for (uint32_t i = 0; i < s->sectors && status == BOARD_FLASH_OK; i++) {
    FLASH_CR = FLASH_CR_SER | ((uint32_t)s->snb[i] << FLASH_CR_SNB_SHIFT) | FLASH_CR_PSIZE_X32;
    FLASH_CR |= FLASH_CR_STRT;
    armv7m_dsb();
    status = flash_wait();
  }
  flash_close();
  stm32_flash_changed(s->base, s->bytes);
  return status;
}

/* Programming ("Flash programming sequences"): PG set, one store of the PSIZE width, wait
 * for BSY, next. Words go x32; a tail of 1-3 bytes goes x8. The DSB before each wait keeps
 * the core from merging two stores into one wider write (a parallelism error). The
 * controller does not refuse a location that is not erased (it just ANDs), so that is
 * checked here first: the rule the emulated targets enforce. */
int32_t board_flash_program(board_flash_slot_t slot, uint32_t offset, const void *data,
                            uint32_t len) {
  const stm32_flash_slot_t *s = stm32_flash_slot(slot);
  if (!s) return BOARD_FLASH_NO_SLOT;
  if (offset % BOARD_FLASH_PROGRAM_ALIGN != 0 || offset > s->bytes || len > s->bytes - offset)
    return BOARD_FLASH_BAD_RANGE;
  uint32_t addr = s->base + offset;
  const uint8_t *src = data;
  const volatile uint8_t *now = (const volatile uint8_t *)(uintptr_t)addr;
  stm32_flash_before_read(addr, len);
  for (uint32_t i = 0; i < len; i++)
    if ((uint8_t)(now[i] & src[i]) != src[i]) return BOARD_FLASH_NOT_ERASED;

  int32_t status = flash_open();
  uint32_t words = len / 4u;
  if (status == BOARD_FLASH_OK && words > 0) {
    FLASH_CR = FLASH_CR_PG | FLASH_CR_PSIZE_X32;
    for (uint32_t w = 0; w < words && status == BOARD_FLASH_OK; w++) {
      uint32_t word;
      memcpy(&word, src + 4u * w, sizeof word);
      *(volatile uint32_t *)(uintptr_t)(addr + 4u * w) = word;
      armv7m_dsb();
      status = flash_wait();
    }
  }
  if (status == BOARD_FLASH_OK && len % 4u != 0) {
    FLASH_CR = FLASH_CR_PG | FLASH_CR_PSIZE_X8;
    for (uint32_t i = 4u * words; i < len && status == BOARD_FLASH_OK; i++) {
      *(volatile uint8_t *)(uintptr_t)(addr + i) = src[i];
      armv7m_dsb();
      status = flash_wait();
    }
  }
  flash_close();
  stm32_flash_changed(addr, len);
  return status;
}
