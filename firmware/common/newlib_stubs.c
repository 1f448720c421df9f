/* newlib_stubs.c – the newlib system calls a bare-metal image links against.
 * There is no heap on the device: _sbrk always fails, so any hidden malloc
 * (for example newlib's dtoa behind printf("%f")) returns NULL instead of
 * silently growing into the stack. Text output goes to the board UART. */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>

#include "board.h"

void *_sbrk(ptrdiff_t increment) {
  (void)increment;
  errno = ENOMEM;
  return (void *)-1;
}

int _write(int fd, const char *buf, int len) {
  (void)fd;
  board_uart_write(buf, (size_t)len);
  return len;
}

int _read(int fd, char *buf, int len) {
  (void)fd;
  return (int)board_uart_read(buf, (size_t)len);
}

int _close(int fd) {
  (void)fd;
  return -1;
}
int _lseek(int fd, int offset, int whence) {
  (void)fd;
  (void)offset;
  (void)whence;
  return 0;
}
int _fstat(int fd, struct stat *st) {
  (void)fd;
  st->st_mode = S_IFCHR;
  return 0;
}
int _isatty(int fd) {
  (void)fd;
  return 1;
}
int _getpid(void) {
  return 1;
}
int _kill(int pid, int sig) {
  (void)pid;
  (void)sig;
  errno = EINVAL;
  return -1;
}
void _exit(int status) {
  board_exit(status);
}
