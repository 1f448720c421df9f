// hello_world – x → sin(x), the TypeScript twin of native/baseline/hello_world.c:
// POPULATE quantizes x (float32 from "hello_world/x.f32") into the int8 input, RESPOND
// dequantizes y. Same model, data and check as the C app.
import { float32 } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { modelIo, type AppResult } from '../../lib/app.ts';
import { Golden } from '../../lib/golden.ts';
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
  const interp = new Interpreter(name, { kernels });
  const { input: i, output: o } = modelIo('hello_world', name, interp, 1, 1);
  input = i.data;
  output = o.data;
  inScale = i.scale;
  inZeroPoint = i.zeroPoint;
  outScale = o.scale;
  outZeroPoint = o.zeroPoint;
  golden = new Golden('hello_world', output);
  return interp;
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
