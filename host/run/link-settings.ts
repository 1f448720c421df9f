// The serial settings a device link is opened with. One source per target:
// firmware/targets/<t>/target.cmake (XSINFER_UART_BAUD, XSINFER_UART_FORMAT) is compiled into
// the image (its `info` record carries them) and written to bin/board.json beside it at
// build time; targetInfo[t].uart is the host's copy for when no build is at hand, and a
// test keeps the two equal. A --baud option overrides both for the whole command.
import fs from 'node:fs';
import path from 'node:path';
import type { UartSettings } from '../bridge/protocol.ts';
import { openLink, type Link } from '../bridge/link.ts';
import { buildDirFor } from '../build/firmware.ts';
import { XsinferError } from '../errors.ts';
import { targetInfo, type Target } from '../targets.ts';

/** bin/board.json as the firmware build writes it (firmware/CMakeLists.txt). */
export interface BoardJson {
  target: string;
  uart: UartSettings | null;
  /** Where the image's first byte goes in the chip's address space (flashing); null: no flash. */
  flashBase: number | null;
}

let baudOverride: number | undefined;

/** The standard rates a host UART driver and an STM32 USART both take. */
const RATES = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 2000000];

/** --baud: validated, then used by every link this process opens. */
export function setBaudOverride(value: string | undefined): void {
  if (value === undefined) return;
  const n = Number(value);
  if (!Number.isInteger(n) || !RATES.includes(n))
    throw new XsinferError('BAD_ARGUMENT', `--baud ${value}: use one of ${RATES.join(', ')}`);
  baudOverride = n;
}

export function boardJsonPath(target: Target): string {
  return path.join(buildDirFor(target), 'bin', 'board.json');
}

/** The build's bin/board.json, or null when the target has not been built here. */
export function readBoardJson(target: Target): BoardJson | null {
  const file = boardJsonPath(target);
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BoardJson;
  } catch (err) {
    throw new XsinferError('BUILD_FAILED', `${file} is not valid JSON (${(err as Error).message}): rebuild the target`);
  }
}

/** The settings a link to the target's firmware uses: --baud, else the build's board.json,
 *  else the host's default for the target. */
export function uartFor(target: Target): UartSettings | null {
  const built = readBoardJson(target)?.uart ?? targetInfo[target].uart;
  if (baudOverride !== undefined) return { baud: baudOverride, format: built?.format ?? '8N1' };
  return built;
}

/** Opens --port syntax (path, tcp:HOST:PORT, auto) for a device running the target's firmware. */
export function openBoardLink(spec: string, target: Target): Promise<Link> {
  // The ST-LINK belongs to a board: its link settings are that board's, not QEMU's defaults.
  if (spec === 'auto' && targetInfo[target].runsHere) {
    const boards = Object.entries(targetInfo)
      .filter(([, i]) => !i.runsHere)
      .map(([t]) => t);
    return Promise.reject(
      new XsinferError(
        'BAD_ARGUMENT',
        `--port auto finds a board's ST-LINK: name the board with --target (${boards.join(', ')})`,
      ),
    );
  }
  const uart = uartFor(target);
  return openLink(spec, uart ? { baudRate: uart.baud } : {});
}
