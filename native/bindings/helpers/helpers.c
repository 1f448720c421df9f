/*
 * helpers.c – host functions of the JS module "helpers" (contract in helpers.h). Each
 * reads its typed arrays' memory in place (xsinfer_xs_typed_array), checks every offset
 * and count against the lengths, then runs one C loop.
 */
#include "helpers/helpers.h"

#include <math.h>
#include <string.h>

#define MAX_IMAGE_SIDE 4096
#define MAX_TOP_K      32
/* Zero points whose (q - zero point) float32 holds exactly, as the TS twins' doubles do. */
#define MAX_ZERO_POINT (1 << 24)

static int32_t int_arg(xsMachine *the, int32_t index, const char *fn, const char *what, int32_t lo,
                       int32_t hi) {
  int32_t value = 0;
  double d = 0;
  switch (xsinfer_xs_arg_number(the, index, &value, &d)) {
    case XSINFER_ARG_INTEGER: break;
    case XSINFER_ARG_NUMBER:
      if (!(d >= -2147483648.0 && d <= 2147483647.0) || d != (double)(int32_t)d)
        xsRangeError("helpers: %s: %s must be an integer", fn, what);
      value = (int32_t)d;
      break;
    case XSINFER_ARG_ABSENT: xsTypeError("helpers: %s: %s missing", fn, what);
    default: xsTypeError("helpers: %s: %s must be a number", fn, what);
  }
  if (value < lo || value > hi)
    xsRangeError("helpers: %s: %s %ld out of range [%ld, %ld]", fn, what, (long)value, (long)lo,
                 (long)hi);
  return value;
}

/* Whether optional argument `index` was given (not missing, not undefined). */
static int given(xsMachine *the, int32_t index) {
  int32_t i;
  double d;
  return xsinfer_xs_arg_number(the, index, &i, &d) != XSINFER_ARG_ABSENT;
}

/* A float32 scale, as models store it: finite and non-zero. */
static float scale_arg(xsMachine *the, int32_t index, const char *fn) {
  int32_t i;
  double d = 0;
  int kind = xsinfer_xs_arg_number(the, index, &i, &d);
  if (kind == XSINFER_ARG_ABSENT) xsTypeError("helpers: %s: scale missing", fn);
  if (kind == XSINFER_ARG_OTHER) xsTypeError("helpers: %s: scale must be a number", fn);
  float scale = (float)d;
  if (!isfinite(scale) || scale == 0.0f)
    xsRangeError("helpers: %s: scale must be finite and non-zero", fn);
  return scale;
}

static void typed_arg(xsMachine *the, int32_t index, const char *fn, const char *what, int writable,
                      xsinfer_xs_typed_t *out) {
  int status = xsinfer_xs_arg_typed(the, index, out);
  if (status == -3) xsTypeError("helpers: %s: %s missing", fn, what);
  if (status == -2) xsTypeError("helpers: %s: %s is detached", fn, what);
  if (status != 0) xsTypeError("helpers: %s: %s must be a typed array", fn, what);
  if (writable && out->read_only) xsTypeError("helpers: %s: %s is read only", fn, what);
}

static int is_byte_int(const xsinfer_xs_typed_t *t) {
  return t->kind == XSINFER_TYPED_INT8 || t->kind == XSINFER_TYPED_UINT8;
}

/* offset + count within length (checked without overflow). */
static void range_check(xsMachine *the, const char *fn, const char *what, int32_t offset,
                        int32_t count, uint32_t length) {
  if ((uint32_t)offset > length || (uint32_t)count > length - (uint32_t)offset)
    xsRangeError("helpers: %s: %s [%ld, %ld) outside its %lu elements", fn, what, (long)offset,
                 (long)offset + (long)count, (unsigned long)length);
}

/* roundf's half away from zero, as quantize.ts's roundHalfAway + Math.fround. */
static float quantized(float x, float scale, int32_t zero_point) {
  return roundf(x / scale) + (float)zero_point;
}

static int32_t clamp_nan0(float q, int32_t lo, int32_t hi) {
  if (q != q) return 0; /* NaN: TS's `q | 0` */
  return q < (float)lo ? lo : q > (float)hi ? hi : (int32_t)q;
}

/* The arguments of the byte-mapping helpers (mapBytes, image): an Int8Array or Uint8Array
 * dst (writable), a Uint8Array src and a 256-entry Int8Array or Uint8Array table, at the
 * argument positions i_dst, i_src, i_table; a TypeError naming fn otherwise. Inlined:
 * mapBytes is on the timed path of the js-helpers runs. */
static inline __attribute__((always_inline)) void byte_map_args(
    xsMachine *the, const char *fn, int32_t i_dst, int32_t i_src, int32_t i_table,
    xsinfer_xs_typed_t *dst, xsinfer_xs_typed_t *src, xsinfer_xs_typed_t *table) {
  typed_arg(the, i_dst, fn, "dst", 1, dst);
  typed_arg(the, i_src, fn, "src", 0, src);
  typed_arg(the, i_table, fn, "table", 0, table);
  if (!is_byte_int(dst)) xsTypeError("helpers: %s: dst must be an Int8Array or Uint8Array", fn);
  if (src->kind != XSINFER_TYPED_UINT8 && src->kind != XSINFER_TYPED_UINT8_CLAMPED)
    xsTypeError("helpers: %s: src must be a Uint8Array", fn);
  if (!is_byte_int(table) || table->length != 256)
    xsTypeError("helpers: %s: table must be an Int8Array or Uint8Array of 256", fn);
}

/* d[i] = table[s[i]] for i < count. The table is read once, before any store (a dst over
 * the table's memory changes nothing); dst over src gives what the element loop gives:
 * same order. The loop of mapBytes and of prepared mapBytes. */
static inline __attribute__((always_inline)) void map_bytes(uint8_t *d, const uint8_t *s,
                                                            const void *table, int32_t count) {
  uint8_t lut[256];
  memcpy(lut, table, sizeof lut);
  for (int32_t i = 0; i < count; i++) d[i] = lut[s[i]];
}

/* mapBytes(dst, dstOffset, src, srcOffset, count, table) */
void xs_helpers_map_bytes(xsMachine *the) {
  static const char fn[] = "mapBytes";
  xsinfer_xs_typed_t dst, src, table;
  byte_map_args(the, fn, 0, 2, 5, &dst, &src, &table);
  int32_t dst_offset = int_arg(the, 1, fn, "dstOffset", 0, INT32_MAX);
  int32_t src_offset = int_arg(the, 3, fn, "srcOffset", 0, INT32_MAX);
  int32_t count = int_arg(the, 4, fn, "count", 0, INT32_MAX);
  range_check(the, fn, "dst", dst_offset, count, dst.length);
  range_check(the, fn, "src", src_offset, count, src.length);
  map_bytes((uint8_t *)dst.data + dst_offset, (const uint8_t *)src.data + src_offset, table.data,
            count);
}

/* The arrays of quantize and prepareQuantize: an Int8Array or Uint8Array dst (writable,
 * argument 0) and a Float32Array src (argument 2). Inlined, as byte_map_args. */
static inline __attribute__((always_inline)) void quantize_args(xsMachine *the, const char *fn,
                                                                xsinfer_xs_typed_t *dst,
                                                                xsinfer_xs_typed_t *src) {
  typed_arg(the, 0, fn, "dst", 1, dst);
  typed_arg(the, 2, fn, "src", 0, src);
  if (!is_byte_int(dst)) xsTypeError("helpers: %s: dst must be an Int8Array or Uint8Array", fn);
  if (src->kind != XSINFER_TYPED_FLOAT32)
    xsTypeError("helpers: %s: src must be a Float32Array", fn);
}

/* dst[dst_offset + i] = src[i] quantized and clamped to dst's type, i < count (both ranges
 * checked by the caller). The loop of quantize and of prepared quantize. */
static inline __attribute__((always_inline)) void quantize_elements(const xsinfer_xs_typed_t *dst,
                                                                    int32_t dst_offset,
                                                                    const float *s, int32_t count,
                                                                    float scale,
                                                                    int32_t zero_point) {
  if (dst->kind == XSINFER_TYPED_INT8) {
    int8_t *d = (int8_t *)dst->data + dst_offset;
    for (int32_t i = 0; i < count; i++)
      d[i] = (int8_t)clamp_nan0(quantized(s[i], scale, zero_point), -128, 127);
  } else {
    uint8_t *d = (uint8_t *)dst->data + dst_offset;
    for (int32_t i = 0; i < count; i++)
      d[i] = (uint8_t)clamp_nan0(quantized(s[i], scale, zero_point), 0, 255);
  }
}

/* quantize(dst, dstOffset, src, srcOffset, count, scale, zeroPoint) */
void xs_helpers_quantize(xsMachine *the) {
  static const char fn[] = "quantize";
  xsinfer_xs_typed_t dst, src;
  quantize_args(the, fn, &dst, &src);
  int32_t dst_offset = int_arg(the, 1, fn, "dstOffset", 0, INT32_MAX);
  int32_t src_offset = int_arg(the, 3, fn, "srcOffset", 0, INT32_MAX);
  int32_t count = int_arg(the, 4, fn, "count", 0, INT32_MAX);
  float scale = scale_arg(the, 5, fn);
  int32_t zero_point = int_arg(the, 6, fn, "zeroPoint", -MAX_ZERO_POINT, MAX_ZERO_POINT);
  range_check(the, fn, "dst", dst_offset, count, dst.length);
  range_check(the, fn, "src", src_offset, count, src.length);
  quantize_elements(&dst, dst_offset, (const float *)src.data + src_offset, count, scale,
                    zero_point);
}

/* dequantize(dst, dstOffset, src, srcOffset, count, scale, zeroPoint) */
void xs_helpers_dequantize(xsMachine *the) {
  static const char fn[] = "dequantize";
  xsinfer_xs_typed_t dst, src;
  typed_arg(the, 0, fn, "dst", 1, &dst);
  typed_arg(the, 2, fn, "src", 0, &src);
  if (dst.kind != XSINFER_TYPED_FLOAT32) xsTypeError("helpers: %s: dst must be a Float32Array", fn);
  if (!is_byte_int(&src)) xsTypeError("helpers: %s: src must be an Int8Array or Uint8Array", fn);
  int32_t dst_offset = int_arg(the, 1, fn, "dstOffset", 0, INT32_MAX);
  int32_t src_offset = int_arg(the, 3, fn, "srcOffset", 0, INT32_MAX);
  int32_t count = int_arg(the, 4, fn, "count", 0, INT32_MAX);
  float scale = scale_arg(the, 5, fn);
  int32_t zero_point = int_arg(the, 6, fn, "zeroPoint", -MAX_ZERO_POINT, MAX_ZERO_POINT);
  range_check(the, fn, "dst", dst_offset, count, dst.length);
  range_check(the, fn, "src", src_offset, count, src.length);
  float *d = (float *)dst.data + dst_offset;
  if (src.kind == XSINFER_TYPED_INT8) {
    const int8_t *s = (const int8_t *)src.data + src_offset;
    for (int32_t i = 0; i < count; i++) d[i] = (float)((int32_t)s[i] - zero_point) * scale;
  } else {
    const uint8_t *s = (const uint8_t *)src.data + src_offset;
    for (int32_t i = 0; i < count; i++) d[i] = (float)((int32_t)s[i] - zero_point) * scale;
  }
}

/* What set() does bit for bit: the same kind, or integers of one size (ToInt8/ToUint8…
 * keep the bytes); clamped arrays only from their own kind or Uint8Array. */
static int copyable(const xsinfer_xs_typed_t *dst, const xsinfer_xs_typed_t *src) {
  if (dst->kind == src->kind) return 1;
  if (dst->element_bytes != src->element_bytes) return 0;
  switch (dst->kind) {
    case XSINFER_TYPED_INT8:
    case XSINFER_TYPED_UINT8:
      return src->kind == XSINFER_TYPED_INT8 || src->kind == XSINFER_TYPED_UINT8 ||
             src->kind == XSINFER_TYPED_UINT8_CLAMPED;
    case XSINFER_TYPED_UINT8_CLAMPED: return src->kind == XSINFER_TYPED_UINT8;
    case XSINFER_TYPED_INT16:
    case XSINFER_TYPED_UINT16:
      return src->kind == XSINFER_TYPED_INT16 || src->kind == XSINFER_TYPED_UINT16;
    case XSINFER_TYPED_INT32:
    case XSINFER_TYPED_UINT32:
      return src->kind == XSINFER_TYPED_INT32 || src->kind == XSINFER_TYPED_UINT32;
    default: return 0;
  }
}

/* dst[dstOffset + i] = src[srcOffset + i] for i < count, both ranges checked; the arrays
 * hold the same element type (the callers check), and may overlap. */
static inline __attribute__((always_inline)) void copy_elements(xsMachine *the, const char *fn,
                                                                const xsinfer_xs_typed_t *dst,
                                                                int32_t dst_offset,
                                                                const xsinfer_xs_typed_t *src,
                                                                int32_t src_offset, int32_t count) {
  range_check(the, fn, "dst", dst_offset, count, dst->length);
  range_check(the, fn, "src", src_offset, count, src->length);
  const uint32_t size = dst->element_bytes;
  memmove((uint8_t *)dst->data + (size_t)dst_offset * size,
          (const uint8_t *)src->data + (size_t)src_offset * size, (size_t)count * size);
}

/* The arrays of copy and prepareCopy: dst (writable) at argument 0, src at i_src, of one
 * element type. Inlined, as byte_map_args. */
static inline __attribute__((always_inline)) void copy_args(xsMachine *the, const char *fn,
                                                            int32_t i_src, xsinfer_xs_typed_t *dst,
                                                            xsinfer_xs_typed_t *src) {
  typed_arg(the, 0, fn, "dst", 1, dst);
  typed_arg(the, i_src, fn, "src", 0, src);
  if (!copyable(dst, src))
    xsTypeError("helpers: %s: dst and src must hold the same element type", fn);
}

/* copy(dst, dstOffset, src, srcOffset, count) */
void xs_helpers_copy(xsMachine *the) {
  static const char fn[] = "copy";
  xsinfer_xs_typed_t dst, src;
  copy_args(the, fn, 2, &dst, &src);
  int32_t dst_offset = int_arg(the, 1, fn, "dstOffset", 0, INT32_MAX);
  int32_t src_offset = int_arg(the, 3, fn, "srcOffset", 0, INT32_MAX);
  int32_t count = int_arg(the, 4, fn, "count", 0, INT32_MAX);
  copy_elements(the, fn, &dst, dst_offset, &src, src_offset, count);
}

/* copyRing(dst, dstOffset, ring, start, count): dst[dstOffset + i] = ring[(start + i) %
 * ring.length], the oldest-first read of a ring buffer. */
void xs_helpers_copy_ring(xsMachine *the) {
  static const char fn[] = "copyRing";
  xsinfer_xs_typed_t dst, ring;
  typed_arg(the, 0, fn, "dst", 1, &dst);
  typed_arg(the, 2, fn, "ring", 0, &ring);
  if (!copyable(&dst, &ring))
    xsTypeError("helpers: %s: dst and ring must hold the same element type", fn);
  int32_t dst_offset = int_arg(the, 1, fn, "dstOffset", 0, INT32_MAX);
  if (ring.length == 0) xsRangeError("helpers: %s: ring is empty", fn);
  int32_t start = int_arg(the, 3, fn, "start", 0, (int32_t)ring.length - 1);
  int32_t count = int_arg(the, 4, fn, "count", 0, (int32_t)ring.length);
  range_check(the, fn, "dst", dst_offset, count, dst.length);
  const uint32_t size = dst.element_bytes;
  uint32_t first = ring.length - (uint32_t)start;
  if (first > (uint32_t)count) first = (uint32_t)count;
  uint8_t *d = (uint8_t *)dst.data + (size_t)dst_offset * size;
  const uint8_t *r = ring.data;
  if (d < r + (size_t)ring.length * size && r < d + (size_t)count * size)
    xsRangeError("helpers: %s: dst overlaps the ring", fn);
  memcpy(d, r + (size_t)start * size, (size_t)first * size);
  memcpy(d + (size_t)first * size, r, (size_t)((uint32_t)count - first) * size);
}

/* A score as TS compares it: raw, or float32 (q - zeroPoint) * scale; a float32 score
 * (prepareTopK only) as it is. */
typedef struct scores {
  const void *data;
  int is_signed;
  int is_float;
  int dequantize;
  float scale;
  int32_t zero_point;
} scores_t;

static inline __attribute__((always_inline)) float score_at(const scores_t *s, uint32_t i) {
  if (s->is_float) return ((const float *)s->data)[i];
  int32_t q = s->is_signed ? ((const int8_t *)s->data)[i] : ((const uint8_t *)s->data)[i];
  return s->dequantize ? (float)(q - s->zero_point) * s->scale : (float)q;
}

/* Ranks scores[0..count) into index[0..k) / value[0..k) (1 <= k <= count): highest first,
 * equal scores by lower index first (a stable sort's order; an insertion per kept score);
 * each score also into all[i] when all is not NULL. topK and prepareTopK both rank here. */
static inline __attribute__((always_inline)) void rank_top_k(const scores_t *s, int32_t count,
                                                             int32_t k, int32_t *index,
                                                             float *value, float *all) {
  int32_t kept = 0;
  for (int32_t i = 0; i < count; i++) {
    float v = score_at(s, i);
    if (all) all[i] = v;
    if (kept < k || v > value[kept - 1]) {
      int32_t j = kept < k ? kept++ : k - 1;
      while (j > 0 && value[j - 1] < v) {
        value[j] = value[j - 1];
        index[j] = index[j - 1];
        j--;
      }
      value[j] = v;
      index[j] = i;
    }
  }
}

/* The index of the first maximum of scores[0..count), count >= 1: argmax and prepared
 * result both rank here. */
static inline __attribute__((always_inline)) uint32_t first_max(const scores_t *s, uint32_t count) {
  uint32_t best = 0;
  float best_score = score_at(s, 0);
  for (uint32_t i = 1; i < count; i++) {
    float v = score_at(s, i);
    if (v > best_score) {
      best_score = v;
      best = i;
    }
  }
  return best;
}

/* scores, then optional scale and zeroPoint (default 0) at `at` and `at + 1`. */
static void scores_arg(xsMachine *the, const char *fn, int32_t at, const xsinfer_xs_typed_t *t,
                       scores_t *out) {
  if (!is_byte_int(t)) xsTypeError("helpers: %s: scores must be an Int8Array or Uint8Array", fn);
  out->data = t->data;
  out->is_signed = t->kind == XSINFER_TYPED_INT8;
  out->is_float = 0;
  out->dequantize = given(the, at);
  out->scale = 1.0f;
  out->zero_point = 0;
  if (out->dequantize) {
    out->scale = scale_arg(the, at, fn);
    if (given(the, at + 1))
      out->zero_point = int_arg(the, at + 1, fn, "zeroPoint", -MAX_ZERO_POINT, MAX_ZERO_POINT);
  }
}

/* argmax(scores, count = scores.length, scale?, zeroPoint?): index of the first maximum of
 * scores[0..count), compared raw or dequantized. */
void xs_helpers_argmax(xsMachine *the) {
  static const char fn[] = "argmax";
  xsinfer_xs_typed_t t;
  typed_arg(the, 0, fn, "scores", 0, &t);
  int32_t count = (int32_t)t.length;
  if (given(the, 1)) count = int_arg(the, 1, fn, "count", 1, (int32_t)t.length);
  if (count < 1) xsRangeError("helpers: %s: no scores", fn);
  scores_t s;
  scores_arg(the, fn, 2, &t, &s);
  uint32_t best = first_max(&s, (uint32_t)count);
  xsResult = xsInteger((xsIntegerValue)best);
}

/* topK(scores, k, scale?, zeroPoint?): the indices of the k highest scores, highest first,
 * equal scores by lower index first (a stable sort's order). */
void xs_helpers_top_k(xsMachine *the) {
  static const char fn[] = "topK";
  xsinfer_xs_typed_t t;
  typed_arg(the, 0, fn, "scores", 0, &t);
  int32_t k = int_arg(the, 1, fn, "k", 1, MAX_TOP_K);
  if ((uint32_t)k > t.length)
    xsRangeError("helpers: %s: k %ld is more than the %lu scores", fn, (long)k,
                 (unsigned long)t.length);
  scores_t s;
  scores_arg(the, fn, 2, &t, &s);
  int32_t top[MAX_TOP_K];
  float top_score[MAX_TOP_K];
  rank_top_k(&s, (int32_t)t.length, k, top, top_score, NULL);
  /* The typed array is not read after this point: allocating may move its chunk. */
  xsResult = xsNewArray(k);
  for (int32_t j = 0; j < k; j++) xsSetAt(xsResult, xsInteger(j), xsInteger(top[j]));
}

/* image(dst, dstOffset, dstWidth, dstHeight, src, srcOffset, srcStride, x, y, width,
 * height, table): the width × height crop at (x, y) of a 1-byte-per-pixel image resized
 * to dstWidth × dstHeight by nearest neighbour (source column x + ⌊ox·width/dstWidth⌋,
 * row y + ⌊oy·height/dstHeight⌋) and mapped through a 256-entry table (normalize). */
void xs_helpers_image(xsMachine *the) {
  static const char fn[] = "image";
  xsinfer_xs_typed_t dst, src, table;
  byte_map_args(the, fn, 0, 4, 11, &dst, &src, &table);
  int32_t dst_offset = int_arg(the, 1, fn, "dstOffset", 0, INT32_MAX);
  int32_t dst_width = int_arg(the, 2, fn, "dstWidth", 1, MAX_IMAGE_SIDE);
  int32_t dst_height = int_arg(the, 3, fn, "dstHeight", 1, MAX_IMAGE_SIDE);
  int32_t src_offset = int_arg(the, 5, fn, "srcOffset", 0, INT32_MAX);
  int32_t stride = int_arg(the, 6, fn, "srcStride", 1, MAX_IMAGE_SIDE);
  int32_t x = int_arg(the, 7, fn, "x", 0, stride - 1);
  int32_t y = int_arg(the, 8, fn, "y", 0, MAX_IMAGE_SIDE - 1);
  int32_t width = int_arg(the, 9, fn, "width", 1, stride - x);
  int32_t height = int_arg(the, 10, fn, "height", 1, MAX_IMAGE_SIDE);
  range_check(the, fn, "dst", dst_offset, dst_width * dst_height, dst.length);
  /* The crop's last pixel: row y + height - 1, column x + width - 1. */
  int64_t last = (int64_t)src_offset + (int64_t)(y + height - 1) * stride + x + width - 1;
  if (last >= (int64_t)src.length)
    xsRangeError("helpers: %s: the crop ends past the %lu source pixels", fn,
                 (unsigned long)src.length);
  uint8_t lut[256];
  memcpy(lut, table.data, sizeof lut);
  uint8_t *d = (uint8_t *)dst.data + dst_offset;
  const uint8_t *s = (const uint8_t *)src.data + src_offset;
  for (int32_t oy = 0; oy < dst_height; oy++) {
    const uint8_t *row = s + (size_t)(y + (oy * height) / dst_height) * (size_t)stride + x;
    uint8_t *out = d + (size_t)oy * (size_t)dst_width;
    if (width == dst_width) {
      for (int32_t ox = 0; ox < dst_width; ox++) out[ox] = lut[row[ox]];
    } else {
      for (int32_t ox = 0; ox < dst_width; ox++) out[ox] = lut[row[(ox * width) / dst_width]];
    }
  }
}

#ifndef XSINFER_PREPARED_HELPERS
#define XSINFER_PREPARED_HELPERS 1
#endif

#if XSINFER_PREPARED_HELPERS
/* One operand of meanSquaredError: an Int8Array, Uint8Array or Float32Array, its
 * elements dequantized as (q − zeroPoint) × scale in float32 (a float is itself). */
typedef struct mse_operand {
  const void *data;
  uint8_t kind;
  float scale;
  int32_t zero_point;
} mse_operand_t;

static float mse_element(const mse_operand_t *o, uint32_t i) {
  if (o->kind == XSINFER_TYPED_INT8)
    return (float)((int32_t)((const int8_t *)o->data)[i] - o->zero_point) * o->scale;
  if (o->kind == XSINFER_TYPED_UINT8)
    return (float)((int32_t)((const uint8_t *)o->data)[i] - o->zero_point) * o->scale;
  return ((const float *)o->data)[i];
}

/* The float32 mean of (a[i] − b[i])² over count ≥ 1 elements, summed in element order:
 * generic.c's respond_anomaly step for step (this file is built with -ffp-contract=off,
 * as generic.c is, so d × d + sum is two roundings there and here). */
static float mean_squared_error(const mse_operand_t *a, const mse_operand_t *b, uint32_t count) {
  float sum = 0.0f;
  for (uint32_t i = 0; i < count; i++) {
    float d = mse_element(a, i) - mse_element(b, i);
    sum += d * d;
  }
  return sum / (float)count;
}

/* Operand `what` at argument i_array, its scale and zero point at i_scale, i_scale + 1
 * (read for integer arrays only). */
static void mse_operand_arg(xsMachine *the, const char *fn, const char *what, int32_t i_array,
                            int32_t i_scale, xsinfer_xs_typed_t *t, mse_operand_t *out) {
  typed_arg(the, i_array, fn, what, 0, t);
  if (!is_byte_int(t) && t->kind != XSINFER_TYPED_FLOAT32)
    xsTypeError("helpers: %s: %s must be an Int8Array, Uint8Array or Float32Array", fn, what);
  out->kind = t->kind;
  out->scale = 1.0f;
  out->zero_point = 0;
  if (is_byte_int(t)) {
    out->scale = scale_arg(the, i_scale, fn);
    out->zero_point = int_arg(the, i_scale + 1, fn, "zeroPoint", -MAX_ZERO_POINT, MAX_ZERO_POINT);
  }
}

/* meanSquaredError(a, aOffset, b, bOffset, count, aScale, aZeroPoint, bScale, bZeroPoint) */
void xs_helpers_mean_squared_error(xsMachine *the) {
  static const char fn[] = "meanSquaredError";
  xsinfer_xs_typed_t ta, tb;
  mse_operand_t a, b;
  mse_operand_arg(the, fn, "a", 0, 5, &ta, &a);
  mse_operand_arg(the, fn, "b", 2, 7, &tb, &b);
  int32_t a_offset = int_arg(the, 1, fn, "aOffset", 0, INT32_MAX);
  int32_t b_offset = int_arg(the, 3, fn, "bOffset", 0, INT32_MAX);
  int32_t count = int_arg(the, 4, fn, "count", 1, INT32_MAX);
  range_check(the, fn, "a", a_offset, count, ta.length);
  range_check(the, fn, "b", b_offset, count, tb.length);
  a.data = (const uint8_t *)ta.data + (size_t)a_offset * ta.element_bytes;
  b.data = (const uint8_t *)tb.data + (size_t)b_offset * tb.element_bytes;
  xsResult = xsNumber((double)mean_squared_error(&a, &b, (uint32_t)count));
}

/* int_arg for a per-call offset: an XS integer in range is read in place (the common
 * case), anything else goes through int_arg's checks and messages. */
static int32_t offset_arg(xsMachine *the, int32_t index, const char *fn, const char *what) {
  int32_t value;
  if (xsinfer_xs_arg_integer(the, index, &value) && value >= 0) return value;
  return int_arg(the, index, fn, what, 0, INT32_MAX);
}

/* ---- prepared helpers: fixed arguments bound once, what varies per call ----
 * prepareX(...) checks its fixed arguments as X does and returns a host function bound
 * to them (xsinfer_xs_bind: the typed arrays as values, the numbers as C parameters).
 * Each call re-reads the bound typed arrays (a GC may have moved a JS-allocated buffer;
 * an interpreter's views may have been detached since) and checks the varying offsets,
 * then runs X's loop: the same bytes as X. */

/* The C parameters of a prepared helper (which fields each uses: at its prepare). */
typedef struct prepared_params {
  int32_t dst_offset; /* prepareTopK: k */
  int32_t count;
  int32_t zero_point;
  int32_t rank_dequantized; /* prepareTopK: TOP_K_RESULT | TOP_K_ALL */
  int32_t src_stride;       /* the call's argument × src_stride = srcOffset */
  float scale;
  xsIdentifier ids[3]; /* the result fields label, score, value (result_ids) */
  int32_t b_offset;    /* prepareMeanSquaredError: b's offset at index 0 */
  int32_t b_zero_point;
  float b_scale;
} prepared_params_t;

/* The running prepared helper's typed arrays (exactly `count`) and its parameters, both
 * in place: read before anything can allocate. */
static const xsSlot *bound_values(xsMachine *the, int32_t count, const char *fn,
                                  const prepared_params_t **params) {
  int32_t n = 0;
  const void *p = NULL;
  const xsSlot *v = xsinfer_xs_bound(the, &n, &p);
  if (!v || n != count) xsTypeError("helpers: %s: not a prepared helper", fn);
  *params = p;
  return v;
}

static void bound_typed(xsMachine *the, const xsSlot *v, const char *fn, const char *what,
                        xsinfer_xs_typed_t *out) {
  int status = xsinfer_xs_typed_array(the, v, out);
  if (status == -2) xsTypeError("helpers: %s: %s is detached", fn, what);
  if (status != 0) xsTypeError("helpers: %s: %s must be a typed array", fn, what);
}

/* srcOffset = the call's argument × stride, checked against src's length with count. */
static int32_t strided_offset(xsMachine *the, const char *fn, int32_t stride, int32_t count,
                              uint32_t length) {
  int32_t index = offset_arg(the, 0, fn, "index");
  int64_t offset = (int64_t)index * stride;
  if (offset + count > (int64_t)length)
    xsRangeError("helpers: %s: src [%ld, %ld) outside its %lu elements", fn, (long)offset,
                 (long)(offset + count), (unsigned long)length);
  return (int32_t)offset;
}

/* Argument 0 of prepareResult and prepareMeanSquaredError: the object a call sets. */
static void result_arg(xsMachine *the, const char *fn) {
  if (xsToInteger(xsArgc) < 1 || xsTypeOf(xsArg(0)) != xsReferenceType)
    xsTypeError("helpers: %s: result must be an object", fn);
}

/* The ids of the result fields a prepared helper sets: label, score, value. */
static void result_ids(xsMachine *the, prepared_params_t *p) {
  p->ids[0] = xsID("label");
  p->ids[1] = xsID("score");
  p->ids[2] = xsID("value");
}

/* Binds run to the typed arrays at argument positions args[0..count) (count <= 5) and
 * to *params: xsResult becomes the prepared host function. */
static void bind_prepared(xsMachine *the, const char *name, xsCallback run, int32_t length,
                          const uint8_t *args, int32_t count, const prepared_params_t *params) {
  xsSlot values[5];
  for (int32_t i = 0; i < count; i++) values[i] = xsArg(args[i]);
  xsinfer_xs_bind(the, &xsResult, name, run, length, values, count, params, sizeof *params);
}

/* prepareQuantize(dst, dstOffset, src, count, scale, zeroPoint, srcStride = 1)
 *   → (index) => void, srcOffset = index × srcStride */
static void run_quantize(xsMachine *the) {
  static const char fn[] = "prepared quantize";
  const prepared_params_t *bound;
  const xsSlot *v = bound_values(the, 2, fn, &bound);
  const prepared_params_t p = *bound;
  xsinfer_xs_typed_t dst, src;
  bound_typed(the, &v[0], fn, "dst", &dst);
  bound_typed(the, &v[1], fn, "src", &src);
  int32_t src_offset = strided_offset(the, fn, p.src_stride, p.count, src.length);
  range_check(the, fn, "dst", p.dst_offset, p.count, dst.length);
  quantize_elements(&dst, p.dst_offset, (const float *)src.data + src_offset, p.count, p.scale,
                    p.zero_point);
}

void xs_helpers_prepare_quantize(xsMachine *the) {
  static const char fn[] = "prepareQuantize";
  xsinfer_xs_typed_t dst, src;
  quantize_args(the, fn, &dst, &src);
  prepared_params_t p = {0};
  p.dst_offset = int_arg(the, 1, fn, "dstOffset", 0, INT32_MAX);
  p.count = int_arg(the, 3, fn, "count", 0, INT32_MAX);
  p.scale = scale_arg(the, 4, fn);
  p.zero_point = int_arg(the, 5, fn, "zeroPoint", -MAX_ZERO_POINT, MAX_ZERO_POINT);
  p.src_stride = given(the, 6) ? int_arg(the, 6, fn, "srcStride", 0, INT32_MAX) : 1;
  range_check(the, fn, "dst", p.dst_offset, p.count, dst.length);
  static const uint8_t args[] = {0, 2}; /* dst, src */
  bind_prepared(the, "quantize", run_quantize, 1, args, 2, &p);
}

/* prepareMapBytes(dst, dstOffset, src, count, table, srcStride = 1)
 *   → (index) => void, srcOffset = index × srcStride */
static void run_map_bytes(xsMachine *the) {
  static const char fn[] = "prepared mapBytes";
  const prepared_params_t *p;
  const xsSlot *v = bound_values(the, 3, fn, &p);
  int32_t dst_offset = p->dst_offset;
  int32_t count = p->count;
  int32_t stride = p->src_stride;
  xsinfer_xs_typed_t dst, src, table;
  bound_typed(the, &v[0], fn, "dst", &dst);
  bound_typed(the, &v[1], fn, "src", &src);
  bound_typed(the, &v[2], fn, "table", &table);
  if (table.length != 256) xsTypeError("helpers: %s: table must have 256 entries", fn);
  int32_t src_offset = strided_offset(the, fn, stride, count, src.length);
  range_check(the, fn, "dst", dst_offset, count, dst.length);
  map_bytes((uint8_t *)dst.data + dst_offset, (const uint8_t *)src.data + src_offset, table.data,
            count);
}

void xs_helpers_prepare_map_bytes(xsMachine *the) {
  static const char fn[] = "prepareMapBytes";
  xsinfer_xs_typed_t dst, src, table;
  byte_map_args(the, fn, 0, 2, 4, &dst, &src, &table);
  prepared_params_t p = {0};
  p.dst_offset = int_arg(the, 1, fn, "dstOffset", 0, INT32_MAX);
  p.count = int_arg(the, 3, fn, "count", 0, INT32_MAX);
  p.src_stride = given(the, 5) ? int_arg(the, 5, fn, "srcStride", 0, INT32_MAX) : 1;
  range_check(the, fn, "dst", p.dst_offset, p.count, dst.length);
  static const uint8_t args[] = {0, 2, 4}; /* dst, src, table */
  bind_prepared(the, "mapBytes", run_map_bytes, 1, args, 3, &p);
}

/* prepareCopy(dst, src, count) → (dstOffset, srcOffset) => void */
static void run_copy(xsMachine *the) {
  static const char fn[] = "prepared copy";
  const prepared_params_t *p;
  const xsSlot *v = bound_values(the, 2, fn, &p);
  int32_t count = p->count;
  xsinfer_xs_typed_t dst, src;
  bound_typed(the, &v[0], fn, "dst", &dst);
  bound_typed(the, &v[1], fn, "src", &src);
  int32_t dst_offset = offset_arg(the, 0, fn, "dstOffset");
  int32_t src_offset = offset_arg(the, 1, fn, "srcOffset");
  copy_elements(the, fn, &dst, dst_offset, &src, src_offset, count);
}

void xs_helpers_prepare_copy(xsMachine *the) {
  static const char fn[] = "prepareCopy";
  xsinfer_xs_typed_t dst, src;
  copy_args(the, fn, 1, &dst, &src);
  prepared_params_t p = {0};
  p.count = int_arg(the, 2, fn, "count", 0, INT32_MAX);
  if ((uint32_t)p.count > dst.length || (uint32_t)p.count > src.length)
    xsRangeError("helpers: %s: count %ld is more than dst or src holds", fn, (long)p.count);
  static const uint8_t args[] = {0, 1}; /* dst, src */
  bind_prepared(the, "copy", run_copy, 2, args, 2, &p);
}

/* prepareResult(result, scores, count, scale, zeroPoint, rankDequantized) → () => result:
 * i = the first maximum of scores[0..count) (raw, or dequantized when rankDequantized);
 * result.label = i (only when count > 1: one score is a regression output, its label is
 * left as it is), result.score = scores[i], result.value = (scores[i] − zeroPoint) ×
 * scale in float32. */
static void run_result(xsMachine *the) {
  static const char fn[] = "prepared result";
  const prepared_params_t *bound;
  const xsSlot *v = bound_values(the, 2, fn, &bound);
  const prepared_params_t p = *bound;
  /* Copied out: a set that falls back to xsSet may allocate and move the values. */
  xsSlot result = v[0];
  xsinfer_xs_typed_t t;
  bound_typed(the, &v[1], fn, "scores", &t);
  if ((uint32_t)p.count > t.length)
    xsRangeError("helpers: %s: scores shorter than %ld", fn, (long)p.count);
  scores_t s = {.data = t.data,
                .is_signed = t.kind == XSINFER_TYPED_INT8,
                .dequantize = p.rank_dequantized,
                .scale = p.scale,
                .zero_point = p.zero_point};
  uint32_t best = first_max(&s, (uint32_t)p.count);
  int32_t q = s.is_signed ? ((const int8_t *)s.data)[best] : ((const uint8_t *)s.data)[best];
  float value = (float)(q - p.zero_point) * p.scale;
  if (p.count > 1) xsinfer_xs_set_number(the, &result, p.ids[0], 1, (int32_t)best, 0);
  xsinfer_xs_set_number(the, &result, p.ids[1], 1, q, 0);
  xsinfer_xs_set_number(the, &result, p.ids[2], 0, 0, (double)value);
  xsResult = result;
}

void xs_helpers_prepare_result(xsMachine *the) {
  static const char fn[] = "prepareResult";
  xsinfer_xs_typed_t t;
  int32_t argc = xsToInteger(xsArgc);
  result_arg(the, fn);
  typed_arg(the, 1, fn, "scores", 0, &t);
  if (!is_byte_int(&t)) xsTypeError("helpers: %s: scores must be an Int8Array or Uint8Array", fn);
  prepared_params_t p = {0};
  p.count = int_arg(the, 2, fn, "count", 1, (int32_t)t.length);
  p.scale = scale_arg(the, 3, fn);
  p.zero_point = int_arg(the, 4, fn, "zeroPoint", -MAX_ZERO_POINT, MAX_ZERO_POINT);
  if (argc > 5) p.rank_dequantized = xsTest(xsArg(5)) ? 1 : 0;
  result_ids(the, &p);
  static const uint8_t args[] = {0, 1}; /* result, scores */
  bind_prepared(the, "result", run_result, 0, args, 2, &p);
}

/* prepareMeanSquaredError(result, a, aOffset, b, bOffset, bStride, count, aScale,
 * aZeroPoint, bScale, bZeroPoint) → (index) => result: result.value =
 * meanSquaredError(a, aOffset, b, bOffset + index × bStride, count, ...) (label and score
 * are left as they are). */
static void run_mean_squared_error(xsMachine *the) {
  static const char fn[] = "prepared meanSquaredError";
  const prepared_params_t *bound;
  const xsSlot *v = bound_values(the, 3, fn, &bound);
  const prepared_params_t p = *bound;
  xsSlot result = v[0];
  xsinfer_xs_typed_t ta, tb;
  bound_typed(the, &v[1], fn, "a", &ta);
  bound_typed(the, &v[2], fn, "b", &tb);
  int32_t index = offset_arg(the, 0, fn, "index");
  int64_t b_offset = (int64_t)p.b_offset + (int64_t)index * p.src_stride;
  if (b_offset + p.count > (int64_t)tb.length)
    xsRangeError("helpers: %s: b [%ld, %ld) outside its %lu elements", fn, (long)b_offset,
                 (long)(b_offset + p.count), (unsigned long)tb.length);
  range_check(the, fn, "a", p.dst_offset, p.count, ta.length);
  mse_operand_t a = {(const uint8_t *)ta.data + (size_t)p.dst_offset * ta.element_bytes, ta.kind,
                     p.scale, p.zero_point};
  mse_operand_t b = {(const uint8_t *)tb.data + (size_t)b_offset * tb.element_bytes, tb.kind,
                     p.b_scale, p.b_zero_point};
  float value = mean_squared_error(&a, &b, (uint32_t)p.count);
  xsinfer_xs_set_number(the, &result, p.ids[2], 0, 0, (double)value);
  xsResult = result;
}

void xs_helpers_prepare_mean_squared_error(xsMachine *the) {
  static const char fn[] = "prepareMeanSquaredError";
  result_arg(the, fn);
  xsinfer_xs_typed_t ta, tb;
  mse_operand_t a, b;
  mse_operand_arg(the, fn, "a", 1, 7, &ta, &a);
  mse_operand_arg(the, fn, "b", 3, 9, &tb, &b);
  prepared_params_t p = {0};
  p.dst_offset = int_arg(the, 2, fn, "aOffset", 0, INT32_MAX);
  p.b_offset = int_arg(the, 4, fn, "bOffset", 0, INT32_MAX);
  p.src_stride = int_arg(the, 5, fn, "bStride", 0, INT32_MAX);
  p.count = int_arg(the, 6, fn, "count", 1, INT32_MAX);
  range_check(the, fn, "a", p.dst_offset, p.count, ta.length);
  range_check(the, fn, "b", p.b_offset, p.count, tb.length);
  p.scale = a.scale;
  p.zero_point = a.zero_point;
  p.b_scale = b.scale;
  p.b_zero_point = b.zero_point;
  result_ids(the, &p);
  static const uint8_t args[] = {0, 1, 3}; /* result, a, b */
  bind_prepared(the, "meanSquaredError", run_mean_squared_error, 1, args, 3, &p);
}

/* prepareTopK(result, scores, k, outIndex, outValue, scale, zeroPoint, all?) → () => result:
 * dequantizes scores[0..n) (n = scores.length when prepared) as (q − zeroPoint) × scale in
 * float32 (a Float32Array's scores as they are: scale and zeroPoint are checked, not
 * applied) into all[i] (when given) and ranks them into outIndex[0..k) / outValue[0..k),
 * highest first, ties lower index first: the generic app's insertion loop on the caller's
 * arrays, element by element in its order. Then result.label = outIndex[0],
 * result.score = scores[outIndex[0]] (0 for float32 scores), result.value = outValue[0]
 * (result null: nothing set, the call returns undefined). */
enum { TOP_K_RESULT = 1, TOP_K_ALL = 2 };

static void run_top_k(xsMachine *the) {
  static const char fn[] = "prepared topK";
  const prepared_params_t *bound;
  int32_t n_values = 0;
  const void *raw = NULL;
  const xsSlot *v = xsinfer_xs_bound(the, &n_values, &raw);
  if (!v || n_values != 5) xsTypeError("helpers: %s: not a prepared helper", fn);
  bound = raw;
  const prepared_params_t p = *bound;
  /* Copied out: a set that falls back to xsSet may allocate and move the values. */
  xsSlot result = v[0];
  xsinfer_xs_typed_t ts, ti, tv, ta;
  bound_typed(the, &v[1], fn, "scores", &ts);
  bound_typed(the, &v[2], fn, "outIndex", &ti);
  bound_typed(the, &v[3], fn, "outValue", &tv);
  if ((uint32_t)p.count > ts.length)
    xsRangeError("helpers: %s: scores shorter than %ld", fn, (long)p.count);
  if ((uint32_t)p.dst_offset > ti.length || (uint32_t)p.dst_offset > tv.length)
    xsRangeError("helpers: %s: outIndex or outValue shorter than k %ld", fn, (long)p.dst_offset);
  float *all = NULL;
  if (p.rank_dequantized & TOP_K_ALL) {
    bound_typed(the, &v[4], fn, "all", &ta);
    if ((uint32_t)p.count > ta.length)
      xsRangeError("helpers: %s: all shorter than %ld", fn, (long)p.count);
    all = ta.data;
  }
  const int is_signed = ts.kind == XSINFER_TYPED_INT8;
  const int is_float = ts.kind == XSINFER_TYPED_FLOAT32;
  int32_t *index = ti.data;
  float *value = tv.data;
  /* Two inlined copies, each with its score type constant: the byte loop has no float test. */
  if (is_float) {
    const scores_t s = {.data = ts.data, .is_float = 1};
    rank_top_k(&s, p.count, p.dst_offset, index, value, all);
  } else {
    const scores_t s = {.data = ts.data,
                        .is_signed = is_signed,
                        .dequantize = 1,
                        .scale = p.scale,
                        .zero_point = p.zero_point};
    rank_top_k(&s, p.count, p.dst_offset, index, value, all);
  }
  if (!(p.rank_dequantized & TOP_K_RESULT)) return;
  /* Read before any set: a set through xsSet may allocate and move the arrays' chunks. */
  int32_t best = index[0];
  double best_value = (double)value[0];
  /* The raw score: the byte (a float32 score has none: 0, as the generic app records). */
  int32_t best_score =
      (best >= 0 && best < p.count && !is_float)
          ? (is_signed ? ((const int8_t *)ts.data)[best] : ((const uint8_t *)ts.data)[best])
          : 0;
  xsinfer_xs_set_number(the, &result, p.ids[0], 1, best, 0);
  xsinfer_xs_set_number(the, &result, p.ids[1], 1, best_score, 0);
  xsinfer_xs_set_number(the, &result, p.ids[2], 0, 0, best_value);
  xsResult = result;
}

void xs_helpers_prepare_top_k(xsMachine *the) {
  static const char fn[] = "prepareTopK";
  int32_t argc = xsToInteger(xsArgc);
  prepared_params_t p = {0};
  if (argc >= 1 && xsTypeOf(xsArg(0)) == xsReferenceType)
    p.rank_dequantized |= TOP_K_RESULT;
  else if (argc < 1 || xsTypeOf(xsArg(0)) != xsNullType)
    xsTypeError("helpers: %s: result must be an object or null", fn);
  xsinfer_xs_typed_t ts, ti, tv, ta;
  typed_arg(the, 1, fn, "scores", 0, &ts);
  if (!is_byte_int(&ts) && ts.kind != XSINFER_TYPED_FLOAT32)
    xsTypeError("helpers: %s: scores must be an Int8Array, Uint8Array or Float32Array", fn);
  if (ts.length == 0) xsRangeError("helpers: %s: no scores", fn);
  p.count = (int32_t)ts.length;
  int32_t most = p.count < MAX_TOP_K ? p.count : MAX_TOP_K;
  p.dst_offset = int_arg(the, 2, fn, "k", 1, most); /* k */
  typed_arg(the, 3, fn, "outIndex", 1, &ti);
  if (ti.kind != XSINFER_TYPED_INT32)
    xsTypeError("helpers: %s: outIndex must be an Int32Array", fn);
  typed_arg(the, 4, fn, "outValue", 1, &tv);
  if (tv.kind != XSINFER_TYPED_FLOAT32)
    xsTypeError("helpers: %s: outValue must be a Float32Array", fn);
  if ((uint32_t)p.dst_offset > ti.length || (uint32_t)p.dst_offset > tv.length)
    xsRangeError("helpers: %s: outIndex and outValue must hold k %ld", fn, (long)p.dst_offset);
  p.scale = scale_arg(the, 5, fn);
  p.zero_point = int_arg(the, 6, fn, "zeroPoint", -MAX_ZERO_POINT, MAX_ZERO_POINT);
  /* result, scores, outIndex, outValue, and all (outValue again when absent) */
  uint8_t args[] = {0, 1, 3, 4, 4};
  if (argc > 7 && xsTypeOf(xsArg(7)) != xsUndefinedType) {
    typed_arg(the, 7, fn, "all", 1, &ta);
    if (ta.kind != XSINFER_TYPED_FLOAT32)
      xsTypeError("helpers: %s: all must be a Float32Array", fn);
    if (ta.length < ts.length)
      xsRangeError("helpers: %s: all must hold the %ld scores", fn, (long)p.count);
    p.rank_dequantized |= TOP_K_ALL;
    args[4] = 7;
  }
  result_ids(the, &p);
  bind_prepared(the, "topK", run_top_k, 0, args, 5, &p);
}

#else
/* Not built (the target's cmake says why, e.g. the F413's full image region): the names
 * still resolve (registry.c binds each of them to this), so the module imports; preparing
 * throws. */
void xs_helpers_prepare_unavailable(xsMachine *the) {
  xsTypeError("helpers: prepared helpers are not built into this firmware");
}
#endif
