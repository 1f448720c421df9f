// micro_speech (clip mode) with the native helpers – the same app as apps/micro_speech
// (TS calling the native front end; same models, data, check, answer) with each frame's
// two copies done by copy() instead of set(subarray()): no view object per frame.
// RESPOND is one argmax().
import { int16 } from 'assets';
import { argmax, copy } from 'helpers';
import { Interpreter, type Kernels } from 'tflm';
import { modelIo, type AppResult } from '../../lib/app.ts';
import { Golden } from '../../lib/golden.ts';

// Math.fround once: a global lookup of Math and its property on every RESPOND otherwise.
const { fround } = Math;

const CLIP_SAMPLES = 16000;
const FRAMES = 49;
const FRAME_SAMPLES = 480;
const FRAME_STRIDE = 320;
const FEATURES = 40;
const CLASSES = 4;
const FRONTEND_MODEL = 'models/audio_preprocessor_int8.tflite';
export const cases = 4;
/** The app's own model (a run may name another: setup's `name`; the front end stays). */
export const model = 'models/micro_speech_quantized.tflite';

let clips: Int16Array = new Int16Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let outScale = 0;
let outZeroPoint = 0;
let frontendOptions: { kernels: Kernels; arena: 'aux' } = { kernels: 'reference', arena: 'aux' };
let golden: Golden | null = null;
const result: AppResult = { label: 0, score: 0, value: 0 };

export function setup(kernels: Kernels, name: string = model): Interpreter {
  clips = int16('micro_speech/clips.i16');
  const interp = new Interpreter(name, { kernels });
  const { input: i, output: o } = modelIo('micro_speech_fast', name, interp, FRAMES * FEATURES, CLASSES);
  input = i.data;
  output = o.data;
  outScale = o.scale;
  outZeroPoint = o.zeroPoint;
  frontendOptions = { kernels, arena: 'aux' };
  golden = new Golden('micro_speech', output);
  return interp;
}

export function populate(caseIndex: number): void {
  // A new interpreter resets the front end's state (noise estimate, PCAN), as in C.
  const frontend = new Interpreter(FRONTEND_MODEL, frontendOptions);
  const samples = frontend.input(0).data as Int16Array;
  const features = frontend.output(0).data as Int8Array;
  const all = clips;
  const dst = input;
  let start = caseIndex * CLIP_SAMPLES;
  for (let k = 0; k < FRAMES; k++) {
    copy(samples, 0, all, start, FRAME_SAMPLES);
    frontend.invoke();
    copy(dst, k * FEATURES, features, 0, FEATURES);
    start += FRAME_STRIDE;
  }
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
