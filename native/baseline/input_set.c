/* input_set.c – reading the generic app's input set (layout and contract in
 * baseline/input_set.h; the TypeScript twin is device/lib/input-set.ts). */
#include "baseline/input_set.h"

#include <string.h>

const char *input_set_parse(const uint8_t *data, uint32_t bytes, input_set_t *out) {
  if (bytes < INPUT_SET_HEADER_BYTES) return "shorter than its header";
  uint32_t field[10];
  for (uint32_t i = 0; i < 10; i++)
    field[i] = (uint32_t)data[4 * i] | (uint32_t)data[4 * i + 1] << 8 |
               (uint32_t)data[4 * i + 2] << 16 | (uint32_t)data[4 * i + 3] << 24;
  if (field[0] != INPUT_SET_MAGIC) return "not an input set (no XSIS magic)";
  if (field[1] != INPUT_SET_VERSION) return "input set version is not 1";
  if (field[2] > INPUT_SET_REGRESSION) return "unknown kind";
  if (field[3] > INPUT_SET_FROM_SEED) return "unknown source";
  if (field[4] == 0 || field[5] == 0) return "no cases or no input bytes";
  memset(out, 0, sizeof *out);
  out->kind = field[2];
  out->source = field[3];
  out->cases = field[4];
  out->input_bytes = field[5];
  out->output_bytes = field[6];
  out->seed = field[7];
  out->top_k = field[8];
  uint64_t inputs =
      out->source == INPUT_SET_FROM_DATA ? (uint64_t)out->cases * out->input_bytes : 0;
  uint64_t expected_at = INPUT_SET_HEADER_BYTES + ((inputs + 3u) & ~(uint64_t)3u);
  uint64_t end = expected_at + (uint64_t)out->cases * out->output_bytes;
  if (end > bytes) return "shorter than its cases";
  out->inputs = inputs ? data + INPUT_SET_HEADER_BYTES : NULL;
  out->expected = out->output_bytes ? data + expected_at : NULL;
  return NULL;
}
