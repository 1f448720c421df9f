// Golden files → case packs for the device `verify` program. A pack is a directory of
// case-<i>.bin files (format in native/engine/README.md): each case runs on a fresh
// interpreter as a sequence of steps (one invoke each); the device prints every step's
// outputs and the host compares them with the golden values.
import fs from 'node:fs';
import path from 'node:path';
import { XsinferError } from '../errors.ts';
import { readModel, typeSize } from './tflite.ts';

export const CASE_MAGIC = 0x53435358; // "XSCS"
export const CASE_FLAG_PER_OP = 1;

export interface PackCase {
  name: string;
  steps: Buffer[][]; // steps × model inputs (raw bytes)
  expected: number[]; // golden output 0, all steps concatenated
}

export interface PerOpExpect {
  opIndex: number;
  op: string;
  dtypes: string[];
  outputs: number[][];
}

export interface GoldenModel {
  name: string; // file stem
  goldenPath: string;
  modelPath: string;
  outputDtype: string;
  cases: PackCase[];
  perOp: PerOpExpect[];
}

type Json = Record<string, unknown>;

/** A golden dtype's elements; the 64-bit ones hold BigInts. */
interface Elements extends ArrayLike<number | bigint> {
  readonly buffer: ArrayBufferLike;
  [index: number]: number | bigint;
}
interface ElementsOf {
  new (length: number): Elements;
  new (buffer: ArrayBufferLike, offset: number, length: number): Elements;
  readonly BYTES_PER_ELEMENT: number;
}
const ARRAY_OF: Readonly<Record<string, ElementsOf>> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

function arrayOf(dtype: string, what: 'encode' | 'decode'): ElementsOf {
  const array = Object.hasOwn(ARRAY_OF, dtype) ? ARRAY_OF[dtype] : undefined;
  if (!array) throw new XsinferError('BAD_ARGUMENT', `cannot ${what} dtype ${dtype}`);
  return array;
}

export function encodeValues(dtype: string, values: number[]): Buffer {
  const array = arrayOf(dtype, 'encode');
  const big = array === BigInt64Array || array === BigUint64Array;
  const a = new array(values.length);
  values.forEach((v, i) => (a[i] = big ? BigInt(v) : v));
  return Buffer.from(a.buffer);
}

export function decodeValues(dtype: string, bytes: Buffer): number[] {
  const array = arrayOf(dtype, 'decode');
  const copy = Uint8Array.from(bytes).buffer; // aligned copy for the typed views
  const view = new array(copy, 0, Math.floor(bytes.length / array.BYTES_PER_ELEMENT));
  return Array.from(view, (v) => Number(v));
}

/** int16 PCM samples of a 44-byte-header RIFF wav. */
function readWav(file: string): Int16Array {
  const b = fs.readFileSync(file);
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'RIFF')
    throw new XsinferError('BAD_ARGUMENT', `${file}: not a wav`);
  const pcm = Uint8Array.from(b.subarray(44));
  return new Int16Array(pcm.buffer, 0, pcm.length >> 1);
}

function flat(v: unknown): number[] {
  return Array.isArray(v) ? (v as unknown[]).flat(Infinity as 1).map(Number) : [];
}

/** Reads one golden file and turns it into cases (cases + extra_cases). */
export function loadGolden(dataDir: string, goldenPath: string): GoldenModel {
  const g = JSON.parse(fs.readFileSync(goldenPath, 'utf8')) as Json;
  const modelFile = String(g.model);
  const modelsDir = path.join(path.dirname(path.dirname(goldenPath)), 'models');
  const modelPath = path.join(modelsDir, modelFile);
  if (!fs.existsSync(modelPath)) throw new XsinferError('BAD_ARGUMENT', `${goldenPath}: model ${modelPath} missing`);
  const model = readModel(fs.readFileSync(modelPath));
  const inputTypes = model.inputs.map((i) => model.tensors[i]!.type);
  const outputDtype = String((g.output as Json | undefined)?.dtype ?? model.tensors[model.outputs[0]!]!.type);
  const all = [...((g.cases as Json[]) ?? []), ...((g.extra_cases as Json[]) ?? [])];
  const cases: PackCase[] = all.map((c) => {
    const name = String(c.name);
    if (c.frame_outputs !== undefined) {
      // Audio front end: frames fed in order from a fresh state; frames beyond the
      // listed first frames come from the wav (frame k = samples[320k, 320k+480)).
      const frames = Number(c.num_frames);
      const first = c.first_frames_input as number[][];
      // The float golden names the clip only by case name; the int8 one has `wav`.
      const wavPath = path.join(dataDir, c.wav ? String(c.wav) : path.join('data', 'micro_speech', `${name}.wav`));
      const wav = frames > first.length ? readWav(wavPath) : null;
      const steps: Buffer[][] = [];
      for (let k = 0; k < frames; k++) {
        let samples: number[];
        if (k < first.length) samples = first[k]!;
        else {
          if (!wav) throw new XsinferError('BAD_ARGUMENT', `${name}: frame ${k} needs the wav`);
          samples = Array.from(wav.subarray(320 * k, 320 * k + 480));
          if (samples.length !== 480) throw new XsinferError('BAD_ARGUMENT', `${name}: wav too short for frame ${k}`);
        }
        steps.push([encodeValues(inputTypes[0]!, samples)]);
      }
      return { name, steps, expected: flat(c.frame_outputs) };
    }
    const inputs = c.inputs !== undefined ? (c.inputs as unknown[]) : [c.input];
    if (inputs.length !== inputTypes.length) {
      throw new XsinferError(
        'BAD_ARGUMENT',
        `${goldenPath} case ${name}: ${inputs.length} inputs, model has ${inputTypes.length}`,
      );
    }
    return { name, steps: [inputs.map((v, i) => encodeValues(inputTypes[i]!, flat(v)))], expected: flat(c.output) };
  });
  const perOp: PerOpExpect[] = ((g.per_op as Json[]) ?? []).map((p) => ({
    opIndex: Number(p.op_index),
    op: String(p.op),
    dtypes: (p.output_dtypes as string[]).map(String),
    outputs: (p.outputs as unknown[]).map(flat),
  }));
  return { name: path.basename(goldenPath, '.json'), goldenPath, modelPath, outputDtype, cases, perOp };
}

/** Writes case-<i>.bin files; case 0 carries the per-op flag when per-op outputs are checked. */
export function writePack(dir: string, cases: PackCase[], perOp: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  cases.forEach((c, i) => {
    const parts: Buffer[] = [];
    const header = Buffer.alloc(16);
    header.writeUInt32LE(CASE_MAGIC, 0);
    header.writeUInt32LE(perOp && i === 0 ? CASE_FLAG_PER_OP : 0, 4);
    header.writeUInt32LE(c.steps.length, 8);
    header.writeUInt32LE(c.steps[0]?.length ?? 0, 12);
    parts.push(header);
    for (const step of c.steps) {
      for (const input of step) {
        const len = Buffer.alloc(4);
        len.writeUInt32LE(input.length, 0);
        parts.push(len, input, Buffer.alloc((4 - (input.length % 4)) % 4));
      }
    }
    fs.writeFileSync(path.join(dir, `case-${i}.bin`), Buffer.concat(parts));
  });
}

export { typeSize };
