// The one QEMU recipe for the emulated targets, mps2-an500 (Cortex-M7) and mps2-an386
// (Cortex-M4) (DESIGN.md §3): icount shift=7 makes instruction counts exact and
// repeatable; semihosting gives files, the command line and the exit status.
import path from 'node:path';
import type { QemuTarget } from '../targets.ts';

export const QEMU_BINARY = 'qemu-system-arm';

export function qemuArgs(opts: { elf: string; args?: string[]; serial: string; machine?: QemuTarget }): string[] {
  const semihosting = ['enable=on', 'target=native', `arg=${path.basename(opts.elf, '.elf')}`];
  for (const arg of opts.args ?? []) {
    // QEMU's option syntax escapes a comma inside a value by doubling it.
    semihosting.push(`arg=${arg.replace(/,/g, ',,')}`);
  }
  return [
    '-M',
    opts.machine ?? 'mps2-an500',
    '-nographic',
    '-monitor',
    'none',
    '-serial',
    opts.serial,
    '-semihosting-config',
    semihosting.join(','),
    '-icount',
    'shift=7',
    '-kernel',
    opts.elf,
  ];
}
