// What both micro_speech_stream variants share (apps/micro_speech_stream: TS calling the
// native front end; apps/micro_speech_stream_ts: the pure-TS front end): the stream's
// constants, RecognizeCommands' settings (manifest.json `config.recognizeCommands`) and
// the untimed per-step check against the C app's reference, exactly as
// native/baseline/micro_speech_stream.c checks itself.
import { int8 } from 'assets';
import { streamReference } from 'bench';
import config from 'mc/config';
import type { Kernels } from 'tflm';
import type { AppResult } from '../../lib/app.ts';

/** Frames of the 4 s stream (the four clips back to back): 320k + 480 ≤ 64,000. */
export const STEPS = 199;
export const FRAMES = 49;
export const FRAME_SAMPLES = 480;
export const FRAME_STRIDE = 320;
export const FEATURES = 40;
export const CLASSES = 4;
export const WINDOW = FRAMES * FEATURES;
/** Offset of the newest frame in the window. */
export const NEWEST = WINDOW - FEATURES;
/** What the window holds before any frame: the int8 floor (silence's features). */
export const EMPTY = -128;

interface RecognizeSettings {
  averageWindowMs: number;
  detectionThreshold: number;
  suppressionMs: number;
  minimumCount: number;
}

/** Defaults (TFLM's earlier micro_speech example), as native/baseline/micro_speech_stream.c
 * has them; the C app reads the same manifest values (MC_CONFIG_* in mc.defines.h), so its
 * per-step decisions are the reference under any config. */
const DEFAULTS: RecognizeSettings = {
  averageWindowMs: 1000,
  detectionThreshold: 200,
  suppressionMs: 1500,
  minimumCount: 3,
};
/** Largest value each setting may take (minimumCount: the recognizer's queue holds 50). */
const LIMITS: RecognizeSettings = {
  averageWindowMs: 0x7fffffff,
  detectionThreshold: 255,
  suppressionMs: 0x7fffffff,
  minimumCount: 50,
};

/** manifest.json `config.recognizeCommands` over the C app's settings, every value checked:
 * a wrong one stops the app's import with a RangeError naming it. */
function recognizeSettings(raw: unknown): RecognizeSettings {
  const out: RecognizeSettings = { ...DEFAULTS };
  if (raw === undefined) return out;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RangeError('mc/config recognizeCommands must be an object');
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(LIMITS, key))
      throw new RangeError(`mc/config recognizeCommands.${key}: unknown setting (${Object.keys(LIMITS).join(', ')})`);
    const k = key as keyof RecognizeSettings;
    const min = k === 'minimumCount' ? 1 : 0;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > LIMITS[k]) {
      throw new RangeError(
        `mc/config recognizeCommands.${key} must be an integer ${min}..${LIMITS[k]}, not ${JSON.stringify(value)}`,
      );
    }
    out[k] = value as number;
  }
  return out;
}

const SETTINGS = recognizeSettings(config.recognizeCommands);
/** RecognizeCommands' settings: the manifest's, else the defaults. */
export const RECOGNIZE = { ...SETTINGS, categories: CLASSES };

// Record layout (baseline/micro_speech_stream.h): CRC-32 of the features, then bytes.
const RECORD = 12;
const REC_SCORES = 4;
const REC_LABEL = 8;
const REC_NEW = 9;
const REC_AVERAGE = 10;
/** The first step whose window is a whole clip from a fresh state (yes_1000ms). */
const GOLDEN_STEP = FRAMES - 1;

/** CRC-32 (IEEE, reflected) of n int8 values as bytes: ms_stream_crc32's twin. */
export function crc32(values: Int8Array, offset: number, n: number): number {
  let crc = 0xffffffff;
  for (let i = 0; i < n; i++) {
    crc ^= values[offset + i] & 0xff;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export class StreamCheck {
  readonly #bytes: Uint8Array;
  readonly #signed: Int8Array;
  readonly #goldenFeatures: Int8Array;
  readonly #goldenScores: Int8Array;

  /** Builds (or reuses) the C reference: borrows the tflm arenas, so call it before the
   * run's interpreters are created. */
  constructor(kernels: Kernels) {
    const bytes = streamReference(kernels);
    this.#bytes = bytes;
    this.#signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#goldenFeatures = int8('micro_speech/features.i8');
    this.#goldenScores = int8('micro_speech/expected.i8');
  }

  /** Step k's features (the window's newest row, by CRC-32), scores and decision equal
   * the C reference; for steps 0..48 the features, and at step
   * 48 the scores, equal the golden yes_1000ms data too. average: the decision's average
   * score. */
  check(k: number, window: Int8Array, output: Int8Array, result: AppResult, average: number): boolean {
    if (!(k >= 0 && k < STEPS)) return false;
    const ref = this.#signed;
    const bytes = this.#bytes;
    const base = k * RECORD;
    const crc = (bytes[base] | (bytes[base + 1] << 8) | (bytes[base + 2] << 16) | (bytes[base + 3] << 24)) >>> 0;
    if (crc32(window, NEWEST, FEATURES) !== crc) return false;
    for (let i = 0; i < CLASSES; i++) if (output[i] !== ref[base + REC_SCORES + i]) return false;
    if (
      result.label !== bytes[base + REC_LABEL] ||
      result.score !== bytes[base + REC_NEW] ||
      average !== bytes[base + REC_AVERAGE]
    )
      return false;
    if (k <= GOLDEN_STEP) {
      const golden = this.#goldenFeatures;
      for (let i = 0; i < FEATURES; i++) if (window[NEWEST + i] !== golden[k * FEATURES + i]) return false;
    }
    if (k === GOLDEN_STEP) {
      const golden = this.#goldenScores;
      for (let i = 0; i < CLASSES; i++) if (output[i] !== golden[i]) return false;
    }
    return true;
  }
}
