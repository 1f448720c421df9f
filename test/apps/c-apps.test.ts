// The pure-C apps give the golden answers for every case, on the host and on QEMU's M7,
// with every timed phase accounted for.
import { describe, expect, it } from 'vitest';
import { runCApps } from '../../host/bench/c-apps.ts';
import { summarize } from '../../host/bench/stats.ts';

const expectedLabels: Record<string, number[]> = {
  micro_speech: [2, 3, 0, 0], // yes, no, silence, noise → silence
  mnist: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  person_detect: [1, 0],
};

describe.each(['host', 'mps2-an500'] as const)('C apps on %s', (target) => {
  it.each(['hello_world', 'mnist', 'micro_speech'])('%s matches the golden outputs on every case', async (app) => {
    const cases = { hello_world: 64, mnist: 10, micro_speech: 4 }[app]!;
    const { runs, exitCode } = await runCApps({
      target,
      apps: [app],
      kernels: ['reference'],
      iterations: cases,
      warmup: 1,
    });
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run.wrong).toBe(0);
    expect(exitCode).toBe(0);
    expect(run.iterations.every((i) => i.correct)).toBe(true);
    expect(new Set(run.iterations.map((i) => i.caseIndex)).size).toBe(cases);
    if (expectedLabels[app]) for (const i of run.iterations) expect(i.label).toBe(expectedLabels[app][i.caseIndex]);
    for (const it of run.iterations) expect(it.total).toBeGreaterThanOrEqual(it.populate + it.invoke + it.respond);
  });
});

describe('QEMU counts', () => {
  it('are identical for the same work in two boots', async () => {
    const a = await runCApps({
      target: 'mps2-an500',
      apps: ['mnist'],
      kernels: ['reference'],
      iterations: 3,
      warmup: 1,
    });
    const b = await runCApps({
      target: 'mps2-an500',
      apps: ['mnist'],
      kernels: ['reference'],
      iterations: 3,
      warmup: 1,
    });
    expect(a.runs[0].iterations).toEqual(b.runs[0].iterations);
  });
});

describe('summaries', () => {
  it('computes min/median/avg/p95/max', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ min: 1, median: 3, avg: 3, p95: 5, max: 5, n: 5 });
    expect(summarize([1, 2, 3, 4]).median).toBe(2.5);
  });
});
