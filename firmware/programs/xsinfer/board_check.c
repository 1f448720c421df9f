/* board_check.c – the `check` command (docs/protocol.md, "Board check"): one item of
 * `xsinfer board-check` per command, its result in the ack. Items run between runs, like
 * every command, and leave nothing behind: the RAM test takes the inference arenas (JS
 * interpreters over them become invalid, as before a C run), the flash test the model slot
 * not in use (erased again at the end, so an upload still finds it empty). */
#include <string.h>

#include "arenas.h"
#include "board.h"
#include "board_check.h"
#include "device_link.h"
#include "flash_slot.h"

static int item_is(const wire_cmd_t *cmd, const char *name) {
  size_t n = strlen(name);
  return cmd->u.check.item.len == n && memcmp(cmd->u.check.item.ptr, name, n) == 0;
}

/* Board ticks in `ms` milliseconds, or 0 where ticks are not time (QEMU counts instructions). */
static uint64_t ticks_per(uint32_t ms) {
  const board_tick_unit_t *u = board_tick_unit();
  if (strcmp(u->unit, "cycles") == 0 && u->hz) return (uint64_t)u->hz / 1000u * ms;
  if (strcmp(u->unit, "ns") == 0) return (uint64_t)ms * 1000000u * u->den / u->num;
  return 0;
}

static void check_clock(const wire_cmd_t *cmd) {
  uint32_t ms = cmd->u.check.ms ? cmd->u.check.ms : 1000u;
  uint64_t ticks = ticks_per(ms);
  if (ms > 10000u || ticks == 0) {
    wire_error(&device_wire, cmd, WIRE_ERR_BAD_COMMAND,
               ticks == 0 ? "check clock: this target's ticks are not time (QEMU icount)"
                          : "check clock: ms must be at most 10000");
    return;
  }
  board_clock_count_t clocks[2];
  uint32_t n = board_clock_compare(ticks, clocks);
  wire_mp_t *mp = wire_ack_begin(&device_wire, cmd, 3);
  if (!mp) return;
  wire_mp_field_uint(mp, "ticks", ticks);
  wire_mp_field_uint(mp, "hz", board_tick_unit()->hz);
  wire_mp_str(mp, "clocks");
  wire_mp_array(mp, n);
  for (uint32_t i = 0; i < n; i++) {
    wire_mp_map(mp, 3);
    wire_mp_field_str(mp, "name", clocks[i].name);
    wire_mp_field_uint(mp, "count", clocks[i].count);
    wire_mp_field_uint(mp, "hz", clocks[i].expected_hz);
  }
  wire_queue_end(&device_wire);
}

static void check_echo(const wire_cmd_t *cmd) {
  wire_mp_t *mp = wire_ack_begin(&device_wire, cmd, 1);
  if (!mp) return;
  wire_mp_str(mp, "data");
  wire_mp_bin(mp, cmd->u.check.data, cmd->u.check.len);
  wire_queue_end(&device_wire);
}

static void check_core(const wire_cmd_t *cmd) {
  board_core_state_t core;
  board_core_state(&core);
  wire_mp_t *mp = wire_ack_begin(&device_wire, cmd, 4);
  if (!mp) return;
  wire_mp_field_int(mp, "icache", core.icache);
  wire_mp_field_int(mp, "dcache", core.dcache);
  wire_mp_field_int(mp, "mpu", core.mpu);
  wire_mp_field_uint(mp, "mpuRegions", core.mpu_regions);
  wire_queue_end(&device_wire);
}

/* Two passes over the words of one region: each word holds a pattern derived from its
 * address (catches shorted or stuck address lines as well as data bits), then its
 * complement (every bit both ways). Returns the number of bad words; *first_bad its address. */
static uint32_t ram_test(uint8_t *base, uint32_t bytes, uintptr_t *first_bad) {
  volatile uint32_t *w = (volatile uint32_t *)(void *)base;
  uint32_t words = bytes / 4u, bad = 0;
  for (uint32_t pass = 0; pass < 2; pass++) {
    uint32_t flip = pass ? 0xFFFFFFFFu : 0u;
    for (uint32_t i = 0; i < words; i++)
      w[i] = ((uint32_t)(uintptr_t)&w[i] * 2654435761u) ^ 0xA5A5A5A5u ^ flip;
    for (uint32_t i = 0; i < words; i++)
      if (w[i] != (((uint32_t)(uintptr_t)&w[i] * 2654435761u) ^ 0xA5A5A5A5u ^ flip)) {
        if (bad++ == 0) *first_bad = (uintptr_t)&w[i];
      }
  }
  memset(base, 0, bytes);
  return bad;
}

static void check_ram(const wire_cmd_t *cmd) {
  js_release_arenas();
  uintptr_t first_bad = 0;
  uint64_t t0 = board_ticks();
  uint32_t bad = ram_test(main_arena, sizeof main_arena, &first_bad);
  bad += ram_test(aux_arena, sizeof aux_arena, &first_bad);
  uint64_t t1 = board_ticks();
  wire_mp_t *mp = wire_ack_begin(&device_wire, cmd, 4);
  if (!mp) return;
  wire_mp_field_uint(mp, "bytes", sizeof main_arena + sizeof aux_arena);
  wire_mp_field_uint(mp, "badWords", bad);
  wire_mp_field_uint(mp, "firstBad", first_bad);
  wire_mp_field_uint(mp, "ticks", t1 - t0);
  wire_queue_end(&device_wire);
}

/* The model slot an upload would write next: an invalid one, else the older of the two. */
static board_flash_slot_t spare_model_slot(void) {
  flash_slot_image_t a, b;
  int a_ok = flash_slot_load(BOARD_FLASH_SLOT_MODEL_A, FLASH_SLOT_KIND_MODEL, &a) == 0;
  int b_ok = flash_slot_load(BOARD_FLASH_SLOT_MODEL_B, FLASH_SLOT_KIND_MODEL, &b) == 0;
  if (!a_ok) return BOARD_FLASH_SLOT_MODEL_A;
  if (!b_ok) return BOARD_FLASH_SLOT_MODEL_B;
  return a.sequence < b.sequence ? BOARD_FLASH_SLOT_MODEL_A : BOARD_FLASH_SLOT_MODEL_B;
}

enum { FLASH_TEST_BYTES = 4096, FLASH_TEST_BLOCK = 256 };

/* The test pattern's byte i: computed, not stored, so the check needs no 4 KB buffer. */
static uint8_t flash_test_byte(uint32_t i) {
  return (uint8_t)(i * 7u + (i >> 8));
}

static void check_flash(const wire_cmd_t *cmd) {
  static uint8_t block[FLASH_TEST_BLOCK];
  board_flash_slot_t slot = spare_model_slot();
  board_flash_region_t region;
  int32_t status = board_flash_region(slot, &region);
  uint64_t erase_ticks = 0, program_ticks = 0;
  uint32_t mismatch = 0;
  if (status == BOARD_FLASH_OK) {
    uint64_t t0 = board_ticks();
    status = board_flash_erase(slot);
    erase_ticks = board_ticks() - t0;
    for (uint32_t i = 0; status == BOARD_FLASH_OK && i < region.bytes; i++)
      if (region.base[i] != 0xFFu) mismatch++;
  }
  if (status == BOARD_FLASH_OK && mismatch == 0) {
    /* Programmed in blocks of FLASH_TEST_BLOCK (the time includes making each block). */
    uint64_t t0 = board_ticks();
    for (uint32_t off = 0; status == BOARD_FLASH_OK && off < FLASH_TEST_BYTES;
         off += FLASH_TEST_BLOCK) {
      for (uint32_t i = 0; i < FLASH_TEST_BLOCK; i++) block[i] = flash_test_byte(off + i);
      status = board_flash_program(slot, off, block, FLASH_TEST_BLOCK);
    }
    program_ticks = board_ticks() - t0;
    for (uint32_t i = 0; status == BOARD_FLASH_OK && i < FLASH_TEST_BYTES; i++)
      if (region.base[i] != flash_test_byte(i)) mismatch++;
    int32_t again = board_flash_erase(slot);
    if (status == BOARD_FLASH_OK) status = again;
  }
  wire_mp_t *mp = wire_ack_begin(&device_wire, cmd, 7);
  if (!mp) return;
  wire_mp_field_str(mp, "slot", slot == BOARD_FLASH_SLOT_MODEL_A ? "model A" : "model B");
  wire_mp_field_str(mp, "where", region.where ? region.where : "none");
  wire_mp_field_int(mp, "status", status);
  wire_mp_field_uint(mp, "mismatch", mismatch);
  wire_mp_field_uint(mp, "bytes", FLASH_TEST_BYTES);
  wire_mp_field_uint(mp, "eraseTicks", erase_ticks);
  wire_mp_field_uint(mp, "programTicks", program_ticks);
  wire_queue_end(&device_wire);
}

void board_check_handle(const wire_cmd_t *cmd) {
  if (item_is(cmd, "clock"))
    check_clock(cmd);
  else if (item_is(cmd, "echo"))
    check_echo(cmd);
  else if (item_is(cmd, "core"))
    check_core(cmd);
  else if (item_is(cmd, "ram"))
    check_ram(cmd);
  else if (item_is(cmd, "flash"))
    check_flash(cmd);
  else
    wire_error(&device_wire, cmd, WIRE_ERR_BAD_COMMAND,
               "check: item must be clock, echo, core, ram or flash");
}
