// device-check.ts – run by firmware/programs/xs-frontend under XS on the device: the
// pure-TS front end over the 4 embedded clips × 49 frames against the golden features
// (per-frame and per-clip ticks, per-stage profile), and RecognizeCommands over the
// synthetic score stream shared with the C twin. The program prints result() and
// compares rcDigest() with the C twin's digest. No check or I/O inside a timed span.
import { asset, int16, int8 } from 'assets';
import { ticks32, unit, num, den } from 'time';
import { xsHeap } from 'board';
import { gc } from 'bench';
import { AudioFrontend } from './frontend.ts';
import { RecognizeCommands, ScoreStream } from '../recognize-commands.ts';

const CLIPS = 4;
const CLIP_SAMPLES = 16000;
const FRAMES = 49;
const STRIDE = 320;
const STAGES = ['windowScale', 'cfft', 'split', 'energy', 'filterBankSqrt', 'channelsTail'];
/** Steps of the synthetic RecognizeCommands stream (20 ms each) and where time jumps back. */
export const RC_STEPS = 700;
export const RC_SEED = 12345;

let figures: Record<string, unknown> = {};
let digest = '';

function summary(values: number[]): { min: number; max: number; sum: number; avg: number } {
  let min = values[0];
  let max = values[0];
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, sum, avg: sum / values.length };
}

function compare(out: Int8Array, outOffset: number, golden: Int8Array, goldenOffset: number, n: number): number {
  for (let i = 0; i < n; i++) if (out[outOffset + i] !== golden[goldenOffset + i]) return i;
  return -1;
}

export function run(): void {
  const model = asset('models/audio_preprocessor_int8.tflite');
  const clips = int16('micro_speech/clips.i16');
  const golden = int8('micro_speech/features.i8');

  gc();
  const before = xsHeap();
  let t0 = ticks32();
  const fe = new AudioFrontend(model);
  const setupTicks = (ticks32() - t0) >>> 0;
  gc();
  const after = xsHeap();
  // What the front end keeps (its tables and buffers), after the parse garbage is gone.
  const retained = {
    slots: after.slotsUsed - before.slotsUsed,
    chunkBytes: after.chunksUsed - before.chunksUsed,
    slotBytes: after.slotBytes,
  };
  const features = fe.features;

  // Pass 1: every frame timed alone, checked after its span.
  const out = new Int8Array(features);
  const frameTicks: number[] = [];
  let pass = 0;
  let fail = 0;
  let firstMismatch: string | null = null;
  for (let c = 0; c < CLIPS; c++) {
    fe.reset();
    for (let k = 0; k < FRAMES; k++) {
      t0 = ticks32();
      fe.frame(clips, c * CLIP_SAMPLES + k * STRIDE, out, 0);
      const t1 = ticks32();
      frameTicks.push((t1 - t0) >>> 0);
      const bad = compare(out, 0, golden, (c * FRAMES + k) * features, features);
      if (bad < 0) pass++;
      else {
        fail++;
        firstMismatch ??= `clip ${c} frame ${k} index ${bad}: got ${out[bad]}, want ${golden[(c * FRAMES + k) * features + bad]}`;
      }
    }
  }

  // Pass 2: clip mode (reset + 49 frames into the 1960-feature vector), one span per clip.
  const vector = new Int8Array(FRAMES * features);
  const clipTicks: number[] = [];
  let clipPass = 0;
  for (let c = 0; c < CLIPS; c++) {
    t0 = ticks32();
    fe.reset();
    for (let k = 0; k < FRAMES; k++) fe.frame(clips, c * CLIP_SAMPLES + k * STRIDE, vector, k * features);
    clipTicks.push((ticks32() - t0) >>> 0);
    if (compare(vector, 0, golden, c * FRAMES * features, FRAMES * features) < 0) clipPass++;
  }

  // Pass 3: where the time goes (clip 0, stage spans summed over its 49 frames).
  const spans = [0, 0, 0, 0, 0, 0];
  fe.reset();
  for (let k = 0; k < FRAMES; k++) fe.frameProfiled(clips, k * STRIDE, out, 0, ticks32, spans);
  const stages: Record<string, number> = {};
  STAGES.forEach((name, i) => (stages[name] = spans[i]));

  // XS element-access costs that explain the profile (480 reads each).
  const local = new Int16Array(480);
  const plain: number[] = [];
  for (let i = 0; i < 480; i++) plain.push(i);
  let acc = 0;
  t0 = ticks32();
  for (let i = 0; i < 480; i++) acc += local[i];
  const typedReadTicks = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < 480; i++) acc += plain[i];
  const arrayReadTicks = (ticks32() - t0) >>> 0;
  t0 = ticks32();
  for (let i = 0; i < 480; i++) acc += i;
  const loopTicks = (ticks32() - t0) >>> 0;

  // RecognizeCommands over the synthetic stream; every 97th step goes back in time.
  const rc = new RecognizeCommands();
  const stream = new ScoreStream(RC_SEED);
  const scores = [0, 0, 0, 0];
  const parts: string[] = [];
  let rcTicks = 0;
  let detections = 0;
  for (let t = 0; t < RC_STEPS; t++) {
    stream.fill(t, scores, 0);
    const time = t % 97 === 96 ? t * 20 - 1500 : t * 20;
    t0 = ticks32();
    const ok = rc.process(scores, 0, time);
    rcTicks += (ticks32() - t0) >>> 0;
    if (!ok) parts.push(`E${t}`);
    else if (rc.result.isNew) {
      detections++;
      parts.push(`${t}:${rc.result.label}:${rc.result.score}`);
    }
  }
  parts.push(`D${rc.dropped}`, `L${rc.result.label}:${rc.result.score}`);
  digest = parts.join(',');

  figures = {
    unit,
    num,
    den,
    frames: CLIPS * FRAMES,
    pass,
    fail,
    firstMismatch,
    clipPass,
    setupTicks,
    frameTicks: summary(frameTicks),
    clipTicks,
    stageTicksClip0: stages,
    access480: { typedReadTicks, arrayReadTicks, loopTicks, acc },
    rc: { steps: RC_STEPS, detections, ticksPerCall: rcTicks / RC_STEPS },
    retained,
    heap: xsHeap(),
  };
}

export function result(): string {
  return JSON.stringify(figures);
}

/** The decisions of the TS RecognizeCommands on the synthetic stream (compared with C). */
export function rcDigest(): string {
  return digest;
}
