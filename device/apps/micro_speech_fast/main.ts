// micro_speech (clip mode) with the native helpers – the same app as apps/micro_speech
// (TS calling the native front end; same models, data, check, answer) with each frame's
// two copies done by prepared copies instead of set(subarray()): no view object and one
// or two arguments per frame. RESPOND is a prepared result (arg-max, dequantized score)
// made once in setup.
import { int16 } from 'assets';
import { prepareCopy, prepareResult } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, type CaseCheck, notSetUp, openModel, unchecked } from '../../lib/app.ts';
import {
  CASES,
  CLASSES,
  CLIP_SAMPLES,
  FEATURES,
  FRAMES,
  FRAME_SAMPLES,
  FRAME_STRIDE,
  FRONTEND_MODEL,
  MODEL,
} from '../micro_speech/clip.ts';

export const cases = CASES;
/** The app's own model (a run may name another: setup's `name`; the front end stays). */
export const model = MODEL;

// Set in setup() and read by POPULATE as module bindings (a property read per use would add
// to the measured instructions).
let clips: Int16Array, input: Int8Array;
let frontendOptions: { kernels: Kernels; arena: 'aux' } = { kernels: 'reference', arena: 'aux' };
const result: AppResult = { label: 0, score: 0, value: 0 };

/** Prepared in setup(): arg-max over the four classes into the result object. */
export let respond: () => AppResult = notSetUp('micro_speech_fast');
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  clips = int16('micro_speech/clips.i16');
  const m = openModel('micro_speech_fast', name, kernels, FRAMES * FEATURES, CLASSES, 'micro_speech');
  input = m.input;
  frontendOptions = { kernels, arena: 'aux' };
  respond = prepareResult(result, m.output, CLASSES, m.outScale, m.outZeroPoint);
  check = m.check;
  return m.interp;
}

export function populate(caseIndex: number): void {
  // A new interpreter resets the front end's state (noise estimate, PCAN), as in C; its
  // views are new too, so the two copies and the invoke are prepared per clip (3 calls)
  // and each of the 49 frames is three host calls with at most two arguments.
  const frontend = new Interpreter(FRONTEND_MODEL, frontendOptions);
  const samplesIn = prepareCopy(frontend.input(0).data as Int16Array, clips, FRAME_SAMPLES);
  const featuresOut = prepareCopy(input, frontend.output(0).data as Int8Array, FEATURES);
  const run = frontend.invoker();
  let start = caseIndex * CLIP_SAMPLES;
  let at = 0;
  for (let k = 0; k < FRAMES; k++) {
    samplesIn(0, start);
    run();
    featuresOut(at, 0);
    start += FRAME_STRIDE;
    at += FEATURES;
  }
}
