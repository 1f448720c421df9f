// `xsinfer deploy APP [--model M] [--target T | --port P]`: compile a device app to an XS
// archive for the firmware the device runs and send it (and a model) over the wire; the
// device verifies and starts it without a reflash. --json: {app, bytes, chunks, ms, started}.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { deploy } from '../../deploy/deploy.ts';
import { XsinferError } from '../../errors.ts';
import { setBaudOverride } from '../../run/link-settings.ts';
import { parseTarget } from '../../targets.ts';
import { inputFile, portOption } from '../options.ts';
import { log, printJson } from '../output.ts';

interface DeployCliOptions {
  model?: string;
  target: string;
  port?: string;
  baud?: string;
  base?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('deploy')
    .description('send an app (TypeScript → XS archive) and/or a model to a running main firmware, no reflash')
    .argument('[app]', 'app directory (<root>/apps/<name>/ with main.ts) or its manifest.json')
    .option('--model <file>', 'a .tflite model for the device\'s model slot (apps read it as asset "upload/model")')
    .option(
      '-t, --target <target>',
      'mps2-an500 | mps2-an386 (find the board `xsinfer run --program xsinfer --keep` started) | stm32f769i-disco | stm32f413zh-nucleo | host',
      'mps2-an500',
    )
    .option('-p, --port <port>', 'the device link: serial path, tcp:HOST:PORT or auto')
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option(
      '--base <xsa>',
      'built-in archive of the firmware the device runs (default build/<target>/gen/xs_archive.xsa)',
    )
    .option('--json', 'print {app, bytes, chunks, ms, started} as JSON (last line)')
    .action(async (app: string | undefined, opts: DeployCliOptions) => {
      const target = parseTarget(opts.target);
      setBaudOverride(opts.baud);
      if (!app && !opts.model)
        throw new XsinferError('BAD_ARGUMENT', 'nothing to deploy: give an app directory or manifest, and/or --model');
      if (opts.model !== undefined) inputFile('--model', opts.model);
      if (opts.port !== undefined) portOption(opts.port);
      // A progress bar only for a person at a terminal: never under --json.
      const bar =
        process.stderr.isTTY && !opts.json
          ? new cliProgress.SingleBar(
              { format: 'deploy {what} {bar} {value}/{total} bytes', stream: process.stderr },
              cliProgress.Presets.shades_classic,
            )
          : null;
      let current = '';
      try {
        const result = await deploy({
          app,
          model: opts.model,
          target,
          port: opts.port,
          baseArchive: opts.base,
          log: (line) => {
            bar?.stop();
            current = '';
            log(line);
          },
          onProgress: (what, sent, total) => {
            if (!bar) return;
            if (current !== what) {
              bar.start(total, 0, { what });
              current = what;
            }
            bar.update(sent, { what });
          },
        });
        bar?.stop();
        if (opts.json) {
          printJson({
            app: result.app,
            bytes: result.bytes,
            chunks: result.chunks,
            ms: Math.round(result.ms),
            buildMs: Math.round(result.buildMs),
            sendMs: Math.round(result.sendMs),
            started: result.started,
            main: result.main ?? null,
            model: result.model ?? null,
          });
        } else {
          log(`deployed in ${Math.round(result.ms)} ms`);
        }
        if (app && !result.started) process.exitCode = 5;
      } finally {
        bar?.stop();
      }
    });
}
