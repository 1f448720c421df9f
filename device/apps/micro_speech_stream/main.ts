// micro_speech_stream (TS calling the native front end) – the TypeScript twin of
// native/baseline/micro_speech_stream.c: the four clips as one stream, one step (bench
// iteration) per 20 ms of new audio. POPULATE runs frame k = samples [320k, 320k + 480)
// through ONE audio_preprocessor interpreter in arena 'aux' kept across the stream (its
// state carries; step 0 creates a new one, the engine's only reset), shifts the 49×40
// window by one frame (copyWithin where C uses memmove) and copies it into the model
// input; RESPOND feeds RecognizeCommands the scores int8 + 128 at 20k + 30 ms.
// Result: label = current command, score = 1 when this step detected a new one, value =
// its average score. The check compares every step with the C app's reference.
import { int16 } from 'assets';
import { Interpreter, type Kernels } from 'tflm';
import { type AppResult, openModel } from '../../lib/app.ts';
import { RecognizeCommands } from '../../lib/recognize-commands.ts';
import {
  CLASSES,
  EMPTY,
  FEATURES,
  FRAME_SAMPLES,
  FRAME_STRIDE,
  NEWEST,
  RECOGNIZE,
  STEPS,
  StreamCheck,
  WINDOW,
} from './stream.ts';

const FRONTEND_MODEL = 'models/audio_preprocessor_int8.tflite';
export const cases = STEPS;
/** The app's own model (a run may name another: setup's `name`; the front end stays). */
export const model = 'models/micro_speech_quantized.tflite';

let clips: Int16Array = new Int16Array(0);
let input: Int8Array = new Int8Array(0);
let output: Int8Array = new Int8Array(0);
let frontendOptions: { kernels: Kernels; arena: 'aux' } = { kernels: 'reference', arena: 'aux' };
let frontend: Interpreter | null = null;
let samples: Int16Array = new Int16Array(0);
let features: Int8Array = new Int8Array(0);
// The model's input may share arena memory with activations: the window lives here.
const window = new Int8Array(WINDOW);
const recognizer = new RecognizeCommands(RECOGNIZE);
const scores: number[] = [0, 0, 0, 0];
let step = -1;
let reference: StreamCheck | null = null;

export function setup(kernels: Kernels, name: string = model): Interpreter {
  reference = new StreamCheck(kernels); // first: it borrows both arenas
  clips = int16('micro_speech/clips.i16');
  const m = openModel('micro_speech_stream', name, kernels, WINDOW, CLASSES);
  input = m.input;
  output = m.output;
  frontendOptions = { kernels, arena: 'aux' };
  frontend = null;
  step = -1;
  return m.interp;
}

/** Step 0's state: a new front-end interpreter, an empty window, an empty recognizer. */
function restart(): Interpreter {
  const fe = new Interpreter(FRONTEND_MODEL, frontendOptions);
  samples = fe.input(0).data as Int16Array;
  features = fe.output(0).data as Int8Array;
  frontend = fe;
  window.fill(EMPTY);
  recognizer.reset();
  step = -1;
  return fe;
}

export function populate(k: number): void {
  let fe = frontend;
  if (k === 0) fe = restart();
  else if (fe === null || k !== step + 1) throw new RangeError('micro_speech_stream: steps must follow each other');
  const start = k * FRAME_STRIDE;
  samples.set(clips.subarray(start, start + FRAME_SAMPLES));
  fe.invoke();
  const w = window;
  w.copyWithin(0, FEATURES);
  w.set(features, NEWEST);
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
