/*
 * slot/slot.h – runtime assets: data a program received over the wire (e.g. a model
 * uploaded into a RAM slot) that the asset lookups of the tflm and assets modules see
 * next to the image's own assets.
 *
 * Contract:
 * - Names start with "slot/" ("slot/model"); a runtime asset never shadows an image asset
 *   of another name, and lookups of other names go straight to the image table.
 * - The program owns the memory (static, 16-byte aligned) and keeps it unchanged while
 *   any interpreter or JS view may read it; it withdraws (data NULL) or replaces an entry
 *   only between runs, after invalidating the interpreters (xsinfer_tflm_set_arena).
 * - At most XSINFER_SLOT_MAX entries; nothing here allocates.
 */
#ifndef XSINFER_BINDINGS_SLOT_H
#define XSINFER_BINDINGS_SLOT_H

#include <stdint.h>

#include "assets.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XSINFER_SLOT_MAX 4u
#define XSINFER_SLOT_PREFIX "slot/"

/* Publish (or with data NULL withdraw) the runtime asset `name` (a string constant).
 * Returns 0, or -1 when the name lacks the prefix or the table is full. */
int32_t xsinfer_slot_set(const char *name, const uint8_t *data, uint32_t bytes);

/* Runtime assets first (only for "slot/..." names), then the image's (asset_find). */
const asset_t *xsinfer_asset_find(const char *name);

#ifdef __cplusplus
}
#endif

#endif
