// The affine int8 mapping the apps use on both sides of a model, bit-exact with
// native/baseline/quantize.h: every float32 operation of the C code is a double operation
// rounded with Math.fround (exact for one +, −, × or ÷ of float32 operands), and roundf's
// half-away-from-zero rounding is spelled out (Math.round rounds halves up).

/** C roundf: round half away from zero. */
export function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** q = roundf(x / scale) + zero_point in float32, clamped to int8 (C: quantize_i8). */
export function quantizeI8(x: number, scale: number, zeroPoint: number): number {
  const q = Math.fround(roundHalfAway(Math.fround(x / scale)) + zeroPoint);
  return q < -128 ? -128 : q > 127 ? 127 : q | 0;
}

/** (q − zero_point) × scale in float32 (C: dequantize_i8). */
export function dequantizeI8(q: number, scale: number, zeroPoint: number): number {
  return Math.fround((q - zeroPoint) * scale);
}

/** Index of the first maximum of scores[0..n) (C: app_argmax_i8). */
export function argmaxI8(scores: Int8Array, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (scores[i] > scores[best]) best = i;
  return best;
}
