// micro_speech with the pure-TypeScript front end: the same app as apps/micro_speech (and
// native/baseline/micro_speech.c), except that POPULATE computes the 49×40 features in
// TypeScript (device/lib/frontend, bit-exact with the signal-library graph) instead of
// invoking the audio_preprocessor model natively. A fresh front-end state per clip is
// reset(), where the native variants create a new interpreter (their only reset).
import { asset, int16 } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { AudioFrontend } from '../../lib/frontend/frontend.ts';
import { type AppResult, type CaseCheck, openModel, unchecked } from '../../lib/app.ts';
import { argmaxI8, dequantizeI8 } from '../../lib/quantize.ts';
import {
  CASES,
  CLASSES,
  CLIP_SAMPLES,
  FEATURES,
  FRAMES,
  FRAME_STRIDE,
  FRONTEND_MODEL,
  MODEL,
} from '../micro_speech/clip.ts';

export const cases = CASES;
/** The app's own model (a run may name another: setup's `name`; the front end stays). */
export const model = MODEL;

// Set in setup() and read by the timed phases as module bindings (a property read per use
// would add to the measured instructions).
let clips: Int16Array, input: Int8Array, output: Int8Array, outScale: number, outZeroPoint: number;
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;
let frontend: AudioFrontend | null = null;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  clips = int16('micro_speech/clips.i16');
  // Parameters and tables are read from the preprocessor model's bytes, once (untimed).
  frontend ??= new AudioFrontend(asset(FRONTEND_MODEL));
  const m = openModel('micro_speech_ts', name, kernels, FRAMES * FEATURES, CLASSES, 'micro_speech');
  ({ input, output, outScale, outZeroPoint, check } = m);
  return m.interp;
}

export function populate(caseIndex: number): void {
  const fe = frontend!;
  fe.reset();
  const all = clips;
  const dst = input;
  const base = caseIndex * CLIP_SAMPLES;
  for (let k = 0; k < FRAMES; k++) fe.frame(all, base + k * FRAME_STRIDE, dst, k * FEATURES);
}

export function respond(): AppResult {
  const scores = output;
  const label = argmaxI8(scores, CLASSES);
  return { label, score: scores[label], value: dequantizeI8(scores[label], outScale, outZeroPoint) };
}
