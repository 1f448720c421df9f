// mnist – a 28×28 u8 digit → int8 input through the model's quantization, the TypeScript
// twin of native/baseline/mnist.c: setup builds the 256-entry table once (as C does),
// POPULATE maps the 784 pixels through it, RESPOND dequantizes the 10 scores, arg-maxes
// on the probabilities (first maximum wins) and reports digit and confidence.
import { asset } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, type CaseCheck, openModel, unchecked } from '../../lib/app.ts';
import { dequantizeI8, quantizeI8 } from '../../lib/quantize.ts';

const PIXELS = 28 * 28;
const CLASSES = 10;
export const cases = 10;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/mnist_int8.tflite';

// Set in setup() and read by the timed phases as module bindings (a property read per use
// would add to the measured instructions).
let digits: Uint8Array, input: Int8Array, output: Int8Array, outScale: number, outZeroPoint: number;
const lut = new Int8Array(256);
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  digits = asset('mnist/digits.u8');
  const m = openModel('mnist', name, kernels, PIXELS, CLASSES, 'mnist');
  ({ input, output, outScale, outZeroPoint, check } = m);
  // C: quantize_i8((float)p / 255.0f, ...): the division is float32 too.
  for (let p = 0; p < 256; p++) lut[p] = quantizeI8(Math.fround(p / 255), m.inScale, m.inZeroPoint);
  return m.interp;
}

export function populate(caseIndex: number): void {
  // Locals instead of module bindings in the hot loop (cheaper lookups under XS); C
  // offsets a pointer, JS offsets the index: same loads and stores.
  const pixels = digits;
  const table = lut;
  const dst = input;
  const base = caseIndex * PIXELS;
  for (let i = 0; i < PIXELS; i++) dst[i] = table[pixels[base + i]];
}

export function respond(): AppResult {
  const scores = output;
  let best = -1;
  let label = 0;
  for (let i = 0; i < CLASSES; i++) {
    const p = dequantizeI8(scores[i], outScale, outZeroPoint);
    if (p > best) {
      best = p;
      label = i;
    }
  }
  return { label, score: scores[label], value: best };
}
