// The generic app's answers, JS against C: every timed iteration of each JS run (the
// plain TypeScript and, when the image has it, the TypeScript on the native helpers,
// device app generic_fast) and the C run on the same kernel set must give the same label,
// raw score and dequantized value (all compute in float32, so equal means the same bits).
// With golden outputs in the input set the device also checks each iteration (`correct`);
// without, this is the check.
import type { DeviceRecord } from '../bridge/protocol.ts';
import { collectRuns } from '../bench/collect.ts';
import type { InputSet } from './input-set.ts';

export interface GenericAnswer {
  case: number;
  name: string;
  label: number;
  labelName?: string;
  score: number;
  value: number;
}

export interface GenericComparison {
  kernels: string;
  /** null: only one impl ran. */
  agree: boolean | null;
  /** The first iteration where they differ, said in words. */
  difference?: string;
  /** One answer per case (the first iteration of it), from the C run if there is one. */
  answers: GenericAnswer[];
}

export const GENERIC_APP = 'generic';
/** The generic app in TypeScript on the native helpers (reported as impl "js-helpers"). */
export const GENERIC_HELPERS_APP = 'generic_fast';

/** JS and C runs of the generic app, or (apps) a deployed TypeScript app against the generic C app. */
export function compareGeneric(
  records: DeviceRecord[],
  set: InputSet,
  apps: { js: string[]; c: string } = { js: [GENERIC_APP, GENERIC_HELPERS_APP], c: GENERIC_APP },
): GenericComparison[] {
  const runs = collectRuns(records).filter(
    (r) => (apps.js.includes(r.app) && r.impl === 'js') || (r.app === apps.c && r.impl === 'c'),
  );
  const out: GenericComparison[] = [];
  for (const kernels of [...new Set(runs.map((r) => r.kernels))]) {
    const js = runs.filter((r) => r.kernels === kernels && r.impl === 'js');
    const c = runs.find((r) => r.kernels === kernels && r.impl === 'c');
    const base = c ?? js[0]!;
    const comparison: GenericComparison = { kernels, agree: null, answers: [] };
    for (const run of c ? js : []) {
      const who = run.app === GENERIC_HELPERS_APP ? 'JS + helpers' : 'JS';
      comparison.agree = run.results.length === c!.results.length;
      if (!comparison.agree) comparison.difference = `${run.results.length} ${who} iterations, ${c!.results.length} C`;
      for (let i = 0; comparison.agree && i < c!.results.length; i++) {
        const a = run.results[i]!;
        const b = c!.results[i]!;
        for (const field of ['label', 'score', 'value'] as const) {
          if (a[field] !== b[field]) {
            comparison.agree = false;
            comparison.difference = `iteration ${i} (case ${b.case ?? '?'}): ${field} ${who} ${a[field]} vs C ${b[field]}`;
            break;
          }
        }
      }
      if (!comparison.agree) break;
    }
    const seen = new Set<number>();
    for (const r of base.results) {
      const k = r.case ?? 0;
      if (seen.has(k)) continue;
      seen.add(k);
      const label = r.label ?? -1;
      comparison.answers.push({
        case: k,
        name: set.cases[k]?.name ?? `case ${k}`,
        label,
        ...(label >= 0 && set.labels?.[label] !== undefined ? { labelName: set.labels[label] } : {}),
        score: r.score ?? 0,
        value: r.value ?? NaN,
      });
    }
    comparison.answers.sort((a, b) => a.case - b.case);
    out.push(comparison);
  }
  return out;
}

/** The comparison as terminal lines. */
export function renderGeneric(
  comparisons: GenericComparison[],
  set: InputSet,
  model: string,
  app = 'generic app',
): string {
  const lines: string[] = [];
  const checked = set.outputBytes > 0 ? 'golden outputs checked on the device' : 'no golden outputs: JS vs C compared';
  lines.push(`${app} on ${model}: ${set.kind}, ${set.cases.length} cases from ${set.description} (${checked})`);
  for (const c of comparisons) {
    const verdict =
      c.agree === null
        ? 'one impl only'
        : c.agree
          ? 'JS and C answers agree on every iteration'
          : `JS and C DIFFER: ${c.difference}`;
    lines.push(`  ${c.kernels}: ${verdict}`);
  }
  const first = comparisons[0];
  if (first) {
    for (const a of first.answers) {
      const what =
        set.kind === 'classification'
          ? `class ${a.label}${a.labelName ? ` (${a.labelName})` : ''}, p ${a.value.toFixed(4)}`
          : set.kind === 'anomaly'
            ? `reconstruction error ${a.value.toPrecision(6)}`
            : `output[0] ${a.value.toPrecision(6)}`;
      const truth = set.cases[a.case]?.truth;
      lines.push(`    ${a.name}: ${what}${truth !== undefined ? ` (truth ${truth})` : ''}`);
    }
  }
  return lines.join('\n');
}
