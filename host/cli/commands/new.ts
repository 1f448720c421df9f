// `xsinfer new DIR`: scaffold a TypeScript app that builds, deploys and benches as it is.
import type { Command } from 'commander';
import { scaffoldApp } from '../../scaffold/new-app.ts';
import { log, printJson } from '../output.ts';

export function register(program: Command): void {
  program
    .command('new')
    .description('scaffold a TypeScript app (main.ts, tsconfig, manifest, README, a model and inputs) in DIR')
    .argument('<dir>', 'a new or empty directory, anywhere')
    .option('--json', 'print {dir, files} as JSON (last line)')
    .action((dir: string, opts: { json?: boolean }) => {
      const r = scaffoldApp(dir);
      if (opts.json) printJson({ dir: r.dir, files: r.files });
      else {
        process.stdout.write(`created app "${r.name}" in ${r.dir}: ${r.files.join(', ')}\n`);
        log(`next: npx xsinfer bench --app ${dir}`);
      }
    });
}
