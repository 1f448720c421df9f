/* cmdline.c – see cmdline.h. */
#include "cmdline.h"

#include <string.h>

#include "board.h"

int cmdline_split(char *line, const char *separators, char **words, int max) {
  int count = 0;
  char *p = line;
  while (*p) {
    while (*p && strchr(separators, *p)) *p++ = 0;
    if (!*p) break;
    if (count < max) words[count] = p;
    count++;
    while (*p && !strchr(separators, *p)) p++;
  }
  return count < max ? count : max;
}

int cmdline_words(char *buf, size_t size, char **words, int max) {
  const char *line = board_cmdline();
  size_t n = strlen(line);
  if (n >= size) n = size - 1;
  memcpy(buf, line, n);
  buf[n] = 0;
  return cmdline_split(buf, " ", words, max);
}

uint32_t cmdline_u32(const char *text, uint32_t fallback) {
  if (!text || !*text) return fallback;
  uint32_t value = 0;
  for (const char *p = text; *p; p++) {
    if (*p < '0' || *p > '9') return fallback;
    value = value * 10u + (uint32_t)(*p - '0');
  }
  return value;
}
