// `xsinfer mlperf`: the MLPerf Tiny runner's protocol against a device in MLPerf mode
// (QEMU booted here, or --port), results.txt / results.json in --out.
import path from 'node:path';
import type { Command } from 'commander';
import { XsinferError } from '../../errors.ts';
import { repoRoot } from '../../paths.ts';
import { parseTarget } from '../../targets.ts';
import { renderMlperf, runMlperf, TASKS, type MlperfTask } from '../../mlperf/mlperf.ts';
import { log, printJson } from '../output.ts';

interface MlperfCliOptions {
  model?: string;
  inputs?: string;
  mode: string;
  impl: string;
  kernels: string;
  task?: string;
  target: string;
  port?: string;
  baud: string;
  iterations: string;
  warmup: string;
  cases?: string;
  out?: string;
  json?: boolean;
}

function whole(value: string, what: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new XsinferError('BAD_ARGUMENT', `${what} must be a whole number ≥ ${min}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('mlperf')
    .description(
      "run a model through the MLPerf Tiny runner's serial protocol on a device in MLPerf mode (TypeScript or C app) and write results.txt / results.json",
    )
    .option('-m, --model <file>', 'the .tflite model (QEMU reads it at start; a board needs `deploy --model` first)')
    .option('--inputs <dir|file.json>', 'a dataset directory (.bin inputs + truth CSV) or a golden JSON')
    .option('--mode <mode>', 'performance | accuracy', 'performance')
    .option('--impl <impl>', 'js | c: who runs th_load_tensor / th_results', 'c')
    .option('-k, --kernels <set>', 'reference | optimized', 'optimized')
    .option('--task <task>', `MLPerf task code: ${TASKS.join(', ')} (default: from the model)`)
    .option('-t, --target <target>', 'mps2-an500 (booted here) or a board with --port', 'mps2-an500')
    .option('-p, --port <port>', 'serial port of a board started in MLPerf mode (or a QEMU pty)')
    .option('--baud <rate>', 'serial baud rate with --port', '115200')
    .option('-n, --iterations <n>', 'inferences per input in performance mode', '10')
    .option('-w, --warmup <n>', 'warm-up inferences per input in performance mode', '1')
    .option('--cases <n>', 'use at most this many inputs (default: all)')
    .option('-o, --out <dir>', 'output directory (default results/mlperf-<timestamp>/)')
    .option('--json', 'print the result as JSON (last line)')
    .action(async (opts: MlperfCliOptions) => {
      if (!opts.model) throw new XsinferError('BAD_ARGUMENT', 'mlperf needs --model FILE.tflite');
      if (!opts.inputs) throw new XsinferError('BAD_ARGUMENT', 'mlperf needs --inputs DIR (or a golden JSON)');
      if (opts.mode !== 'performance' && opts.mode !== 'accuracy')
        throw new XsinferError('BAD_ARGUMENT', `--mode ${opts.mode}: use performance or accuracy`);
      if (opts.impl !== 'js' && opts.impl !== 'c')
        throw new XsinferError('BAD_ARGUMENT', `--impl ${opts.impl}: use js or c`);
      if (opts.kernels !== 'reference' && opts.kernels !== 'optimized')
        throw new XsinferError('BAD_ARGUMENT', `--kernels ${opts.kernels}: use reference or optimized`);
      if (opts.task !== undefined && !TASKS.includes(opts.task as MlperfTask))
        throw new XsinferError('BAD_ARGUMENT', `--task ${opts.task}: use ${TASKS.join(', ')}`);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const result = await runMlperf({
        target: parseTarget(opts.target),
        ...(opts.port ? { port: opts.port, baud: whole(opts.baud, '--baud', 1) } : {}),
        model: opts.model,
        inputs: opts.inputs,
        mode: opts.mode,
        impl: opts.impl,
        kernels: opts.kernels,
        ...(opts.task ? { task: opts.task as MlperfTask } : {}),
        iterations: whole(opts.iterations, '--iterations', 1),
        warmup: whole(opts.warmup, '--warmup', 0),
        ...(opts.cases ? { cases: whole(opts.cases, '--cases', 1) } : {}),
        outDir: path.resolve(opts.out ?? path.join(repoRoot, 'results', `mlperf-${stamp}`)),
        onProgress: (done, total) => {
          if (!opts.json) log(`  input ${done}/${total}`);
        },
      });
      if (opts.json) printJson(result);
      else {
        process.stdout.write(renderMlperf(result) + '\n');
        log(`results ${result.files.txt}\n        ${result.files.json}`);
      }
    });
}
