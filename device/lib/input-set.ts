// The generic app's input set (layout: native/baseline/include/baseline/input_set.h), the
// twin of input_set_parse in native/baseline/generic.c: the header read from the
// uploaded asset "upload/inputs", and where the inputs and expected outputs start.

export const INPUT_SET_ASSET = 'upload/inputs';
export const INPUT_SET_HEADER_BYTES = 40;
const MAGIC = 0x53495358; // "XSIS" as a little-endian uint32
const VERSION = 1;

export const CLASSIFICATION = 0;
export const ANOMALY = 1;
export const REGRESSION = 2;
export const FROM_DATA = 0;
export const FROM_SEED = 1;

export interface InputSet {
  kind: number;
  source: number;
  cases: number;
  inputBytes: number;
  /** 0: no golden outputs (the run is unchecked). */
  outputBytes: number;
  seed: number;
  topK: number;
  /** Byte offsets in the blob; -1 when absent. */
  inputsAt: number;
  expectedAt: number;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** The set in `blob`, or what is wrong with it (a string). */
export function parseInputSet(blob: Uint8Array): InputSet | string {
  if (blob.length < INPUT_SET_HEADER_BYTES) return 'shorter than its header';
  const field: number[] = [];
  for (let i = 0; i < 10; i++) field.push(u32(blob, 4 * i));
  if (field[0] !== MAGIC) return 'not an input set (no XSIS magic)';
  if (field[1] !== VERSION) return 'input set version is not 1';
  if (field[2] > REGRESSION) return 'unknown kind';
  if (field[3] > FROM_SEED) return 'unknown source';
  if (field[4] === 0 || field[5] === 0) return 'no cases or no input bytes';
  const set: InputSet = {
    kind: field[2],
    source: field[3],
    cases: field[4],
    inputBytes: field[5],
    outputBytes: field[6],
    seed: field[7],
    topK: field[8],
    inputsAt: -1,
    expectedAt: -1,
  };
  const inputs = set.source === FROM_DATA ? set.cases * set.inputBytes : 0;
  const expectedAt = INPUT_SET_HEADER_BYTES + Math.ceil(inputs / 4) * 4;
  if (expectedAt + set.cases * set.outputBytes > blob.length) return 'shorter than its cases';
  if (inputs) set.inputsAt = INPUT_SET_HEADER_BYTES;
  if (set.outputBytes) set.expectedAt = expectedAt;
  return set;
}
