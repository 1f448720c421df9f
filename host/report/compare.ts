// Two bench results side by side (`xsinfer compare A B`): the same apps, impls and kernel
// sets on two targets — e.g. the Cortex-M7 stand-in (mps2-an500) and the Cortex-M4 one
// (mps2-an386), as the write-up compared its F769 and F413. Medians per phase from each
// result, and B / A. Pure functions of two BenchResults.
import fs from 'node:fs';
import path from 'node:path';
import type { BenchResult, BenchRun, Phase } from '../bench/result.ts';
import { XsinferError } from '../errors.ts';
import { targetInfo, targets, type Target } from '../targets.ts';
import { hasTimings, orderedRuns } from './overhead.ts';
import { fmt, fmtRatio } from './tables.ts';

export interface CompareRow {
  app: string;
  kernels: string;
  impl: string;
  /** Medians of A and B per phase, in each result's unit. */
  a: Record<Phase, number>;
  b: Record<Phase, number>;
  /** b / a per phase (null where a is 0). */
  ratio: Record<Phase, number | null>;
}

export interface Comparison {
  a: { target: string; core: string; unit: string; build: string };
  b: { target: string; core: string; unit: string; build: string };
  /** Runs present and timed in both, in the report's order. */
  rows: CompareRow[];
  /** "app/impl/kernels" of runs only one side has. */
  onlyA: string[];
  onlyB: string[];
  /** A run that was not correct on either side: a comparison of wrong answers. */
  incorrect: string[];
}

const comparedPhases: Phase[] = ['populate', 'invoke', 'respond', 'total'];
const key = (r: BenchRun) => `${r.app}/${r.impl}/${r.kernels}`;

function coreOf(target: string): string {
  return (targets as readonly string[]).includes(target) ? targetInfo[target as Target].core : '?';
}

/** A bench result from a results directory (its result.json), a result.json, or a recording. */
export async function loadResult(file: string): Promise<BenchResult> {
  let where = path.resolve(file);
  if (!fs.existsSync(where)) throw new XsinferError('BAD_ARGUMENT', `${file}: no such file or directory`);
  if (fs.statSync(where).isDirectory()) {
    const json = path.join(where, 'result.json');
    const rec = path.join(where, 'recording.xsirec');
    if (fs.existsSync(json)) where = json;
    else if (fs.existsSync(rec)) where = rec;
    else throw new XsinferError('BAD_ARGUMENT', `${file}: neither result.json nor recording.xsirec in it`);
  }
  if (where.endsWith('.xsirec')) {
    const { benchFromRecording } = await import('../bench/bench.ts');
    return benchFromRecording(where);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(where, 'utf8'));
  } catch (err) {
    throw new XsinferError('BAD_ARGUMENT', `${file}: not a bench result (${(err as Error).message})`);
  }
  const r = parsed as Partial<BenchResult>;
  if (typeof r.target !== 'string' || !Array.isArray(r.runs))
    throw new XsinferError('BAD_ARGUMENT', `${file}: not a bench result (no target or runs)`);
  return r as BenchResult;
}

export function compareResults(a: BenchResult, b: BenchResult): Comparison {
  const timedB = new Map(b.runs.filter(hasTimings).map((r) => [key(r), r]));
  const timedA = new Set(a.runs.filter(hasTimings).map(key));
  const rows: CompareRow[] = [];
  const incorrect: string[] = [];
  for (const ra of orderedRuns(a.runs.filter(hasTimings))) {
    const rb = timedB.get(key(ra));
    if (!rb) continue;
    if (ra.correct === false || rb.correct === false) incorrect.push(key(ra));
    const med = (r: BenchRun) =>
      Object.fromEntries(comparedPhases.map((p) => [p, r.phases[p].median])) as Record<Phase, number>;
    const ma = med(ra);
    const mb = med(rb);
    rows.push({
      app: ra.app,
      kernels: ra.kernels,
      impl: ra.impl,
      a: ma,
      b: mb,
      ratio: Object.fromEntries(comparedPhases.map((p) => [p, ma[p] ? mb[p] / ma[p] : null])) as Record<
        Phase,
        number | null
      >,
    });
  }
  const side = (r: BenchResult) => ({ target: r.target, core: coreOf(r.target), unit: r.unit, build: r.build });
  return {
    a: side(a),
    b: side(b),
    rows,
    onlyA: [...timedA].filter((k) => !timedB.has(k)),
    onlyB: [...timedB.keys()].filter((k) => !timedA.has(k)),
    incorrect,
  };
}

const implName: Record<string, string> = {
  c: 'C',
  js: 'TypeScript',
  'js-native-frontend': 'TS + native front end',
};

/** A markdown table: per run, each phase's medians on A and B and B / A. */
export function renderComparison(c: Comparison): string {
  const name = (s: Comparison['a']) => `${s.target} (${s.core})`;
  const lines: string[] = [];
  lines.push(
    `Medians per phase, ${c.a.unit === c.b.unit ? c.a.unit : `${c.a.unit} vs ${c.b.unit}`}: A = ${name(c.a)} build ${c.a.build}, B = ${name(c.b)} build ${c.b.build}`,
  );
  if (c.a.unit !== c.b.unit) lines.push(`Units differ (${c.a.unit} vs ${c.b.unit}): the B / A ratios mix them.`);
  lines.push('');
  const head = ['app', 'kernels', 'impl'];
  for (const p of comparedPhases) {
    const P = p === 'total' ? 'iteration' : p.toUpperCase();
    head.push(`${P} A`, `${P} B`, `${P} B/A`);
  }
  lines.push(`| ${head.join(' | ')} |`);
  lines.push(`|${head.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`);
  for (const r of c.rows) {
    const cells = [r.app, r.kernels, implName[r.impl] ?? r.impl];
    for (const p of comparedPhases) cells.push(fmt(r.a[p]), fmt(r.b[p]), fmtRatio(r.ratio[p]));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (c.onlyA.length) lines.push('', `only in A: ${c.onlyA.join(', ')}`);
  if (c.onlyB.length) lines.push('', `only in B: ${c.onlyB.join(', ')}`);
  if (c.incorrect.length)
    lines.push('', `NOT CORRECT on one side (numbers of wrong answers): ${c.incorrect.join(', ')}`);
  return lines.join('\n');
}
