// micro_speech (clip mode, TS calling the native front end) – the TypeScript twin of
// native/baseline/micro_speech.c: each POPULATE takes one 1 s clip from a fresh front-end
// state (a new audio_preprocessor interpreter in arena 'aux', as the C app creates one per
// clip), feeds its 49 frames (frame k = samples[320k, 320k + 480)) and copies each
// frame's 40 features into the model input; RESPOND is arg-max + score over
// silence/unknown/yes/no. Where C uses memcpy, JS uses TypedArray set() (with subarray()
// for the source window: a view object per frame, no copy).
import { int16 } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, type CaseCheck, openModel, unchecked } from '../../lib/app.ts';
import { argmaxI8, dequantizeI8 } from '../../lib/quantize.ts';
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
} from './clip.ts';

export const cases = CASES;
/** The app's own model (a run may name another: setup's `name`; the front end stays). */
export const model = MODEL;

// Set in setup() and read by the timed phases as module bindings (a property read per use
// would add to the measured instructions).
let clips: Int16Array, input: Int8Array, output: Int8Array, outScale: number, outZeroPoint: number;
/** Untimed: the case's output bytes and label against the golden data (set in setup()). */
export let check: CaseCheck = unchecked;
let frontendOptions: { kernels: Kernels; arena: 'aux' } = { kernels: 'reference', arena: 'aux' };

export function setup(kernels: Kernels, name: string = model): Interpreter {
  clips = int16('micro_speech/clips.i16');
  const m = openModel('micro_speech', name, kernels, FRAMES * FEATURES, CLASSES, 'micro_speech');
  ({ input, output, outScale, outZeroPoint, check } = m);
  frontendOptions = { kernels, arena: 'aux' };
  return m.interp;
}

export function populate(caseIndex: number): void {
  // A new interpreter is the engine's way to reset the front end's state (noise
  // estimate, PCAN); it replaces (and detaches) the previous clip's one in arena 'aux'.
  const frontend = new Interpreter(FRONTEND_MODEL, frontendOptions);
  const samples = frontend.input(0).data as Int16Array;
  const features = frontend.output(0).data as Int8Array;
  const all = clips;
  const dst = input;
  const base = caseIndex * CLIP_SAMPLES;
  for (let k = 0; k < FRAMES; k++) {
    const start = base + k * FRAME_STRIDE;
    samples.set(all.subarray(start, start + FRAME_SAMPLES));
    frontend.invoke();
    dst.set(features, k * FEATURES);
  }
}

export function respond(): AppResult {
  const scores = output;
  const label = argmaxI8(scores, CLASSES);
  return { label, score: scores[label], value: dequantizeI8(scores[label], outScale, outZeroPoint) };
}
