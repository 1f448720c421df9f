// micro_speech_stream with the pure-TypeScript front end: the same app as
// apps/micro_speech_stream (and native/baseline/micro_speech_stream.c), except that
// POPULATE computes frame k in TypeScript (device/lib/frontend, bit-exact with the
// signal-library graph) straight into the window's newest row. One AudioFrontend is kept
// across the stream (its state carries); step 0 reset()s it where the native variants
// create a new interpreter.
import { asset, int16 } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { AudioFrontend } from '../../lib/frontend/frontend.ts';
import { type AppResult, openModel } from '../../lib/app.ts';
import { RecognizeCommands } from '../../lib/recognize-commands.ts';
import {
  CLASSES,
  EMPTY,
  FEATURES,
  FRAME_STRIDE,
  NEWEST,
  RECOGNIZE,
  STEPS,
  StreamCheck,
  WINDOW,
} from '../micro_speech_stream/stream.ts';

export const cases = STEPS;
/** The app's own model (a run may name another: setup's `name`; the front end stays). */
export const model = 'models/micro_speech_quantized.tflite';

let clips: Int16Array = new Int16Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let frontend: AudioFrontend | null = null;
const window = new Int8Array(WINDOW);
const recognizer = new RecognizeCommands(RECOGNIZE);
const scores: number[] = [0, 0, 0, 0];
let step = -1;
let reference: StreamCheck | null = null;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  reference = new StreamCheck(kernels); // first: it borrows both arenas
  clips = int16('micro_speech/clips.i16');
  // Parameters and tables are read from the preprocessor model's bytes, once (untimed).
  frontend ??= new AudioFrontend(asset('models/audio_preprocessor_int8.tflite'));
  const m = openModel('micro_speech_stream_ts', name, kernels, WINDOW, CLASSES);
  input = m.input;
  output = m.output;
  step = -1;
  return m.interp;
}

export function populate(k: number): void {
  const fe = frontend!;
  if (k === 0) {
    fe.reset();
    window.fill(EMPTY);
    recognizer.reset();
  } else if (k !== step + 1) {
    throw new RangeError('micro_speech_stream_ts: steps must follow each other');
  }
  const w = window;
  w.copyWithin(0, FEATURES);
  fe.frame(clips, k * FRAME_STRIDE, w, NEWEST);
  input.set(w);
  step = k;
}

export function respond(): AppResult {
  const o = output;
  const s = scores;
  for (let i = 0; i < CLASSES; i++) s[i] = o[i] + 128;
  const r = recognizer.result;
  if (!recognizer.process(s, 0, step * 20 + 30)) return { label: -1, score: 0, value: 0 };
  return { label: r.label, score: r.isNew ? 1 : 0, value: r.score };
}

export function check(k: number, result: AppResult): boolean {
  return reference !== null && k === step && reference.check(k, window, output, result, recognizer.result.score);
}
