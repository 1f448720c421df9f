/*
 * xs_console.c – formatted output to the board UART for XS's console/report paths and
 * for programs; a static line buffer instead of stdio, so nothing pulls in newlib's
 * FILE machinery or a heap.
 */
#include <stdarg.h>
#include <stdio.h>

#include "board.h"
#include "xsinfer_xs.h"

static char line[256];
static xsinfer_xs_output_fn output;

void xsinfer_xs_set_output(xsinfer_xs_output_fn fn) {
  output = fn;
}

/* Every text output call is counted (board_io.text_calls), wherever the text then goes. */
void xsinfer_xs_write(const char *text, size_t len) {
  board_io.text_calls++;
  if (output)
    output(text, len);
  else
    board_uart_write(text, len);
}

int xsinfer_xs_vprintf(const char *format, va_list args) {
  int n = vsnprintf(line, sizeof(line), format, args);
  if (n < 0) {
    board_io.text_calls++;
    return n;
  }
  xsinfer_xs_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
  return n;
}

int xsinfer_xs_printf(const char *format, ...) {
  va_list args;
  va_start(args, format);
  int n = xsinfer_xs_vprintf(format, args);
  va_end(args);
  return n;
}
