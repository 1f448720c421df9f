// `xsinfer verify`: every golden case in DATA/golden and DATA/ops/golden run on a target
// through the firmware `verify` program (semihosting), or through the main firmware's
// engine over the wire (`--port`, `--via-wire`: verify-wire.ts), compared byte for byte
// (int) or within 1e-5 (float32) with the TFLM goldens. Conventions: DESIGN.md §10.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DeviceSession } from '../bridge/session.ts';
import type { Target } from '../targets.ts';
import { runVerifyProgram, type DeviceLine, type KernelSet, type VerifyRunner } from './device.ts';
import { wireVerifyLines } from './verify-wire.ts';
import { decodeValues, loadGolden, writePack, type GoldenModel } from './pack.ts';

export const FLOAT_TOLERANCE = 1e-5;

export interface Mismatch {
  case: string;
  op?: number;
  index: number;
  expected: number | string | null;
  actual: number | string | null;
}

export interface ModelResult {
  model: string;
  cases: number;
  passed: number;
  failed: number;
  perOp: { passed: number; failed: number };
  /** How a passing case matched: "bit-exact" (integer outputs, byte for byte) or
   *  "within 1e-5" (FLOAT_TOLERANCE: a model with float32 outputs, compared per value). */
  match: 'bit-exact' | `within ${string}`;
  maxAbsDiff?: number;
  firstMismatch: Mismatch | null;
  ticks?: number;
}

export interface VerifyResult {
  target: Target;
  kernels: KernelSet;
  models: ModelResult[];
  skipped: { model: string; missingOps: string[] }[];
  totals: { models: number; cases: number; passed: number; failed: number; perOpPassed: number; perOpFailed: number };
  ok: boolean;
}

export function goldenFiles(dataDir: string): string[] {
  const files: string[] = [];
  for (const sub of ['golden', path.join('ops', 'golden')]) {
    const dir = path.join(dataDir, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort())
      files.push(path.join(dir, f));
  }
  return files;
}

/** Cases (cases + extra_cases) the golden files hold; a file that is not JSON counts 0. */
export function goldenCaseCount(files: string[]): number {
  let n = 0;
  for (const f of files) {
    try {
      const g = JSON.parse(fs.readFileSync(f, 'utf8')) as { cases?: unknown[]; extra_cases?: unknown[] };
      n += (Array.isArray(g.cases) ? g.cases.length : 0) + (Array.isArray(g.extra_cases) ? g.extra_cases.length : 0);
    } catch {
      // unreadable: no cases from it
    }
  }
  return n;
}

interface Compare {
  firstBad: number;
  maxAbsDiff: number;
  expected: number | null;
  actual: number | null;
}

function compareValues(dtype: string, expected: number[], actual: number[]): Compare {
  const isFloat = dtype === 'float32';
  let maxAbsDiff = 0;
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === undefined || a === undefined) return { firstBad: i, maxAbsDiff, expected: e ?? null, actual: a ?? null };
    if (isFloat) {
      const d = Math.abs(e - a);
      if (!(d <= FLOAT_TOLERANCE))
        return {
          firstBad: i,
          maxAbsDiff: Math.max(maxAbsDiff, Number.isNaN(d) ? Infinity : d),
          expected: e,
          actual: a,
        };
      maxAbsDiff = Math.max(maxAbsDiff, d);
    } else if (e !== a) {
      return { firstBad: i, maxAbsDiff, expected: e, actual: a };
    }
  }
  return { firstBad: -1, maxAbsDiff, expected: null, actual: null };
}

export async function verifyModel(
  golden: GoldenModel,
  opts: { target: Target; kernels: KernelSet; workDir: string; runner?: VerifyRunner; wire?: DeviceSession },
): Promise<{ result: ModelResult } | { skipped: string[] }> {
  let lines: DeviceLine[];
  if (opts.wire) {
    lines = await wireVerifyLines(opts.wire, golden, opts.kernels, fs.readFileSync(golden.modelPath));
  } else {
    const packDir = path.join(opts.workDir, golden.name);
    writePack(packDir, golden.cases, golden.perOp.length > 0);
    const run = await runVerifyProgram(
      opts.target,
      ['run', golden.modelPath, packDir, String(golden.cases.length), opts.kernels],
      600_000,
      opts.runner,
    );
    lines = run.lines;
  }
  const unsupported = lines.find((l) => l.t === 'unsupported');
  if (unsupported) return { skipped: String(unsupported.missing).split(',').filter(Boolean) };
  const result: ModelResult = {
    model: path.basename(golden.modelPath),
    cases: golden.cases.length,
    passed: 0,
    failed: 0,
    perOp: { passed: 0, failed: 0 },
    match: 'bit-exact',
    firstMismatch: null,
  };
  const isFloat = golden.outputDtype === 'float32';
  if (isFloat || golden.perOp.some((p) => p.dtypes.includes('float32')))
    result.match = `within ${FLOAT_TOLERANCE.toExponential(0)}`;
  let maxAbsDiff = 0;
  let ticks = 0;
  const note = (m: Mismatch) => {
    if (!result.firstMismatch) result.firstMismatch = m;
  };
  const fatal = lines.find((l) => l.t === 'error');
  const caseLines = new Map<number, (typeof lines)[number]>();
  for (const l of lines) if (l.t === 'case') caseLines.set(Number(l.i), l);
  golden.cases.forEach((c, i) => {
    const line = caseLines.get(i);
    if (!line || Number(line.ok) !== 1) {
      result.failed++;
      const why = line
        ? `${String(line.msg)}${line.detail ? `: ${String(line.detail)}` : ''}`
        : fatal
          ? String(fatal.msg)
          : 'no result from the device';
      note({ case: c.name, index: -1, expected: 'a result', actual: why });
      return;
    }
    ticks += Number(line.ticks ?? 0);
    const outs = line.outs as string[];
    const actual = decodeValues(golden.outputDtype, Buffer.from(outs[0] ?? '', 'hex'));
    const cmp = compareValues(golden.outputDtype, c.expected, actual);
    maxAbsDiff = Math.max(maxAbsDiff, cmp.maxAbsDiff);
    if (cmp.firstBad < 0) result.passed++;
    else {
      result.failed++;
      note({ case: c.name, index: cmp.firstBad, expected: cmp.expected, actual: cmp.actual });
    }
  });
  if (golden.perOp.length > 0) {
    const opLines = new Map<number, (typeof lines)[number]>();
    for (const l of lines) if (l.t === 'op') opLines.set(Number(l.i), l);
    for (const p of golden.perOp) {
      const line = opLines.get(p.opIndex);
      let bad: Mismatch | null = null;
      if (!line)
        bad = {
          case: golden.cases[0]!.name,
          op: p.opIndex,
          index: -1,
          expected: 'op output',
          actual: 'no per-op output from the device',
        };
      else {
        const outs = line.outs as string[];
        p.outputs.forEach((expected, k) => {
          if (bad) return;
          const actual = decodeValues(p.dtypes[k]!, Buffer.from(outs[k] ?? '', 'hex'));
          const cmp = compareValues(p.dtypes[k]!, expected, actual);
          if (p.dtypes[k] === 'float32') maxAbsDiff = Math.max(maxAbsDiff, cmp.maxAbsDiff);
          if (cmp.firstBad >= 0)
            bad = {
              case: golden.cases[0]!.name,
              op: p.opIndex,
              index: cmp.firstBad,
              expected: cmp.expected,
              actual: cmp.actual,
            };
        });
      }
      if (bad) {
        result.perOp.failed++;
        note(bad);
      } else result.perOp.passed++;
    }
  }
  if (isFloat || golden.perOp.some((p) => p.dtypes.includes('float32'))) result.maxAbsDiff = maxAbsDiff;
  result.ticks = ticks;
  return { result };
}

export async function verify(opts: {
  target: Target;
  kernels: KernelSet;
  dataDir: string;
  models?: string[];
  runner?: VerifyRunner;
  /** A session with the main firmware: the cases go over the wire instead of to the verify program. */
  wire?: DeviceSession;
  onModel?: (r: ModelResult | { model: string; missingOps: string[] }) => void;
}): Promise<VerifyResult> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-verify-'));
  const out: VerifyResult = {
    target: opts.target,
    kernels: opts.kernels,
    models: [],
    skipped: [],
    totals: { models: 0, cases: 0, passed: 0, failed: 0, perOpPassed: 0, perOpFailed: 0 },
    ok: true,
  };
  try {
    for (const file of goldenFiles(opts.dataDir)) {
      const stem = path.basename(file, '.json');
      if (opts.models && !opts.models.includes(stem)) continue;
      const golden = loadGolden(opts.dataDir, file);
      const r = await verifyModel(golden, {
        target: opts.target,
        kernels: opts.kernels,
        workDir,
        runner: opts.runner,
        wire: opts.wire,
      });
      if ('skipped' in r) {
        const s = { model: path.basename(golden.modelPath), missingOps: r.skipped };
        out.skipped.push(s);
        opts.onModel?.(s);
        continue;
      }
      out.models.push(r.result);
      opts.onModel?.(r.result);
      out.totals.models++;
      out.totals.cases += r.result.cases;
      out.totals.passed += r.result.passed;
      out.totals.failed += r.result.failed;
      out.totals.perOpPassed += r.result.perOp.passed;
      out.totals.perOpFailed += r.result.perOp.failed;
      if (r.result.failed > 0 || r.result.perOp.failed > 0) out.ok = false;
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  return out;
}
