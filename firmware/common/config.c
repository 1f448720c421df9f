/* config.c – config_number() over the generated config table (config_table.h). */
#include "config_table.h"

#include <string.h>

double config_number(const char *key, double fallback) {
  for (uint32_t i = 0; i < xsinfer_config_count; i++)
    if (strcmp(xsinfer_config[i].key, key) == 0) return xsinfer_config[i].value;
  return fallback;
}
