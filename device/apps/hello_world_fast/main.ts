// hello_world with the native helpers – the same app as apps/hello_world (same model, data,
// check, answer) with the element work in C. setup() prepares both phases once: POPULATE
// is a prepared quantize() taking the case index, RESPOND a prepared result (y read and
// dequantized into the one result object); both are host functions, so the bench loop
// calls C directly. The bench reports it as impl "js-helpers" beside the plain-loop app
// ("js") and C.
import { float32 } from 'assets';
import { prepareQuantize, prepareResult } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, type CaseCheck, notSetUp, openModel, unchecked } from '../../lib/app.ts';

export const cases = 64;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/hello_world_int8.tflite';

// One result object, refilled by every RESPOND: the bench loop reads it before the next.
const result: AppResult = { label: -1, score: 0, value: 0 };

/** Prepared in setup(): quantize x[caseIndex] into the input. */
export let populate: (caseIndex: number) => void = notSetUp('hello_world_fast');
/** Prepared in setup(): y dequantized into the result object. */
export let respond: () => AppResult = notSetUp('hello_world_fast');
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  const xs = float32('hello_world/x.f32');
  const m = openModel('hello_world_fast', name, kernels, 1, 1, 'hello_world');
  // x[caseIndex] quantized into the input; y = (q − zero point) × scale into result.value
  // (one output: the label stays -1).
  populate = prepareQuantize(m.input, 0, xs, 1, m.inScale, m.inZeroPoint);
  respond = prepareResult(result, m.output, 1, m.outScale, m.outZeroPoint);
  check = m.check;
  return m.interp;
}
