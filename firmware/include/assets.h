/* assets.h – read-only data embedded in the image by the host build (models, app
 * inputs, expected outputs; see host/build/assets.ts for the names). Lives in flash. */
#ifndef XSINFER_ASSETS_H
#define XSINFER_ASSETS_H

#include <stdint.h>

typedef struct asset {
  const char *name;
  const uint8_t *data; /* 16-byte aligned */
  uint32_t bytes;
} asset_t;

extern const asset_t xsinfer_assets[];
extern const uint32_t xsinfer_asset_count;

/* The asset called name, or NULL. */
const asset_t *asset_find(const char *name);

#endif
