// The `xsinfer` command line: every module in ./commands registers its subcommands. Every
// failure ends here as one line on stderr and the exit status of its code (host/errors.ts,
// docs/errors.md); with --json the last stdout line is {"error": {code, message}}; the
// stack only with --stack-trace.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { exitCodes, toXsinferError } from '../errors.ts';
import { buildRoot } from '../paths.ts';
import { builtFirmwareId, packageVersion, sourceBuildId, xsVersion } from '../versions.ts';
import { targets } from '../targets.ts';
import { enumOption, inputFile } from './options.ts';
import { printJson } from './output.ts';

export async function createProgram(): Promise<Command> {
  const program = new Command();
  program
    .name('xsinfer')
    .description('Scripted TinyML inference on the STM32F769: build, boot, verify and benchmark JS vs C')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .option('-V, --version', 'print the package, XS and build versions (with --json: {version, xs, build})')
    .option('--stack-trace', 'print the stack of an error (errors are one line without it)')
    .option(
      '--manifest-platform <platform>',
      "build and run with another platform's manifest.json settings (apps, defines, creation), e.g. the F769's memory budget on mps2-an500; builds go to build/<target>+<platform>",
    )
    .option(
      '--manifest <file>',
      "build with this manifest.json instead of the repository's (it may `include` that one); builds go to build/<target>+m<hash>",
    )
    .option(
      '--debug',
      "the debug flavour of the firmware: XS's debugger (xsbug) and TypeScript line information; builds go to build/<target>+debug",
    )
    .hook('preAction', (command) => {
      const opts = command.opts<{ manifestPlatform?: string; manifest?: string; debug?: boolean }>();
      if (opts.debug) process.env.XSINFER_FLAVOUR = 'debug';
      if (opts.manifestPlatform !== undefined)
        process.env.XSINFER_MANIFEST_PLATFORM = enumOption('--manifest-platform', opts.manifestPlatform, targets);
      if (opts.manifest !== undefined) process.env.XSINFER_MANIFEST = inputFile('--manifest', opts.manifest);
    });
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { register?: (p: Command) => void };
    mod.register?.(program);
  }
  return program;
}

/** The options before a `--`: what the error path needs even when parsing failed. */
function flags(argv: string[]): { json: boolean; stackTrace: boolean; args: string[] } {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  const opts = end < 0 ? args : args.slice(0, end);
  return { json: opts.includes('--json'), stackTrace: opts.includes('--stack-trace'), args: opts };
}

/** `xsinfer --version`: the package, XS and the firmware build id (the tree's, and each built image's). */
function printVersion(json: boolean): void {
  const firmware: Record<string, string> = {};
  if (fs.existsSync(buildRoot)) {
    for (const name of fs.readdirSync(buildRoot).sort()) {
      const id = builtFirmwareId(path.join(buildRoot, name));
      if (id) firmware[name] = id;
    }
  }
  const v = { version: packageVersion(), xs: xsVersion(), build: sourceBuildId(), firmware };
  if (json) printJson(v);
  else {
    process.stdout.write(`xsinfer ${v.version}\nXS ${v.xs ?? 'unknown'}\nbuild ${v.build}\n`);
    for (const [name, id] of Object.entries(firmware)) process.stdout.write(`  build/${name}: ${id}\n`);
  }
}

let reported = false;

/** One failure: a line on stderr (the detail lines after it), the JSON error document, the exit status. */
export function reportFailure(err: unknown, opts: { json: boolean; stackTrace: boolean }): void {
  if (reported) return;
  reported = true;
  const e = toXsinferError(err);
  const [line, ...detail] = e.message.split('\n');
  let message = line ?? '';
  if (e.code === 'BAD_ARGUMENT' && err instanceof CommanderError)
    message +=
      err.code === 'commander.unknownCommand' ? ' (xsinfer --help lists the commands)' : ' (--help lists the options)';
  if (e.code === 'INTERNAL' && !opts.stackTrace) message += ' (run again with --stack-trace to see where)';
  process.stderr.write(`xsinfer: ${message}\n`);
  if (detail.length) process.stderr.write(detail.join('\n') + '\n');
  if (opts.stackTrace) {
    const source = e.cause instanceof Error ? e.cause : e;
    process.stderr.write(`${source.stack ?? String(source)}\n`);
  }
  if (opts.json) {
    printJson({ error: { code: e.code, message, ...(detail.length ? { detail: detail.join('\n') } : {}) } });
  }
  process.exitCode = exitCodes[e.code];
  // What the failed command left open (a QEMU child, a socket) must not keep the CLI alive.
  setTimeout(() => process.exit(), 1000).unref();
}

export async function main(argv: string[]): Promise<void> {
  const { json, stackTrace, args } = flags(argv);
  const fail = (err: unknown) => reportFailure(err, { json, stackTrace });
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    if (args.length > 0 && args.every((a) => ['--version', '-V', '--json', '--stack-trace'].includes(a))) {
      if (args.includes('--version') || args.includes('-V')) {
        printVersion(json);
        return;
      }
    }
    const program = await createProgram();
    await program.parseAsync(argv);
  } catch (err) {
    // --help and a bare `xsinfer` print the usage and leave with commander's status.
    if (
      err instanceof CommanderError &&
      ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code)
    ) {
      process.exitCode = err.exitCode;
      return;
    }
    fail(err);
  }
}
