/*
 * assets/assets_binding.h – host functions of the JS module "assets" (read-only, zero-copy views
 * of the image's embedded data; the table itself is firmware/include/assets.h).
 */
#ifndef XSINFER_BINDINGS_ASSETS_BINDING_H
#define XSINFER_BINDINGS_ASSETS_BINDING_H

#include "xsinfer_xs.h"

void xs_assets_view(xsMachine *the);
void xs_assets_names(xsMachine *the);

#endif
