// `xsinfer fuzz`: bounded libFuzzer runs (ASan + UBSan) of the model reader and the wire receive path.
import type { Command } from 'commander';
import { XsinferError } from '../../errors.ts';
import { fuzzTargets, runFuzz } from '../../fuzz/fuzz.ts';
import { intOption, listOption } from '../options.ts';
import { log, printJson } from '../output.ts';

export function register(program: Command): void {
  program
    .command('fuzz')
    .description('bounded libFuzzer runs of the model reader (+ allocate + invoke) and the wire receive path')
    .option('-s, --seconds <n>', 'seconds per target', '60')
    .option('--targets <names>', 'comma-separated: model,wire', 'model,wire')
    .option('--json', 'print the results as JSON (last line)')
    .action(async (opts: { seconds: string; targets: string; json?: boolean }) => {
      const names = listOption(
        '--targets',
        opts.targets,
        fuzzTargets.map((t) => t.name),
      );
      const seconds = intOption('-s, --seconds', opts.seconds, 1, 86_400);
      const results = [];
      for (const target of fuzzTargets.filter((t) => names.includes(t.name))) {
        if (!opts.json) log(`fuzzing ${target.name} for ${seconds} s …`);
        const result = await runFuzz(target, seconds);
        results.push(result);
        if (!opts.json)
          log(
            `  ${target.name}: ${result.executions.toLocaleString('en-US')} executions, ${result.regressionsReplayed} stored inputs replayed, ${result.crashed ? 'CRASH' : 'clean'}`,
          );
        if (result.crashed) log(result.output);
      }
      if (opts.json) printJson({ results: results.map(({ output: _o, ...r }) => r) });
      if (results.some((r) => r.crashed))
        throw new XsinferError(
          'RUN_FAILED',
          'a fuzzer found a crash; the input is in build/fuzz/<target>/artifacts/ — add it to native/<part>/fuzz/regressions/ once fixed',
        );
    });
}
