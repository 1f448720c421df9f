// JS micro-benchmarks measured on the device, to explain the JS-vs-C overhead table: an
// empty native call, timer reads, filling the models' input tensors (element loop, table
// loop as POPULATE does, TypedArray set), arg-max. The main firmware measures
// the C equivalents in the same image and sends both in one `micro` record. All figures are
// raw ticks; loops of REPS are given whole, single shots net of one ticks32() pair.
import { asset, has, int8 } from 'assets';
import { gc } from 'bench';
import { argmax as argmaxHelper, mapBytes } from 'helpers';
import { nop } from 'micro';
import { ticks, ticks32 } from 'time';
import { Interpreter } from 'tflm';
import { argmaxI8 } from './quantize.ts';

const REPS = 1000;
/** Any asset of at least 9216 bytes: the fill sources (an image without person_detect,
 * the F769's, has the speech clips). */
const SOURCE = has('person_detect/images.u8') ? 'person_detect/images.u8' : 'micro_speech/clips.i16';

/** Input bytes of each model: hello_world 1, mnist 784, micro_speech 1960, person 9216. */
const FILL_MODELS = [
  'models/hello_world_int8.tflite',
  'models/mnist_int8.tflite',
  'models/micro_speech_quantized.tflite',
  'models/person_detect.tflite',
];

export interface JsMicro {
  reps: number;
  emptyLoop: number; // REPS empty iterations
  nopLoop: number; // REPS empty native calls
  ticks32Loop: number; // REPS ticks32() reads
  ticksLoop: number; // REPS ticks() reads
  ticks32Pair: number; // t1 - t0 of two back-to-back ticks32() (subtracted below)
  ticksPair: number; // the same with ticks() (64-bit → double, double subtraction)
  intLoop: number; // REPS integer steps n = (n + 7) & 1023
  doubleLoop: number; // REPS double steps x = x * 0.999 + 0.25
  fill: { bytes: number; loop: number; lut: number; set: number; helper: number }[];
  argmax: { n: number; js: number; helper: number }[];
  /** What each construct costs: REPS loops whole (the empty loop not subtracted) and gc
   * once (net of a timer pair). */
  constructs: {
    jsCall: number; // f() of an empty module-level function
    closureCall: number; // an arrow function returning a captured local
    propGet: number; // o.b of a three-property object
    globalGet: number; // Math (a global lookup)
    elementGet: number; // a[i] of an Int8Array
    elementSet: number; // a[i] = v of an Int8Array
    alloc: number; // { a: i }, a new object
    gc: number; // one collection, net
  };
}

function empty(): void {
  /* the callee of the JS call benchmark */
}

/** Where the arithmetic loops leave their results, so no step is dead code. */
export let arithSink = 0;

function span(t0: number, t1: number, pair: number): number {
  return Math.max(0, ((t1 - t0) >>> 0) - pair);
}

function pairCost64(): number {
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const t0 = ticks();
    const t1 = ticks();
    best = Math.min(best, t1 - t0);
  }
  return best;
}

function pairCost(): number {
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const t0 = ticks32();
    const t1 = ticks32();
    best = Math.min(best, (t1 - t0) >>> 0);
  }
  return best;
}

export function measure(): JsMicro {
  const table = new Int8Array(256);
  for (let p = 0; p < 256; p++) table[p] = p - 128;
  let t0 = ticks32();
  for (let i = 0; i < REPS; i++) {
    /* empty */
  }
  const emptyLoop = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) nop();
  const nopLoop = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) ticks32();
  const ticks32Loop = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) ticks();
  const ticksLoop = (ticks32() - t0) >>> 0;
  const pair = pairCost();
  // Number arithmetic: XS computes small integers as int32 and every other number as a
  // double, which a core without a double-precision FPU (the Cortex-M4's fpv4-sp-d16)
  // does in software (libgcc's __aeabi_dmul/__aeabi_dadd).
  let n = 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) n = (n + 7) & 1023;
  const intLoop = (ticks32() - t0) >>> 0;
  let x = 0.5;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) x = x * 0.999 + 0.25;
  const doubleLoop = (ticks32() - t0) >>> 0;
  arithSink = n + x;

  const fill: JsMicro['fill'] = [];
  const argmax: JsMicro['argmax'] = [];
  for (const model of FILL_MODELS) {
    if (!has(model)) continue; // not built into this image (manifest apps)
    const interp = new Interpreter(model);
    const dst = interp.input(0).data as Int8Array;
    const n = dst.length;
    // Sources in flash, as the apps' inputs are (no heap for 9 KB copies).
    const pixels = asset(SOURCE).subarray(0, n);
    const src = int8(SOURCE).subarray(0, n);
    let a = ticks32();
    for (let i = 0; i < n; i++) dst[i] = src[i];
    let b = ticks32();
    const loop = span(a, b, pair);
    a = ticks32();
    for (let i = 0; i < n; i++) dst[i] = table[pixels[i]];
    b = ticks32();
    const lut = span(a, b, pair);
    a = ticks32();
    dst.set(src);
    b = ticks32();
    const set = span(a, b, pair);
    a = ticks32();
    mapBytes(dst, 0, pixels, 0, n, table);
    b = ticks32();
    fill.push({ bytes: n, loop, lut, set, helper: span(a, b, pair) });

    const out = interp.output(0).data as Int8Array;
    if (out.length === 4 || out.length === 10) {
      for (let i = 0; i < out.length; i++) out[i] = (i * 37) & 63;
      a = ticks32();
      argmaxI8(out, out.length);
      b = ticks32();
      const js = span(a, b, pair);
      a = ticks32();
      argmaxHelper(out, out.length);
      b = ticks32();
      argmax.push({ n: out.length, js, helper: span(a, b, pair) });
    }
    interp.close();
  }
  argmax.sort((x, y) => x.n - y.n);
  return {
    constructs: constructs(pair),
    reps: REPS,
    emptyLoop,
    nopLoop,
    ticks32Loop,
    ticksLoop,
    ticks32Pair: pair,
    ticksPair: pairCost64(),
    intLoop,
    doubleLoop,
    fill,
    argmax,
  };
}

function constructs(pair: number): JsMicro['constructs'] {
  const captured = REPS;
  const closure = (): number => captured;
  const o = { a: 1, b: 2, c: 3 };
  const arr = new Int8Array(REPS);
  let sink: unknown;
  let t0 = ticks32();
  for (let i = 0; i < REPS; i++) empty();
  const jsCall = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) closure();
  const closureCall = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) sink = o.b;
  const propGet = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) sink = Math;
  const globalGet = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) sink = arr[i];
  const elementGet = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) arr[i] = i;
  const elementSet = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < REPS; i++) sink = { a: i };
  const alloc = (ticks32() - t0) >>> 0;
  void sink;
  t0 = ticks32();
  gc();
  const collect = span(t0, ticks32(), pair);
  return { jsCall, closureCall, propGet, globalGet, elementGet, elementSet, alloc, gc: collect };
}

/** The same figures as one JSON text (the program prints it inside its MICRO line). */
export function measureJson(): string {
  return JSON.stringify(measure());
}
