/* assets.c – lookup in the generated asset table. */
#include "assets.h"

#include <string.h>

const asset_t *asset_find(const char *name) {
  for (uint32_t i = 0; i < xsinfer_asset_count; i++)
    if (strcmp(xsinfer_assets[i].name, name) == 0) return &xsinfer_assets[i];
  return NULL;
}
