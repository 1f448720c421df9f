// Turns the records of a session (live or replayed from a recording) into benchmark runs:
// every `done` record closes one run and names it (app, impl, kernels); its `iter`, `ops`
// and `mem` records carry the raw ticks, converted here with the session's tick unit.
import type {
  DeviceRecord,
  DoneRecord,
  InfoRecord,
  IterRecord,
  MemRecord,
  OpsRecord,
  TickUnit,
} from '../bridge/protocol.ts';
import type { BenchRun, CounterMedians, Phase } from './result.ts';
import { summarize } from './stats.ts';

export interface CollectedRun extends BenchRun {
  run: number;
  arena?: { head: number; tail: number; used: number; size: number };
  cStackPeak?: number;
  jsStackPeak?: number;
  xs?: Record<string, number>;
  results: { label?: number; score?: number; value?: number; case?: number }[];
}

/** Raw ticks in the session's unit. Instructions are whole (ticks × 40/128 is exact to ±1). */
export function toUnit(ticks: number, tick: TickUnit): number {
  const value = (ticks * tick.num) / tick.den;
  return tick.unit === 'instr' ? Math.round(value) : value;
}

/** The tick unit of a session: from the hello's info (or the boot info). */
export function sessionTick(records: DeviceRecord[]): TickUnit {
  const info = records.filter((r): r is InfoRecord => r.kind === 'info').pop();
  if (!info) throw new Error('no info record: the session never said what its ticks mean');
  return info.tick;
}

/** What the counts say about a run's timed phases (BenchRun.ioFree). */
export function ioFreeOf(run: Pick<BenchRun, 'io' | 'iterations'>): boolean | null {
  const io = run.io;
  if (io === undefined) return null;
  const total = (c: { populate: number; invoke: number; respond: number }) => c.populate + c.invoke + c.respond;
  if (total(io.bytes) + total(io.calls) > 0) return false;
  return io.counted === run.iterations && run.iterations > 0 ? true : null;
}

export function collectRuns(records: DeviceRecord[]): CollectedRun[] {
  const tick = sessionTick(records);
  const runs: CollectedRun[] = [];
  for (const done of records.filter((r): r is DoneRecord => r.kind === 'done')) {
    const extra = (done.extra ?? {}) as {
      app?: string;
      model?: string;
      impl?: string;
      kernels?: string;
      warmup?: number;
      wrong?: number;
    };
    const iters = records.filter((r): r is IterRecord => r.kind === 'iter' && r.run === done.run && !r.warmup);
    const ops = records.filter((r): r is OpsRecord => r.kind === 'ops' && r.run === done.run);
    // mem records carry no run id: the one between this run's last iter and its done belongs to it.
    const doneIndex = records.indexOf(done);
    const mem = records
      .slice(0, doneIndex)
      .reverse()
      .find((r): r is MemRecord => r.kind === 'mem');
    const phase = (p: 'populate' | 'invoke' | 'respond' | 'total') => iters.map((i) => toUnit(i.ticks[p], tick));
    const wrong = extra.wrong ?? iters.filter((i) => i.correct === false).length;
    const correct =
      done.status === 0 && wrong === 0 && iters.length === done.iterations && iters.every((i) => i.correct !== false);
    // The device checks nothing when the golden outputs are another model's (no `ok` at all).
    const unchecked = correct && iters.length > 0 && iters.every((i) => i.correct === undefined);
    const run: CollectedRun = {
      run: done.run,
      app: extra.app ?? `run ${done.run}`,
      impl: (extra.impl ?? 'c') as BenchRun['impl'],
      kernels: (extra.kernels ?? 'reference') as BenchRun['kernels'],
      iterations: iters.length,
      warmup: extra.warmup ?? 0,
      correct: unchecked ? null : correct,
      wrong,
      phases: iters.length
        ? {
            populate: summarize(phase('populate')),
            invoke: summarize(phase('invoke')),
            respond: summarize(phase('respond')),
            total: summarize(phase('total')),
          }
        : (undefined as unknown as BenchRun['phases']),
      totals: phase('total'),
      txOverflow: done.tx.dropped + done.tx.oversize,
      iterationsDevice: done.iterations,
      tx: { peak: done.tx.peak, cap: done.tx.cap },
      results: iters.map((i) => (i.result ?? {}) as CollectedRun['results'][number]),
    };
    if (extra.model !== undefined) run.model = extra.model;
    const counted = iters.filter((i) => i.counters && i.instr);
    if (counted.length && counted.length === iters.length) run.counters = counterMedians(counted, tick);
    const ioCounted = iters.filter((i) => i.io !== undefined);
    if (ioCounted.length) {
      const sum = (k: 'bytes' | 'calls', p: 'populate' | 'invoke' | 'respond') =>
        ioCounted.reduce((a, i) => a + i.io![k][p], 0);
      const per = (k: 'bytes' | 'calls') => ({
        populate: sum(k, 'populate'),
        invoke: sum(k, 'invoke'),
        respond: sum(k, 'respond'),
      });
      run.io = { counted: ioCounted.length, bytes: per('bytes'), calls: per('calls') };
    }
    run.ioFree = ioFreeOf(run);
    if (ops.length) {
      run.ops = ops
        .flatMap((o) =>
          o.ticks.map((t, k) => ({ index: o.first + k, op: o.names?.[k] ?? '?', time: toUnit(t, tick), macs: 0 })),
        )
        .sort((a, b) => a.index - b.index);
    }
    if (mem?.arena)
      run.arena = {
        head: mem.arena.head ?? 0,
        tail: mem.arena.tail ?? 0,
        used: mem.arena.used ?? 0,
        size: mem.arena.size ?? 0,
      };
    if (mem?.stack?.c !== undefined) run.cStackPeak = mem.stack.c;
    if (mem?.stack?.js !== undefined) run.jsStackPeak = mem.stack.js;
    if (mem?.xs) run.xs = mem.xs;
    runs.push(run);
  }
  return runs;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Per phase, the median of each counter over the iterations (cycles in the session's unit). */
function counterMedians(iters: IterRecord[], tick: TickUnit): Record<Phase, CounterMedians> {
  const out = {} as Record<Phase, CounterMedians>;
  for (const p of ['populate', 'invoke', 'respond', 'total'] as const) {
    const field = (f: 'cpi' | 'exc' | 'sleep' | 'lsu' | 'fold' | 'samples') =>
      median(iters.map((i) => i.counters![p][f]));
    const cycles = median(iters.map((i) => toUnit(i.counters![p].cycles, tick)));
    const instr = median(iters.map((i) => i.instr![p]));
    out[p] = {
      cycles,
      instr,
      cpi: instr > 0 ? cycles / instr : NaN,
      stalls: { cpi: field('cpi'), exc: field('exc'), sleep: field('sleep'), lsu: field('lsu'), fold: field('fold') },
      samples: field('samples'),
    };
  }
  return out;
}
