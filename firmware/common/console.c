/* console.c – printf-style text over board_uart_write, using a static buffer. */
#include "console.h"

#include <stdio.h>
#include <string.h>

#include "board.h"

static char console_buffer[512];

int console_vprintf(const char *fmt, va_list args) {
  int n = vsnprintf(console_buffer, sizeof console_buffer, fmt, args);
  if (n < 0) return n;
  size_t len = (size_t)n < sizeof console_buffer ? (size_t)n : sizeof console_buffer - 1;
  board_uart_write(console_buffer, len);
  return n;
}

int console_printf(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  int n = console_vprintf(fmt, args);
  va_end(args);
  return n;
}

char *console_u64(char *buf, uint64_t value) {
  char digits[21];
  int n = 0;
  do {
    digits[n++] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0);
  for (int i = 0; i < n; i++) buf[i] = digits[n - 1 - i];
  buf[n] = 0;
  return buf;
}
