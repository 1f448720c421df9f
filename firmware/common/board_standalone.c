/* board_standalone.c – the part of board.h a real board implements alike (the F769, the
 * F413): no debugger-hosted files or command line (models and cases arrive over the wire),
 * exit parks the core after the UART has drained, reset goes through the Cortex-M AIRCR.
 * QEMU and host targets have their own (semihosting, stdio). Untested on hardware. */
#include "armv7m.h"
#include "board.h"

int32_t board_host_file_read(const char *path, void *buf, uint32_t cap) {
  (void)path;
  (void)buf;
  (void)cap;
  return -1; /* no semihosting on the board: data arrives over the wire */
}

int32_t board_host_file_size(const char *path) {
  (void)path;
  return -1;
}

const char *board_cmdline(void) {
  return "";
}

void board_exit(int status) {
  board_uart_flush();
  (void)status;
  /* Nothing to return to on the board: stop here; the host saw the status over the wire. */
  for (;;) __asm__ volatile("wfi");
}

void board_reset(void) {
  board_uart_flush();
  REG32(0xE000ED0Cu) = 0x05FA0004u; /* AIRCR: VECTKEY | SYSRESETREQ */
  armv7m_dsb();
  for (;;) {}
}
