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
import { type AppResult, type CaseCheck, notSetUp, openModel, unchecked } from '../../lib/app.ts';
import { quantizeI8 } from '../../lib/quantize.ts';

const PIXELS = 28 * 28;
const CLASSES = 10;
export const cases = 10;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/mnist_int8.tflite';

const lut = new Int8Array(256);
const result: AppResult = { label: 0, score: 0, value: 0 };

/** Prepared in setup(): the case's pixels through the table into the input. */
export let populate: (caseIndex: number) => void = notSetUp('mnist_fast');
/** Prepared in setup(): arg-max of the dequantized scores into the result object. */
export let respond: () => AppResult = notSetUp('mnist_fast');
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  const digits = asset('mnist/digits.u8');
  const m = openModel('mnist_fast', name, kernels, PIXELS, CLASSES, 'mnist');
  for (let p = 0; p < 256; p++) lut[p] = quantizeI8(Math.fround(p / 255), m.inScale, m.inZeroPoint);
  populate = prepareMapBytes(m.input, 0, digits, PIXELS, lut, PIXELS);
  respond = prepareResult(result, m.output, CLASSES, m.outScale, m.outZeroPoint, true);
  check = m.check;
  return m.interp;
}
