/* console.h – formatted text to the board's serial link (printf without a heap). */
#ifndef XSINFER_CONSOLE_H
#define XSINFER_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

/* Formats into a static 512-byte buffer and writes it with board_uart_write;
 * longer output is truncated. Not for timed regions. */
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int console_vprintf(const char *fmt, va_list args);

/* Decimal text of a 64-bit value (newlib-nano's printf has no %llu).
 * Writes into buf (at least 21 bytes) and returns it. */
char *console_u64(char *buf, uint64_t value);

#endif
