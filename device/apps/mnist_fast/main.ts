// mnist with the native helpers – the same app as apps/mnist (same model, data, table,
// check, answer) with the element work in C, both phases prepared in setup() as host
// functions the bench loop calls directly: POPULATE maps the case's 784 pixels through
// the 256-entry table (a prepared mapBytes()), RESPOND arg-maxes the dequantized scores
// into the result object (a prepared result: first maximum, as the plain loop; the loop's
// start value −1 matters only when every probability is ≤ −1, which a softmax output
// never is).
import { asset } from 'assets';
import { prepareMapBytes, prepareResult } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, openModel } from '../../lib/app.ts';
import type { Golden } from '../../lib/golden.ts';
import { quantizeI8 } from '../../lib/quantize.ts';

const PIXELS = 28 * 28;
const CLASSES = 10;
export const cases = 10;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/mnist_int8.tflite';

let digits: Uint8Array = new Uint8Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let golden: Golden | null = null;
const lut = new Int8Array(256);
const result: AppResult = { label: 0, score: 0, value: 0 };

function notSetUp(): never {
  throw new Error('mnist_fast: setup() first');
}

/** Prepared in setup(): the case's pixels through the table into the input. */
export let populate: (caseIndex: number) => void = notSetUp;
/** Prepared in setup(): arg-max of the dequantized scores into the result object. */
export let respond: () => AppResult = notSetUp;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  digits = asset('mnist/digits.u8');
  const m = openModel('mnist_fast', name, kernels, PIXELS, CLASSES, 'mnist');
  input = m.input;
  output = m.output;
  golden = m.golden;
  for (let p = 0; p < 256; p++) lut[p] = quantizeI8(Math.fround(p / 255), m.inScale, m.inZeroPoint);
  populate = prepareMapBytes(input, 0, digits, PIXELS, lut, PIXELS);
  respond = prepareResult(result, output, CLASSES, m.outScale, m.outZeroPoint, true);
  return m.interp;
}

export function check(caseIndex: number, r: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, r);
}
