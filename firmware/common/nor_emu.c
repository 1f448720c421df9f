/* nor_emu.c – NOR-flash semantics over plain memory (contract in nor_emu.h), shared by the
 * mps2-an500 and host targets so a slot writer that forgets to erase fails there the way
 * it would on the F769, not only on the board. */
#include "nor_emu.h"

#include <string.h>

int32_t nor_emu_erase(const nor_emu_t *nor) {
  if (!nor->mem) return BOARD_FLASH_NO_SLOT;
  memset(nor->mem, 0xFF, nor->bytes);
  return BOARD_FLASH_OK;
}

int32_t nor_emu_program(const nor_emu_t *nor, uint32_t offset, const void *data, uint32_t len) {
  if (!nor->mem) return BOARD_FLASH_NO_SLOT;
  if (offset % BOARD_FLASH_PROGRAM_ALIGN != 0 || offset > nor->bytes || len > nor->bytes - offset)
    return BOARD_FLASH_BAD_RANGE;
  const uint8_t *src = data;
  uint8_t *dst = nor->mem + offset;
  for (uint32_t i = 0; i < len; i++)
    if ((uint8_t)(dst[i] & src[i]) != src[i]) return BOARD_FLASH_NOT_ERASED;
  for (uint32_t i = 0; i < len; i++) dst[i] &= src[i];
  return BOARD_FLASH_OK;
}
