/* console.c – printf-style text over board_uart_write, using a static buffer. */
#include "console.h"

#include <stdio.h>
#include <string.h>

#include "board.h"

static char console_buffer[512];
static console_output_fn console_output;

void console_set_output(console_output_fn fn) {
  console_output = fn;
}

int console_vprintf(const char *fmt, va_list args) {
  int n = vsnprintf(console_buffer, sizeof console_buffer, fmt, args);
  board_io.text_calls++;
  if (n < 0) return n;
  size_t len = (size_t)n < sizeof console_buffer ? (size_t)n : sizeof console_buffer - 1;
  if (console_output)
    console_output(console_buffer, len);
  else
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
