// The firmware targets and what distinguishes them on the host side.
import type { UartSettings } from './bridge/protocol.ts';
import { XsinferError } from './errors.ts';

export const targets = ['mps2-an500', 'mps2-an386', 'stm32f769i-disco', 'stm32f413zh-nucleo', 'host'] as const;
export type Target = (typeof targets)[number];
/** The targets QEMU emulates here (`qemu` in their TargetInfo). */
export type QemuTarget = 'mps2-an500' | 'mps2-an386';

export interface TargetInfo {
  /** Unit the firmware's ticks convert to. */
  unit: 'instr' | 'cycles' | 'ns';
  /** Cross-compiled for a Cortex-M (else a Linux executable). */
  arm: boolean;
  /** Can run here (QEMU or a host process); the boards need the board. */
  runsHere: boolean;
  flashLimit: number | null;
  ramLimit: number | null;
  /** QEMU's -M machine for the emulated targets, else null. */
  qemu: QemuTarget | null;
  /** The core, for reports that put two targets side by side. */
  core: 'Cortex-M7' | 'Cortex-M4' | 'host';
  /** The emulated stand-in of a board, or the board an emulated target stands in for. */
  pair: Target | null;
  /** The serial link the host opens by default; must equal XSINFER_UART_BAUD/FORMAT in
   *  firmware/targets/<t>/target.cmake (test/foundation/link-settings.test.ts). A build's
   *  bin/board.json takes precedence, --baud over both. null: the link is not a UART. */
  uart: UartSettings | null;
}

const MB = 1024 * 1024;
export const targetInfo: Record<Target, TargetInfo> = {
  'mps2-an500': {
    unit: 'instr',
    arm: true,
    runsHere: true,
    flashLimit: 4 * MB,
    ramLimit: 4 * MB,
    qemu: 'mps2-an500',
    core: 'Cortex-M7',
    pair: 'stm32f769i-disco',
    uart: { baud: 115200, format: '8N1' },
  },
  'mps2-an386': {
    unit: 'instr',
    arm: true,
    runsHere: true,
    flashLimit: 4 * MB,
    ramLimit: 4 * MB,
    qemu: 'mps2-an386',
    core: 'Cortex-M4',
    pair: 'stm32f413zh-nucleo',
    uart: { baud: 115200, format: '8N1' },
  },
  'stm32f769i-disco': {
    unit: 'cycles',
    arm: true,
    runsHere: false,
    flashLimit: 2 * MB,
    ramLimit: 512 * 1024,
    qemu: null,
    core: 'Cortex-M7',
    pair: 'mps2-an500',
    uart: { baud: 921600, format: '8N1' },
  },
  'stm32f413zh-nucleo': {
    unit: 'cycles',
    arm: true,
    runsHere: false,
    flashLimit: 1.5 * MB,
    ramLimit: 320 * 1024,
    qemu: null,
    core: 'Cortex-M4',
    pair: 'mps2-an386',
    uart: { baud: 921600, format: '8N1' },
  },
  host: {
    unit: 'ns',
    arm: false,
    runsHere: true,
    flashLimit: null,
    ramLimit: null,
    qemu: null,
    core: 'host',
    pair: null,
    uart: null,
  },
};

/** The CLI's spelling of the target list, for option help. */
export const targetList = (filter: (t: Target) => boolean = () => true): string => targets.filter(filter).join(' | ');

/** True for the targets QEMU runs here (mps2-an500, mps2-an386). */
export function isQemuTarget(target: Target): target is QemuTarget {
  return targetInfo[target].qemu !== null;
}

/** True for the real boards (flashed over a probe, reached over --port). */
export function isBoardTarget(target: Target): boolean {
  return targetInfo[target].arm && !targetInfo[target].runsHere;
}

export function parseTarget(value: string): Target {
  if ((targets as readonly string[]).includes(value)) return value as Target;
  throw new XsinferError('BAD_ARGUMENT', `unknown target '${value}': use one of ${targets.join(', ')}`);
}
