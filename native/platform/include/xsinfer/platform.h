/*
 * platform.h – everything portable native code (native/baseline, native/bindings) needs
 * from the program it is linked into, and nothing more: a tick source, the board's name
 * and memory figures, a raw console write, named read-only assets and scalar config
 * values. native/ includes this header and never a firmware header.
 *
 * Contract
 * - Implemented by the firmware: firmware/targets/<t>/board.c (ticks, name, memory,
 *   console), firmware/common/assets.c (assets), firmware/common/config.c (config, over the
 *   table host/build generates from manifest.json `config`). firmware/include/board.h and
 *   assets.h extend this interface for firmware code.
 * - board_ticks() is monotonic, 64-bit, free of wrap races and cheap enough for timed
 *   regions; ticks convert to the unit as value = ticks * num / den.
 * - Assets are read-only, 16-byte aligned, and stay valid and unchanged while in use
 *   (uploaded assets under "upload/" change only between runs).
 * - Config values are the scalars of manifest.json `config`, named by their key path
 *   ("recognizeCommands.averageWindowMs"), the same values device JavaScript reads from
 *   `mc/config`; a missing key or a value of another type gives the caller's fallback.
 */
#ifndef XSINFER_NATIVE_PLATFORM_H
#define XSINFER_NATIVE_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How ticks convert to the target's unit: value_in_unit = ticks * num / den. */
typedef struct board_tick_unit {
  const char *unit; /* "instr" (QEMU icount), "cycles" (DWT), "ns" (host) */
  uint32_t num;
  uint32_t den;
  uint32_t hz; /* core clock in Hz where the unit is cycles, else 0 */
} board_tick_unit_t;

/* Memory regions a program may report (names stable, sizes from the linker). */
typedef struct board_memory {
  uint32_t flash_bytes;   /* size of the code/const region */
  uint32_t ram_bytes;     /* size of all data RAM */
  uintptr_t stack_bottom; /* lowest address of the C stack */
  uintptr_t stack_top;    /* initial stack pointer */
} board_memory_t;

uint64_t board_ticks(void);
const board_tick_unit_t *board_tick_unit(void);
/* Ticks per second of the board's clock (QEMU: its virtual clock, 25 MHz; F769: 216 MHz;
 * host: 1e9), for time in ms/µs (the JS modules time and timer). */
uint32_t board_ticks_per_second(void);

/* Target name as the CLI spells it: "mps2-an500", "stm32f769i-disco", "host". */
const char *board_name(void);
void board_memory(board_memory_t *out);

/* Bench tick reads in a counted run (boards with core event counters): while marking is
 * on, a tick read of a bench loop is a counter snapshot and returns its cycles
 * (firmware/include/phase_marks.h). */
int phase_marks_active(void);
uint64_t phase_marks_tick(void);

/* Formatted text to the program's text route (the main firmware turns it into wire `log`
 * records), counted in board_io.text_calls; firmware/include/console.h has the rest. */
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Raw bytes to the serial link (blocks until queued/sent). */
void board_uart_write(const void *data, size_t len);

/* Output counters since boot, each wrapping at 2^32 (take differences as uint32_t).
 * uart_bytes: every byte handed to board_uart_write, counted by the target's board.c when
 *   it is handed over (a wire frame held in the TX queue counts when it is drained).
 * text_calls: every text output call: console_printf, XS's console (trace(), reports)
 *   and the JS module board's write()/print(), counted by those paths even when their text
 *   is routed elsewhere first (the main firmware turns it into wire `log` records).
 * A read is two plain loads and does no I/O: programs read them around timed regions to
 * prove that the region wrote nothing (firmware/programs/xsinfer). Written only by the
 * paths above; never reset. */
typedef struct board_io {
  uint32_t uart_bytes;
  uint32_t text_calls;
} board_io_t;
extern volatile board_io_t board_io;

typedef struct asset {
  const char *name;
  const uint8_t *data; /* 16-byte aligned */
  uint32_t bytes;
} asset_t;

/* The asset called name (uploaded or the image's), or NULL. */
const asset_t *asset_find(const char *name);

/* The image's own assets, in table order. */
extern const asset_t xsinfer_assets[];
extern const uint32_t xsinfer_asset_count;

/* The number at `key` in manifest.json `config`, or fallback. */
double config_number(const char *key, double fallback);

#ifdef __cplusplus
}
#endif

#endif
