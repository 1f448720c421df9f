/*
 * board_flash.h – the flash slots a target offers for uploaded apps and models
 * (implemented in firmware/targets/<t>/board.c): where each slot is, erase, program.
 *
 * Contract
 * - A slot is one region of memory-mapped flash, readable in place at `base` like any
 *   const data; ordinary stores to it fault or do nothing (MPU, real flash). Only
 *   board_flash_erase/board_flash_program change it.
 * - NOR semantics on every target: erase sets every byte of the slot to 0xFF; program
 *   only clears bits. Programming a byte that needs a 0 -> 1 bit fails with
 *   BOARD_FLASH_NOT_ERASED and leaves the slot as it was.
 * - Program offsets are multiples of BOARD_FLASH_PROGRAM_ALIGN; lengths are free (a
 *   shorter tail is programmed bytewise). `data` must not point into flash.
 * - Both calls block until done. On the F769 an erase takes ~1-2 s per 256 KB and stalls
 *   every flash read (code included) meanwhile; interrupts are served late, not lost.
 * - After either call returns, reads of the slot see the new content (the F769 invalidates
 *   the D-cache over the range). A failed call may leave the slot partly written: callers
 *   keep their own validity marker (firmware/programs/xsinfer/flash_slot.h).
 */
#ifndef XSINFER_BOARD_FLASH_H
#define XSINFER_BOARD_FLASH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One app slot and two model slots, used A/B so a model upload can stream into the one
 * not in use while the other stays valid (firmware/programs/xsinfer/upload.c). MODEL_AB
 * is not a fourth region: it is A and B together (B follows A in flash on every target),
 * for a model larger than one slot; erasing it erases both. */
typedef enum board_flash_slot {
  BOARD_FLASH_SLOT_APP = 0,
  BOARD_FLASH_SLOT_MODEL_A = 1,
  BOARD_FLASH_SLOT_MODEL_B = 2,
  BOARD_FLASH_SLOT_MODEL_AB = 3,
} board_flash_slot_t;

/* The separate regions (APP, MODEL_A, MODEL_B); MODEL_AB overlaps two of them. */
enum { BOARD_FLASH_SLOT_COUNT = 3 };

#define BOARD_FLASH_PROGRAM_ALIGN 4u

typedef enum board_flash_status {
  BOARD_FLASH_OK = 0,
  BOARD_FLASH_NO_SLOT = -1,    /* this target (or this chip's configuration) has no such slot */
  BOARD_FLASH_BAD_RANGE = -2,  /* outside the slot, or a misaligned offset */
  BOARD_FLASH_NOT_ERASED = -3, /* a byte would need a 0 -> 1 bit: erase first */
  BOARD_FLASH_CONTROLLER =
      -4,                   /* the flash controller flagged an error (protection, sequence, ...) */
  BOARD_FLASH_LOCKED = -5,  /* the controller did not unlock */
  BOARD_FLASH_TIMEOUT = -6, /* the controller stayed busy far beyond its maximum time */
} board_flash_status_t;

typedef struct board_flash_region {
  const uint8_t *base; /* NULL when the slot does not exist */
  uint32_t bytes;
  const char *where; /* for logs, e.g. "sector 11" or "RAM (host)" */
} board_flash_region_t;

/* The slot's region. Returns BOARD_FLASH_OK, or BOARD_FLASH_NO_SLOT with out->base NULL. */
int32_t board_flash_region(board_flash_slot_t slot, board_flash_region_t *out);

/* Erases the whole slot. */
int32_t board_flash_erase(board_flash_slot_t slot);

/* Programs `len` bytes at `offset` bytes into the slot. */
int32_t board_flash_program(board_flash_slot_t slot, uint32_t offset, const void *data,
                            uint32_t len);

#ifdef __cplusplus
}
#endif

#endif
