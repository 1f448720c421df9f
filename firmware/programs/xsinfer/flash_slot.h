/* flash_slot.h – what an upload slot in flash holds (board_flash.h gives the regions): a
 * 64-byte header, then the image, 16-byte aligned so models and XS archives are used in
 * place. The header is programmed last and its magic word last of all, so a slot whose
 * write was cut short (reset, power loss, a refused program) never reads as valid. An
 * image is written whole (flash_slot_store) or streamed in (begin / write / commit). */
#ifndef XSINFER_FLASH_SLOT_H
#define XSINFER_FLASH_SLOT_H

#include <stdint.h>

#include "board_flash.h"

#define FLASH_SLOT_MAGIC        0x544F4C53u /* "SLOT" */
/* 2: the sequence number (A/B model slots) joined the CRC-covered part of the header. */
#define FLASH_SLOT_FORMAT       2u
#define FLASH_SLOT_HEADER_BYTES 64u
#define FLASH_SLOT_NAME_BYTES   32u

typedef enum flash_slot_kind {
  FLASH_SLOT_KIND_APP = 1,   /* a deployable XS archive (xsarc --base) */
  FLASH_SLOT_KIND_MODEL = 2, /* a .tflite model the engine verified */
} flash_slot_kind_t;

typedef struct flash_slot_header {
  uint32_t magic; /* FLASH_SLOT_MAGIC once complete; erased (0xFFFFFFFF) until then */
  uint16_t format;
  uint16_t kind;
  uint32_t image_bytes;
  uint32_t image_crc; /* CRC-32 of the image */
  uint32_t base_crc;  /* app: CRC-32 of the built-in archive it was predicted against; model: 0 */
  char name[FLASH_SLOT_NAME_BYTES]; /* as upload_begin named it, NUL-padded */
  uint32_t sequence;   /* model slots: higher = committed later (the newer of A/B); app: 0 */
  uint32_t header_crc; /* CRC-32 of every byte before this field */
  uint32_t reserved;
} flash_slot_header_t;

_Static_assert(sizeof(flash_slot_header_t) == FLASH_SLOT_HEADER_BYTES, "slot header layout");

/* A complete slot, read in place. */
typedef struct flash_slot_image {
  const uint8_t *data; /* in flash, 16-byte aligned */
  uint32_t bytes;
  uint32_t crc;
  uint32_t base_crc;
  uint32_t sequence;
  char name[FLASH_SLOT_NAME_BYTES];
} flash_slot_image_t;

/* Statuses below the board_flash ones (which pass through unchanged). */
enum {
  FLASH_SLOT_EMPTY = -16,        /* erased */
  FLASH_SLOT_INCOMPLETE = -17,   /* header written but not committed: an interrupted write */
  FLASH_SLOT_CORRUPT = -18,      /* bad magic or header CRC */
  FLASH_SLOT_OTHER_FORMAT = -19, /* another slot format version */
  FLASH_SLOT_WRONG_KIND = -20,
  FLASH_SLOT_BAD_IMAGE = -21, /* image size impossible, or its CRC does not match */
  FLASH_SLOT_VERIFY = -22,    /* read-back after programming differs */
  FLASH_SLOT_TOO_LARGE = -23,
  FLASH_SLOT_REVOKED = -24,      /* magic cleared by flash_slot_revoke */
  FLASH_SLOT_OUT_OF_ORDER = -25, /* a streamed write not at the end of what was written */
};

/* Largest image the slot takes (region minus header); 0 when the target has none. */
uint32_t flash_slot_capacity(board_flash_slot_t slot);

/* 0 and *out when the slot holds a complete, CRC-valid image of `kind`; else a status. */
int32_t flash_slot_load(board_flash_slot_t slot, flash_slot_kind_t kind, flash_slot_image_t *out);

/* Erases the slot, programs and reads back the image, then the header (magic last) and
 * reads it back. `image` must be in RAM. 0 and *out (now in flash), else a status; on
 * failure the slot reads as empty, incomplete or corrupt, never as a valid image. */
int32_t flash_slot_store(board_flash_slot_t slot, flash_slot_kind_t kind, const char *name,
                         const uint8_t *image, uint32_t bytes, uint32_t base_crc, uint32_t sequence,
                         flash_slot_image_t *out);

/* Streaming: flash_slot_begin erases the slot (it reads as empty, then incomplete once
 * written to); flash_slot_write programs image bytes in order, `offset` counting from the
 * image's start, and reads them back; flash_slot_finish programs what is left and checks
 * the CRC-32 of the image as it now reads from flash against `crc` (the image is then
 * complete in flash, e.g. for a check in place, but not committed); flash_slot_commit
 * does the same, then programs the header (magic last) and loads the slot into *out.
 * Writes need not be multiples of BOARD_FLASH_PROGRAM_ALIGN: up to 3 bytes wait in `w`
 * for the next write (or the finish), so one writer per slot at a time. Until the commit
 * succeeds the slot never reads as valid. 0 or a status. */
typedef struct flash_slot_writer {
  board_flash_slot_t slot;
  uint32_t capacity; /* image bytes the slot takes */
  uint32_t written;  /* image bytes handed to flash_slot_write so far */
  uint8_t tail[BOARD_FLASH_PROGRAM_ALIGN];
  uint32_t tail_bytes;
} flash_slot_writer_t;

int32_t flash_slot_begin(flash_slot_writer_t *w, board_flash_slot_t slot);
int32_t flash_slot_write(flash_slot_writer_t *w, uint32_t offset, const uint8_t *data,
                         uint32_t len);
int32_t flash_slot_finish(flash_slot_writer_t *w, uint32_t crc);
int32_t flash_slot_commit(flash_slot_writer_t *w, flash_slot_kind_t kind, const char *name,
                          uint32_t crc, uint32_t base_crc, uint32_t sequence,
                          flash_slot_image_t *out);

/* Marks a slot as not to be used again (programs its magic word to 0, no erase), until
 * the next store. 0 or a board_flash status. */
int32_t flash_slot_revoke(board_flash_slot_t slot);

/* One line saying what a status (board_flash or flash_slot) means. */
const char *flash_slot_status_text(int32_t status);

#endif
