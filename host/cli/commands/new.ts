// `xsinfer new DIR`: scaffold a TypeScript app that builds, deploys and benches as it is.
import type { Command } from 'commander';
import type { ModelKind } from '../../generic/input-set.ts';
import { scaffoldApp } from '../../scaffold/new-app.ts';
import { log, printJson } from '../output.ts';

export function register(program: Command): void {
  program
    .command('new')
    .description('scaffold a TypeScript app (main.ts, tsconfig, manifest, README, a model and inputs) in DIR')
    .argument('<dir>', 'a new or empty directory, anywhere')
    .option('-m, --model <file>', 'the .tflite the app runs (copied in; default: a test-data model of the kind)')
    .option(
      '--inputs <dir|file.json>',
      "inputs copied in: a directory of .bin tensors (+ truth CSV) or a golden JSON (default: the model's golden outputs when xsinfer has them, else generated inputs)",
    )
    .option(
      '--kind <kind>',
      'classification | anomaly | regression: what RESPOND computes (default: from the model; without --model classification)',
    )
    .option('--json', 'print {dir, kind, files} as JSON (last line)')
    .action((dir: string, opts: { model?: string; inputs?: string; kind?: string; json?: boolean }) => {
      const r = scaffoldApp(dir, {
        ...(opts.model !== undefined ? { model: opts.model } : {}),
        ...(opts.inputs !== undefined ? { inputs: opts.inputs } : {}),
        ...(opts.kind !== undefined ? { kind: opts.kind as ModelKind } : {}),
      });
      if (opts.json) printJson({ dir: r.dir, kind: r.kind, files: r.files });
      else {
        process.stdout.write(`created ${r.kind} app "${r.name}" in ${r.dir}: ${r.files.join(', ')}\n`);
        log(`next: npx xsinfer bench --app ${dir}`);
      }
    });
}
