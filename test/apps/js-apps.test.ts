// The TypeScript apps under XS give the golden answers on every case, on the host and on
// QEMU's M7, with the same work as the C apps (same labels and raw scores per case), every
// timed phase accounted for, and repeatable instruction counts on QEMU.
import { describe, expect, it } from 'vitest';
import { runCApps } from '../../host/bench/c-apps.ts';
import { runJsApps } from '../../host/bench/js-apps.ts';

const cases: Record<string, number> = { hello_world: 64, mnist: 10, micro_speech: 4, person_detect: 2 };
const expectedLabels: Record<string, number[]> = {
  micro_speech: [2, 3, 0, 0], // yes, no, silence, noise → silence
  mnist: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  person_detect: [1, 0],
};

describe.each(['host', 'mps2-an500'] as const)('JS apps on %s', (target) => {
  // Each app twice: plain-loop TypeScript (apps/<app>) and TypeScript with the native
  // helpers (apps/<app>_fast); both must answer as the C app does.
  const variants = Object.keys(cases).flatMap((app) => [
    [app, app],
    [app, `${app}_fast`],
  ]);
  it.each(variants)(
    '%s as device app %s matches the golden outputs on every case, as the C app does',
    async (app, deviceApp) => {
      const n = cases[app];
      const [js, c] = await Promise.all([
        runJsApps({ target, apps: [deviceApp], kernels: ['reference'], iterations: n, warmup: 1 }),
        runCApps({ target, apps: [app], kernels: ['reference'], iterations: n, warmup: 1 }),
      ]);
      expect(js.notes).toEqual([]);
      expect(js.runs).toHaveLength(1);
      const run = js.runs[0];
      expect(run.impl).toBe('js');
      expect(run.app).toBe(deviceApp);
      expect(run.wrong).toBe(0);
      expect(js.exitCode).toBe(0);
      expect(run.iterations.every((i) => i.correct)).toBe(true);
      expect(new Set(run.iterations.map((i) => i.caseIndex)).size).toBe(n);
      if (expectedLabels[app]) for (const i of run.iterations) expect(i.label).toBe(expectedLabels[app][i.caseIndex]);
      for (const it of run.iterations) expect(it.total).toBeGreaterThanOrEqual(it.populate + it.invoke + it.respond);
      // Same answers as the C twin, case by case (hello_world's score is y's int8).
      const answers = (r: { iterations: { caseIndex: number; label: number; score: number }[] }) =>
        r.iterations.map((i) => [i.caseIndex, i.label, i.score]);
      expect(answers(run)).toEqual(answers(c.runs[0]));
    },
  );

  it('reports the micro-benchmarks and memory figures', async () => {
    const { micro, memory } = await runJsApps({
      target,
      apps: ['hello_world'],
      kernels: ['reference'],
      iterations: 1,
      warmup: 0,
    });
    expect(micro).not.toBeNull();
    expect(memory).not.toBeNull();
    expect(micro!.fillInput.map((f) => f.bytes)).toEqual([1, 784, 1960, 9216]);
    expect(micro!.argmax.map((a) => a.n)).toEqual([4, 10]);
    expect(memory!.xsHeap.slotsPeak).toBeLessThanOrEqual(memory!.xsHeap.slotsReserved);
    expect(memory!.jsStack.peakSlots).toBeGreaterThan(0);
    expect(memory!.jsStack.peakSlots).toBeLessThanOrEqual(memory!.jsStack.slots);
    expect(memory!.arenas[0]).toMatchObject({ app: 'hello_world', kernels: 'reference' });
    if (target === 'mps2-an500') {
      // Instructions: an empty host call and the cheap timer read cost a few hundred; the
      // 64-bit read costs more; the C stack was used but stayed inside its region.
      // Orderings of exactly repeatable counts (on the host target these are wall-clock
      // nanoseconds of a shared machine, so nothing is compared there).
      for (const f of micro!.fillInput.slice(1)) {
        expect(f.jsSet).toBeLessThan(f.jsLoop); // one native bulk copy beats element stores
        expect(f.cMemcpy).toBeLessThanOrEqual(f.cLoop);
        expect(f.jsLut).toBeGreaterThan(f.cLut);
      }
      expect(micro!.emptyCall).toBeGreaterThan(50);
      expect(micro!.emptyCall).toBeLessThan(400);
      expect(micro!.timerRead.ticks32).toBeLessThan(micro!.timerRead.ticks);
      expect(micro!.timerRead.c).toBeLessThan(100);
      expect(memory!.cStack.peakBytes).toBeGreaterThan(1024);
      expect(memory!.cStack.peakBytes).toBeLessThan(memory!.cStack.bytes);
    }
  });
});

describe('QEMU counts', () => {
  it('are identical for the same JS work in two boots', async () => {
    const args = {
      target: 'mps2-an500' as const,
      apps: ['mnist', 'micro_speech'],
      kernels: ['reference'],
      iterations: 3,
      warmup: 1,
    };
    const a = await runJsApps(args);
    const b = await runJsApps(args);
    expect(a.runs).toHaveLength(2);
    expect(a.runs.map((r) => r.iterations)).toEqual(b.runs.map((r) => r.iterations));
    expect(a.micro).toEqual(b.micro);
    expect(a.memory).toEqual(b.memory);
  });

  it('put INVOKE from JS within 700 instructions of C (the binding call path, timer reads included)', async () => {
    // hello_world optimized: the smallest invoke, identical engine work in both loops. The
    // difference was 1,598, then 1,105 with a JS invoke() method; it is 594 with invoke() a
    // host method, of which ≈230 are the JS span's own ticks32() read (the report states it).
    const args = {
      target: 'mps2-an500' as const,
      apps: ['hello_world'],
      kernels: ['optimized'],
      iterations: 3,
      warmup: 1,
    };
    const [js, c] = await Promise.all([runJsApps(args), runCApps(args)]);
    const gap = js.runs[0].phases.invoke.median - c.runs[0].phases.invoke.median;
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(700);
  });
});
