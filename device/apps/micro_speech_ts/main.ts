// micro_speech with the pure-TypeScript front end: the same app as apps/micro_speech (and
// native/baseline/micro_speech.c), except that POPULATE computes the 49×40 features in
// TypeScript (device/lib/frontend, bit-exact with the signal-library graph) instead of
// invoking the audio_preprocessor model natively. A fresh front-end state per clip is
// reset(), where the native variants create a new interpreter (their only reset).
import { asset, int16 } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { AudioFrontend } from '../../lib/frontend/frontend.ts';
import { type AppResult, openModel } from '../../lib/app.ts';
import type { Golden } from '../../lib/golden.ts';
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

let clips: Int16Array = new Int16Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let outScale = 0;
let outZeroPoint = 0;
let golden: Golden | null = null;
let frontend: AudioFrontend | null = null;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  clips = int16('micro_speech/clips.i16');
  // Parameters and tables are read from the preprocessor model's bytes, once (untimed).
  frontend ??= new AudioFrontend(asset(FRONTEND_MODEL));
  const m = openModel('micro_speech_ts', name, kernels, FRAMES * FEATURES, CLASSES, 'micro_speech');
  input = m.input;
  output = m.output;
  outScale = m.outScale;
  outZeroPoint = m.outZeroPoint;
  golden = m.golden;
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

export function check(caseIndex: number, result: AppResult): boolean {
  return golden !== null && golden.check(caseIndex, result);
}
