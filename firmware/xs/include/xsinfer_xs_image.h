/*
 * xsinfer_xs_image.h – what the generated gen/xs_archive.c (written by the host tool
 * xsarc via host/build/device-archive.ts) provides: the archive as const data in flash,
 * the creation values it was compiled against, and the static memory sized from them.
 *
 * Contract: exactly one definition of xsinfer_xs_image per program; the arena and pool
 * are owned by firmware/xs (nothing else may touch them). The creation values are the
 * ones the host used to predict key IDs, so the device must create its machine with
 * exactly these.
 */
#ifndef XSINFER_XS_IMAGE_H
#define XSINFER_XS_IMAGE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of one XS slot: pointer + 4 bytes of ID/flag/kind + an 8-byte or two-pointer
 * value (16 on 32-bit, 32 on 64-bit); xs_memory.c checks it against sizeof(txSlot). */
#define XSINFER_XS_SLOT_BYTES (4u * sizeof(void *))

/* Moddable manifest `creation` (same order and meaning as txCreation). */
typedef struct xsinfer_xs_creation {
  int32_t chunk_initial, chunk_incremental;
  int32_t heap_initial, heap_incremental; /* slots */
  int32_t stack;                          /* slots */
  int32_t keys_initial, keys_incremental;
  int32_t keys_name, keys_symbol; /* hash modulos */
  int32_t parser_buffer, parser_table;
  int32_t static_bytes;
} xsinfer_xs_creation_t;

typedef struct xsinfer_xs_image {
  const uint8_t *archive;
  uint32_t archive_bytes;
  const char *main_module; /* archive path of the default entry module */
  xsinfer_xs_creation_t creation;
  uint8_t *arena; /* chunks grow up from the bottom, slots down from the top */
  uint32_t arena_bytes;
  uint8_t *pool; /* XS's own c_malloc (keys, name tables, scratch) */
  uint32_t pool_bytes;
} xsinfer_xs_image_t;

extern const xsinfer_xs_image_t xsinfer_xs_image;

#ifdef __cplusplus
}
#endif

#endif
