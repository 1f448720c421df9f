// `xsinfer bootstrap`: check (and as root install) the system toolchain.
import type { Command } from 'commander';
import { bootstrap } from '../../toolchain/bootstrap.ts';

export function register(program: Command): void {
  program
    .command('bootstrap')
    .description('check the system toolchain; as root, install missing Debian packages')
    .action(() => bootstrap());
}
