// Runs the pure-C apps through the bench-c program (no wire protocol needed) and turns
// its raw ticks into per-phase summaries in the target's unit.
import { XsinferError } from '../errors.ts';
import { runProgram } from '../run/program.ts';
import type { Target } from '../targets.ts';
import { summarize, type Summary } from './stats.ts';

export interface CAppIteration {
  populate: number;
  invoke: number;
  respond: number;
  total: number;
  label: number;
  score: number;
  correct: boolean;
  caseIndex: number;
}

export interface CAppRun {
  app: string;
  impl: 'c';
  kernels: string;
  unit: string;
  wrong: number;
  iterations: CAppIteration[];
  phases: Record<'populate' | 'invoke' | 'respond' | 'total', Summary>;
}

interface RawRun {
  app: string;
  kernels: string;
  unit: string;
  num: number;
  den: number;
  wrong: number;
  iterations: [number, number, number, number, number, number, number, number][];
}

export function parseBenchC(output: string): CAppRun[] {
  const errors = [...output.matchAll(/BENCH-C-ERROR (\{.*\})/g)].map((m) => m[1]);
  if (errors.length) throw new XsinferError('RUN_FAILED', `bench-c: ${errors.join('; ')}`);
  return [...output.matchAll(/BENCH-C (\{.*\})/g)].map((m) => {
    const raw = JSON.parse(m[1]) as RawRun;
    const unit = (ticks: number) => (ticks * raw.num) / raw.den;
    const iterations = raw.iterations.map(([p, i, r, t, label, score, correct, caseIndex]) => ({
      populate: unit(p),
      invoke: unit(i),
      respond: unit(r),
      total: unit(t),
      label,
      score,
      correct: correct === 1,
      caseIndex,
    }));
    return {
      app: raw.app,
      impl: 'c' as const,
      kernels: raw.kernels,
      unit: raw.unit,
      wrong: raw.wrong,
      iterations,
      phases: {
        populate: summarize(iterations.map((x) => x.populate)),
        invoke: summarize(iterations.map((x) => x.invoke)),
        respond: summarize(iterations.map((x) => x.respond)),
        total: summarize(iterations.map((x) => x.total)),
      },
    };
  });
}

export async function runCApps(opts: {
  target: Target;
  apps: string[];
  kernels: string[];
  iterations: number;
  warmup: number;
}): Promise<{ runs: CAppRun[]; exitCode: number }> {
  const run = await runProgram({
    target: opts.target,
    program: 'bench-c',
    args: [opts.apps.join(','), opts.kernels.join(','), String(opts.iterations), String(opts.warmup)],
    timeoutMs: 900_000,
  });
  return { runs: parseBenchC(run.output.toString()), exitCode: run.exitCode };
}
