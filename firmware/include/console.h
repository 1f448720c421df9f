/* console.h – formatted text to the board's serial link (printf without a heap). */
#ifndef XSINFER_CONSOLE_H
#define XSINFER_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Formats into a static 512-byte buffer and writes it with board_uart_write, or hands it
 * to the program's output function when one is set; longer output is truncated. Each call
 * counts one text call (board_io.text_calls). Not for timed regions: a program that
 * times code counts what it writes (board.h). */
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int console_vprintf(const char *fmt, va_list args);

/* Where console text goes: fn receives each formatted text (NULL: the board UART). A
 * program that owns the link with a protocol routes text into its records. */
typedef void (*console_output_fn)(const char *text, size_t len);
void console_set_output(console_output_fn fn);

/* Decimal text of a 64-bit value (newlib-nano's printf has no %llu).
 * Writes into buf (at least 21 bytes) and returns it. */
char *console_u64(char *buf, uint64_t value);

#endif
