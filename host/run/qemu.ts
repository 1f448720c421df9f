// The one QEMU recipe for mps2-an500 (DESIGN.md §3): icount shift=7 makes instruction
// counts exact and repeatable; semihosting gives files, the command line and the exit status.
import path from 'node:path';

export const QEMU_BINARY = 'qemu-system-arm';

export function qemuArgs(opts: { elf: string; args?: string[]; serial: string }): string[] {
  const semihosting = ['enable=on', 'target=native', `arg=${path.basename(opts.elf, '.elf')}`];
  for (const arg of opts.args ?? []) {
    // QEMU's option syntax escapes a comma inside a value by doubling it.
    semihosting.push(`arg=${arg.replace(/,/g, ',,')}`);
  }
  return [
    '-M',
    'mps2-an500',
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
