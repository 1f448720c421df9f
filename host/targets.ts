// The firmware targets and what distinguishes them on the host side.
import type { UartSettings } from './bridge/protocol.ts';
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
  /** The serial link the host opens by default; must equal XSINFER_UART_BAUD/FORMAT in
   *  firmware/targets/<t>/target.cmake (test/foundation/link-settings.test.ts). A build's
   *  bin/board.json takes precedence, --baud over both. null: the link is not a UART. */
  uart: UartSettings | null;
}

export const targetInfo: Record<Target, TargetInfo> = {
  'mps2-an500': {
    unit: 'instr',
    arm: true,
    runsHere: true,
    flashLimit: 4 * 1024 * 1024,
    ramLimit: 4 * 1024 * 1024,
    uart: { baud: 115200, format: '8N1' },
  },
  'stm32f769i-disco': {
    unit: 'cycles',
    arm: true,
    runsHere: false,
    flashLimit: 2 * 1024 * 1024,
    ramLimit: 512 * 1024,
    uart: { baud: 921600, format: '8N1' },
  },
  host: { unit: 'ns', arm: false, runsHere: true, flashLimit: null, ramLimit: null, uart: null },
};

export function parseTarget(value: string): Target {
  if ((targets as readonly string[]).includes(value)) return value as Target;
  throw new XsinferError('BAD_ARGUMENT', `unknown target '${value}': use one of ${targets.join(', ')}`);
}
