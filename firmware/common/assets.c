/* assets.c – lookup in the generated image table and in the uploaded-asset table
 * (contract in assets.h). */
#include "assets.h"

#include <string.h>

static asset_t uploads[ASSET_UPLOADS_MAX];

static int is_upload_name(const char *name) {
  return strncmp(name, ASSET_UPLOAD_PREFIX, sizeof ASSET_UPLOAD_PREFIX - 1) == 0;
}

int32_t asset_publish(const char *name, const uint8_t *data, uint32_t bytes) {
  if (!name || !is_upload_name(name)) return -1;
  asset_t *free_entry = NULL;
  for (uint32_t i = 0; i < ASSET_UPLOADS_MAX; i++) {
    asset_t *e = &uploads[i];
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

const asset_t *asset_find(const char *name) {
  if (is_upload_name(name)) {
    for (uint32_t i = 0; i < ASSET_UPLOADS_MAX; i++)
      if (uploads[i].name && strcmp(uploads[i].name, name) == 0) return &uploads[i];
    return NULL;
  }
  for (uint32_t i = 0; i < xsinfer_asset_count; i++)
    if (strcmp(xsinfer_assets[i].name, name) == 0) return &xsinfer_assets[i];
  return NULL;
}
