// hello_world – x → sin(x), the TypeScript twin of native/baseline/hello_world.c:
// POPULATE quantizes x (float32 from "hello_world/x.f32") into the int8 input, RESPOND
// dequantizes y. Same model, data and check as the C app.
import { float32 } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import type { Golden } from '../../lib/golden.ts';
import { type AppResult, openModel } from '../../lib/app.ts';
import { dequantizeI8, quantizeI8 } from '../../lib/quantize.ts';

export const cases = 64;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/hello_world_int8.tflite';

let xs: Float32Array = new Float32Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let inScale = 0;
let inZeroPoint = 0;
let outScale = 0;
let outZeroPoint = 0;
let golden: Golden | null = null;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  xs = float32('hello_world/x.f32');
  const m = openModel('hello_world', name, kernels, 1, 1, 'hello_world');
  input = m.input;
  output = m.output;
  inScale = m.inScale;
  inZeroPoint = m.inZeroPoint;
  outScale = m.outScale;
  outZeroPoint = m.outZeroPoint;
  golden = m.golden;
  return m.interp;
}

export function populate(caseIndex: number): void {
  input[0] = quantizeI8(xs[caseIndex], inScale, inZeroPoint);
}

export function respond(): AppResult {
  const q = output[0];
  return { label: -1, score: q, value: dequantizeI8(q, outScale, outZeroPoint) };
}

export function check(caseIndex: number, result: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, result);
}
