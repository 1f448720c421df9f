// person_detect with the native helpers – the same app as apps/person_detect with the
// element work in C: POPULATE is one image() call (the whole 96×96 frame as the crop, no
// resize, normalized by the pixel − 128 table; a camera frame would be cropped and
// resized by the same call), RESPOND one argmax().
import { asset } from 'assets';
import { argmax, image } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { modelIo, type AppResult } from '../../lib/app.ts';
import { Golden } from '../../lib/golden.ts';

// Math.fround once: a global lookup of Math and its property on every RESPOND otherwise.
const { fround } = Math;

const SIDE = 96;
const PIXELS = SIDE * SIDE;
const CLASSES = 2;
export const cases = 2;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/person_detect.tflite';

let images: Uint8Array = new Uint8Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let outScale = 0;
let outZeroPoint = 0;
const lut = new Int8Array(256);
let golden: Golden | null = null;
const result: AppResult = { label: 0, score: 0, value: 0 };

export function setup(kernels: Kernels, name: string = model): Interpreter {
  images = asset('person_detect/images.u8');
  const interp = new Interpreter(name, { kernels });
  const { input: i, output: o } = modelIo('person_detect_fast', name, interp, PIXELS, CLASSES);
  input = i.data;
  output = o.data;
  outScale = o.scale;
  outZeroPoint = o.zeroPoint;
  for (let p = 0; p < 256; p++) lut[p] = p - 128;
  golden = new Golden('person_detect', output);
  return interp;
}

export function populate(caseIndex: number): void {
  image(input, 0, SIDE, SIDE, images, caseIndex * PIXELS, SIDE, 0, 0, SIDE, SIDE, lut);
}

export function respond(): AppResult {
  const scores = output;
  const label = argmax(scores, CLASSES);
  const q = scores[label];
  result.label = label;
  result.score = q;
  result.value = fround((q - outZeroPoint) * outScale);
  return result;
}

export function check(caseIndex: number, r: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, r);
}
