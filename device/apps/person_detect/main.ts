// person_detect – a 96×96 grayscale image → int8 input (pixel − 128, TFLM's
// person_detection convention, through a 256-entry table as in
// native/baseline/person_detect.c); RESPOND: person / no person and its probability.
import { asset } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, openModel } from '../../lib/app.ts';
import type { Golden } from '../../lib/golden.ts';
import { argmaxI8, dequantizeI8 } from '../../lib/quantize.ts';

const PIXELS = 96 * 96;
const CLASSES = 2;
export const cases = 2;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/person_detect.tflite';

let images: Uint8Array = new Uint8Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let outScale = 0;
let outZeroPoint = 0;
let golden: Golden | null = null;
const lut = new Int8Array(256);

export function setup(kernels: Kernels, name: string = model): Interpreter {
  images = asset('person_detect/images.u8');
  const m = openModel('person_detect', name, kernels, PIXELS, CLASSES, 'person_detect');
  input = m.input;
  output = m.output;
  outScale = m.outScale;
  outZeroPoint = m.outZeroPoint;
  golden = m.golden;
  for (let p = 0; p < 256; p++) lut[p] = p - 128;
  return m.interp;
}

export function populate(caseIndex: number): void {
  const pixels = images;
  const table = lut;
  const dst = input;
  const base = caseIndex * PIXELS;
  for (let i = 0; i < PIXELS; i++) dst[i] = table[pixels[base + i]];
}

export function respond(): AppResult {
  const scores = output;
  const label = argmaxI8(scores, CLASSES);
  return { label, score: scores[label], value: dequantizeI8(scores[label], outScale, outZeroPoint) };
}

export function check(caseIndex: number, result: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, result);
}
