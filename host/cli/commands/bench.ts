// `xsinfer bench`: the JS-vs-C benchmark matrix on one firmware session, with a recording
// and the report (terminal tables, report.md, report.html, result.json) in --out.
// `xsinfer report RECORDING` rebuilds the same from a recording.
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { benchFromRecording, planRuns, runBench } from '../../bench/bench.ts';
import { modelChoice } from '../../bench/session-runs.ts';
import type { KernelSet } from '../../bench/result.ts';
import { renderTerminal } from '../../report/terminal.ts';
import { withDerived } from '../../report/overhead.ts';
import { writeReport } from '../../report/write.ts';
import { loadQemuReference } from '../../board/qemu-reference.ts';
import { setBaudOverride } from '../../run/link-settings.ts';
import { parseTarget, targetList } from '../../targets.ts';
import { inputFile, intOption, listOption, portOption } from '../options.ts';
import { log, printJson } from '../output.ts';

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
}

interface BenchCliOptions {
  target: string;
  port?: string;
  baud?: string;
  apps: string;
  impl: string;
  kernels: string;
  iterations: string;
  warmup: string;
  ops: boolean;
  counters?: boolean;
  qemu?: string;
  model?: string;
  out?: string;
  json?: boolean;
  csv?: boolean;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'JS vs C per phase (POPULATE / INVOKE / RESPOND) for apps × impl × kernel sets, with a recording and an HTML report',
    )
    .option('-t, --target <target>', targetList(), 'mps2-an500')
    .option('-p, --port <port>', 'serial port of a running board (tcp:HOST:PORT, a device path, or auto)')
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option('-a, --apps <apps>', 'comma-separated apps', 'hello_world,micro_speech,mnist')
    .option('--impl <impls>', 'comma-separated: js,c', 'js,c')
    .option('-k, --kernels <sets>', 'comma-separated: reference,optimized', 'reference,optimized')
    .option('-n, --iterations <n>', 'timed iterations per run', '10')
    .option('-w, --warmup <n>', 'warm-up iterations per run', '1')
    .option('--no-ops', 'skip the per-op profile')
    .option(
      '--counters',
      'count core events per phase (DWT: cycles, derived instructions, CPI) on a board that has them; QEMU has none',
    )
    .option(
      '--qemu <result.json>',
      "a QEMU bench's result.json of the same build: the report puts its instructions beside the board's",
    )
    .option(
      '-m, --model <asset|file>',
      "run every app on this model instead of its own: a .tflite file is uploaded into the model slot first (asset upload/model); else an asset the device has (upload/model after `deploy --model`, models/…). Golden checks apply only to the built-in model's bytes",
    )
    .option('-o, --out <dir>', 'output directory (default ./results/<timestamp>/ in the current directory)')
    .option('--csv', 'also write result.csv (one row per run and phase) next to the report')
    .option('--json', 'print the result as JSON (last line)')
    .action(async (opts: BenchCliOptions) => {
      const target = parseTarget(opts.target);
      setBaudOverride(opts.baud);
      const apps = listOption('-a, --apps', opts.apps, [
        'hello_world',
        'micro_speech',
        'micro_speech_stream',
        'mnist',
        'person_detect',
      ] as const);
      const impls = listOption('--impl', opts.impl, ['js', 'c'] as const);
      const kernels = listOption('-k, --kernels', opts.kernels, ['reference', 'optimized'] as const) as KernelSet[];
      const iterations = intOption('-n, --iterations', opts.iterations, 1, 10_000);
      const warmup = intOption('-w, --warmup', opts.warmup, 0, 10_000);
      if (opts.port !== undefined) portOption(opts.port);
      const outDir = path.resolve(opts.out ?? path.join('results', timestamp()));
      const showProgress = !opts.json && process.stderr.isTTY;
      const bar = showProgress
        ? new cliProgress.SingleBar(
            { format: 'bench {bar} {value}/{total} runs  {run}', stream: process.stderr },
            cliProgress.Presets.shades_classic,
          )
        : null;
      const model = opts.model !== undefined ? modelChoice(opts.model) : undefined;
      const total = planRuns({ apps, impls, kernels, iterations, warmup, ops: opts.ops, model: model?.asset }).length;
      bar?.start(total, 0, { run: '' });
      if (!showProgress && !opts.json)
        log(`bench on ${target}: ${total} runs of ${iterations} iterations (+${warmup} warm-up)`);
      const { result, recording } = await runBench({
        target,
        port: opts.port,
        apps,
        impls,
        kernels,
        iterations,
        warmup,
        ops: opts.ops,
        counters: !!opts.counters,
        outDir,
        model,
        onRunDone: (spec, index) => {
          if (bar) bar.update(index + 1, { run: `${spec.app} ${spec.impl} ${spec.kernels}` });
          else if (!opts.json) log(`  done ${index + 1}/${total}: ${spec.app} ${spec.impl} ${spec.kernels}`);
        },
      }).finally(() => bar?.stop());
      if (opts.qemu) result.qemu = loadQemuReference(path.resolve(opts.qemu));
      const paths = writeReport(result, outDir, { csv: opts.csv });
      const full = withDerived(result);
      if (opts.json) {
        printJson(full);
      } else {
        process.stdout.write(renderTerminal(full) + '\n');
        log(
          `recording ${recording}\nreport    ${paths.html}\n          ${paths.markdown}${paths.csv ? `\n          ${paths.csv}` : ''}`,
        );
      }
      if (full.runs.some((r) => r.correct === false)) {
        log('xsinfer: some runs gave wrong answers (see the "correct" column)');
        process.exitCode = 1;
      }
    });

  program
    .command('report')
    .description('rebuild the tables, report.md, report.html and result.json from a recording')
    .argument('<recording>', 'a recording.xsirec written by bench')
    .option('-o, --out <dir>', 'output directory (default: next to the recording)')
    .option('--qemu <result.json>', "a QEMU bench's result.json of the same build, beside a board's counted runs")
    .option('--csv', 'also write result.csv (one row per run and phase)')
    .option('--json', 'print the result as JSON (last line)')
    .action((file: string, opts: { out?: string; qemu?: string; json?: boolean; csv?: boolean }) => {
      const result = benchFromRecording(path.resolve(inputFile('recording', file)));
      if (opts.qemu) result.qemu = loadQemuReference(path.resolve(opts.qemu));
      const paths = writeReport(result, path.resolve(opts.out ?? path.dirname(file)), { csv: opts.csv });
      const full = withDerived(result);
      if (opts.json) printJson(full);
      else {
        process.stdout.write(renderTerminal(full) + '\n');
        log(`report ${paths.html}${paths.csv ? `\n       ${paths.csv}` : ''}`);
      }
    });
}
