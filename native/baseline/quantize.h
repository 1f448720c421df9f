/* quantize.h – the affine int8 mapping the apps use on both sides of the model. */
#ifndef XSINFER_BASELINE_QUANTIZE_H
#define XSINFER_BASELINE_QUANTIZE_H

#include <math.h>
#include <stdint.h>

/* q = round(x / scale) + zero_point, clamped to int8; rounding half away from zero. */
static inline int8_t quantize_i8(float x, float scale, int32_t zero_point) {
  float q = roundf(x / scale) + (float)zero_point;
  return (int8_t)(q < -128.0f ? -128 : q > 127.0f ? 127 : (int32_t)q);
}

static inline float dequantize_i8(int8_t q, float scale, int32_t zero_point) {
  return (float)((int32_t)q - zero_point) * scale;
}

#endif
