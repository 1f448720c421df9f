// `xsinfer compare A B`: two bench results side by side, per run and phase (medians and
// B / A) — e.g. the Cortex-M7 and Cortex-M4 stand-ins, as the write-up compared its boards.
import fs from 'node:fs';
import type { Command } from 'commander';
import { compareResults, loadResult, renderComparison } from '../../report/compare.ts';
import { log, printJson } from '../output.ts';

export function register(program: Command): void {
  program
    .command('compare')
    .description('two bench results side by side (e.g. mps2-an500 vs mps2-an386): medians per phase and B / A')
    .argument('<a>', 'a bench results directory (result.json or recording.xsirec), a result.json or a recording')
    .argument('<b>', 'the same for the other side')
    .option('--markdown <file>', 'also write the table to this markdown file')
    .option('--json', 'print the comparison as JSON (last line)')
    .action(async (a: string, b: string, opts: { markdown?: string; json?: boolean }) => {
      const comparison = compareResults(await loadResult(a), await loadResult(b));
      const text = renderComparison(comparison);
      if (opts.markdown) fs.writeFileSync(opts.markdown, text + '\n');
      if (opts.json) {
        log(text);
        printJson(comparison);
      } else process.stdout.write(text + '\n');
      if (comparison.incorrect.length) process.exitCode = 1;
    });
}
