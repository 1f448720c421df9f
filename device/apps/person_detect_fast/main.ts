// person_detect with the native helpers – the same app as apps/person_detect with the
// element work in C: POPULATE is one image() call (the whole 96×96 frame as the crop, no
// resize, normalized by the pixel − 128 table; a camera frame would be cropped and
// resized by the same call), RESPOND a prepared result (arg-max into the result object,
// made once in setup: a host function the bench loop calls directly).
import { asset } from 'assets';
import { image, prepareResult } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, type CaseCheck, notSetUp, openModel, unchecked } from '../../lib/app.ts';

const SIDE = 96;
const PIXELS = SIDE * SIDE;
const CLASSES = 2;
export const cases = 2;
/** The app's own model (a run may name another: setup's `name`). */
export const model = 'models/person_detect.tflite';

// Set in setup() and read by POPULATE as module bindings (a property read per use would add
// to the measured instructions).
let images: Uint8Array, input: Int8Array;
const lut = new Int8Array(256);
const result: AppResult = { label: 0, score: 0, value: 0 };

/** Prepared in setup(): arg-max over the two classes into the result object. */
export let respond: () => AppResult = notSetUp('person_detect_fast');
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  images = asset('person_detect/images.u8');
  const m = openModel('person_detect_fast', name, kernels, PIXELS, CLASSES, 'person_detect');
  input = m.input;
  for (let p = 0; p < 256; p++) lut[p] = p - 128;
  respond = prepareResult(result, m.output, CLASSES, m.outScale, m.outZeroPoint);
  check = m.check;
  return m.interp;
}

export function populate(caseIndex: number): void {
  image(input, 0, SIDE, SIDE, images, caseIndex * PIXELS, SIDE, 0, 0, SIDE, SIDE, lut);
}
