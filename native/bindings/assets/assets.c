/*
 * assets.c – host functions of the JS module "assets": the image's read-only data
 * (models, app inputs, golden outputs) as zero-copy Uint8Array views over flash.
 */
#include "assets/assets_binding.h"

#include "xsinfer/platform.h"

/* view(name) → a read-only Uint8Array over the asset's bytes in flash (stores throw
 * "read-only buffer"), or undefined when the image has no such asset. */
void xs_assets_view(xsMachine *the) {
  if (xsToInteger(xsArgc) < 1) xsTypeError("assets: asset(name): name missing");
  int type = xsTypeOf(xsArg(0));
  if (type != xsStringType && type != xsStringXType)
    xsTypeError("assets: asset name must be a string");
  char name[96];
  xsToStringBuffer(xsArg(0), name, sizeof name);
  const asset_t *a = asset_find(name);
  if (!a) return;
  /* Flash is read-only on the device (the mps2-an500 MPU faults a store): petrify so a
   * store from JS is a TypeError instead. */
  xsinfer_xs_view(the, &xsResult, "Uint8Array", (void *)a->data, a->bytes, 1);
}

/* names() → every asset name, in table order. */
void xs_assets_names(xsMachine *the) {
  xsResult = xsNewArray((xsIntegerValue)xsinfer_asset_count);
  for (uint32_t i = 0; i < xsinfer_asset_count; i++)
    xsSetAt(xsResult, xsInteger((xsIntegerValue)i), xsString(xsinfer_assets[i].name));
}
