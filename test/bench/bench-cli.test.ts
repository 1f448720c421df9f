// `xsinfer bench --json` end to end on QEMU (JS under XS and C in one firmware session),
// and `xsinfer report` rebuilding the same numbers from the recording it wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import { xsinfer, xsinferCmd } from '../cli.ts';

describe('xsinfer bench', () => {
  it('measures JS and C per phase on QEMU, proves no I/O in timed regions, and replays from the recording', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-bench-'));
    const r = xsinferCmd`bench --target mps2-an500 --apps hello_world,mnist --kernels reference -n 3
      -o ${out} --json`;
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.last) as BenchResult;
    expect(result.unit).toBe('instr');
    expect(result.runs.map((x) => `${x.app}/${x.impl}/${x.kernels}`).sort()).toEqual([
      'hello_world/c/reference',
      'hello_world/js-helpers/reference',
      'hello_world/js/reference',
      'mnist/c/reference',
      'mnist/js-helpers/reference',
      'mnist/js/reference',
    ]);
    for (const run of result.runs) {
      expect(run.correct).toBe(true);
      expect(run.iterations).toBe(3);
      for (const phase of ['populate', 'invoke', 'respond', 'total'] as const) {
        for (const stat of ['min', 'median', 'avg', 'p95', 'max'] as const)
          expect(run.phases[phase][stat]).toBeGreaterThan(0);
      }
    }
    // JS runs the same model: INVOKE differs only by the cost of the native call.
    const js = result.runs.find((x) => x.app === 'mnist' && x.impl === 'js')!;
    const c = result.runs.find((x) => x.app === 'mnist' && x.impl === 'c')!;
    expect(js.phases.invoke.median - c.phases.invoke.median).toBeGreaterThan(0);
    expect(js.phases.invoke.median - c.phases.invoke.median).toBeLessThan(5_000);
    expect(result.overhead.length).toBe(16); // 2 apps × 2 JS variants × 4 phases
    expect(result.evidence?.every((e) => e.ok)).toBe(true);
    expect(result.micro?.emptyCall).toBeGreaterThan(50);
    // The helpers variant does mnist's POPULATE in one call: within 2× of C's loop.
    const helped = result.runs.find((x) => x.app === 'mnist' && x.impl === 'js-helpers')!;
    expect(helped.phases.populate.median).toBeLessThan(2 * c.phases.populate.median);
    expect(result.memory.xsHeap.peak).toBeGreaterThan(0);
    expect(result.memory.xsHeap.peak).toBeLessThanOrEqual(result.memory.xsHeap.configured);
    for (const f of ['report.md', 'report.html', 'result.json', 'recording.xsirec'])
      expect(fs.existsSync(path.join(out, f))).toBe(true);

    const again = xsinfer('report', path.join(out, 'recording.xsirec'), '-o', path.join(out, 'replayed'), '--json');
    expect(again.status, again.stderr).toBe(0);
    const replayed = JSON.parse(again.last) as BenchResult;
    expect(replayed.runs.map((x) => x.phases)).toEqual(result.runs.map((x) => x.phases));
    expect(replayed.overhead).toEqual(result.overhead);
    expect(replayed.micro).toEqual(result.micro);
  });
});
