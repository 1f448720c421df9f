/* board.c – the host target: the same programs as a Linux process. The serial
 * link is stdin/stdout (a pipe or a pty), ticks are CLOCK_MONOTONIC nanoseconds; the
 * upload slots are static arrays with NOR-flash behaviour (lost when the process ends). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../common/nor_emu.h"
#include "board.h"
#include "board_flash.h"

static uintptr_t stack_top_estimate;

void board_init(void) {
  int flags = fcntl(STDIN_FILENO, F_GETFL);
  if (flags >= 0) fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK);
  char here;
  stack_top_estimate = (uintptr_t)&here;
}

uint64_t board_ticks(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

const board_tick_unit_t *board_tick_unit(void) {
  static const board_tick_unit_t unit = {"ns", 1u, 1u, 0u};
  return &unit;
}

uint32_t board_ticks_per_second(void) {
  return 1000000000u;
}

const char *board_name(void) {
  return "host";
}

void board_memory(board_memory_t *out) {
  out->flash_bytes = 0;
  out->ram_bytes = 0;
  /* Linux gives the main thread 8 MB by default; stay well inside it. */
  out->stack_top = stack_top_estimate;
  out->stack_bottom = stack_top_estimate - 4u * 1024u * 1024u;
}

uintptr_t board_stack_limit(void) {
  return stack_top_estimate - 4u * 1024u * 1024u + 4096u;
}

volatile board_io_t board_io;

void board_uart_write(const void *data, size_t len) {
  const uint8_t *bytes = data;
  board_io.uart_bytes += (uint32_t)len;
  while (len > 0) {
    ssize_t n = write(STDOUT_FILENO, bytes, len);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      exit(74); /* host end went away */
    }
    bytes += n;
    len -= (size_t)n;
  }
}

size_t board_uart_read(void *data, size_t cap) {
  ssize_t n = read(STDIN_FILENO, data, cap);
  return n > 0 ? (size_t)n : 0;
}

void board_uart_flush(void) {}

int32_t board_host_file_size(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fclose(f);
  return size > INT32_MAX ? -1 : (int32_t)size;
}

int32_t board_host_file_read(const char *path, void *buf, uint32_t cap) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t n = fread(buf, 1, cap, f);
  fclose(f);
  return (int32_t)n;
}

const char *board_cmdline(void) {
  static char line[4096];
  static int fetched;
  if (!fetched) {
    fetched = 1;
    FILE *f = fopen("/proc/self/cmdline", "rb");
    size_t n = f ? fread(line, 1, sizeof line - 1, f) : 0;
    if (f) fclose(f);
    line[n] = 0;
    /* NUL-separated argv: drop argv[0], join the rest with spaces. */
    size_t first = strlen(line) + 1;
    if (first >= n) return "";
    for (size_t i = first; i + 1 < n; i++)
      if (line[i] == 0) line[i] = ' ';
    memmove(line, line + first, n - first);
    line[n - first] = 0;
    if (n - first > 0 && line[n - first - 1] == ' ') line[n - first - 1] = 0;
  }
  return line;
}

void board_exit(int status) {
  fflush(stdout);
  exit(status);
}

void board_reset(void) {
  /* A process restarts by replacing itself with a fresh copy, stdio kept. */
  fflush(stdout);
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = 0;
    execl(self, self, (char *)NULL);
  }
  exit(75);
}

/* ---- upload slots: the F769's three 256 KB sectors, as process memory ---- */
enum { HOST_SLOT_BYTES = 256 * 1024 };
static uint8_t host_slots[BOARD_FLASH_SLOT_COUNT][HOST_SLOT_BYTES] __attribute__((aligned(16)));
static int host_slots_ready;

/* Fresh flash reads erased, not zero (a .bss array starts as zeros). */
static nor_emu_t slot_nor(board_flash_slot_t slot) {
  nor_emu_t nor = {NULL, 0};
  if ((unsigned)slot > BOARD_FLASH_SLOT_MODEL_AB) return nor;
  if (!host_slots_ready) {
    memset(host_slots, 0xFF, sizeof host_slots);
    host_slots_ready = 1;
  }
  /* MODEL_AB: rows A and B of the array, adjacent in memory. */
  const uint32_t row = slot == BOARD_FLASH_SLOT_MODEL_AB ? BOARD_FLASH_SLOT_MODEL_A : slot;
  nor.mem = &host_slots[0][0] + (size_t)row * HOST_SLOT_BYTES;
  nor.bytes = slot == BOARD_FLASH_SLOT_MODEL_AB ? 2u * HOST_SLOT_BYTES : HOST_SLOT_BYTES;
  return nor;
}

int32_t board_flash_region(board_flash_slot_t slot, board_flash_region_t *out) {
  nor_emu_t nor = slot_nor(slot);
  out->base = nor.mem;
  out->bytes = nor.bytes;
  out->where = "process memory (host, NOR emulation)";
  return nor.mem ? BOARD_FLASH_OK : BOARD_FLASH_NO_SLOT;
}

int32_t board_flash_erase(board_flash_slot_t slot) {
  nor_emu_t nor = slot_nor(slot);
  return nor_emu_erase(&nor);
}

int32_t board_flash_program(board_flash_slot_t slot, uint32_t offset, const void *data,
                            uint32_t len) {
  nor_emu_t nor = slot_nor(slot);
  return nor_emu_program(&nor, offset, data, len);
}

/* ---- core event counters: a software stand-in ----
 * A Linux process has no DWT; these fake counters let the counted path (phase marks, iter
 * records, reports) run end to end on the host. cycles is the tick clock (ns); the others
 * are fixed fractions of it, so derived instructions = cycles - cycles/4 - cycles/8 +
 * cycles/16 (CPI ≈ 1.45) and one sample per 1,000 cycles: figures a test can recompute,
 * not a model of any core. */
static uint64_t counters_origin;
static int counting;

int board_counters_start(void) {
  counters_origin = board_ticks();
  counting = 1;
  return 1;
}

void board_counters_read(board_counters_t *out) {
  out->cycles = board_ticks();
  uint64_t c = out->cycles - counters_origin;
  out->cpi = c / 4u;
  out->exc = 0;
  out->sleep = 0;
  out->lsu = c / 8u;
  out->fold = c / 16u;
  out->samples = counting ? c / 1000u : 0u;
}

void board_counters_stop(void) {
  counting = 0;
}
