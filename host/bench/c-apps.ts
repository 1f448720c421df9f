// Runs the pure-C apps through the bench-c program (no wire protocol needed) and turns
// its raw ticks into per-phase summaries in the target's unit (parser shared with the JS
// apps' xs-bench in app-lines.ts).
import { runProgram } from '../run/program.ts';
import type { Target } from '../targets.ts';
import { parseAppRuns, type AppIteration, type AppRun } from './app-lines.ts';

export type CAppIteration = AppIteration;
export type CAppRun = AppRun<'c'>;

export function parseBenchC(output: string): CAppRun[] {
  return parseAppRuns(output, 'BENCH-C', 'c', 'bench-c');
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
