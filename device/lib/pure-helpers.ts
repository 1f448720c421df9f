// The pure-TypeScript twins of the native module "helpers" (native/bindings/helpers):
// the element loops the apps write by hand, kept as the reference the helpers must equal
// byte for byte (lib/helpers-selftest.ts). quantize.ts holds the scalar int8 mapping. A twin
// with the native signature takes its type from the module's typings (types/helpers.d.ts).
import type * as native from 'helpers';
import { dequantizeI8, quantizeI8, roundHalfAway } from './quantize.ts';

type Bytes = Int8Array | Uint8Array;

/** q = roundf(x / scale) + zero_point in float32, clamped to uint8. */
export function quantizeU8(x: number, scale: number, zeroPoint: number): number {
  const q = Math.fround(roundHalfAway(Math.fround(x / scale)) + zeroPoint);
  return q < 0 ? 0 : q > 255 ? 255 : q | 0;
}

export const mapBytes: typeof native.mapBytes = (dst, dstOffset, src, srcOffset, count, table) => {
  for (let i = 0; i < count; i++) dst[dstOffset + i] = table[src[srcOffset + i]];
};

export const quantize: typeof native.quantize = (dst, dstOffset, src, srcOffset, count, scale, zeroPoint) => {
  const s = Math.fround(scale);
  const q = dst instanceof Int8Array ? quantizeI8 : quantizeU8;
  for (let i = 0; i < count; i++) dst[dstOffset + i] = q(src[srcOffset + i], s, zeroPoint);
};

export const dequantize: typeof native.dequantize = (dst, dstOffset, src, srcOffset, count, scale, zeroPoint) => {
  const s = Math.fround(scale);
  for (let i = 0; i < count; i++) dst[dstOffset + i] = dequantizeI8(src[srcOffset + i], s, zeroPoint);
};

export function copyRing(dst: Int8Array, dstOffset: number, ring: Int8Array, start: number, count: number): void {
  for (let i = 0; i < count; i++) dst[dstOffset + i] = ring[(start + i) % ring.length];
}

function score(scores: Bytes, i: number, scale?: number, zeroPoint?: number): number {
  return scale === undefined ? scores[i] : dequantizeI8(scores[i], Math.fround(scale), zeroPoint ?? 0);
}

/** The first maximum, raw or dequantized (mnist's RESPOND loop). */
export const argmax: typeof native.argmax = (scores, count = scores.length, scale, zeroPoint) => {
  let best = 0;
  let bestScore = score(scores, 0, scale, zeroPoint);
  for (let i = 1; i < count; i++) {
    const v = score(scores, i, scale, zeroPoint);
    if (v > bestScore) {
      bestScore = v;
      best = i;
    }
  }
  return best;
};

/** Indices by score, highest first, ties lower index first (Array.prototype.sort is stable). */
export const topK: typeof native.topK = (scores, k, scale, zeroPoint) => {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) order.push(i);
  order.sort((a, b) => score(scores, b, scale, zeroPoint) - score(scores, a, scale, zeroPoint));
  return order.slice(0, k);
};

/** prepareTopK's twin: each call dequantizes scores in float32 (a Float32Array's as they
 * are; into `all` when given) and ranks them into outIndex / outValue[0..k), highest first,
 * ties lower index first (the generic app's insertion loop on the caller's arrays), then
 * sets result's label, score (the raw score; 0 for a float) and value from the best and
 * returns result. */
export function prepareTopK<R extends { label: number; score: number; value: number }>(
  result: R | null,
  scores: Bytes | Float32Array,
  k: number,
  outIndex: Int32Array,
  outValue: Float32Array,
  scale: number,
  zeroPoint: number,
  all?: Float32Array,
): () => R | undefined {
  const count = scores.length;
  const s = Math.fround(scale);
  return (): R | undefined => {
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const p = dequantized(scores, i, s, zeroPoint);
      if (all) all[i] = p;
      if (kept < k || p > outValue[kept - 1]) {
        let j = kept < k ? kept++ : k - 1;
        while (j > 0 && outValue[j - 1] < p) {
          outValue[j] = outValue[j - 1];
          outIndex[j] = outIndex[j - 1];
          j--;
        }
        outValue[j] = p;
        outIndex[j] = i;
      }
    }
    if (!result) return undefined;
    result.label = outIndex[0];
    result.score = scores instanceof Float32Array ? 0 : scores[outIndex[0]];
    result.value = outValue[0];
    return result;
  };
}

/** Element i dequantized in float32, or the float itself (generic's dequantize). */
function dequantized(data: Bytes | Float32Array, i: number, scale: number, zeroPoint: number): number {
  return data instanceof Float32Array ? data[i] : Math.fround((data[i] - zeroPoint) * scale);
}

/** The float32 mean of the squared differences, summed in element order (generic's
 * anomaly score). The scale and zero point of a Float32Array are not used. */
export const meanSquaredError: typeof native.meanSquaredError = (
  a,
  aOffset,
  b,
  bOffset,
  count,
  aScale,
  aZeroPoint,
  bScale = 1,
  bZeroPoint = 0,
) => {
  const sa = Math.fround(aScale);
  const sb = Math.fround(bScale);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const d = Math.fround(dequantized(a, aOffset + i, sa, aZeroPoint) - dequantized(b, bOffset + i, sb, bZeroPoint));
    sum = Math.fround(sum + Math.fround(d * d));
  }
  return Math.fround(sum / count);
};

export const image: typeof native.image = (
  dst,
  dstOffset,
  dstWidth,
  dstHeight,
  src,
  srcOffset,
  srcStride,
  x,
  y,
  width,
  height,
  table,
) => {
  for (let oy = 0; oy < dstHeight; oy++) {
    const row = srcOffset + (y + Math.floor((oy * height) / dstHeight)) * srcStride + x;
    for (let ox = 0; ox < dstWidth; ox++)
      dst[dstOffset + oy * dstWidth + ox] = table[src[row + Math.floor((ox * width) / dstWidth)]];
  }
};
