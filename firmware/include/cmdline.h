/* cmdline.h – splitting board_cmdline() into words without libc's strtok (newlib-nano's
 * strtok allocates its reentrancy state with malloc, and the device has no heap). */
#ifndef XSINFER_CMDLINE_H
#define XSINFER_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

/* Splits line in place at every character of separators; stores up to max word pointers
 * (empty words skipped) and returns how many were found. */
int cmdline_split(char *line, const char *separators, char **words, int max);

/* board_cmdline() copied into buf (cut to size - 1 characters) and split at spaces, as
 * cmdline_split: the words of the command line, valid while buf is. */
int cmdline_words(char *buf, size_t size, char **words, int max);

/* Unsigned decimal; returns fallback when text is not a number. */
uint32_t cmdline_u32(const char *text, uint32_t fallback);

#endif
