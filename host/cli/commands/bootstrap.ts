// `xsinfer bootstrap`: check (and as root install) the system toolchain.
import type { Command } from 'commander';
import { bootstrap } from '../../toolchain/bootstrap.ts';

export function register(program: Command): void {
  program
    .command('bootstrap')
    .description('check the system toolchain; as root, install missing Debian packages')
    .option('--tests', 'also what the test suite needs (chromium for the HTML report test)')
    .action((opts: { tests?: boolean }) => bootstrap({ forTests: opts.tests }));
}
