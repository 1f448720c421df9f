/* flash_slot.c – upload slots in flash: header format, streamed writes with a sub-granule
 * tail, commit order, read-back checks (contract in flash_slot.h). */
#include "flash_slot.h"

#include <stddef.h>
#include <string.h>

#include "wire.h"

static uint32_t header_crc(const flash_slot_header_t *h) {
  return wire_crc32(0, h, offsetof(flash_slot_header_t, header_crc));
}

uint32_t flash_slot_capacity(board_flash_slot_t slot) {
  board_flash_region_t region;
  if (board_flash_region(slot, &region) != BOARD_FLASH_OK ||
      region.bytes <= FLASH_SLOT_HEADER_BYTES)
    return 0;
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
    return all_erased(region.base, 2u * FLASH_SLOT_HEADER_BYTES) ? FLASH_SLOT_EMPTY
                                                                 : FLASH_SLOT_INCOMPLETE;
  }
  if (header_crc(&h) != h.header_crc) return FLASH_SLOT_CORRUPT;
  if (h.format != FLASH_SLOT_FORMAT) return FLASH_SLOT_OTHER_FORMAT;
  if (h.kind != (uint16_t)kind) return FLASH_SLOT_WRONG_KIND;
  if (h.image_bytes == 0 || h.image_bytes > region.bytes - FLASH_SLOT_HEADER_BYTES)
    return FLASH_SLOT_BAD_IMAGE;
  const uint8_t *data = region.base + FLASH_SLOT_HEADER_BYTES;
  if (wire_crc32(0, data, h.image_bytes) != h.image_crc) return FLASH_SLOT_BAD_IMAGE;
  out->data = data;
  out->bytes = h.image_bytes;
  out->crc = h.image_crc;
  out->base_crc = h.base_crc;
  out->sequence = h.sequence;
  memcpy(out->name, h.name, sizeof out->name);
  out->name[sizeof out->name - 1] = 0;
  return 0;
}

int32_t flash_slot_begin(flash_slot_writer_t *w, board_flash_slot_t slot) {
  memset(w, 0, sizeof *w);
  w->slot = slot;
  w->capacity = flash_slot_capacity(slot);
  if (w->capacity == 0) return BOARD_FLASH_NO_SLOT;
  return board_flash_erase(slot);
}

/* Programs whole program granules at image offset `at` (a multiple of the granule) and
 * reads them back. */
static int32_t program_image(const flash_slot_writer_t *w, uint32_t at, const uint8_t *data,
                             uint32_t len) {
  board_flash_region_t region;
  int32_t status = board_flash_region(w->slot, &region);
  if (status == BOARD_FLASH_OK)
    status = board_flash_program(w->slot, FLASH_SLOT_HEADER_BYTES + at, data, len);
  if (status != BOARD_FLASH_OK) return status;
  return memcmp(region.base + FLASH_SLOT_HEADER_BYTES + at, data, len) == 0 ? 0 : FLASH_SLOT_VERIFY;
}

int32_t flash_slot_write(flash_slot_writer_t *w, uint32_t offset, const uint8_t *data,
                         uint32_t len) {
  if (offset != w->written) return FLASH_SLOT_OUT_OF_ORDER;
  if (len > w->capacity - w->written) return FLASH_SLOT_TOO_LARGE;
  /* Flash below `at` is programmed; the tail holds the bytes from `at` to `written`. */
  uint32_t at = w->written - w->tail_bytes;
  if (w->tail_bytes > 0) {
    uint32_t take = BOARD_FLASH_PROGRAM_ALIGN - w->tail_bytes;
    if (take > len) take = len;
    memcpy(w->tail + w->tail_bytes, data, take);
    w->tail_bytes += take;
    w->written += take;
    data += take;
    len -= take;
    if (w->tail_bytes < BOARD_FLASH_PROGRAM_ALIGN) return 0;
    int32_t status = program_image(w, at, w->tail, BOARD_FLASH_PROGRAM_ALIGN);
    if (status != 0) return status;
    at += BOARD_FLASH_PROGRAM_ALIGN;
    w->tail_bytes = 0;
  }
  uint32_t whole = len - len % BOARD_FLASH_PROGRAM_ALIGN;
  if (whole > 0) {
    int32_t status = program_image(w, at, data, whole);
    if (status != 0) return status;
    w->written += whole;
  }
  memcpy(w->tail, data + whole, len - whole);
  w->tail_bytes = len - whole;
  w->written += len - whole;
  return 0;
}

int32_t flash_slot_finish(flash_slot_writer_t *w, uint32_t crc) {
  board_flash_region_t region;
  int32_t status = board_flash_region(w->slot, &region);
  if (status != BOARD_FLASH_OK) return status;
  if (w->written == 0) return FLASH_SLOT_BAD_IMAGE;
  if (w->tail_bytes > 0) {
    /* The last 1-3 bytes: the driver programs a short tail bytewise. */
    status = program_image(w, w->written - w->tail_bytes, w->tail, w->tail_bytes);
    if (status != 0) return status;
    w->tail_bytes = 0;
  }
  /* The image as a reader will see it, not as it was received. */
  const uint8_t *data = region.base + FLASH_SLOT_HEADER_BYTES;
  return wire_crc32(0, data, w->written) == crc ? 0 : FLASH_SLOT_BAD_IMAGE;
}

int32_t flash_slot_commit(flash_slot_writer_t *w, flash_slot_kind_t kind, const char *name,
                          uint32_t crc, uint32_t base_crc, uint32_t sequence,
                          flash_slot_image_t *out) {
  board_flash_region_t region;
  int32_t status = board_flash_region(w->slot, &region);
  if (status != BOARD_FLASH_OK) return status;
  status = flash_slot_finish(w, crc);
  if (status != 0) return status;

  flash_slot_header_t h;
  memset(&h, 0, sizeof h);
  h.magic = FLASH_SLOT_MAGIC;
  h.format = FLASH_SLOT_FORMAT;
  h.kind = (uint16_t)kind;
  h.image_bytes = w->written;
  h.image_crc = crc;
  h.base_crc = base_crc;
  h.sequence = sequence;
  size_t name_len = strnlen(name, sizeof h.name - 1);
  memcpy(h.name, name, name_len);
  h.header_crc = header_crc(&h);
  /* Commit: everything after the magic, then the magic alone. */
  const uint8_t *hb = (const uint8_t *)&h;
  status =
      board_flash_program(w->slot, sizeof h.magic, hb + sizeof h.magic, sizeof h - sizeof h.magic);
  if (status == BOARD_FLASH_OK) status = board_flash_program(w->slot, 0, hb, sizeof h.magic);
  if (status != BOARD_FLASH_OK) return status;
  if (memcmp(region.base, &h, sizeof h) != 0) return FLASH_SLOT_VERIFY;
  return flash_slot_load(w->slot, kind, out);
}

int32_t flash_slot_store(board_flash_slot_t slot, flash_slot_kind_t kind, const char *name,
                         const uint8_t *image, uint32_t bytes, uint32_t base_crc, uint32_t sequence,
                         flash_slot_image_t *out) {
  uint32_t capacity = flash_slot_capacity(slot);
  if (capacity == 0) return BOARD_FLASH_NO_SLOT;
  if (bytes == 0 || bytes > capacity) return FLASH_SLOT_TOO_LARGE; /* before anything is erased */
  flash_slot_writer_t w;
  int32_t status = flash_slot_begin(&w, slot);
  if (status == 0) status = flash_slot_write(&w, 0, image, bytes);
  if (status == 0)
    status =
        flash_slot_commit(&w, kind, name, wire_crc32(0, image, bytes), base_crc, sequence, out);
  return status;
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
    case FLASH_SLOT_OUT_OF_ORDER: return "write not at the end of the image written so far";
    default: return "unknown flash status";
  }
}
