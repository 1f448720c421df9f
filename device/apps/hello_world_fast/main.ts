// hello_world with the native helpers – the same app as apps/hello_world (same model, data,
// check, answer) with the element work in C: POPULATE is one quantize() call, RESPOND
// reads y and dequantizes it. The bench reports it as impl "js-helpers" beside the
// plain-loop app ("js") and C.
import { float32 } from 'assets';
import { quantize } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { modelIo, type AppResult } from '../../lib/app.ts';
import { Golden } from '../../lib/golden.ts';

// Math.fround once: a global lookup of Math and its property on every RESPOND otherwise.
const { fround } = Math;

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
// One result object, refilled by every RESPOND: the bench loop reads it before the next.
const result: AppResult = { label: -1, score: 0, value: 0 };

export function setup(kernels: Kernels, name: string = model): Interpreter {
  xs = float32('hello_world/x.f32');
  const interp = new Interpreter(name, { kernels });
  const { input: i, output: o } = modelIo('hello_world_fast', name, interp, 1, 1);
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
  quantize(input, 0, xs, caseIndex, 1, inScale, inZeroPoint);
}

export function respond(): AppResult {
  const q = output[0];
  result.score = q;
  // dequantizeI8 inline: (q − zero point) × scale in float32, both operands float32-exact.
  result.value = fround((q - outZeroPoint) * outScale);
  return result;
}

export function check(caseIndex: number, r: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, r);
}
