// The side-by-side table of `xsinfer compare --markdown`: medians per phase, B / A, the runs
// only one side has, and a refusal to compare wrong answers silently.
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import { compareResults, renderComparison } from '../../host/report/compare.ts';
import { fixtureResult } from './fixture.ts';

/** The fixture as if measured on the M4: every phase of every run scaled by `k`. */
function scaled(k: number): BenchResult {
  const r = structuredClone(fixtureResult());
  r.target = 'mps2-an386';
  for (const run of r.runs)
    for (const s of Object.values(run.phases))
      for (const key of ['min', 'median', 'avg', 'p95', 'max'] as const) s[key] *= k;
  return r;
}

describe('compare', () => {
  it('puts every run of both results side by side with B / A per phase', () => {
    const a = fixtureResult();
    const c = compareResults(a, scaled(1.5));
    expect(c.a).toMatchObject({ target: 'mps2-an500', core: 'Cortex-M7', unit: 'instr' });
    expect(c.b).toMatchObject({ target: 'mps2-an386', core: 'Cortex-M4' });
    expect(c.rows).toHaveLength(a.runs.length);
    for (const row of c.rows) {
      const run = a.runs.find((r) => r.app === row.app && r.impl === row.impl && r.kernels === row.kernels)!;
      expect(row.a.invoke).toBe(run.phases.invoke.median);
      expect(row.b.invoke).toBeCloseTo(1.5 * run.phases.invoke.median);
      for (const p of ['populate', 'invoke', 'respond', 'total'] as const) expect(row.ratio[p]).toBeCloseTo(1.5);
    }
    expect(c.onlyA).toEqual([]);
    expect(c.onlyB).toEqual([]);
    const md = renderComparison(c);
    expect(md).toContain('A = mps2-an500 (Cortex-M7)');
    expect(md).toContain('| mnist | reference | TypeScript |');
    expect(md).toContain('1.50×');
  });

  it('lists runs only one side has and names runs that were not correct', () => {
    const b = scaled(1);
    b.runs = b.runs.filter((r) => r.app !== 'hello_world');
    b.runs[0].correct = false;
    const c = compareResults(fixtureResult(), b);
    expect(c.onlyA.length).toBeGreaterThan(0);
    expect(c.onlyA.every((k) => k.startsWith('hello_world/'))).toBe(true);
    expect(c.incorrect).toEqual([`${b.runs[0].app}/${b.runs[0].impl}/${b.runs[0].kernels}`]);
    expect(renderComparison(c)).toContain('NOT CORRECT');
  });
});
