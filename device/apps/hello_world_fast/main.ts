// hello_world with the native helpers – the same app as apps/hello_world (same model, data,
// check, answer) with the element work in C. setup() prepares both phases once: POPULATE
// is a prepared quantize() taking the case index, RESPOND a prepared result (y read and
// dequantized into the one result object); both are host functions, so the bench loop
// calls C directly. The bench reports it as impl "js-helpers" beside the plain-loop app
// ("js") and C.
import { float32 } from 'assets';
import { prepareQuantize, prepareResult } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, openModel } from '../../lib/app.ts';
import type { Golden } from '../../lib/golden.ts';

export const cases = 64;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/hello_world_int8.tflite';

let xs: Float32Array = new Float32Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let golden: Golden | null = null;
// One result object, refilled by every RESPOND: the bench loop reads it before the next.
const result: AppResult = { label: -1, score: 0, value: 0 };

function notSetUp(): never {
  throw new Error('hello_world_fast: setup() first');
}

/** Prepared in setup(): quantize x[caseIndex] into the input. */
export let populate: (caseIndex: number) => void = notSetUp;
/** Prepared in setup(): y dequantized into the result object. */
export let respond: () => AppResult = notSetUp;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  xs = float32('hello_world/x.f32');
  const m = openModel('hello_world_fast', name, kernels, 1, 1, 'hello_world');
  input = m.input;
  output = m.output;
  golden = m.golden;
  // x[caseIndex] quantized into the input; y = (q − zero point) × scale into result.value
  // (one output: the label stays -1).
  populate = prepareQuantize(input, 0, xs, 1, m.inScale, m.inZeroPoint);
  respond = prepareResult(result, output, 1, m.outScale, m.outZeroPoint);
  return m.interp;
}

export function check(caseIndex: number, r: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, r);
}
