// The `xsinfer` command line: every module in ./commands registers its subcommands.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { XsinferError } from '../errors.ts';

const exitStatus: Record<string, number> = {
  TOOLCHAIN_MISSING: 3,
  BUILD_FAILED: 4,
  RUN_FAILED: 5,
  TIMEOUT: 6,
  BAD_ARGUMENT: 2,
  NOT_SUPPORTED: 7,
  NO_PROBE: 8,
  VERIFY_FAILED: 9,
  FLASH_FAILED: 10,
  CHECK_FAILED: 11,
};

export async function createProgram(): Promise<Command> {
  const program = new Command();
  program
    .name('xsinfer')
    .description('Scripted TinyML inference on the STM32F769: build, boot, verify and benchmark JS vs C')
    .showHelpAfterError()
    .option(
      '--manifest-platform <platform>',
      "build and run with another platform's manifest.json settings (apps, defines, creation), e.g. the F769's memory budget on mps2-an500; builds go to build/<target>+<platform>",
    )
    .option(
      '--manifest <file>',
      "build with this manifest.json instead of the repository's (it may `include` that one); builds go to build/<target>+m<hash>",
    )
    .hook('preAction', (command) => {
      const opts = command.opts<{ manifestPlatform?: string; manifest?: string }>();
      if (opts.manifestPlatform) process.env.XSINFER_MANIFEST_PLATFORM = opts.manifestPlatform;
      if (opts.manifest) process.env.XSINFER_MANIFEST = opts.manifest;
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

export async function main(argv: string[]): Promise<void> {
  const program = await createProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof XsinferError) {
      process.stderr.write(`xsinfer: ${err.message}\n`);
      process.exitCode = exitStatus[err.code] ?? 1;
      return;
    }
    throw err;
  }
}
