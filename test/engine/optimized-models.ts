// Seeded random single-op models for the optimized-vs-reference differential tests
// (firmware/programs/kernel-diff): shapes, strides, padding, dilation, groups, depth
// multipliers, per-channel/per-tensor scales, zero points, activations, optional bias,
// pruned channels (zero weights, int32-limit biases, tiny scales), and now and then
// parameters outside the optimized kernels' fast domain (large bias, multipliers >= 1,
// non-constant weights) so the fallbacks are compared too.
import fs from 'node:fs';
import path from 'node:path';
import { Prng } from '../bridge/prng.ts';
import {
  ADD,
  ADD_OPTIONS,
  AVERAGE_POOL_2D,
  CONV_2D,
  DEPTHWISE_CONV_2D,
  FULLY_CONNECTED,
  FULLY_CONNECTED_OPTIONS,
  MAX_POOL_2D,
  MUL,
  MUL_OPTIONS,
  NONE,
  RELU,
  SAME,
  SOFTMAX,
  VALID,
  buildOneOpModel,
  convOptions,
  int32Bytes,
  int8Bytes,
  poolOptions,
  type Quant,
  type TensorSpec,
} from './tflite-builder.ts';

export type OpKind = 'conv' | 'dwconv' | 'fc' | 'maxpool' | 'avgpool' | 'softmax' | 'add' | 'mul';
export const opKinds: OpKind[] = ['conv', 'dwconv', 'fc', 'maxpool', 'avgpool', 'softmax', 'add', 'mul'];

/** Seeded draws for the models (Prng's mulberry32): the same on every Node. */
export class Rng {
  readonly #prng: Prng;
  constructor(seed: number) {
    this.#prng = new Prng(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.#prng.u32() / 2 ** 32;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** log-uniform in [lo, hi] */
  logUniform(lo: number, hi: number): number {
    return Math.exp(Math.log(lo) + this.next() * (Math.log(hi) - Math.log(lo)));
  }
}

const fround = Math.fround;

function outSize(padding: number, inSize: number, filter: number, stride: number, dilation: number): number {
  const eff = (filter - 1) * dilation + 1;
  return padding === SAME ? Math.ceil(inSize / stride) : Math.floor((inSize - eff) / stride) + 1;
}

function weights(r: Rng, n: number): number[] {
  const mode = r.int(0, 3);
  return Array.from({ length: n }, () =>
    mode === 0
      ? r.int(-128, 127)
      : mode === 1
        ? r.int(-20, 20)
        : mode === 2
          ? r.pick([-128, 127, 0])
          : r.int(-127, 127),
  );
}

function zp(r: Rng): number {
  return r.chance(0.4) ? -128 : r.int(-128, 127);
}

/** Output scale making input*filter/output a multiplier around 2^-11..2^-3 (sometimes >= 1). */
function outScale(r: Rng, inScale: number, filterScale: number, taps: number): number {
  if (r.chance(0.05)) return fround(inScale * filterScale * r.logUniform(0.2, 0.9)); // multiplier > 1
  if (r.chance(0.015)) return fround((inScale * filterScale) / 2 ** r.int(31, 40)); // shift > 30: both refuse
  return fround(inScale * filterScale * Math.sqrt(taps) * r.logUniform(4, 400));
}

function bias(r: Rng, n: number): number[] {
  const big = r.chance(0.05);
  return Array.from({ length: n }, () => (big ? r.int(-(2 ** 30), 2 ** 30) : r.int(-20000, 20000)));
}

/** Pruned ("dead") output channels as real models have them (MLPerf's vww): all weights
 * zero, the bias near or at the int32 limits, and often a tiny scale whose multiplier
 * TFLM zeroes. `at(c, t)` is the weight index of channel c, tap t. */
function killChannels(
  r: Rng,
  channels: number,
  taps: number,
  at: (c: number, t: number) => number,
  w: number[],
  b: number[] | null,
  scales: number[],
): void {
  const n = r.int(1, Math.max(1, Math.floor(channels / 2)));
  for (let k = 0; k < n; k++) {
    const c = r.int(0, channels - 1);
    for (let t = 0; t < taps; t++) w[at(c, t)] = 0;
    if (b) b[c] = r.pick([2 ** 30, -(2 ** 30), 2 ** 30 + 128, -(2 ** 31), 2 ** 31 - 1, r.int(-(2 ** 31), 2 ** 31 - 1)]);
    if (scales.length === channels && r.chance(0.6)) scales[c] = fround(scales[c]! / 2 ** r.int(20, 36));
  }
}

function activation(r: Rng): number {
  return r.pick([0, 0, 1, 1, 2, 3]);
}

/** A fixed depthwise shape (the random parts stay random: weights, quantization, bias). */
export interface DwShape {
  inH: number;
  inW: number;
  inC: number;
  fh: number;
  fw: number;
  stride: [number, number];
  dilation?: [number, number];
  padding: 'SAME' | 'VALID';
  mult?: number;
  /** CONV_2D shapes: output channels, batches, and whether some channels are pruned */
  outC?: number;
  batch?: number;
  dead?: boolean;
  /** output zero point -128 and no activation or RELU: the clamp is all of int8 ("sat"),
   * which the fused CONV_2D channel loop needs */
  sat?: boolean;
}

/** The depthwise shapes of the MLPerf Tiny models and the kernel's paths around them:
 * kws' 25x5x64 3x3 (45 % border positions), vww's stride-2 and narrow late layers,
 * str_ww's fh x 1 columns with and without padding, an odd channel count with borders,
 * dilation (the generic ring loop), and multipliers > 1 (the columns path). */
export const dwShapes: DwShape[] = [
  { inH: 25, inW: 5, inC: 64, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME' },
  { inH: 12, inW: 12, inC: 32, fh: 3, fw: 3, stride: [2, 2], padding: 'SAME' },
  { inH: 6, inW: 6, inC: 128, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME' },
  { inH: 3, inW: 3, inC: 256, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME' },
  { inH: 7, inW: 5, inC: 33, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME' },
  { inH: 9, inW: 7, inC: 10, fh: 3, fw: 3, stride: [1, 2], dilation: [2, 2], padding: 'SAME' },
  { inH: 9, inW: 6, inC: 20, fh: 3, fw: 3, stride: [2, 1], padding: 'SAME' },
  { inH: 5, inW: 9, inC: 12, fh: 3, fw: 3, stride: [1, 2], padding: 'VALID', batch: 2 },
  { inH: 30, inW: 1, inC: 40, fh: 3, fw: 1, stride: [1, 1], padding: 'VALID' },
  { inH: 28, inW: 1, inC: 128, fh: 5, fw: 1, stride: [1, 1], padding: 'VALID' },
  { inH: 15, inW: 1, inC: 128, fh: 15, fw: 1, stride: [1, 1], padding: 'VALID' },
  { inH: 30, inW: 1, inC: 42, fh: 4, fw: 1, stride: [2, 1], padding: 'SAME' },
  { inH: 20, inW: 1, inC: 36, fh: 5, fw: 1, stride: [1, 1], padding: 'SAME' },
  { inH: 17, inW: 1, inC: 16, fh: 16, fw: 1, stride: [1, 1], padding: 'VALID', batch: 2 },
  { inH: 12, inW: 1, inC: 8, fh: 10, fw: 1, stride: [1, 1], padding: 'SAME' },
  { inH: 9, inW: 1, inC: 44, fh: 7, fw: 1, stride: [1, 1], padding: 'VALID' },
  { inH: 18, inW: 1, inC: 20, fh: 17, fw: 1, stride: [1, 1], padding: 'SAME' },
  { inH: 8, inW: 8, inC: 6, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME', mult: 2 },
  { inH: 10, inW: 8, inC: 1, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME', mult: 8 },
];

/** CONV_2D shapes on the int8-weight kernels (widened weights would exceed 4 KB): the
 * MLPerf 1x1 convs (kws 25x5x64, vww 6x6x128) and 3x3 ones, with position counts that
 * leave every remainder of the six- and four-position blocks (1..5), channel counts
 * (taps) not a multiple of 4 or 8, odd group counts, batches, and pruned channels; and
 * the windows on 1 to 3 input channels the block columns read without a raw patch. */
export const convShapes: DwShape[] = [
  { inH: 25, inW: 5, inC: 64, outC: 64, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID' },
  { inH: 6, inW: 6, inC: 128, outC: 128, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', dead: true },
  { inH: 7, inW: 1, inC: 66, outC: 40, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID' },
  { inH: 3, inW: 3, inC: 45, outC: 50, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', dead: true },
  { inH: 2, inW: 5, inC: 130, outC: 33, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID' },
  { inH: 3, inW: 1, inC: 48, outC: 48, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID' },
  { inH: 5, inW: 1, inC: 32, outC: 72, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', batch: 2 },
  { inH: 8, inW: 8, inC: 16, outC: 33, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME' },
  { inH: 9, inW: 7, inC: 21, outC: 24, fh: 3, fw: 3, stride: [2, 2], padding: 'VALID', dead: true },
  { inH: 4, inW: 4, inC: 32, outC: 32, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME', batch: 2 },
  // 3x3 on 3 channels (vww's and ResNet's first convs: the seven-word windows), widened
  // and int8 weights, borders on every side and block tails
  { inH: 13, inW: 9, inC: 3, outC: 8, fh: 3, fw: 3, stride: [2, 2], padding: 'SAME' },
  { inH: 7, inW: 5, inC: 3, outC: 16, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME', batch: 2 },
  { inH: 9, inW: 7, inC: 3, outC: 80, fh: 3, fw: 3, stride: [2, 2], padding: 'SAME' },
  { inH: 5, inW: 8, inC: 3, outC: 7, fh: 3, fw: 3, stride: [1, 1], padding: 'VALID' },
  // filter rows of whole groups on 1 and 2 channels (kws' 10x4 first conv)
  { inH: 15, inW: 10, inC: 1, outC: 12, fh: 10, fw: 4, stride: [2, 2], padding: 'SAME' },
  { inH: 6, inW: 7, inC: 2, outC: 5, fh: 3, fw: 2, stride: [1, 1], padding: 'SAME' },
  // sat outputs: the fused channel loop
  // (taps a multiple of 4, at least 8) with blocks of 2..7 positions (positions 125 =
  // 17 x 7 + 6, 15 = 5 + 5 + 5, 1, 2, 3, 8 = 4 + 4, 9, 13, 4, 5, 36, 12), group counts
  // leaving every remainder of its eight-group passes, batches, pruned channels
  { inH: 25, inW: 5, inC: 64, outC: 64, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 15, inW: 1, inC: 128, outC: 40, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 1, inW: 1, inC: 128, outC: 32, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 2, inW: 1, inC: 8, outC: 300, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 3, inW: 1, inC: 12, outC: 200, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true, batch: 2 },
  { inH: 2, inW: 4, inC: 28, outC: 80, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 3, inW: 3, inC: 20, outC: 120, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true, dead: true },
  { inH: 13, inW: 1, inC: 44, outC: 60, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 4, inW: 1, inC: 16, outC: 140, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 5, inW: 1, inC: 32, outC: 70, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 6, inW: 6, inC: 16, outC: 24, fh: 3, fw: 3, stride: [1, 1], padding: 'SAME', sat: true },
  { inH: 9, inW: 7, inC: 4, outC: 64, fh: 3, fw: 3, stride: [2, 2], padding: 'VALID', sat: true, batch: 2 },
  // small enough for widened weights, which the fused loop takes precedence over: 1x1 on
  // 8 and 16 channels (vww's), filter rows of whole groups (kws' first conv) with borders
  { inH: 9, inW: 9, inC: 8, outC: 16, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 7, inW: 6, inC: 16, outC: 24, fh: 1, fw: 1, stride: [1, 1], padding: 'VALID', sat: true },
  { inH: 15, inW: 10, inC: 1, outC: 12, fh: 10, fw: 4, stride: [2, 2], padding: 'SAME', sat: true },
  { inH: 6, inW: 7, inC: 2, outC: 5, fh: 3, fw: 2, stride: [1, 1], padding: 'SAME', sat: true, batch: 2 },
];

function convLike(r: Rng, depthwise: boolean, shape?: DwShape): Uint8Array {
  const batch = shape ? (shape.batch ?? 1) : r.chance(0.15) ? 2 : 1;
  let inC: number,
    outC: number,
    filterC: number,
    mult = 1;
  if (depthwise) {
    inC = r.pick([1, 1, 2, 3, 4, 5, 8, 12, 16, 19]);
    mult = r.pick([1, 1, 1, 2, 3, 8]);
    outC = inC * mult;
    filterC = outC;
  } else {
    // Wide ones (out_c * taps large) take the int8-weight matrix kernels.
    const wide = r.chance(0.25);
    inC = wide ? r.pick([21, 24, 32, 45]) : r.pick([1, 1, 2, 3, 4, 5, 8, 12, 16, 17, 32]);
    const groups = inC % 2 === 0 && r.chance(0.08) ? 2 : 1;
    filterC = inC / groups;
    outC = groups * (wide ? r.int(8, 24) : r.int(1, 10));
  }
  // Depthwise columns as str_ww has them (W = 1, fh x 1 filters, one output per row) take
  // the optimized kernel's column path; wider channel counts its full groups of four.
  const column = depthwise && r.chance(0.2);
  if (depthwise && mult === 1 && r.chance(0.2)) {
    inC = r.pick([24, 33, 40, 64]);
    outC = inC;
    filterC = outC;
  }
  if (shape) {
    inC = shape.inC;
    mult = shape.mult ?? 1;
    outC = depthwise ? inC * mult : (shape.outC ?? inC);
    filterC = depthwise ? outC : inC;
  }
  let fh = column ? r.pick([3, 5, 10, 15]) : r.pick([1, 1, 2, 3, 3, 5]),
    fw = column ? 1 : r.pick([1, 1, 2, 3, 3, 4]);
  let inH = column ? r.int(fh, 30) : r.int(1, 11),
    inW = column ? 1 : r.int(1, 11);
  let sh = r.pick([1, 1, 2, 3]),
    sw = r.pick([1, 1, 2, 3]);
  let dh = r.chance(0.15) ? 2 : 1,
    dw = r.chance(0.15) ? 2 : 1;
  let padding = r.chance(0.5) ? SAME : VALID;
  if (shape) {
    [fh, fw, inH, inW] = [shape.fh, shape.fw, shape.inH, shape.inW];
    [sh, sw] = shape.stride;
    [dh, dw] = shape.dilation ?? [1, 1];
    padding = shape.padding === 'SAME' ? SAME : VALID;
  }
  if (outSize(padding, inH, fh, sh, dh) < 1 || outSize(padding, inW, fw, sw, dw) < 1) padding = SAME;
  const outH = outSize(padding, inH, fh, sh, dh),
    outW = outSize(padding, inW, fw, sw, dw);
  const act = shape?.sat ? r.pick([NONE, RELU]) : activation(r);
  const inScale = fround(r.logUniform(0.005, 0.1));
  const perChannel = r.chance(0.7);
  const fScales = Array.from({ length: perChannel ? outC : 1 }, () => fround(r.logUniform(0.002, 0.05)));
  if (r.chance(0.03)) fScales[0] = 0;
  const taps = fh * fw * filterC;
  const oScale = outScale(r, inScale, fScales[0] || 0.01, taps);
  const filterShape = depthwise ? [1, fh, fw, outC] : [outC, fh, fw, filterC];
  const constWeights = !r.chance(0.03);
  const w = constWeights
    ? weights(
        r,
        filterShape.reduce((a, b) => a * b),
      )
    : null;
  const b = r.chance(0.85) ? bias(r, outC) : null;
  if (w && (shape?.dead || r.chance(0.15))) {
    const dwTaps = fh * fw;
    killChannels(
      r,
      outC,
      depthwise ? dwTaps : taps,
      (c, t) => (depthwise ? t * outC + c : c * taps + t),
      w,
      b,
      fScales,
    );
  }
  const tensors: TensorSpec[] = [
    { type: 'int8', shape: [batch, inH, inW, inC], quant: { scale: [inScale], zeroPoint: [zp(r)] } },
    {
      type: 'int8',
      shape: filterShape,
      data: w ? int8Bytes(w) : undefined,
      quant: { scale: fScales, zeroPoint: fScales.map(() => 0), dim: depthwise ? 3 : 0 },
    },
  ];
  const opInputs = [0, 1];
  if (b) {
    tensors.push({ type: 'int32', shape: [outC], data: int32Bytes(b) });
    opInputs.push(2);
  }
  tensors.push({
    type: 'int8',
    shape: [batch, outH, outW, outC],
    quant: { scale: [oScale], zeroPoint: [shape?.sat ? -128 : zp(r)] },
  });
  const out = tensors.length - 1;
  const options = convOptions(depthwise, {
    padding,
    stride: [sh, sw],
    dilation: [dh, dw],
    activation: act,
    depthMultiplier: mult,
  });
  const inputs = constWeights ? [0] : [0, 1];
  return buildOneOpModel({
    builtin: depthwise ? DEPTHWISE_CONV_2D : CONV_2D,
    optionsType: depthwise ? 2 : 1,
    options,
    tensors,
    opInputs,
    opOutputs: [out],
    inputs,
    outputs: [out],
  });
}

function fullyConnected(r: Rng): Uint8Array {
  const batch = r.pick([1, 1, 1, 2, 3]);
  const depth = r.pick([1, 3, 4, 7, 16, 33, 64, 100, 128, 257, 640]);
  const outN = r.int(1, 20);
  const inScale = fround(r.logUniform(0.005, 0.1));
  const perChannel = r.chance(0.2);
  const fScales = Array.from({ length: perChannel ? outN : 1 }, () => fround(r.logUniform(0.002, 0.05)));
  const oScale = outScale(r, inScale, fScales[0]!, depth);
  const rank4 = r.chance(0.3) && batch === 1;
  const w = weights(r, outN * depth);
  const b = r.chance(0.85) ? bias(r, outN) : null;
  if (r.chance(0.15)) killChannels(r, outN, depth, (c, t) => c * depth + t, w, b, fScales);
  const tensors: TensorSpec[] = [
    { type: 'int8', shape: rank4 ? [1, 1, 1, depth] : [batch, depth], quant: { scale: [inScale], zeroPoint: [zp(r)] } },
    {
      type: 'int8',
      shape: [outN, depth],
      data: int8Bytes(w),
      quant: { scale: fScales, zeroPoint: fScales.map(() => 0), dim: 0 },
    },
  ];
  const opInputs = [0, 1];
  if (b) {
    tensors.push({ type: 'int32', shape: [outN], data: int32Bytes(b) });
    opInputs.push(2);
  }
  tensors.push({ type: 'int8', shape: [batch, outN], quant: { scale: [oScale], zeroPoint: [zp(r)] } });
  const out = tensors.length - 1;
  return buildOneOpModel({
    builtin: FULLY_CONNECTED,
    optionsType: FULLY_CONNECTED_OPTIONS,
    options: [[0, 'i8', activation(r)]],
    tensors,
    opInputs,
    opOutputs: [out],
    inputs: [0],
    outputs: [out],
  });
}

function pool(r: Rng, max: boolean): Uint8Array {
  const batch = r.chance(0.15) ? 2 : 1;
  // Now and then a global-style pool (person_detect's 6x6) or a window of more than 255
  // taps (the average's int16-lane sums must hand over to int32).
  const big = r.chance(0.2);
  const inH = big ? r.int(6, 20) : r.int(1, 14),
    inW = big ? r.int(6, 20) : r.int(1, 14);
  const c = r.pick([1, 2, 3, 4, 8, 12, 16, 19, 32]);
  const fh = big ? r.int(Math.min(inH, 6), inH) : r.int(1, 4),
    fw = big ? r.int(Math.min(inW, 6), inW) : r.int(1, 4);
  const sh = r.int(1, 3),
    sw = r.int(1, 3);
  let padding = r.chance(0.5) ? SAME : VALID;
  if (outSize(padding, inH, fh, sh, 1) < 1 || outSize(padding, inW, fw, sw, 1) < 1) padding = SAME;
  const q: Quant = { scale: [fround(r.logUniform(0.01, 0.1))], zeroPoint: [zp(r)] };
  return buildOneOpModel({
    builtin: max ? MAX_POOL_2D : AVERAGE_POOL_2D,
    optionsType: 5,
    options: poolOptions({ padding, stride: [sh, sw], filter: [fh, fw], activation: activation(r) }),
    tensors: [
      { type: 'int8', shape: [batch, inH, inW, c], quant: q },
      { type: 'int8', shape: [batch, outSize(padding, inH, fh, sh, 1), outSize(padding, inW, fw, sw, 1), c], quant: q },
    ],
    opInputs: [0],
    opOutputs: [1],
    inputs: [0],
    outputs: [1],
  });
}

function softmax(r: Rng): Uint8Array {
  const shape = r.chance(0.5) ? [r.int(1, 3), r.int(1, 40)] : [1, r.int(1, 4), r.int(1, 4), r.int(2, 12)];
  const beta = r.chance(0.6) ? 1 : fround(r.logUniform(0.1, 4));
  return buildOneOpModel({
    builtin: SOFTMAX,
    optionsType: 9,
    options: [[0, 'f32' as unknown as 'i32', beta]],
    tensors: [
      { type: 'int8', shape, quant: { scale: [fround(r.logUniform(0.01, 0.3))], zeroPoint: [zp(r)] } },
      { type: 'int8', shape, quant: { scale: [1 / 256], zeroPoint: [-128] } },
    ],
    opInputs: [0],
    opOutputs: [1],
    inputs: [0],
    outputs: [1],
  });
}

/** ADD / MUL with NumPy broadcasting: each input dim is the output's or 1 (or missing on
 * the left), sometimes one operand is a constant, sometimes a scalar. */
function binary(r: Rng, mul: boolean, large = false): Uint8Array {
  const rank = large ? 4 : r.int(1, 4);
  const out = large
    ? [1, r.int(8, 20), r.int(8, 20), r.int(8, 16)]
    : Array.from({ length: rank }, () => (r.chance(0.3) ? 1 : r.int(1, 7)));
  const sub = (full: boolean): number[] => {
    if (!full && r.chance(0.15)) return [1]; // scalar-like
    const drop = full ? 0 : r.int(0, rank - 1);
    return out.slice(drop).map((d) => (full || r.chance(0.5) ? d : 1));
  };
  let a = large ? [...out] : sub(r.chance(0.5)),
    b = large ? [...out] : sub(r.chance(0.5));
  // Every output dim > 1 needs a full-size operand there.
  for (let i = 0; i < rank; i++) {
    const ai = i - (rank - a.length),
      bi = i - (rank - b.length);
    const ad = ai >= 0 ? a[ai]! : 1,
      bd = bi >= 0 ? b[bi]! : 1;
    if (out[i]! > 1 && ad !== out[i] && bd !== out[i]) {
      if (ai >= 0) a[ai] = out[i]!;
      else if (bi >= 0) b[bi] = out[i]!;
      else out[i] = 1;
    }
  }
  if (r.chance(0.5)) [a, b] = [b, a];
  let sA = fround(r.logUniform(0.005, 0.5)),
    sB = fround(r.logUniform(0.005, 0.5));
  let sOut = mul ? fround(sA * sB * r.logUniform(0.05, 40)) : fround(Math.max(sA, sB) * r.logUniform(0.3, 4));
  if (r.chance(0.3)) {
    // Power-of-two scale ratios: the rescales become exact halvings, so rounding ties
    // (positive and negative) are frequent and the tie rule is really compared.
    sA = 2 ** -r.int(3, 7);
    sB = r.chance(0.5) ? sA : sA * 2 ** -r.int(1, 2);
    sOut = (mul ? sA * sB : Math.max(sA, sB)) * 2 ** r.int(1, 4);
  }
  const constB = r.chance(0.25);
  const count = (x: number[]) => x.reduce((p, q) => p * q, 1);
  const tensors: TensorSpec[] = [
    { type: 'int8', shape: a, quant: { scale: [sA], zeroPoint: [zp(r)] } },
    {
      type: 'int8',
      shape: b,
      data: constB ? int8Bytes(weights(r, count(b))) : undefined,
      quant: { scale: [sB], zeroPoint: [zp(r)] },
    },
    { type: 'int8', shape: out, quant: { scale: [sOut], zeroPoint: [zp(r)] } },
  ];
  return buildOneOpModel({
    builtin: mul ? MUL : ADD,
    optionsType: mul ? MUL_OPTIONS : ADD_OPTIONS,
    options: [[0, 'i8', activation(r)]],
    tensors,
    opInputs: [0, 1],
    opOutputs: [2],
    inputs: constB ? [0] : [0, 1],
    outputs: [2],
  });
}

const modelOf: Record<OpKind, (r: Rng) => Uint8Array> = {
  conv: (r) => convLike(r, false),
  dwconv: (r) => convLike(r, true),
  fc: fullyConnected,
  maxpool: (r) => pool(r, true),
  avgpool: (r) => pool(r, false),
  softmax,
  add: (r) => binary(r, false),
  mul: (r) => binary(r, true),
};

export function randomModel(kind: OpKind, r: Rng): Uint8Array {
  return modelOf[kind](r);
}

/** Writes m0.tflite .. m<count-1>.tflite into dir, in order, from one seeded Rng; returns count. */
function writeSeeded(dir: string, count: number, seed: number, model: (r: Rng, i: number) => Uint8Array): number {
  fs.mkdirSync(dir, { recursive: true });
  const r = new Rng(seed);
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `m${i}.tflite`), model(r, i));
  return count;
}

/** Writes m0.tflite .. m<n-1>.tflite: `perShape` models of every dwShapes entry. */
export function writeDwShapeModels(dir: string, perShape: number, seed: number): number {
  return writeSeeded(dir, dwShapes.length * perShape, seed, (r, i) =>
    convLike(r, true, dwShapes[Math.floor(i / perShape)]!),
  );
}

/** Writes m0.tflite .. m<n-1>.tflite: `perShape` CONV_2D models of every convShapes entry. */
export function writeConvShapeModels(dir: string, perShape: number, seed: number): number {
  return writeSeeded(dir, convShapes.length * perShape, seed, (r, i) =>
    convLike(r, false, convShapes[Math.floor(i / perShape)]!),
  );
}

/** Writes m0.tflite .. m<count-1>.tflite: plain (not broadcast) ADDs of 1,024 to 6,400
 * elements, which the optimized ADD runs through its rescale tables. */
export function writeLargeAddModels(dir: string, count: number, seed: number): void {
  writeSeeded(dir, count, seed, (r) => binary(r, false, true));
}

/** Writes m0.tflite .. m<count-1>.tflite of one op kind into dir. */
export function writeModels(dir: string, kind: OpKind, count: number, seed: number): void {
  writeSeeded(dir, count, seed, (r) => randomModel(kind, r));
}
