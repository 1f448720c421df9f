// The report's "where the JS time goes" section (bench --profile): per profiled JS run and
// phase, the top functions by self time with their .ts position (host/profile/profile.ts).
import path from 'node:path';
import type { BenchResult } from '../bench/result.ts';
import { fmt, fmtPct, type Align, type Section, type Table } from './tables.ts';

export function profileSection(result: BenchResult, unit: string): Section | undefined {
  const profiles = result.profiles;
  if (!profiles?.length) return undefined;
  const tables: Table[] = [];
  for (const p of profiles) {
    const head = ['phase', 'function', 'source', `self ${unit}`, 'self %', `total ${unit}`];
    const align: Align[] = ['l', 'l', 'l', 'r', 'r', 'r'];
    const rows: string[][] = [];
    const breaks: number[] = [];
    for (const ph of p.phases) {
      if (rows.length) breaks.push(rows.length);
      const phase = `${ph.phase.toUpperCase()} (${fmt(ph.span)})`;
      if (!ph.rows.length) rows.push([phase, '(no JS sample)', '', '', '', '']);
      for (const [k, r] of ph.rows.entries())
        rows.push([
          k === 0 ? phase : '',
          r.function,
          r.where,
          fmt(r.self),
          ph.span > 0 ? fmtPct((100 * r.self) / ph.span) : 'n/a',
          `${r.totalBound ? '<= ' : ''}${fmt(r.total)}`,
        ]);
    }
    const notes = [
      `${p.samples} samples every ${fmt(p.interval)} ${unit}, ${p.iterations} timed iterations; per iteration. Profile: ${p.file ? `profiles/${path.basename(p.file)}` : '(not written)'} next to this report.`,
    ];
    const short = p.phases.filter((ph) => ph.span < 5 * p.interval).map((ph) => ph.phase.toUpperCase());
    if (short.length)
      notes.push(
        `${short.join(', ')} ${short.length > 1 ? 'are' : 'is'} shorter than five sample intervals: ${short.length > 1 ? 'their' : 'its'} rows are rough (one sample's interval reaches into the next phase); a smaller --profile-interval sharpens them.`,
      );
    if (p.truncated)
      notes.push(
        "The profiler's pool ran low and sampling stopped early: only the iterations before that are counted (raise --profile-interval).",
      );
    tables.push({
      title: `${p.app} (${p.impl}, ${p.kernels} kernels)`,
      notes,
      head,
      align,
      rows,
      breaks,
    });
  }
  return {
    id: 'profile',
    title: 'Where the JS time goes (profiling build)',
    notes: [
      `From XS's sampling profiler in the profiling firmware (build/${result.target}+profile: xsProfile.c with metering, bytecode with line numbers). Its numbers are that build's, not the release image's (docs/profiling.md gives the overhead).`,
      'Per phase (the span after the phase name is its mean length per iteration), the functions that ran most: self is time in the function itself, total adds what it called (from the profile\'s call graph; "<=" when a callee also has other callers: an upper bound). A host function (invoke, ticks32) counts the C it ran as its self time; XS\'s typed-array element accessor (every a[i]) counts for the function that indexed the array. Near a phase boundary up to one sample interval may go to the neighbouring function.',
    ],
    tables,
  };
}
