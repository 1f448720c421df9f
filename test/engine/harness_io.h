/* harness_io.h – file input shared by the host C test harnesses (conv-harness.c,
 * signal-harness.c). Host only (stdio, malloc): never part of the device build. */
#ifndef XSINFER_TEST_HARNESS_IO_H
#define XSINFER_TEST_HARNESS_IO_H

#include <stddef.h>
#include <stdint.h>

/* The whole file at path in a 16-byte-aligned buffer (as a model needs), its length in
 * *len; the caller frees it. Prints "cannot open/read PATH" and exits 2 on failure. */
uint8_t *harness_read_file(const char *path, size_t *len);

#endif
