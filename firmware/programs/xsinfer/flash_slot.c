/* flash_slot.c – upload slots in flash: header format, commit order, read-back checks
 * (contract in flash_slot.h). */
#include "flash_slot.h"

#include <stddef.h>
#include <string.h>

#include "wire.h"

static uint32_t header_crc(const flash_slot_header_t *h) {
  return wire_crc32(0, h, offsetof(flash_slot_header_t, header_crc));
}

uint32_t flash_slot_capacity(board_flash_slot_t slot) {
  board_flash_region_t region;
  if (board_flash_region(slot, &region) != BOARD_FLASH_OK || region.bytes <= FLASH_SLOT_HEADER_BYTES) return 0;
  return region.bytes - FLASH_SLOT_HEADER_BYTES;
}

static int all_erased(const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (p[i] != 0xFFu) return 0;
  return 1;
}

int32_t flash_slot_load(board_flash_slot_t slot, flash_slot_kind_t kind, flash_slot_image_t *out) {
  board_flash_region_t region;
  int32_t status = board_flash_region(slot, &region);
  if (status != BOARD_FLASH_OK) return status;
  flash_slot_header_t h;
  memcpy(&h, region.base, sizeof h);
  if (h.magic != FLASH_SLOT_MAGIC) {
    if (h.magic == 0u) return FLASH_SLOT_REVOKED;
    if (h.magic != 0xFFFFFFFFu) return FLASH_SLOT_CORRUPT;
    /* Header and the image's first bytes untouched: never written (or erased since). */
    return all_erased(region.base, 2u * FLASH_SLOT_HEADER_BYTES) ? FLASH_SLOT_EMPTY : FLASH_SLOT_INCOMPLETE;
  }
  if (header_crc(&h) != h.header_crc) return FLASH_SLOT_CORRUPT;
  if (h.format != FLASH_SLOT_FORMAT) return FLASH_SLOT_OTHER_FORMAT;
  if (h.kind != (uint16_t)kind) return FLASH_SLOT_WRONG_KIND;
  if (h.image_bytes == 0 || h.image_bytes > region.bytes - FLASH_SLOT_HEADER_BYTES) return FLASH_SLOT_BAD_IMAGE;
  const uint8_t *data = region.base + FLASH_SLOT_HEADER_BYTES;
  if (wire_crc32(0, data, h.image_bytes) != h.image_crc) return FLASH_SLOT_BAD_IMAGE;
  out->data = data;
  out->bytes = h.image_bytes;
  out->crc = h.image_crc;
  out->base_crc = h.base_crc;
  memcpy(out->name, h.name, sizeof out->name);
  out->name[sizeof out->name - 1] = 0;
  return 0;
}

int32_t flash_slot_store(board_flash_slot_t slot, flash_slot_kind_t kind, const char *name, const uint8_t *image,
                         uint32_t bytes, uint32_t base_crc, flash_slot_image_t *out) {
  board_flash_region_t region;
  int32_t status = board_flash_region(slot, &region);
  if (status != BOARD_FLASH_OK) return status;
  if (bytes == 0 || bytes > region.bytes - FLASH_SLOT_HEADER_BYTES) return FLASH_SLOT_TOO_LARGE;

  flash_slot_header_t h;
  memset(&h, 0, sizeof h);
  h.magic = FLASH_SLOT_MAGIC;
  h.format = FLASH_SLOT_FORMAT;
  h.kind = (uint16_t)kind;
  h.image_bytes = bytes;
  h.image_crc = wire_crc32(0, image, bytes);
  h.base_crc = base_crc;
  size_t name_len = strnlen(name, sizeof h.name - 1);
  memcpy(h.name, name, name_len);
  h.header_crc = header_crc(&h);

  status = board_flash_erase(slot);
  if (status != BOARD_FLASH_OK) return status;
  const uint8_t *data = region.base + FLASH_SLOT_HEADER_BYTES;
  status = board_flash_program(slot, FLASH_SLOT_HEADER_BYTES, image, bytes);
  if (status != BOARD_FLASH_OK) return status;
  if (memcmp(data, image, bytes) != 0) return FLASH_SLOT_VERIFY;
  /* Commit: everything after the magic, then the magic alone. */
  const uint8_t *hb = (const uint8_t *)&h;
  status = board_flash_program(slot, sizeof h.magic, hb + sizeof h.magic, sizeof h - sizeof h.magic);
  if (status == BOARD_FLASH_OK) status = board_flash_program(slot, 0, hb, sizeof h.magic);
  if (status != BOARD_FLASH_OK) return status;
  if (memcmp(region.base, &h, sizeof h) != 0) return FLASH_SLOT_VERIFY;
  /* The image bytes once more, as a reader will see them (the CRC a boot will check). */
  if (wire_crc32(0, data, bytes) != h.image_crc) return FLASH_SLOT_VERIFY;
  return flash_slot_load(slot, kind, out);
}

int32_t flash_slot_revoke(board_flash_slot_t slot) {
  /* Clearing bits needs no erase: safe from a fault or abort path, and quick. */
  static const uint32_t zero = 0;
  return board_flash_program(slot, 0, &zero, sizeof zero);
}

const char *flash_slot_status_text(int32_t status) {
  switch (status) {
    case 0: return "ok";
    case BOARD_FLASH_NO_SLOT: return "this target has no such flash slot";
    case BOARD_FLASH_BAD_RANGE: return "flash range outside the slot or misaligned";
    case BOARD_FLASH_NOT_ERASED: return "flash not erased (programming would set a 0 bit to 1)";
    case BOARD_FLASH_CONTROLLER: return "the flash controller reported an error";
    case BOARD_FLASH_LOCKED: return "the flash controller did not unlock";
    case BOARD_FLASH_TIMEOUT: return "the flash controller stayed busy";
    case FLASH_SLOT_EMPTY: return "empty";
    case FLASH_SLOT_INCOMPLETE: return "incomplete (a write was interrupted)";
    case FLASH_SLOT_CORRUPT: return "corrupt header";
    case FLASH_SLOT_OTHER_FORMAT: return "written in another slot format";
    case FLASH_SLOT_WRONG_KIND: return "holds another kind of image";
    case FLASH_SLOT_BAD_IMAGE: return "image size or CRC-32 wrong";
    case FLASH_SLOT_VERIFY: return "read-back after programming differs";
    case FLASH_SLOT_TOO_LARGE: return "image larger than the slot";
    case FLASH_SLOT_REVOKED: return "revoked (its app made XS abort while starting)";
    default: return "unknown flash status";
  }
}
