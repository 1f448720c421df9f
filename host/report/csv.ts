// CSV of a benchmark result (bench/report --csv): one row per run and phase, the run's
// statistics in the target's unit. Fields are quoted when they hold a comma, quote or newline.
import type { BenchResult } from '../bench/result.ts';
import { phases } from '../bench/result.ts';

export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: (string | number | boolean | null | undefined)[]): string {
  return fields.map(csvField).join(',');
}

export const benchCsvHeader = [
  'target',
  'unit',
  'app',
  'impl',
  'kernels',
  'model',
  'phase',
  'iterations',
  'min',
  'median',
  'avg',
  'p95',
  'max',
  'correct',
];

export function renderCsv(result: BenchResult): string {
  const lines = [csvLine(benchCsvHeader)];
  for (const run of result.runs) {
    for (const phase of phases) {
      const s = run.phases[phase];
      lines.push(
        csvLine([
          result.target,
          result.unit,
          run.app,
          run.impl,
          run.kernels,
          run.model ?? '',
          phase,
          run.iterations,
          s.min,
          s.median,
          s.avg,
          s.p95,
          s.max,
          run.correct,
        ]),
      );
    }
  }
  return lines.join('\n') + '\n';
}
