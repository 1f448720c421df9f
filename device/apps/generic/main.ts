// generic – any model with int8, uint8 or float32 input 0 and output 0, fed from the
// uploaded input set (device/lib/input-set.ts), the TypeScript twin of
// native/baseline/generic.c: POPULATE copies the case's raw tensor into the input (C:
// memcpy; here TypedArray.set of a subarray, four bytes an element where the sizes and
// offsets allow: see wordView) or generates it from the set's seed;
// RESPOND reads the output by the set's kind: classification (dequantize, top-k, label
// = top-1), anomaly (mean squared error of the dequantized reconstruction against the
// dequantized input, as MLPerf Tiny's AD benchmark scores it), regression (the
// dequantized vector). Every float32 operation of the C code is a double operation
// rounded with Math.fround, so both give the same bits. Same refusals, same words.
import { asset, float32, int8 } from 'assets';
import { Interpreter, type Kernels, type TensorData, type TensorType } from 'tflm';
import { ModelMismatchError, type AppResult } from '../../lib/app.ts';
import {
  ANOMALY,
  CLASSIFICATION,
  FROM_DATA,
  INPUT_SET_ASSET,
  INPUT_SET_HEADER_BYTES,
  parseInputSet,
  type InputSet,
} from '../../lib/input-set.ts';

/** At most this many classes are ranked (C: GENERIC_TOP_K_MAX). */
export const TOP_K_MAX = 16;
/** The app takes whatever model the run names. */
export const anyModel = true;
/** From the input set, once set up (the bench loop reads it after setup). */
export let cases = 1;

let set: InputSet | null = null;
let source: TensorData = new Int8Array(0); // the blob as elements of the input's type
let expected: TensorData = new Int8Array(0); // the blob as elements of the output's type
let sourceBase = 0;
let expectedBase = 0;
let input: TensorData = new Int8Array(0);
// POPULATE's copy: the input and the blob seen as elements of `wordBytes` bytes each.
let inputWords: Int32Array | Int16Array | Uint8Array = new Uint8Array(0);
let sourceWords: Int32Array | Int16Array | Uint8Array = new Uint8Array(0);
let wordBytes = 1;
let output: TensorData = new Int8Array(0);
let inFloat = false;
let inSigned = false; // int8 input (else uint8 or float32)
let outFloat = false;
let inScale = 0;
let outScale = 0;
let inZeroPoint = 0;
let outZeroPoint = 0;
let inCount = 0;
let outCount = 0;
let kind = CLASSIFICATION;
let fromData = true;
let seed = 0;
let topK = 1;
let populatedCase = 0;
export const topIndex = new Int32Array(TOP_K_MAX);
export const topValue = new Float32Array(TOP_K_MAX);
/** Classification and regression: the dequantized output of the last RESPOND. */
export let values = new Float32Array(0);

function refuse(message: string): never {
  throw new ModelMismatchError(`generic: ${message}`);
}

function supported(type: TensorType): boolean {
  return type === 'int8' || type === 'uint8' || type === 'float32';
}

/** The blob's bytes seen as elements of `type` (the set pads them to whole elements). */
function viewAs(type: TensorType): TensorData {
  if (type === 'float32') return float32(INPUT_SET_ASSET);
  return type === 'int8' ? int8(INPUT_SET_ASSET) : asset(INPUT_SET_ASSET);
}

/** The widest integer element (4, 2 or 1 bytes) that divides every one of `bytes`: XS
 * 13.3's TypedArray.prototype.set copies element by element even between two arrays of
 * one type (a getter, a coercion and a setter each, ≈60 instructions; it compares the
 * arrays' dispatch slots, which only an array and itself share, xsDataView.c), so
 * POPULATE copies the case as 4-byte integers where the sizes and offsets allow: a quarter
 * of the elements, and every bit kept (a float32 NaN as well). */
function widest(...bytes: number[]): number {
  if (bytes.every((b) => b % 4 === 0)) return 4;
  return bytes.every((b) => b % 2 === 0) ? 2 : 1;
}

/** `bytes` bytes at byte `offset` of `data`'s buffer as elements of wordBytes bytes. */
function wordView(data: ArrayBufferView, offset: number, bytes: number): Int32Array | Int16Array | Uint8Array {
  const at = data.byteOffset + offset;
  const n = Math.floor(bytes / wordBytes);
  if (wordBytes === 4) return new Int32Array(data.buffer, at, n);
  return wordBytes === 2 ? new Int16Array(data.buffer, at, n) : new Uint8Array(data.buffer, at, n);
}

/** Element i as a float: dequantized, or the float itself. */
function dequantize(isFloat: boolean, data: TensorData, i: number, scale: number, zeroPoint: number): number {
  return isFloat ? data[i] : Math.fround((data[i] - zeroPoint) * scale);
}

/** The raw integer behind element i (a float tensor has none: 0). */
function raw(isFloat: boolean, data: TensorData, i: number): number {
  return isFloat ? 0 : data[i];
}

/** The first xorshift32 state of a case of a seeded set (never 0), as an int32. */
function seedState(caseIndex: number): number {
  const x = seed ^ Math.imul(caseIndex + 1, 0x9e3779b9);
  return x !== 0 ? x : 1;
}

function xorshift(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x;
}

/** A generated element from a state's top bits: int8/uint8 its top byte, float32 uniform
 * in [-1, 1). Written to data[i] when data is given; returned as the anomaly check's float. */
function generated(x: number, data: TensorData | null, i: number): number {
  if (!inFloat) {
    const q = inSigned ? x >> 24 : x >>> 24;
    if (data) data[i] = q;
    return Math.fround((q - inZeroPoint) * inScale);
  }
  const f = Math.fround(Math.fround((x >>> 8) * 1.1920928955078125e-7) - 1);
  if (data) data[i] = f;
  return f;
}

export function setup(kernels: Kernels, name: string): Interpreter {
  let blob: Uint8Array;
  try {
    blob = asset(INPUT_SET_ASSET);
  } catch {
    refuse(`no input set: upload one as ${INPUT_SET_ASSET} (bench --inputs)`);
  }
  const parsed = parseInputSet(blob);
  if (typeof parsed === 'string') refuse(`input set: ${parsed}`);
  set = parsed;
  const interp = new Interpreter(name, { kernels });
  if (interp.inputCount < 1 || interp.outputCount < 1) refuse('the model has no input 0 or no output 0');
  const i = interp.input(0);
  const o = interp.output(0);
  if (!supported(i.type) || !supported(o.type))
    refuse(`input 0 is ${i.type}, output 0 is ${o.type}: the generic app takes int8, uint8 or float32`);
  input = i.data;
  output = o.data;
  inFloat = i.type === 'float32';
  inSigned = i.type === 'int8';
  outFloat = o.type === 'float32';
  inCount = input.length;
  outCount = output.length;
  inScale = i.scale;
  inZeroPoint = i.zeroPoint;
  outScale = o.scale;
  outZeroPoint = o.zeroPoint;
  const inBytes = inCount * input.BYTES_PER_ELEMENT;
  const outBytes = outCount * output.BYTES_PER_ELEMENT;
  if (set.inputBytes !== inBytes) refuse(`input set has ${set.inputBytes} bytes per case, input 0 takes ${inBytes}`);
  if (set.outputBytes !== 0 && set.outputBytes !== outBytes)
    refuse(`input set expects ${set.outputBytes} output bytes, output 0 has ${outBytes}`);
  if (set.kind === ANOMALY && inCount !== outCount)
    refuse(`anomaly scoring needs as many outputs as inputs (${outCount}, ${inCount})`);
  kind = set.kind;
  fromData = set.source === FROM_DATA;
  seed = set.seed | 0;
  values = new Float32Array(kind !== ANOMALY ? outCount : 0);
  topK = set.topK === 0 ? 1 : set.topK;
  if (topK > TOP_K_MAX) topK = TOP_K_MAX;
  if (topK > outCount) topK = outCount;
  source = viewAs(i.type);
  sourceBase = INPUT_SET_HEADER_BYTES / input.BYTES_PER_ELEMENT;
  wordBytes = widest(inBytes, input.byteOffset, blob.byteOffset + INPUT_SET_HEADER_BYTES);
  inputWords = wordView(input, 0, inBytes);
  sourceWords = wordView(blob, INPUT_SET_HEADER_BYTES, blob.length - INPUT_SET_HEADER_BYTES);
  expected = viewAs(o.type);
  expectedBase = set.expectedAt / output.BYTES_PER_ELEMENT;
  cases = set.cases;
  return interp;
}

export function checked(): boolean {
  return set !== null && set.outputBytes !== 0;
}

export function populate(caseIndex: number): void {
  populatedCase = caseIndex;
  if (fromData) {
    const n = inputWords.length;
    const base = caseIndex * n;
    inputWords.set(sourceWords.subarray(base, base + n));
    return;
  }
  const dst = input;
  let x = seedState(caseIndex);
  for (let i = 0; i < inCount; i++) {
    x = xorshift(x);
    generated(x, dst, i);
  }
}

/** Top-k by dequantized score, highest first; ties keep the lower index first. */
function respondClassification(out: TensorData): AppResult {
  let count = 0;
  const k = topK;
  const index = topIndex;
  const value = topValue;
  const all = values;
  for (let i = 0; i < outCount; i++) {
    const p = dequantize(outFloat, out, i, outScale, outZeroPoint);
    all[i] = p;
    if (count < k || p > value[count - 1]) {
      let j = count < k ? count++ : k - 1;
      while (j > 0 && value[j - 1] < p) {
        value[j] = value[j - 1];
        index[j] = index[j - 1];
        j--;
      }
      value[j] = p;
      index[j] = i;
    }
  }
  return { label: index[0], score: raw(outFloat, out, index[0]), value: value[0] };
}

/** Mean of the squared differences, summed in float32 in element order. */
function respondAnomaly(out: TensorData, caseIndex: number): AppResult {
  let sum = 0;
  if (fromData) {
    const ref = source;
    const base = sourceBase + caseIndex * inCount;
    for (let i = 0; i < outCount; i++) {
      const d = Math.fround(
        dequantize(outFloat, out, i, outScale, outZeroPoint) - dequantize(inFloat, ref, base + i, inScale, inZeroPoint),
      );
      sum = Math.fround(sum + Math.fround(d * d));
    }
  } else {
    let x = seedState(caseIndex);
    for (let i = 0; i < outCount; i++) {
      x = xorshift(x);
      const d = Math.fround(dequantize(outFloat, out, i, outScale, outZeroPoint) - generated(x, null, i));
      sum = Math.fround(sum + Math.fround(d * d));
    }
  }
  return { label: -1, score: 0, value: Math.fround(sum / outCount) };
}

function respondRegression(out: TensorData): AppResult {
  const v = values;
  for (let i = 0; i < outCount; i++) v[i] = dequantize(outFloat, out, i, outScale, outZeroPoint);
  return { label: -1, score: raw(outFloat, out, 0), value: v[0] };
}

export function respond(): AppResult {
  const out = output;
  if (kind === CLASSIFICATION) return respondClassification(out);
  if (kind === ANOMALY) return respondAnomaly(out, populatedCase);
  return respondRegression(out);
}

/** What setup() found: the helpers variant (apps/generic_fast) builds on it. */
export interface GenericIo {
  input: TensorData;
  output: TensorData;
  /** The input set's blob as elements of the input's type; case c starts at sourceBase + c × inCount. */
  source: TensorData;
  sourceBase: number;
  inCount: number;
  outCount: number;
  inFloat: boolean;
  outFloat: boolean;
  inScale: number;
  inZeroPoint: number;
  outScale: number;
  outZeroPoint: number;
  kind: number;
  fromData: boolean;
  topK: number;
}

export function io(): GenericIo {
  return {
    input,
    output,
    source,
    sourceBase,
    inCount,
    outCount,
    inFloat,
    outFloat,
    inScale,
    inZeroPoint,
    outScale,
    outZeroPoint,
    kind,
    fromData,
    topK,
  };
}

/** Untimed: the output equals the set's expected output of the case, element by element. */
export function check(caseIndex: number, _result: AppResult): boolean {
  if (set === null || set.outputBytes === 0) return false;
  const out = output;
  const exp = expected;
  const base = expectedBase + caseIndex * outCount;
  for (let i = 0; i < outCount; i++) if (out[i] !== exp[base + i]) return false;
  return true;
}
