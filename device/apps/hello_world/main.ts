// hello_world – x → sin(x), the TypeScript twin of native/baseline/hello_world.c:
// POPULATE quantizes x (float32 from "hello_world/x.f32") into the int8 input, RESPOND
// dequantizes y. Same model, data and check as the C app.
import { float32 } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, type CaseCheck, openModel, unchecked } from '../../lib/app.ts';
import { dequantizeI8, quantizeI8 } from '../../lib/quantize.ts';

export const cases = 64;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/hello_world_int8.tflite';

// Set in setup() and read by the timed phases as module bindings (a property read per use
// would add to the measured instructions).
let xs: Float32Array, input: Int8Array, output: Int8Array;
let inScale: number, inZeroPoint: number, outScale: number, outZeroPoint: number;
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  xs = float32('hello_world/x.f32');
  const m = openModel('hello_world', name, kernels, 1, 1, 'hello_world');
  ({ input, output, inScale, inZeroPoint, outScale, outZeroPoint, check } = m);
  return m.interp;
}

export function populate(caseIndex: number): void {
  input[0] = quantizeI8(xs[caseIndex], inScale, inZeroPoint);
}

export function respond(): AppResult {
  const q = output[0];
  return { label: -1, score: q, value: dequantizeI8(q, outScale, outZeroPoint) };
}
