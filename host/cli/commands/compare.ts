// `xsinfer compare A B [--threshold X] [--csv] [--json]`: per app/impl/kernels/phase medians,
// delta and ratio of two results or recordings; exit 11 (REGRESSION) when a phase got slower
// than the threshold allows or a run's answers became wrong. Made for CI.
import fs from 'node:fs';
import type { Command } from 'commander';
import {
  compareResults,
  loadResult,
  parseThreshold,
  type Comparison,
  type CompareRow,
  type RunKey,
} from '../../compare/compare.ts';
import { exitCodes } from '../../errors.ts';
import { compareResults as sideBySide, loadResult as loadBench, renderComparison } from '../../report/compare.ts';
import { csvLine } from '../../report/csv.ts';
import { log, printJson } from '../output.ts';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const name = (k: RunKey) => `${k.app} ${k.impl} ${k.kernels}${k.model ? ` on ${k.model}` : ''}`;
const thresholdText = (c: Comparison) =>
  c.threshold.kind === 'relative' ? `${c.threshold.value}%` : `${fmt(c.threshold.value)} ${c.unit}`;

function toCsv(c: Comparison): string {
  const lines = [csvLine(['app', 'impl', 'kernels', 'model', 'phase', 'a', 'b', 'delta', 'ratio', 'status', 'unit'])];
  for (const r of c.rows)
    lines.push(csvLine([r.app, r.impl, r.kernels, r.model, r.phase, r.a, r.b, r.delta, r.ratio, r.status, c.unit]));
  for (const k of c.onlyA)
    lines.push(csvLine([k.app, k.impl, k.kernels, k.model, '', '', '', '', '', 'only in A', c.unit]));
  for (const k of c.onlyB)
    lines.push(csvLine([k.app, k.impl, k.kernels, k.model, '', '', '', '', '', 'only in B', c.unit]));
  for (const k of c.wrong)
    lines.push(csvLine([k.app, k.impl, k.kernels, k.model, '', '', '', '', '', 'wrong in B', c.unit]));
  return lines.join('\n') + '\n';
}

function printHuman(c: Comparison): void {
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`A ${c.a.source} (${c.a.target}, build ${c.a.build})`);
  out(`B ${c.b.source} (${c.b.target}, build ${c.b.build})`);
  for (const v of c.versionChanges) out(`  ${v.name}: ${v.a ?? '–'} → ${v.b ?? '–'}`);
  out(`medians in ${c.unit}; a regression is an increase beyond ${thresholdText(c)}`);
  const row = (r: CompareRow) =>
    `${name(r).padEnd(40)} ${r.phase.padEnd(8)} ${fmt(r.a).padStart(14)} ${fmt(r.b).padStart(14)} ${((r.delta > 0 ? '+' : '') + fmt(r.delta)).padStart(12)} ${(r.ratio === null ? '–' : r.ratio.toFixed(4)).padStart(8)}  ${r.status === 'same' ? '' : r.status}`.trimEnd();
  out(
    `${'run'.padEnd(40)} ${'phase'.padEnd(8)} ${'A'.padStart(14)} ${'B'.padStart(14)} ${'delta'.padStart(12)} ${'B/A'.padStart(8)}`,
  );
  for (const r of c.rows) out(row(r));
  for (const k of c.onlyA) out(`only in A: ${name(k)}`);
  for (const k of c.onlyB) out(`only in B: ${name(k)}`);
  for (const k of c.wrong) out(`wrong answers in B: ${name(k)}`);
}

export function register(program: Command): void {
  program
    .command('compare')
    .description(
      'compare two benchmark results (results/<ts>/ directories, result.json files or recordings): medians, delta and ratio per app/impl/kernels/phase; exit 11 on a regression',
    )
    .argument('<a>', 'the baseline: a results directory, result.json or recording.xsirec')
    .argument('<b>', 'the run to check against it')
    .option(
      '--threshold <x>',
      "allowed increase: a percentage of A's median (2%) or a number in the results' unit (default: 0 for instr, which QEMU counts exactly; 2% for cycles and ns)",
    )
    .option('--csv', 'print the comparison as CSV on stdout')
    .option(
      '--markdown <file>',
      'also write a side-by-side table (per run: each phase on A and B, B / A), e.g. two targets such as mps2-an500 vs mps2-an386',
    )
    .option('--json', 'print {unit, threshold, rows, regressions, wrong, onlyA, onlyB, …} as JSON (last line)')
    .action(
      async (a: string, b: string, opts: { threshold?: string; csv?: boolean; json?: boolean; markdown?: string }) => {
        if (opts.markdown)
          fs.writeFileSync(opts.markdown, renderComparison(sideBySide(await loadBench(a), await loadBench(b))) + '\n');
        const threshold = opts.threshold !== undefined ? parseThreshold(opts.threshold) : undefined;
        const c = compareResults(loadResult(a), loadResult(b), threshold);
        if (opts.json) printJson(c);
        else if (opts.csv) process.stdout.write(toCsv(c));
        else printHuman(c);
        const failed = c.regressions.length + c.wrong.length;
        if (failed > 0) {
          log(
            `xsinfer: ${c.regressions.length} phase(s) regressed beyond ${thresholdText(c)}${c.wrong.length ? `, ${c.wrong.length} run(s) gave wrong answers` : ''}: ${[...c.regressions.map((r) => `${name(r)} ${r.phase} ${r.delta > 0 ? '+' : ''}${fmt(r.delta)}`), ...c.wrong.map((k) => `${name(k)} wrong`)].slice(0, 5).join('; ')}`,
          );
          process.exitCode = exitCodes.REGRESSION;
        } else if (!opts.json && !opts.csv) {
          log(`no regression (${c.rows.length} phases compared)`);
        }
      },
    );
}
