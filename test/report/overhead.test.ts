// The report's derived numbers: JS − C per phase, % of the C iteration, the INVOKE speed-up,
// the no-I/O evidence, and the model rows completed from the runs.
import { describe, expect, it } from 'vitest';
import { deriveEvidence, deriveOverhead, deriveSpeedups, withDerived } from '../../host/report/overhead.ts';
import { fixtureResult, ITERATIONS, makeRun } from './fixture.ts';

const pick = <T extends { app: string; kernels: string; phase: string; impl: string }>(
  rows: T[],
  app: string,
  kernels: string,
  impl: string,
  phase: string,
) => {
  const row = rows.find((r) => r.app === app && r.kernels === kernels && r.impl === impl && r.phase === phase);
  if (!row) throw new Error(`no overhead row ${app}/${kernels}/${impl}/${phase}`);
  return row;
};

describe('overhead', () => {
  const overhead = deriveOverhead(fixtureResult().runs);

  it('has one row per JS run with a C counterpart and per phase', () => {
    // 3 apps × 2 kernel sets of JS runs + micro_speech's JS-over-native-front-end run, × 4 phases
    expect(overhead).toHaveLength(7 * 4);
    expect(overhead.map((o) => o.phase).slice(0, 4)).toEqual(['populate', 'invoke', 'respond', 'total']);
  });

  it('is median JS − median C, as a percentage of the C run’s median total', () => {
    const mnist = pick(overhead, 'mnist', 'optimized', 'js', 'populate');
    expect(mnist.js).toBe(212_400);
    expect(mnist.c).toBe(3_950);
    expect(mnist.jsMinusC).toBe(208_450);
    expect(mnist.cTotal).toBe(1_002_172); // 3,950 + 997,800 + 410 + 12
    expect(mnist.pctOfC).toBeCloseTo(20.79982278491117, 10);

    const hello = pick(overhead, 'hello_world', 'reference', 'js', 'respond');
    expect(hello.jsMinusC).toBe(2_102);
    expect(hello.pctOfC).toBeCloseTo(38.107324147933284, 10);

    const invoke = pick(overhead, 'micro_speech', 'reference', 'js', 'invoke');
    expect(invoke.jsMinusC).toBe(400);

    const frontEnd = pick(overhead, 'micro_speech', 'optimized', 'js-native-frontend', 'populate');
    expect(frontEnd.jsMinusC).toBe(70_000);
    expect(frontEnd.pctOfC).toBeCloseTo(1.7755222445036172, 10);

    const total = pick(overhead, 'micro_speech', 'reference', 'js', 'total');
    expect(total.jsMinusC).toBe(38_713_230); // 50,373,532 − 11,660,302
    expect(total.pctOfC).toBeCloseTo(332.0088107494986, 10);
  });

  it('leaves out JS runs without a C run and runs without iterations', () => {
    const runs = fixtureResult().runs.filter(
      (r) => !(r.app === 'mnist' && r.impl === 'c' && r.kernels === 'optimized'),
    );
    const empty = {
      ...makeRun('hello_world', 'c', 'reference', { populate: 1, invoke: 1, respond: 1, spread: [0, 0, 0] }),
      iterations: 0,
    };
    (empty as { phases?: unknown }).phases = undefined;
    const rows = deriveOverhead([
      ...runs.filter((r) => !(r.app === 'hello_world' && r.impl === 'c' && r.kernels === 'reference')),
      empty,
    ]);
    expect(rows.some((r) => r.app === 'mnist' && r.kernels === 'optimized')).toBe(false);
    expect(rows.some((r) => r.app === 'hello_world' && r.kernels === 'reference')).toBe(false);
    expect(rows).toHaveLength(5 * 4);
  });

  it('withDerived replaces a stale overhead with the one the runs give', () => {
    const stale = {
      ...fixtureResult(),
      overhead: [
        {
          app: 'mnist',
          kernels: 'optimized',
          phase: 'populate' as const,
          jsMinusC: 1,
          pctOfC: 1,
          impl: 'js' as const,
          js: 1,
          c: 0,
          cTotal: 1,
        },
      ],
    };
    const derived = withDerived(stale);
    expect(derived.overhead).toHaveLength(28);
    expect(pick(derived.overhead, 'mnist', 'optimized', 'js', 'populate').jsMinusC).toBe(208_450);
  });
});

describe('speed-up', () => {
  it('is reference INVOKE / optimized INVOKE per app and impl', () => {
    const speedups = deriveSpeedups(fixtureResult().runs);
    // js-native-frontend ran with optimized kernels only: no speed-up row.
    expect(speedups.map((s) => `${s.app}/${s.impl}`)).toEqual([
      'hello_world/js',
      'hello_world/c',
      'mnist/js',
      'mnist/c',
      'micro_speech/js',
      'micro_speech/c',
    ]);
    const micro = speedups.find((s) => s.app === 'micro_speech' && s.impl === 'c')!;
    expect(micro.reference).toBe(9_120_100);
    expect(micro.optimized).toBe(1_402_300);
    expect(micro.ratio).toBeCloseTo(6.50367253797333, 10);
    expect(micro.changePct).toBeCloseTo(-84.62407210447253, 10);
  });
});

describe('no-I/O evidence', () => {
  it('holds when nothing overflowed and every iteration was drained', () => {
    const evidence = deriveEvidence(fixtureResult().runs);
    expect(evidence).toHaveLength(13);
    expect(evidence.every((e) => e.ok && e.drained === true && e.txOverflow === 0)).toBe(true);
  });

  it('fails on an overflow, on a lost iteration, and is unproven without the device count', () => {
    const runs = fixtureResult().runs;
    runs[0].txOverflow = 2;
    runs[1].iterations = ITERATIONS - 1;
    delete runs[2].iterationsDevice;
    const [a, b, c, d] = deriveEvidence(runs);
    expect([a.ok, a.drained]).toEqual([false, true]);
    expect([b.ok, b.drained]).toEqual([false, false]);
    expect([c.ok, c.drained, c.iterationsDevice]).toEqual([false, null, null]);
    expect(d.ok).toBe(true);
  });

  it('reads the counts: output in a timed phase fails, an uncounted run is unproven', () => {
    const runs = fixtureResult().runs;
    runs[0].io = {
      counted: ITERATIONS,
      bytes: { populate: 39 * ITERATIONS, invoke: 0, respond: 0 },
      calls: { populate: ITERATIONS, invoke: 0, respond: 0 },
    };
    delete runs[1].io;
    runs[2].io = { ...runs[2].io!, counted: ITERATIONS - 1 };
    const [a, b, c, d] = deriveEvidence(runs);
    expect([a.ok, a.bytes, a.calls, a.phasesWithIo]).toEqual([false, 39 * ITERATIONS, ITERATIONS, ['populate']]);
    expect([b.ok, b.counted]).toEqual([false, 0]);
    expect([c.ok, c.counted]).toEqual([false, ITERATIONS - 1]);
    expect([d.ok, d.counted, d.bytes, d.calls]).toEqual([true, ITERATIONS, 0, 0]);
  });
});

describe('models', () => {
  it('gets Keras FLOPs, per-MAC cost and speed-up from the runs where the producer left them out', () => {
    const models = withDerived(fixtureResult()).models;
    const hello = models.find((m) => m.model === 'hello_world_int8')!;
    expect(hello.app).toBe('hello_world');
    expect(hello.kerasFlops).toBe(41);
    expect(hello.instrPerMac.reference).toBeCloseTo(18.819444444444443, 10); // C INVOKE 5,420 / 288 MACs
    const mnist = models.find((m) => m.model === 'mnist_int8')!;
    expect(mnist.kerasFlops).toBe(202_810);
    expect(mnist.instrPerMac.optimized).toBeCloseTo(10.69590944172884, 10);
    expect(mnist.speedup).toBeCloseTo(4.711264782521547, 10);
    expect(models.find((m) => m.model === 'micro_speech_quantized')!.kerasFlops).toBe(689_980);
  });
});
