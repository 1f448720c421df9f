// person_detect – a 96×96 grayscale image → int8 input (pixel − 128, TFLM's
// person_detection convention, through a 256-entry table as in
// native/baseline/person_detect.c); RESPOND: person / no person and its probability.
import { asset } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, type CaseCheck, openModel, unchecked } from '../../lib/app.ts';
import { argmaxI8, dequantizeI8 } from '../../lib/quantize.ts';

const PIXELS = 96 * 96;
const CLASSES = 2;
export const cases = 2;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/person_detect.tflite';

// Set in setup() and read by the timed phases as module bindings (a property read per use
// would add to the measured instructions).
let images: Uint8Array, input: Int8Array, output: Int8Array, outScale: number, outZeroPoint: number;
const lut = new Int8Array(256);
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  images = asset('person_detect/images.u8');
  const m = openModel('person_detect', name, kernels, PIXELS, CLASSES, 'person_detect');
  ({ input, output, outScale, outZeroPoint, check } = m);
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
