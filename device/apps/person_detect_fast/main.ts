// person_detect with the native helpers – the same app as apps/person_detect with the
// element work in C: POPULATE is one image() call (the whole 96×96 frame as the crop, no
// resize, normalized by the pixel − 128 table; a camera frame would be cropped and
// resized by the same call), RESPOND a prepared result (arg-max into the result object,
// made once in setup: a host function the bench loop calls directly).
import { asset } from 'assets';
import { image, prepareResult } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, openModel } from '../../lib/app.ts';
import type { Golden } from '../../lib/golden.ts';

const SIDE = 96;
const PIXELS = SIDE * SIDE;
const CLASSES = 2;
export const cases = 2;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/person_detect.tflite';

let images: Uint8Array = new Uint8Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let golden: Golden | null = null;
const lut = new Int8Array(256);
const result: AppResult = { label: 0, score: 0, value: 0 };

function notSetUp(): never {
  throw new Error('person_detect_fast: setup() first');
}

/** Prepared in setup(): arg-max over the two classes into the result object. */
export let respond: () => AppResult = notSetUp;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  images = asset('person_detect/images.u8');
  const m = openModel('person_detect_fast', name, kernels, PIXELS, CLASSES, 'person_detect');
  input = m.input;
  output = m.output;
  golden = m.golden;
  for (let p = 0; p < 256; p++) lut[p] = p - 128;
  respond = prepareResult(result, output, CLASSES, m.outScale, m.outZeroPoint);
  return m.interp;
}

export function populate(caseIndex: number): void {
  image(input, 0, SIDE, SIDE, images, caseIndex * PIXELS, SIDE, 0, 0, SIDE, SIDE, lut);
}

export function check(caseIndex: number, r: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, r);
}
