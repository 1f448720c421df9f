/* nor_emu.h – NOR-flash behaviour over plain memory, for the targets whose "flash" is RAM
 * (mps2-an500 under QEMU, host): erase fills with 0xFF, program may only clear bits.
 * Included only from firmware/targets/<t>/; statuses are board_flash.h's. */
#ifndef XSINFER_NOR_EMU_H
#define XSINFER_NOR_EMU_H

#include <stdint.h>

#include "board_flash.h"

typedef struct nor_emu {
  uint8_t *mem; /* writable view of the region (the caller lifts any protection first) */
  uint32_t bytes;
} nor_emu_t;

/* Every byte of the region becomes 0xFF. */
int32_t nor_emu_erase(const nor_emu_t *nor);

/* Checks the whole range first: an offset off the BOARD_FLASH_PROGRAM_ALIGN grid or past
 * the end is BOARD_FLASH_BAD_RANGE, a byte needing a 0 -> 1 bit BOARD_FLASH_NOT_ERASED;
 * either way nothing is written. Otherwise each byte becomes old & new (= new). */
int32_t nor_emu_program(const nor_emu_t *nor, uint32_t offset, const void *data, uint32_t len);

#endif
