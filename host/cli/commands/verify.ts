// `xsinfer verify`: run every golden case on a target with one kernel set, byte for byte.
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { dataDir as defaultDataDir } from '../../data.ts';
import type { KernelSet } from '../../engine/device.ts';
import { goldenCaseCount, goldenFiles, verify, type ModelResult } from '../../engine/verify.ts';
import { openWireDevice, wireTarget, type WireDevice, type WireTargetOptions } from '../../engine/wire-device.ts';
import { exitCodes, XsinferError } from '../../errors.ts';
import type { Target } from '../../targets.ts';
import { enumOption, inputDir, portOption } from '../options.ts';
import { log, printJson } from '../output.ts';

function describe(r: ModelResult | { model: string; missingOps: string[] }): string {
  if ('missingOps' in r) return `SKIP ${r.model.padEnd(48)} missing ops: ${r.missingOps.join(', ')}`;
  const ok = r.failed === 0 && r.perOp.failed === 0;
  const perOp =
    r.perOp.passed + r.perOp.failed > 0 ? `  per-op ${r.perOp.passed}/${r.perOp.passed + r.perOp.failed}` : '';
  const diff = r.maxAbsDiff !== undefined ? `  max |diff| ${r.maxAbsDiff.toExponential(2)}` : '';
  const mm = r.firstMismatch
    ? `  first mismatch: case ${r.firstMismatch.case}${r.firstMismatch.op !== undefined ? ` op ${r.firstMismatch.op}` : ''} index ${r.firstMismatch.index} expected ${r.firstMismatch.expected} actual ${r.firstMismatch.actual}`
    : '';
  return `${ok ? 'PASS' : 'FAIL'} ${r.model.padEnd(48)} ${r.passed}/${r.cases} cases ${r.match}${perOp}${diff}${mm}`;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description(
      'run every golden case (DATA/golden, DATA/ops/golden) through the engine on a target: integer outputs bit-exact, float32 within 1e-5',
    )
    .option(
      '-t, --target <target>',
      'mps2-an500 | mps2-an386 | host; with --port also stm32f769i-disco | stm32f413zh-nucleo',
      'mps2-an500',
    )
    .option('-k, --kernels <set>', 'reference | optimized', 'reference')
    .option('-d, --data <dir>', 'test data directory (default: the project testdata/)')
    .option('-m, --models <names>', 'only these golden files (comma-separated stems)')
    .option(
      '-p, --port <port>',
      'a board running the main firmware: a path, tcp:HOST:PORT or auto (models uploaded, cases sent over the wire)',
    )
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option(
      '--via-wire',
      "run the cases over the wire on the target's main firmware booted here (as --port does on a board)",
    )
    .option('--json', 'print the result as JSON (last line)')
    .action(async (opts: WireTargetOptions & { kernels: string; data?: string; models?: string }) => {
      // A board's cases always go over the wire (and need --port).
      const where = wireTarget(opts, portOption);
      let target: Target = where.target;
      const wire = where.wire;
      enumOption('-k, --kernels', opts.kernels, ['reference', 'optimized'] as const);
      const dataDir = path.resolve(opts.data !== undefined ? inputDir('--data', opts.data) : defaultDataDir());
      // A check that finds nothing to check fails: no golden cases is an error, before any build.
      const files = goldenFiles(dataDir);
      if (files.length === 0 || goldenCaseCount(files) === 0)
        throw new XsinferError(
          'BAD_INPUT',
          `no golden cases in ${dataDir}: expected golden/*.json or ops/golden/*.json (testdata/README.md)`,
        );
      const only = opts.models
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const stems = files.map((f) => path.basename(f, '.json'));
      const unknown = (only ?? []).filter((m) => !stems.includes(m));
      if (only && (only.length === 0 || unknown.length))
        throw new XsinferError(
          'BAD_ARGUMENT',
          `-m, --models: no golden file ${unknown.map((m) => `'${m}'`).join(', ') || `in '${opts.models}'`} in ${dataDir} (stems such as ${stems.slice(0, 3).join(', ')})`,
        );
      let device: WireDevice | undefined;
      if (wire) {
        device = await openWireDevice({ target, port: opts.port, command: 'verify' });
        target = device.info.target as Target;
      }
      if (!opts.json)
        log(
          `verify on ${target}${device ? ` over the wire (${device.description})` : ''} with ${opts.kernels} kernels, data ${dataDir}`,
        );
      const total = files.filter((f) => !only || only.includes(path.basename(f, '.json'))).length;
      const bar =
        !opts.json && process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: 'verify {bar} {value}/{total} models  {model}', stream: process.stderr },
              cliProgress.Presets.shades_classic,
            )
          : null;
      bar?.start(total, 0, { model: '' });
      let done = 0;
      const result = await verify({
        target,
        kernels: opts.kernels as KernelSet,
        dataDir,
        models: only,
        wire: device?.session,
        onModel: opts.json
          ? undefined
          : (r) => {
              const line = describe(r);
              // Passing models only move the bar; failures and skips are printed.
              if (bar) {
                bar.update(++done, { model: r.model });
                if (!line.startsWith('PASS')) process.stderr.write(`\n${line}\n`);
              } else log(line);
            },
      }).finally(() => device?.close());
      bar?.stop();
      const t = result.totals;
      if (opts.json) printJson(result);
      else {
        log(
          `${t.models} models, ${t.passed}/${t.cases} cases passed, per-op ${t.perOpPassed}/${t.perOpPassed + t.perOpFailed}, ${result.skipped.length} skipped`,
        );
      }
      if (t.cases === 0)
        throw new XsinferError(
          'CHECK_FAILED',
          `no golden case ran on ${target} (${result.skipped.length} model(s) skipped for missing ops)`,
        );
      if (!result.ok) {
        log(
          `xsinfer: ${t.failed} of ${t.cases} golden cases and ${t.perOpFailed} per-op checks failed on ${target} (${opts.kernels} kernels)`,
        );
        process.exitCode = exitCodes.CHECK_FAILED;
      }
    });
}
