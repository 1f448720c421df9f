// The audio front end: the engine running TFLM's signal-library graph
// (audio_preprocessor_int8/_float.tflite) against the golden TFLM output, frame by frame
// from a fresh state, plus every op's output (per_op), the DSP/FlexBuffer unit checks and a
// custom-options corruption sweep. Runs a host harness (test/engine/signal-harness.c)
// compiled here with ASan + UBSan, so an out-of-bounds read fails the test too.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { harnessPath, runHarness } from './signal-harness.ts';

interface AudioCase {
  name: string;
  num_frames: number;
  first_frames_input: number[][];
  frame_outputs: number[][];
}
interface PerOp {
  op_index: number;
  op: string;
  output_tensors: number[];
  output_dtypes: string[];
  outputs: number[][];
}
interface AudioGolden {
  cases: AudioCase[];
  per_op: PerOp[];
}
interface Mismatch {
  case: string;
  op?: string;
  frame?: number;
  index: number;
  expected: number;
  actual: number;
}

const FRAME = 480;
const HOP = 320;

const modelPath = (name: string) => path.join(dataDir(), 'models', `${name}.tflite`);
const golden = (name: string): AudioGolden =>
  JSON.parse(fs.readFileSync(path.join(dataDir(), 'golden', `${name}.json`), 'utf8')) as AudioGolden;

function wavSamples(caseName: string): Int16Array {
  const bytes = fs.readFileSync(path.join(dataDir(), 'data', 'micro_speech', `${caseName}.wav`));
  const body = bytes.subarray(44); // 44-byte RIFF header, then int16 LE mono
  return new Int16Array(body.buffer.slice(body.byteOffset, body.byteOffset + (body.length & ~1)));
}

function caseFrames(c: AudioCase): number[][] {
  const s = wavSamples(c.name);
  return Array.from({ length: c.num_frames }, (_, k) => Array.from(s.subarray(HOP * k, HOP * k + FRAME)));
}

/** Runs every case (fresh interpreter each) and returns outputs[case][frame][i]. */
function runCases(model: string, cases: AudioCase[]): number[][][] {
  const parts = [String(cases.length)];
  for (const c of cases) {
    const frames = caseFrames(c);
    parts.push(String(frames.length));
    for (const f of frames) parts.push(f.join(' '));
  }
  const out: number[][][] = cases.map(() => []);
  for (const line of runHarness(['run', modelPath(model)], parts.join('\n')).split('\n')) {
    if (!line.startsWith('FRAME ')) continue;
    const [, c, k, ...vals] = line.split(' ');
    out[Number(c)][Number(k)] = vals.map(Number);
  }
  return out;
}

function compareFrames(cases: AudioCase[], actual: number[][][], tol: number) {
  let maxDiff = 0;
  let frames = 0;
  let first: Mismatch | null = null;
  cases.forEach((c, ci) => {
    c.frame_outputs.forEach((want, k) => {
      frames++;
      const got = actual[ci]?.[k] ?? [];
      want.forEach((w, i) => {
        const g = got[i] ?? Number.NaN;
        const d = Math.abs(g - w);
        if (!(d <= maxDiff)) maxDiff = Number.isNaN(d) ? Infinity : d;
        if (!(d <= tol) && first === null) first = { case: c.name, frame: k, index: i, expected: w, actual: g };
      });
    });
  });
  return { frames, maxDiff, firstMismatch: first as Mismatch | null };
}

interface OpDump {
  name: string;
  tensors: Map<number, { type: string; values: number[] }>;
}

function runPerOp(model: string, samples: number[]): OpDump[] {
  const ops: OpDump[] = [];
  for (const line of runHarness(['perop', modelPath(model)], samples.join(' ')).split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'OP') ops[Number(f[1])] = { name: f[2], tensors: new Map() };
    else if (f[0] === 'T')
      ops[ops.length - 1].tensors.set(Number(f[1]), { type: f[2].toLowerCase(), values: f.slice(3).map(Number) });
  }
  return ops;
}

function comparePerOp(
  perOp: PerOp[],
  dump: OpDump[],
  tol: number,
): { checked: number; firstMismatch: Mismatch | null } {
  let checked = 0;
  for (const p of perOp) {
    const op = dump[p.op_index];
    for (let k = 0; k < p.output_tensors.length; k++) {
      checked++;
      const t = op?.tensors.get(p.output_tensors[k]);
      const label = `${p.op} (op ${p.op_index}) output ${k}`;
      if (!t)
        return {
          checked,
          firstMismatch: { case: 'per_op', op: label, index: -1, expected: p.outputs[k].length, actual: 0 },
        };
      if (t.type !== p.output_dtypes[k]) {
        return {
          checked,
          firstMismatch: {
            case: 'per_op',
            op: `${label} dtype ${t.type} != ${p.output_dtypes[k]}`,
            index: -1,
            expected: 0,
            actual: 0,
          },
        };
      }
      const want = p.outputs[k];
      if (t.values.length !== want.length) {
        return {
          checked,
          firstMismatch: {
            case: 'per_op',
            op: `${label} length`,
            index: -1,
            expected: want.length,
            actual: t.values.length,
          },
        };
      }
      for (let i = 0; i < want.length; i++) {
        if (!(Math.abs(t.values[i] - want[i]) <= tol)) {
          return {
            checked,
            firstMismatch: { case: 'per_op', op: label, index: i, expected: want[i], actual: t.values[i] },
          };
        }
      }
    }
  }
  return { checked, firstMismatch: null };
}

beforeAll(() => {
  harnessPath();
}, 300_000);

describe('audio front end = engine running the signal-library graph', () => {
  it('golden inputs follow the framing convention (frame k = samples[320k, 320k+480))', () => {
    for (const c of golden('audio_preprocessor_int8').cases) {
      expect(caseFrames(c).slice(0, c.first_frames_input.length), c.name).toEqual(c.first_frames_input);
    }
  });

  it('audio_preprocessor_int8: every frame of every wav is bit-exact', () => {
    const g = golden('audio_preprocessor_int8');
    const r = compareFrames(g.cases, runCases('audio_preprocessor_int8', g.cases), 0);
    expect(r.firstMismatch).toBeNull();
    expect(r.frames).toBe(g.cases.reduce((n, c) => n + c.num_frames, 0));
    expect(r.frames).toBe(4 * 49 + 2);
    expect(r.maxDiff).toBe(0);
  });

  it('audio_preprocessor_float: every frame within 1e-5', () => {
    const g = golden('audio_preprocessor_float');
    const r = compareFrames(g.cases, runCases('audio_preprocessor_float', g.cases), 1e-5);
    expect(r.firstMismatch).toBeNull();
    expect(r.frames).toBe(4 * 49 + 2);
    expect(r.maxDiff).toBeLessThanOrEqual(1e-5);
  });

  for (const [model, tol] of [
    ['audio_preprocessor_int8', 0],
    ['audio_preprocessor_float', 1e-5],
  ] as const) {
    it(`${model}: per_op outputs of the first frame match TFLM`, () => {
      const g = golden(model);
      const dump = runPerOp(model, caseFrames(g.cases[0])[0]);
      const r = comparePerOp(g.per_op, dump, tol);
      expect(r.firstMismatch).toBeNull();
      expect(r.checked).toBe(g.per_op.reduce((n, p) => n + p.output_tensors.length, 0));
    });
  }

  it('a one-value corruption of the golden data is detected (frames and per_op)', () => {
    const g = golden('audio_preprocessor_int8');
    const actual = runCases('audio_preprocessor_int8', g.cases.slice(0, 1));
    const bad = structuredClone(g.cases.slice(0, 1));
    bad[0].frame_outputs[17][23] += 1;
    expect(compareFrames(bad, actual, 0).firstMismatch).toMatchObject({ case: 'yes_1000ms', frame: 17, index: 23 });
    const perOp = structuredClone(g.per_op);
    perOp[3].outputs[0][100] += 1; // SignalRfft
    const r = comparePerOp(perOp, runPerOp('audio_preprocessor_int8', caseFrames(g.cases[0])[0]), 0);
    expect(r.firstMismatch).toMatchObject({ index: 100 });
  });

  it('DSP helpers, FFT sizes and the FlexBuffer reader pass their unit checks', () => {
    expect(runHarness(['selftest'])).toMatch(/^SELFTEST OK \d+/m);
  });

  it('corrupted custom options are rejected or run safely, never read out of bounds', () => {
    const m = /MUTATE (\d+) (\d+) (\d+)/.exec(runHarness(['mutate', modelPath('audio_preprocessor_int8')]));
    expect(m).not.toBeNull();
    const [variants, accepted, rejected] = m!.slice(1).map(Number);
    expect(variants).toBeGreaterThan(3000);
    expect(accepted + rejected).toBe(variants);
    expect(rejected).toBeGreaterThan(0);
  }, 300_000);
});
