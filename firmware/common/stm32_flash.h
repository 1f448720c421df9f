/* stm32_flash.h – the embedded-flash controller of the STM32F4 and F7 behind board.h's
 * board_flash_region / board_flash_erase / board_flash_program on the F413 and the F769.
 * Both parts have the same FLASH_KEYR/SR/CR at 0x40023C04/0C/10 and the same unlock,
 * sector-erase and program sequences (RM0430 and RM0410, chapter "Embedded Flash
 * memory"); stm32_flash.c implements the three board_flash_* functions with them.
 *
 * The board provides what differs, below: which sectors make each flash slot, which
 * FLASH_SR bits are errors on its part, how long an operation may take, and its cache
 * upkeep around a change. Each call unlocks the controller, runs one operation and locks
 * it again; a failure comes back as a BOARD_FLASH_* status. No heap, no state of its own.
 * Untested on hardware. */
#ifndef XSINFER_STM32_FLASH_H
#define XSINFER_STM32_FLASH_H

#include <stdint.h>

#include "board_flash.h"

/* A flash slot: its address range and the sectors an erase clears, in order. */
typedef struct stm32_flash_slot {
  uint32_t base;
  uint32_t bytes;
  uint32_t sectors; /* entries of snb used */
  uint8_t snb[4];   /* FLASH_CR.SNB value of each sector */
  const char *where;
} stm32_flash_slot_t;

typedef struct stm32_flash_part {
  uint32_t sr_errors;     /* the FLASH_SR error flags of this part */
  uint64_t timeout_ticks; /* BSY for longer than this (board_ticks) is BOARD_FLASH_TIMEOUT */
  const char *no_slot;    /* board_flash_region's `where` for a slot the part lacks */
} stm32_flash_part_t;

/* ---- provided by the board ---- */
extern const stm32_flash_part_t stm32_flash_part;
/* NULL where this part (or its configuration) has no such slot. */
const stm32_flash_slot_t *stm32_flash_slot(board_flash_slot_t slot);
/* Before the not-erased check reads [addr, addr + len) of a valid range. */
void stm32_flash_before_read(uint32_t addr, uint32_t len);
/* After an erase or a program changed [addr, addr + len), whatever its status. */
void stm32_flash_changed(uint32_t addr, uint32_t len);

#endif
