// The firmware targets and what distinguishes them on the host side.
import { XsinferError } from './errors.ts';

export const targets = ['mps2-an500', 'stm32f769i-disco', 'host'] as const;
export type Target = (typeof targets)[number];

export interface TargetInfo {
  /** Unit the firmware's ticks convert to. */
  unit: 'instr' | 'cycles' | 'ns';
  /** Cross-compiled for the Cortex-M7 (else a Linux executable). */
  arm: boolean;
  /** Can run here (QEMU or a host process); the F769 needs the board. */
  runsHere: boolean;
  flashLimit: number | null;
  ramLimit: number | null;
}

export const targetInfo: Record<Target, TargetInfo> = {
  'mps2-an500': { unit: 'instr', arm: true, runsHere: true, flashLimit: 4 * 1024 * 1024, ramLimit: 4 * 1024 * 1024 },
  'stm32f769i-disco': { unit: 'cycles', arm: true, runsHere: false, flashLimit: 2 * 1024 * 1024, ramLimit: 512 * 1024 },
  host: { unit: 'ns', arm: false, runsHere: true, flashLimit: null, ramLimit: null },
};

export function parseTarget(value: string): Target {
  if ((targets as readonly string[]).includes(value)) return value as Target;
  throw new XsinferError('BAD_ARGUMENT', `unknown target '${value}': use one of ${targets.join(', ')}`);
}
