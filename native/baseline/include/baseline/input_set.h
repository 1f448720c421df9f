/* input_set.h – the input set the generic app (native/baseline/generic.c and its
 * TypeScript twin device/apps/generic/main.ts) reads: one blob the host builds from a
 * directory of raw tensors, a golden JSON or a seed (host/generic/input-set.ts) and
 * uploads as the asset "upload/inputs" (firmware/programs/xsinfer/inputs.c).
 *
 * Layout (every field a little-endian uint32, the blob 16-byte aligned by its publisher):
 *   0 magic "XSIS"          4 version (1)         8 kind (input_set_kind_t)
 *  12 source (input_set_source_t)                16 cases (≥ 1)
 *  20 input_bytes: bytes of one case = the model's input 0 tensor bytes
 *  24 output_bytes: bytes of one expected output (0: no golden outputs, runs unchecked)
 *  28 seed (random source)  32 top_k (classification; 0 means 1)   36 reserved (0)
 *  40 inputs: cases × input_bytes, raw tensor bytes (source INPUT_SET_FROM_DATA only),
 *     then zero padding to a multiple of 4
 *  .. expected: cases × output_bytes, raw output tensor bytes
 *
 * Contract: input_set_parse only reads the blob (no copy, no allocation) and accepts it
 * only when every count fits its length; the views it returns point into the blob, which
 * the caller keeps unchanged while they are used. */
#ifndef XSINFER_BASELINE_INPUT_SET_H
#define XSINFER_BASELINE_INPUT_SET_H

#include <stddef.h>
#include <stdint.h>

#define INPUT_SET_ASSET        "upload/inputs"
#define INPUT_SET_MAGIC        0x53495358u /* "XSIS" read as a little-endian uint32 */
#define INPUT_SET_VERSION      1u
#define INPUT_SET_HEADER_BYTES 40u

typedef enum input_set_kind {
  INPUT_SET_CLASSIFICATION = 0, /* dequantize, top-k; label = top-1 */
  INPUT_SET_ANOMALY = 1,        /* mean squared reconstruction error against the input */
  INPUT_SET_REGRESSION = 2      /* the dequantized output vector */
} input_set_kind_t;

typedef enum input_set_source {
  INPUT_SET_FROM_DATA = 0, /* the blob holds the inputs */
  INPUT_SET_FROM_SEED = 1  /* POPULATE generates them (xorshift32 from seed and case) */
} input_set_source_t;

typedef struct input_set {
  uint32_t kind;
  uint32_t source;
  uint32_t cases;
  uint32_t input_bytes;
  uint32_t output_bytes;
  uint32_t seed;
  uint32_t top_k;
  const uint8_t *inputs;   /* cases × input_bytes (NULL for a seeded set) */
  const uint8_t *expected; /* cases × output_bytes (NULL when output_bytes is 0) */
} input_set_t;

/* Parses `bytes` of `data`. Returns NULL, or what is wrong with it as a static string. */
const char *input_set_parse(const uint8_t *data, uint32_t bytes, input_set_t *out);

#endif
