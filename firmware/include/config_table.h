/* config_table.h – manifest.json `config` numbers as a table (gen/mc_config.c, written by
 * host/build/manifest.ts), looked up by config_number() (xsinfer/platform.h). */
#ifndef XSINFER_CONFIG_TABLE_H
#define XSINFER_CONFIG_TABLE_H

#include <stdint.h>

#include "xsinfer/platform.h"

typedef struct config_entry {
  const char *key; /* key path, "recognizeCommands.averageWindowMs" */
  double value;
} config_entry_t;

extern const config_entry_t xsinfer_config[];
extern const uint32_t xsinfer_config_count;

#endif
