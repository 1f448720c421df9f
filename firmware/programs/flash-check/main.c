/* flash-check – the upload slots on the target itself: NOR rules of board_flash.h (erase
 * gives 0xFF, program only clears bits, a 0 -> 1 bit or a bad range is refused and
 * writes nothing) and the slot format of flash_slot.h (commit order, interrupted and
 * corrupted slots read as invalid). One "ok"/"FAIL" line per check; exit 0 if all pass.
 * Arguments (board_cmdline):
 *   write-slot   plain store into model slot B: must fault where the slots are protected
 *   write-slot-app  the same into the app slot (the lowest one)
 *   reset        survive a board_reset: first boot writes a slot and resets, the second
 *                boot finds it ("slot survived reset") or not ("slot lost on reset") */
#include <string.h>

#include "board.h"
#include "board_flash.h"
#include "console.h"
#include "flash_slot.h"
#include "wire.h"

static int failures;

static void check(int ok, const char *what) {
  console_printf("%s %s\r\n", ok ? "ok  " : "FAIL", what);
  if (!ok) failures++;
}

static void check_status(int32_t got, int32_t want, const char *what) {
  if (got == want) {
    check(1, what);
  } else {
    console_printf("FAIL %s: status %ld (%s), expected %ld (%s)\r\n", what, (long)got,
                   flash_slot_status_text(got), (long)want, flash_slot_status_text(want));
    failures++;
  }
}

static int all_bytes(const uint8_t *p, uint32_t n, uint8_t value) {
  for (uint32_t i = 0; i < n; i++)
    if (p[i] != value) return 0;
  return 1;
}

static uint8_t image[3000] __attribute__((aligned(16)));

static void fill(uint8_t *p, uint32_t n, uint32_t seed) {
  for (uint32_t i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    p[i] = (uint8_t)(seed >> 16);
  }
}

static void nor_rules(board_flash_slot_t slot) {
  board_flash_region_t r;
  check_status(board_flash_region(slot, &r), BOARD_FLASH_OK, "slot region exists");
  if (!r.base) return;
  console_printf("     slot %d: %lu bytes at %p, %s\r\n", (int)slot, (unsigned long)r.bytes,
                 (const void *)r.base, r.where);
  check(r.bytes >= 64u * 1024u && ((uintptr_t)r.base % 16u) == 0,
        "slot is at least 64 KB and 16-byte aligned");

  check_status(board_flash_erase(slot), BOARD_FLASH_OK, "erase");
  check(all_bytes(r.base, r.bytes, 0xFF), "erased slot reads 0xFF throughout");

  const uint8_t word[4] = {0x12, 0x34, 0x56, 0x78};
  check_status(board_flash_program(slot, 0, word, 4), BOARD_FLASH_OK,
               "program a word into erased flash");
  check(memcmp(r.base, word, 4) == 0, "programmed word reads back");
  check_status(board_flash_program(slot, 0, word, 4), BOARD_FLASH_OK,
               "programming the same bits again");

  const uint8_t ones[4] = {0xFF, 0xFF, 0xFF, 0xFF};
  check_status(board_flash_program(slot, 0, ones, 4), BOARD_FLASH_NOT_ERASED,
               "program without erase (0 -> 1) is refused");
  check(memcmp(r.base, word, 4) == 0, "refused program left the word as it was");

  const uint8_t fewer[4] = {0x10, 0x34, 0x56, 0x78};
  check_status(board_flash_program(slot, 0, fewer, 4), BOARD_FLASH_OK,
               "clearing more bits without erase");
  check(memcmp(r.base, fewer, 4) == 0, "cleared bits read back");

  /* A refused range writes nothing, even where its first bytes alone would have been fine. */
  const uint8_t fresh[4] = {0xA5, 0xA5, 0xA5, 0xA5};
  check_status(board_flash_program(slot, 4, fresh, 4), BOARD_FLASH_OK, "program the next word");
  const uint8_t mixed[8] = {0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
  uint8_t before[8];
  memcpy(before, r.base, 8);
  check_status(board_flash_program(slot, 0, mixed, 8), BOARD_FLASH_NOT_ERASED,
               "range with 0 -> 1 bits in its second word is refused");
  check(memcmp(r.base, before, 8) == 0, "refused range wrote none of its bytes");

  check_status(board_flash_program(slot, 2, word, 4), BOARD_FLASH_BAD_RANGE,
               "misaligned offset is refused");
  check_status(board_flash_program(slot, r.bytes, word, 4), BOARD_FLASH_BAD_RANGE,
               "offset past the end is refused");
  check_status(board_flash_program(slot, r.bytes - 4u, mixed, 8), BOARD_FLASH_BAD_RANGE,
               "range over the end is refused");
  check(all_bytes(r.base + r.bytes - 4u, 4, 0xFF), "refused range over the end wrote nothing");

  const uint8_t tail[7] = {1, 2, 3, 4, 5, 6, 7};
  check_status(board_flash_program(slot, 16, tail, 7), BOARD_FLASH_OK,
               "program 7 bytes (word + 3-byte tail)");
  check(memcmp(r.base + 16, tail, 7) == 0 && r.base[23] == 0xFF,
        "tail bytes read back, the byte after stays erased");

  check_status(board_flash_erase(slot), BOARD_FLASH_OK, "erase again");
  check(all_bytes(r.base, r.bytes, 0xFF), "erase restores 0xFF everywhere");
}

static void slot_format(board_flash_slot_t slot) {
  board_flash_region_t r;
  if (board_flash_region(slot, &r) != BOARD_FLASH_OK) return;
  flash_slot_image_t got;
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_MODEL, &got), FLASH_SLOT_EMPTY,
               "erased slot loads as empty");

  fill(image, sizeof image, 7u + (uint32_t)slot);
  check_status(flash_slot_store(slot, FLASH_SLOT_KIND_MODEL, "check.tflite", image, sizeof image, 0,
                                7u, &got),
               0, "store an image");
  check(got.data == r.base + FLASH_SLOT_HEADER_BYTES && got.bytes == sizeof image &&
            memcmp(got.data, image, sizeof image) == 0 && strcmp(got.name, "check.tflite") == 0 &&
            got.sequence == 7u,
        "stored image is in place after the header, name and sequence kept");
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_MODEL, &got), 0, "stored image loads");
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_APP, &got), FLASH_SLOT_WRONG_KIND,
               "loading it as an app is refused");

  /* Storing over a written slot needs no caller-side erase. */
  fill(image, sizeof image, 99u);
  check_status(flash_slot_store(slot, FLASH_SLOT_KIND_APP, "second", image, 1001, 0x1234u, 0, &got),
               0, "store over it");
  check(got.bytes == 1001 && got.base_crc == 0x1234u && memcmp(got.data, image, 1001) == 0,
        "second image replaced the first");

  /* Too large: refused before anything is erased. */
  check_status(flash_slot_store(slot, FLASH_SLOT_KIND_APP, "big", image, r.bytes, 0, 0, &got),
               FLASH_SLOT_TOO_LARGE, "image larger than the slot is refused");
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_APP, &got), 0,
               "previous image still loads after that refusal");

  /* An interrupted write: image and header in, magic not yet. */
  flash_slot_header_t header;
  memcpy(&header, r.base, sizeof header);
  board_flash_erase(slot);
  board_flash_program(slot, FLASH_SLOT_HEADER_BYTES, image, 1001);
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_APP, &got), FLASH_SLOT_INCOMPLETE,
               "image without header loads as incomplete");
  board_flash_program(slot, 4, (const uint8_t *)&header + 4, sizeof header - 4);
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_APP, &got), FLASH_SLOT_INCOMPLETE,
               "header without magic loads as incomplete");
  board_flash_program(slot, 0, &header, 4);
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_APP, &got), 0, "the magic commits it");

  /* A bit flipped to 0 in the image (what a partial program or wear looks like). */
  uint8_t flipped[4];
  memcpy(flipped, r.base + FLASH_SLOT_HEADER_BYTES + 500, 4);
  uint32_t bit = 0;
  while (bit < 31 && !(flipped[bit / 8] & (1u << (bit % 8)))) bit++;
  flipped[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
  check(memcmp(flipped, r.base + FLASH_SLOT_HEADER_BYTES + 500, 4) != 0,
        "found a set image bit to clear");
  check_status(board_flash_program(slot, FLASH_SLOT_HEADER_BYTES + 500, flipped, 4), BOARD_FLASH_OK,
               "clear one image bit");
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_APP, &got), FLASH_SLOT_BAD_IMAGE,
               "image CRC catches it");

  /* A header bit cleared after the commit. */
  flash_slot_store(slot, FLASH_SLOT_KIND_APP, "third", image, 64, 0, 0, &got);
  uint8_t name_word[4];
  memcpy(name_word, r.base + 20, 4);
  name_word[0] &= 0x0Fu;
  board_flash_program(slot, 20, name_word, 4);
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_APP, &got), FLASH_SLOT_CORRUPT,
               "header CRC catches a changed name");

  check_status(board_flash_erase(slot), BOARD_FLASH_OK, "leave the slot erased");
}

/* A streamed write in pieces off the program granule, as upload chunks arrive. */
static void slot_stream(board_flash_slot_t slot) {
  static const uint32_t pieces[] = {1, 3, 5, 2, 1000, 7, 1982};
  flash_slot_writer_t w;
  flash_slot_image_t got;
  fill(image, sizeof image, 31u + (uint32_t)slot);
  check_status(flash_slot_begin(&w, slot), 0, "stream: begin erases");
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_MODEL, &got), FLASH_SLOT_EMPTY,
               "stream: slot reads empty after begin");
  uint32_t at = 0;
  int32_t status = 0;
  for (uint32_t i = 0; i < sizeof pieces / sizeof pieces[0] && status == 0; i++) {
    status = flash_slot_write(&w, at, image + at, pieces[i]);
    at += pieces[i];
  }
  check_status(status, 0, "stream: seven writes of 1, 3, 5, 2, 1000, 7 and 1982 bytes");
  check(at == sizeof image, "stream: the pieces add up to the image");
  check_status(flash_slot_write(&w, at - 10u, image, 10), FLASH_SLOT_OUT_OF_ORDER,
               "stream: a write not at the end is refused");
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_MODEL, &got), FLASH_SLOT_INCOMPLETE,
               "stream: uncommitted slot reads incomplete");
  uint32_t crc = wire_crc32(0, image, sizeof image);
  check_status(flash_slot_commit(&w, FLASH_SLOT_KIND_MODEL, "stream", crc ^ 1u, 0, 5u, &got),
               FLASH_SLOT_BAD_IMAGE, "stream: commit with the wrong CRC is refused");
  check_status(flash_slot_load(slot, FLASH_SLOT_KIND_MODEL, &got), FLASH_SLOT_INCOMPLETE,
               "stream: refused commit left it incomplete");
  check_status(flash_slot_commit(&w, FLASH_SLOT_KIND_MODEL, "stream", crc, 0, 5u, &got), 0,
               "stream: commit");
  check(
      got.bytes == sizeof image && got.sequence == 5u && memcmp(got.data, image, sizeof image) == 0,
      "stream: committed image reads back whole, with its sequence number");
  check_status(flash_slot_begin(&w, slot), 0, "stream: begin again");
  check_status(flash_slot_write(&w, 0, image, w.capacity + 1u), FLASH_SLOT_TOO_LARGE,
               "stream: a write past the capacity is refused");
  check_status(board_flash_erase(slot), BOARD_FLASH_OK, "stream: leave the slot erased");
}

/* First boot: write the model slot and reset; the second boot finds it or not. */
static int reset_survival(void) {
  flash_slot_image_t got;
  static const char marker[] = "written before the reset";
  if (flash_slot_load(BOARD_FLASH_SLOT_MODEL_B, FLASH_SLOT_KIND_MODEL, &got) == 0) {
    int same = got.bytes == sizeof marker && memcmp(got.data, marker, sizeof marker) == 0;
    console_printf("%s\r\n", same ? "slot survived reset" : "slot changed across reset");
    board_flash_erase(BOARD_FLASH_SLOT_MODEL_B);
    return same ? 0 : 1;
  }
  uint8_t copy[sizeof marker];
  memcpy(copy, marker, sizeof marker);
  flash_slot_image_t stored;
  if (flash_slot_store(BOARD_FLASH_SLOT_MODEL_B, FLASH_SLOT_KIND_MODEL, "reset", copy, sizeof copy,
                       0, 1u, &stored) != 0) {
    console_printf("FAIL could not write the slot\r\n");
    return 1;
  }
  console_printf("slot written, resetting\r\n");
  board_reset();
}

int main(void) {
  board_init();
  const char *args = board_cmdline();
  console_printf("flash-check on %s\r\n", board_name());
  if (strstr(args, "reset")) return reset_survival();
  if (strstr(args, "write-slot")) {
    /* write-slot-app: the lowest slot, where the slots' MPU region starts (mps2-an500). */
    board_flash_slot_t slot =
        strstr(args, "write-slot-app") ? BOARD_FLASH_SLOT_APP : BOARD_FLASH_SLOT_MODEL_B;
    board_flash_region_t r;
    board_flash_region(slot, &r);
    console_printf("plain store to slot %d at %p\r\n", (int)slot, (const void *)r.base);
    *(volatile uint32_t *)(uintptr_t)r.base = 0;
    console_printf("slot store did not fault\r\n");
    return 2;
  }
  for (int slot = 0; slot < BOARD_FLASH_SLOT_COUNT; slot++) {
    console_printf("-- slot %d: NOR rules\r\n", slot);
    nor_rules((board_flash_slot_t)slot);
    console_printf("-- slot %d: slot format\r\n", slot);
    slot_format((board_flash_slot_t)slot);
    console_printf("-- slot %d: streamed write\r\n", slot);
    slot_stream((board_flash_slot_t)slot);
  }
  console_printf("%d failure(s)\r\n", failures);
  return failures == 0 ? 0 : 1;
}
