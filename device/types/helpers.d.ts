// Typings of the device module "helpers" (native/bindings/helpers): the per-element work
// of POPULATE and RESPOND in C, bit-exact with the pure-TypeScript twins in
// device/lib/quantize.ts and device/lib/pure-helpers.ts. Offsets and counts are in
// elements; every argument is checked (TypeError: wrong type or a read-only dst;
// RangeError: outside the arrays) before any element is touched.
declare module 'helpers' {
  type Bytes = Int8Array | Uint8Array;
  /** dst[dstOffset + i] = table[src[srcOffset + i]] for i < count; table has 256 entries. */
  export function mapBytes(
    dst: Bytes,
    dstOffset: number,
    src: Uint8Array,
    srcOffset: number,
    count: number,
    table: Bytes,
  ): void;
  /** dst[dstOffset + i] = clamp(roundf(src[srcOffset + i] / scale) + zeroPoint) in float32,
   * to int8 or uint8 by dst's type (quantizeI8 / quantizeU8). `scale` is used as float32. */
  export function quantize(
    dst: Bytes,
    dstOffset: number,
    src: Float32Array,
    srcOffset: number,
    count: number,
    scale: number,
    zeroPoint: number,
  ): void;
  /** dst[dstOffset + i] = (src[srcOffset + i] − zeroPoint) × scale in float32 (dequantizeI8). */
  export function dequantize(
    dst: Float32Array,
    dstOffset: number,
    src: Bytes,
    srcOffset: number,
    count: number,
    scale: number,
    zeroPoint: number,
  ): void;
  /** dst.set(src.subarray(srcOffset, srcOffset + count), dstOffset) without the view object:
   * same element type (or integers of one size, whose bytes set() keeps); overlap allowed. */
  export function copy<T extends ArrayBufferView>(
    dst: T,
    dstOffset: number,
    src: T,
    srcOffset: number,
    count: number,
  ): void;
  /** dst[dstOffset + i] = ring[(start + i) % ring.length] for i < count ≤ ring.length;
   * dst must not overlap the ring. */
  export function copyRing<T extends ArrayBufferView>(
    dst: T,
    dstOffset: number,
    ring: T,
    start: number,
    count: number,
  ): void;
  /** Index of the first maximum of scores[0..count) (count defaults to the length); with
   * a scale, of the dequantized float32 scores (q − zeroPoint) × scale. */
  export function argmax(scores: Bytes, count?: number, scale?: number, zeroPoint?: number): number;
  /** The k (1..32) indices of the highest scores, highest first, equal scores lower index
   * first; with a scale, ranked by the dequantized scores. */
  export function topK(scores: Bytes, k: number, scale?: number, zeroPoint?: number): number[];
  /** The float32 mean of (A[i] − B[i])² over i < count (count ≥ 1), summed in element
   * order (native/baseline/generic.c's anomaly score, bit for bit), where A[i] is
   * a[aOffset + i] dequantized as (q − aZeroPoint) × aScale in float32, B[i] the same of
   * b[bOffset + i]; a Float32Array's elements are used as they are (its scale and zero
   * point are not read). */
  export function meanSquaredError(
    a: Bytes | Float32Array,
    aOffset: number,
    b: Bytes | Float32Array,
    bOffset: number,
    count: number,
    aScale: number,
    aZeroPoint: number,
    bScale?: number,
    bZeroPoint?: number,
  ): number;
  /** The width × height crop at (x, y) of a byte image (row stride srcStride), resized to
   * dstWidth × dstHeight by nearest neighbour (column x + ⌊ox·width / dstWidth⌋, row
   * y + ⌊oy·height / dstHeight⌋) and mapped through a 256-entry table. */
  export function image(
    dst: Bytes,
    dstOffset: number,
    dstWidth: number,
    dstHeight: number,
    src: Uint8Array,
    srcOffset: number,
    srcStride: number,
    x: number,
    y: number,
    width: number,
    height: number,
    table: Bytes,
  ): void;

  // Prepared helpers: the fixed arguments are checked and bound once (in an app's setup);
  // the returned function takes only what varies and is a host function itself (no JS
  // frame). Each call re-reads the bound arrays (detached views throw a TypeError) and
  // checks its offsets (RangeError). Same bytes as the helper it prepares.

  /** quantize(dst, dstOffset, src, srcOffset, count, scale, zeroPoint) per call, with
   * srcOffset = index × srcStride (default 1: the index is the offset). */
  export function prepareQuantize(
    dst: Bytes,
    dstOffset: number,
    src: Float32Array,
    count: number,
    scale: number,
    zeroPoint: number,
    srcStride?: number,
  ): (index: number) => void;
  /** mapBytes(dst, dstOffset, src, srcOffset, count, table) per call, with srcOffset =
   * index × srcStride (default 1). */
  export function prepareMapBytes(
    dst: Bytes,
    dstOffset: number,
    src: Uint8Array,
    count: number,
    table: Bytes,
    srcStride?: number,
  ): (index: number) => void;
  /** copy(dst, dstOffset, src, srcOffset, count) with both offsets per call. */
  export function prepareCopy<T extends ArrayBufferView>(
    dst: T,
    src: T,
    count: number,
  ): (dstOffset: number, srcOffset: number) => void;
  /** RESPOND in one call: i = the first maximum of scores[0..count) (ranked raw, or by the
   * dequantized float32 scores when rankDequantized, as argmax with a scale); sets
   * result.label = i (only when count > 1: a single score is a regression output and its
   * label is left alone), result.score = scores[i] and result.value = (scores[i] −
   * zeroPoint) × scale in float32; returns result. */
  export function prepareResult<R extends { label: number; score: number; value: number }>(
    result: R,
    scores: Bytes,
    count: number,
    scale: number,
    zeroPoint: number,
    rankDequantized?: boolean,
  ): () => R;
  /** RESPOND of an anomaly score in one call: result.value = meanSquaredError(a, aOffset,
   * b, bOffset + index × bStride, count, aScale, aZeroPoint, bScale, bZeroPoint); label and
   * score are left as they are; returns result. */
  export function prepareMeanSquaredError<R extends { label: number; score: number; value: number }>(
    result: R,
    a: Bytes | Float32Array,
    aOffset: number,
    b: Bytes | Float32Array,
    bOffset: number,
    bStride: number,
    count: number,
    aScale: number,
    aZeroPoint: number,
    bScale?: number,
    bZeroPoint?: number,
  ): (index: number) => R;
  /** RESPOND of a classification in one call, allocating nothing: dequantizes scores[0..n)
   * (n = scores.length when prepared) as (q − zeroPoint) × scale in float32 (a
   * Float32Array's scores are used as they are: scale and zeroPoint are checked, not
   * applied), into all[i] when `all` is given, and ranks them into outIndex[0..k) and
   * outValue[0..k) (1 ≤ k ≤ min(n, 32)), highest first, ties lower index first; then sets
   * result.label = outIndex[0], result.score = scores[outIndex[0]] (0 for a Float32Array),
   * result.value = outValue[0] and
   * returns result (a null result: only the arrays are written). */
  export function prepareTopK<R extends { label: number; score: number; value: number }>(
    result: R,
    scores: Bytes | Float32Array,
    k: number,
    outIndex: Int32Array,
    outValue: Float32Array,
    scale: number,
    zeroPoint: number,
    all?: Float32Array,
  ): () => R;
  export function prepareTopK(
    result: null,
    scores: Bytes | Float32Array,
    k: number,
    outIndex: Int32Array,
    outValue: Float32Array,
    scale: number,
    zeroPoint: number,
    all?: Float32Array,
  ): () => void;
}
