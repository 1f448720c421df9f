// The generic app's input set on the host: read from a directory of raw tensors (the
// MLPerf Tiny dataset layout: one .bin per input and a truth CSV `file, classes, class,
// bytes_to_send, stride`), a golden JSON (testdata/golden format: inputs and expected
// outputs) or a seed ("random", "random:SEED", "random:SEED:CASES"), checked against the
// model, and encoded as the blob the device reads (native/baseline/include/baseline/
// input_set.h; uploaded as the asset "upload/inputs").
import fs from 'node:fs';
import path from 'node:path';
import { XsinferError } from '../errors.ts';
import { readModel, typeSize, type ModelInfo, type TensorInfo } from '../engine/tflite.ts';

export const INPUT_SET_ASSET = 'upload/inputs';
export const INPUT_SET_HEADER_BYTES = 40;
const MAGIC = 0x53495358;
export const kinds = ['classification', 'anomaly', 'regression'] as const;
export type ModelKind = (typeof kinds)[number];
const SUPPORTED_TYPES = ['int8', 'uint8', 'float32'];
/** Cases the device ranks at most (C: GENERIC_TOP_K_MAX). */
export const TOP_K_MAX = 16;

export interface InputCase {
  /** File name, golden case name or "seed N case i". */
  name: string;
  /** Raw input tensor bytes (absent for a seeded set: the device generates them). */
  input?: Uint8Array;
  /** Golden output bytes. */
  expected?: Uint8Array;
  /** Truth class from the CSV (classification), or the anomaly label (0 normal, 1 anomalous). */
  truth?: number;
}

export interface InputSet {
  /** Where it came from, for messages and the report. */
  description: string;
  kind: ModelKind;
  source: 'data' | 'seed';
  seed: number;
  topK: number;
  cases: InputCase[];
  inputBytes: number;
  outputBytes: number;
  /** Label names (one per output element), from --labels. */
  labels?: string[];
}

export interface ModelIo {
  model: ModelInfo;
  input: TensorInfo;
  output: TensorInfo;
}

/** Input 0 and output 0 of a .tflite, which the generic app must be able to use. */
export function modelIo(modelFile: string, bytes?: Uint8Array): ModelIo {
  const model = readModel(bytes ?? new Uint8Array(fs.readFileSync(modelFile)));
  const input = model.tensors[model.inputs[0] ?? -1];
  const output = model.tensors[model.outputs[0] ?? -1];
  if (!input || !output)
    throw new XsinferError('BAD_ARGUMENT', `${modelFile}: the model has no input 0 or no output 0`);
  for (const [what, t] of [
    ['input', input],
    ['output', output],
  ] as const) {
    if (!SUPPORTED_TYPES.includes(t.type))
      throw new XsinferError(
        'BAD_ARGUMENT',
        `${modelFile}: ${what} 0 is ${t.type}: the generic app takes int8, uint8 or float32`,
      );
  }
  return { model, input, output };
}

/** The kind a model's output suggests: a SOFTMAX or LOGISTIC last → classification; an
 * output as large as the input → anomaly (an autoencoder); else regression. */
export function guessKind(io: ModelIo): ModelKind {
  const producer = io.model.ops.find((op) => op.outputs.includes(io.model.outputs[0]!));
  if (producer && (producer.op === 'SOFTMAX' || producer.op === 'LOGISTIC')) return 'classification';
  const elements = (t: TensorInfo) => t.bytes / typeSize(t.type);
  if (elements(io.output) === elements(io.input) && elements(io.output) > 1) return 'anomaly';
  return elements(io.output) > 1 ? 'classification' : 'regression';
}

/** Bytes of a list of numbers as tensor elements of `type`. */
function encodeValues(values: number[], type: string): Uint8Array {
  const n = values.length;
  if (type === 'float32') return new Uint8Array(Float32Array.from(values).buffer);
  if (type === 'int8') return new Uint8Array(Int8Array.from(values).buffer);
  if (type === 'uint8') return Uint8Array.from(values);
  throw new XsinferError('BAD_ARGUMENT', `cannot encode ${n} values as ${type}`);
}

/** Splits one CSV line (no quoting in the MLPerf files; quotes are dropped if present). */
function csvFields(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

/** The truth CSV of an MLPerf dataset directory: rows `file, classes, class, ...`
 * (a header row, if any, is the one whose third field is not a number). */
function readTruthCsv(file: string): { file: string; truth?: number }[] {
  const rows: { file: string; truth?: number }[] = [];
  for (const [i, line] of fs.readFileSync(file, 'utf8').split(/\r?\n/).entries()) {
    if (!line.trim()) continue;
    const f = csvFields(line);
    if (!f[0]) throw new XsinferError('BAD_ARGUMENT', `${file}:${i + 1}: no file name in the first column`);
    const truth = f[2] !== undefined && f[2] !== '' ? Number(f[2]) : undefined;
    if (truth !== undefined && !Number.isInteger(truth)) {
      if (rows.length === 0) continue; // the header
      throw new XsinferError('BAD_ARGUMENT', `${file}:${i + 1}: class "${f[2]}" is not an integer`);
    }
    rows.push({ file: f[0], ...(truth !== undefined ? { truth } : {}) });
  }
  return rows;
}

function fromDirectory(dir: string, io: ModelIo, maxCases: number): InputCase[] {
  const entries = fs.readdirSync(dir);
  const csv = entries.filter((e) => e.toLowerCase().endsWith('.csv')).sort();
  let rows: { file: string; truth?: number }[];
  if (csv.length > 1)
    throw new XsinferError(
      'BAD_ARGUMENT',
      `--inputs ${dir}: ${csv.length} CSV files (${csv.join(', ')}): keep one truth file`,
    );
  if (csv.length === 1) rows = readTruthCsv(path.join(dir, csv[0]!));
  else
    rows = entries
      .filter((e) => e.endsWith('.bin'))
      .sort()
      .map((file) => ({ file }));
  if (rows.length === 0)
    throw new XsinferError('BAD_ARGUMENT', `--inputs ${dir}: no inputs (no .bin files and no rows in a truth CSV)`);
  return rows.slice(0, maxCases).map((row) => {
    const file = path.join(dir, row.file);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      throw new XsinferError('BAD_ARGUMENT', `--inputs ${dir}: the truth CSV names ${row.file}, which is not there`);
    const input = new Uint8Array(fs.readFileSync(file));
    if (input.length !== io.input.bytes)
      throw new XsinferError(
        'BAD_ARGUMENT',
        `input ${row.file} has ${input.length} bytes; the model's input 0 (${io.input.type}[${io.input.shape.join(',')}]) takes ${io.input.bytes}`,
      );
    return { name: row.file, input, ...(row.truth !== undefined ? { truth: row.truth } : {}) };
  });
}

interface GoldenFile {
  input: { dtype: string; bytes: number };
  output: { dtype: string; bytes: number };
  cases: { name: string; input: number[]; output: number[] }[];
}

function fromGolden(file: string, io: ModelIo, maxCases: number): InputCase[] {
  let golden: GoldenFile;
  try {
    golden = JSON.parse(fs.readFileSync(file, 'utf8')) as GoldenFile;
  } catch (err) {
    throw new XsinferError('BAD_ARGUMENT', `--inputs ${file}: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(golden.cases) || golden.cases.length === 0 || !golden.input || !golden.output)
    throw new XsinferError('BAD_ARGUMENT', `--inputs ${file}: not a golden file (input, output and cases expected)`);
  for (const [what, t, g] of [
    ['input', io.input, golden.input],
    ['output', io.output, golden.output],
  ] as const) {
    if (g.dtype !== t.type || g.bytes !== t.bytes)
      throw new XsinferError(
        'BAD_ARGUMENT',
        `--inputs ${file}: its ${what} is ${g.dtype} of ${g.bytes} bytes, the model's ${what} 0 is ${t.type} of ${t.bytes}`,
      );
  }
  return golden.cases.slice(0, maxCases).map((c) => {
    const input = encodeValues(c.input, io.input.type);
    const expected = encodeValues(c.output, io.output.type);
    if (input.length !== io.input.bytes || expected.length !== io.output.bytes)
      throw new XsinferError('BAD_ARGUMENT', `--inputs ${file}: case ${c.name} has the wrong number of values`);
    return { name: c.name, input, expected };
  });
}

export interface InputSetOptions {
  kind?: ModelKind;
  topK?: number;
  /** At most this many cases from a directory or golden file; a seeded set's count. */
  cases?: number;
  labelsFile?: string;
}

/** `--inputs SPEC` for the model: a directory, a golden .json, or random[:SEED[:CASES]]. */
export function loadInputSet(spec: string, io: ModelIo, opts: InputSetOptions = {}): InputSet {
  const maxCases = opts.cases ?? 10;
  if (!Number.isInteger(maxCases) || maxCases < 1) throw new XsinferError('BAD_ARGUMENT', '--cases must be ≥ 1');
  const kind = opts.kind ?? guessKind(io);
  const topK = Math.min(opts.topK ?? 5, TOP_K_MAX);
  let cases: InputCase[];
  let source: InputSet['source'] = 'data';
  let seed = 0;
  const random = /^random(?::(\d+))?(?::(\d+))?$/.exec(spec);
  if (random) {
    source = 'seed';
    seed = Number(random[1] ?? 1) >>> 0;
    const n = random[2] !== undefined ? Number(random[2]) : (opts.cases ?? 4);
    if (n < 1) throw new XsinferError('BAD_ARGUMENT', `--inputs ${spec}: at least one case`);
    cases = Array.from({ length: n }, (_, i) => ({ name: `seed ${seed} case ${i}` }));
  } else if (!fs.existsSync(spec)) {
    throw new XsinferError('BAD_ARGUMENT', `--inputs ${spec}: no such directory or file (or random[:SEED[:CASES]])`);
  } else if (fs.statSync(spec).isDirectory()) {
    cases = fromDirectory(spec, io, maxCases);
  } else if (spec.endsWith('.json')) {
    cases = fromGolden(spec, io, maxCases);
  } else {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `--inputs ${spec}: give a directory of .bin inputs, a golden .json or random[:SEED[:CASES]]`,
    );
  }
  const set: InputSet = {
    description: spec,
    kind,
    source,
    seed,
    topK,
    cases,
    inputBytes: io.input.bytes,
    outputBytes: cases.every((c) => c.expected) ? io.output.bytes : 0,
  };
  if (opts.labelsFile) set.labels = readLabels(opts.labelsFile, io.output.bytes / typeSize(io.output.type));
  return set;
}

/** One label name per output element (blank lines at the end ignored). */
export function readLabels(file: string, outputs: number): string[] {
  if (!fs.existsSync(file)) throw new XsinferError('BAD_ARGUMENT', `--labels ${file}: no such file`);
  const labels = fs.readFileSync(file, 'utf8').replace(/\s+$/, '').split(/\r?\n/);
  if (labels.length !== outputs)
    throw new XsinferError(
      'BAD_ARGUMENT',
      `--labels ${file}: ${labels.length} names for a model with ${outputs} outputs (one name a line)`,
    );
  return labels;
}

/** The blob the device reads (input_set.h), padded to a multiple of 16 bytes. */
export function encodeInputSet(set: InputSet): Uint8Array {
  const inputs = set.source === 'data' ? set.cases.length * set.inputBytes : 0;
  const expectedAt = INPUT_SET_HEADER_BYTES + Math.ceil(inputs / 4) * 4;
  const end = expectedAt + set.cases.length * set.outputBytes;
  const blob = new Uint8Array(Math.ceil(end / 16) * 16);
  const view = new DataView(blob.buffer);
  const header = [
    MAGIC,
    1,
    kinds.indexOf(set.kind),
    set.source === 'data' ? 0 : 1,
    set.cases.length,
    set.inputBytes,
    set.outputBytes,
    set.seed,
    set.topK,
    0,
  ];
  header.forEach((v, i) => view.setUint32(4 * i, v >>> 0, true));
  set.cases.forEach((c, i) => {
    if (set.source === 'data') blob.set(c.input!, INPUT_SET_HEADER_BYTES + i * set.inputBytes);
    if (set.outputBytes) blob.set(c.expected!, expectedAt + i * set.outputBytes);
  });
  return blob;
}
