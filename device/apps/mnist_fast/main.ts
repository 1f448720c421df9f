// mnist with the native helpers – the same app as apps/mnist (same model, data, table,
// check, answer) with the element work in C: POPULATE maps the 784 pixels through the
// 256-entry table with one mapBytes() call, RESPOND arg-maxes the dequantized scores with
// one argmax() call (first maximum, as the plain loop; the loop's start value −1 matters
// only when every probability is ≤ −1, which a softmax output never is).
import { asset } from 'assets';
import { argmax, mapBytes } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { modelIo, type AppResult } from '../../lib/app.ts';
import { Golden } from '../../lib/golden.ts';

// Math.fround once: a global lookup of Math and its property on every RESPOND otherwise.
const { fround } = Math;
import { quantizeI8 } from '../../lib/quantize.ts';

const PIXELS = 28 * 28;
const CLASSES = 10;
export const cases = 10;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/mnist_int8.tflite';

let digits: Uint8Array = new Uint8Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let outScale = 0;
let outZeroPoint = 0;
const lut = new Int8Array(256);
let golden: Golden | null = null;
const result: AppResult = { label: 0, score: 0, value: 0 };

export function setup(kernels: Kernels, name: string = model): Interpreter {
  digits = asset('mnist/digits.u8');
  const interp = new Interpreter(name, { kernels });
  const { input: i, output: o } = modelIo('mnist_fast', name, interp, PIXELS, CLASSES);
  input = i.data;
  output = o.data;
  outScale = o.scale;
  outZeroPoint = o.zeroPoint;
  for (let p = 0; p < 256; p++) lut[p] = quantizeI8(Math.fround(p / 255), i.scale, i.zeroPoint);
  golden = new Golden('mnist', output);
  return interp;
}

export function populate(caseIndex: number): void {
  mapBytes(input, 0, digits, caseIndex * PIXELS, PIXELS, lut);
}

export function respond(): AppResult {
  const scores = output;
  const label = argmax(scores, CLASSES, outScale, outZeroPoint);
  const q = scores[label];
  result.label = label;
  result.score = q;
  result.value = fround((q - outZeroPoint) * outScale);
  return result;
}

export function check(caseIndex: number, r: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, r);
}
