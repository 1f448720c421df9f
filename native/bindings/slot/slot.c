/*
 * slot.c – the runtime asset table behind "slot/..." names (contract in slot.h).
 */
#include "slot/slot.h"

#include <string.h>

static asset_t entries[XSINFER_SLOT_MAX];

static int has_prefix(const char *name) {
  return strncmp(name, XSINFER_SLOT_PREFIX, sizeof XSINFER_SLOT_PREFIX - 1) == 0;
}

int32_t xsinfer_slot_set(const char *name, const uint8_t *data, uint32_t bytes) {
  if (!name || !has_prefix(name)) return -1;
  asset_t *free_entry = NULL;
  for (uint32_t i = 0; i < XSINFER_SLOT_MAX; i++) {
    asset_t *e = &entries[i];
    if (e->name && strcmp(e->name, name) == 0) {
      if (!data) e->name = NULL;
      e->data = data;
      e->bytes = data ? bytes : 0;
      return 0;
    }
    if (!e->name && !free_entry) free_entry = e;
  }
  if (!data) return 0;
  if (!free_entry) return -1;
  free_entry->name = name;
  free_entry->data = data;
  free_entry->bytes = bytes;
  return 0;
}

const asset_t *xsinfer_asset_find(const char *name) {
  if (has_prefix(name)) {
    for (uint32_t i = 0; i < XSINFER_SLOT_MAX; i++)
      if (entries[i].name && strcmp(entries[i].name, name) == 0) return &entries[i];
    return NULL;
  }
  return asset_find(name);
}
