// `xsinfer compare A B`: two benchmark results side by side, per app / impl / kernel set /
// phase — medians, delta (B − A) and ratio (B / A) — and which phases regressed: got
// slower than the threshold allows. A and B are results directories, result.json files
// or recordings (rebuilt through the report path). On QEMU the counts are exact, so the
// default threshold is zero: any increase is a regression; in other units it is 2 %.
import fs from 'node:fs';
import path from 'node:path';
import { benchFromRecording } from '../bench/bench.ts';
import { phases, type BenchResult, type BenchRun, type Phase } from '../bench/result.ts';
import { RECORDING_MAGIC } from '../bridge/recording.ts';
import { XsinferError } from '../errors.ts';
import type { ToolVersions } from '../versions.ts';

export interface Threshold {
  kind: 'absolute' | 'relative';
  /** In the result's unit (absolute) or percent of A's median (relative). */
  value: number;
}

export interface CompareRow {
  app: string;
  impl: string;
  kernels: string;
  model?: string;
  phase: Phase;
  a: number;
  b: number;
  delta: number;
  /** b / a; null when a is 0. */
  ratio: number | null;
  status: 'same' | 'improved' | 'regressed' | 'within threshold';
}

export interface RunKey {
  app: string;
  impl: string;
  kernels: string;
  model?: string;
}

export interface Side {
  source: string;
  target: string;
  build: string;
  createdAt: string;
  versions: ToolVersions | null;
}

export interface Comparison {
  unit: string;
  threshold: Threshold;
  a: Side;
  b: Side;
  rows: CompareRow[];
  regressions: CompareRow[];
  /** Runs that gave a wrong answer in B (correct: false) while A's were right or unchecked. */
  wrong: RunKey[];
  onlyA: RunKey[];
  onlyB: RunKey[];
  /** Versions that differ between A and B (why counts may have moved). */
  versionChanges: { name: string; a: string | null; b: string | null }[];
}

/** "2%" (relative to A's median) or a number in the result's unit; null: the default for the unit. */
export function parseThreshold(value: string): Threshold {
  const text = value.trim();
  const rel = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (rel) return { kind: 'relative', value: Number(rel[1]) };
  if (/^\d+(?:\.\d+)?$/.test(text)) return { kind: 'absolute', value: Number(text) };
  throw new XsinferError(
    'BAD_ARGUMENT',
    `--threshold takes a percentage of A's median such as 2% or a non-negative number in the results' unit, not '${value}'`,
  );
}

export function defaultThreshold(unit: string): Threshold {
  return unit === 'instr' ? { kind: 'absolute', value: 0 } : { kind: 'relative', value: 2 };
}

function isRecording(file: string): boolean {
  if (file.endsWith('.xsirec')) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(RECORDING_MAGIC.length - 1);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.equals(RECORDING_MAGIC.subarray(0, head.length));
  } finally {
    fs.closeSync(fd);
  }
}

function checkResult(value: unknown, file: string): BenchResult {
  const bad = (why: string) =>
    new XsinferError('BAD_INPUT', `${file} is not a bench result (result.json) or recording: ${why}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not a JSON object');
  const r = value as Partial<BenchResult>;
  if (typeof r.unit !== 'string') throw bad('no "unit"');
  if (!Array.isArray(r.runs)) throw bad('no "runs" array');
  for (const [i, run] of r.runs.entries()) {
    const ok =
      typeof run === 'object' &&
      run !== null &&
      typeof run.app === 'string' &&
      typeof run.impl === 'string' &&
      typeof run.kernels === 'string' &&
      typeof run.phases === 'object' &&
      run.phases !== null &&
      phases.every((p) => typeof run.phases[p]?.median === 'number' && Number.isFinite(run.phases[p].median));
    if (!ok) throw bad(`run ${i} lacks app, impl, kernels or a numeric median for every phase`);
  }
  return r as BenchResult;
}

/** A results directory, a result.json or a recording, as a BenchResult. */
export function loadResult(spec: string): { result: BenchResult; source: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(spec);
  } catch {
    throw new XsinferError(
      'FILE_ERROR',
      `${spec}: no such file or directory (give a results directory, result.json or recording.xsirec)`,
    );
  }
  let file = spec;
  if (stat.isDirectory()) {
    const found = ['result.json', 'recording.xsirec'].map((f) => path.join(spec, f)).find((f) => fs.existsSync(f));
    if (!found) throw new XsinferError('FILE_ERROR', `${spec}: a directory without result.json or recording.xsirec`);
    file = found;
  } else if (!stat.isFile()) {
    throw new XsinferError('FILE_ERROR', `${spec}: not a regular file`);
  }
  if (isRecording(file)) return { result: benchFromRecording(file), source: file };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new XsinferError('BAD_INPUT', `${file} is not a bench result (result.json) or recording: not JSON`);
  }
  return { result: checkResult(parsed, file), source: file };
}

const keyOf = (r: RunKey) => `${r.app}\u0000${r.impl}\u0000${r.kernels}\u0000${r.model ?? ''}`;
const runKey = (r: BenchRun): RunKey => ({
  app: r.app,
  impl: r.impl,
  kernels: r.kernels,
  ...(r.model ? { model: r.model } : {}),
});

function side(result: BenchResult, source: string): Side {
  return {
    source,
    target: result.target,
    build: result.build,
    createdAt: result.createdAt,
    versions: result.versions ?? null,
  };
}

function status(a: number, b: number, t: Threshold): CompareRow['status'] {
  if (b === a) return 'same';
  if (b < a) return 'improved';
  const over = t.kind === 'absolute' ? b - a > t.value : a === 0 || ((b - a) / a) * 100 > t.value;
  return over ? 'regressed' : 'within threshold';
}

export function compareResults(
  a: { result: BenchResult; source: string },
  b: { result: BenchResult; source: string },
  threshold?: Threshold,
): Comparison {
  if (a.result.unit !== b.result.unit) {
    throw new XsinferError(
      'BAD_INPUT',
      `${a.source} counts ${a.result.unit} (${a.result.target}), ${b.source} counts ${b.result.unit} (${b.result.target}): not comparable`,
    );
  }
  const t = threshold ?? defaultThreshold(a.result.unit);
  const inB = new Map(b.result.runs.map((r) => [keyOf(runKey(r)), r]));
  const inA = new Map(a.result.runs.map((r) => [keyOf(runKey(r)), r]));
  const rows: CompareRow[] = [];
  const wrong: RunKey[] = [];
  for (const runA of a.result.runs) {
    const runB = inB.get(keyOf(runKey(runA)));
    if (!runB) continue;
    for (const phase of phases) {
      const ma = runA.phases[phase].median;
      const mb = runB.phases[phase].median;
      rows.push({
        ...runKey(runA),
        phase,
        a: ma,
        b: mb,
        delta: mb - ma,
        ratio: ma === 0 ? null : mb / ma,
        status: status(ma, mb, t),
      });
    }
    if (runB.correct === false && runA.correct !== false) wrong.push(runKey(runB));
  }
  const va = a.result.versions;
  const vb = b.result.versions;
  const names = [...new Set([...Object.keys(va ?? {}), ...Object.keys(vb ?? {})])] as (keyof ToolVersions)[];
  const versionChanges =
    va && vb
      ? names
          .filter((n) => (va[n] ?? null) !== (vb[n] ?? null))
          .map((n) => ({ name: n, a: va[n] ?? null, b: vb[n] ?? null }))
      : a.result.build !== b.result.build
        ? [{ name: 'build', a: a.result.build, b: b.result.build }]
        : [];
  return {
    unit: a.result.unit,
    threshold: t,
    a: side(a.result, a.source),
    b: side(b.result, b.source),
    rows,
    regressions: rows.filter((r) => r.status === 'regressed'),
    wrong,
    onlyA: a.result.runs.filter((r) => !inB.has(keyOf(runKey(r)))).map(runKey),
    onlyB: b.result.runs.filter((r) => !inA.has(keyOf(runKey(r)))).map(runKey),
    versionChanges,
  };
}
