/*
 * assets.h – named read-only data a program reads: the image's own assets, embedded by
 * the host build (models, app inputs, expected outputs; names in host/build/assets.ts),
 * and uploaded assets, published at run time under "upload/..." names (a model received
 * over the wire and stored in a flash slot).
 *
 * Contract:
 * - asset_find() sees both kinds; an "upload/..." name is only ever an uploaded asset, so
 *   an upload never shadows an image asset.
 * - The publisher owns an uploaded asset's memory (16-byte aligned) and keeps it unchanged
 *   while any interpreter or JS view may read it; it withdraws (data NULL) or replaces an
 *   entry only between runs, after invalidating the interpreters (xsinfer_tflm_set_arena).
 * - At most ASSET_UPLOADS_MAX uploaded assets; nothing here allocates.
 */
#ifndef XSINFER_ASSETS_H
#define XSINFER_ASSETS_H

#include <stdint.h>

#include "xsinfer/platform.h" /* asset_t, asset_find() */

#define ASSET_UPLOADS_MAX   4u
#define ASSET_UPLOAD_PREFIX "upload/"

/* Publish (or with data NULL withdraw) the uploaded asset `name` (a string constant
 * starting with ASSET_UPLOAD_PREFIX). Returns 0, or -1 when the name lacks the prefix or
 * the table is full. */
int32_t asset_publish(const char *name, const uint8_t *data, uint32_t bytes);

#endif
