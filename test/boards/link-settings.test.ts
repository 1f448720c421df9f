// One source of truth for a target's serial settings: firmware/targets/<t>/target.cmake.
// The host's default (targetInfo) must agree with it for every target, the build writes it
// to bin/board.json, the main firmware's `info` record carries it, and a serial port is
// never opened without a rate.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLink } from '../../host/bridge/link.ts';
import { repoRoot } from '../../host/paths.ts';
import { boardJsonPath, readBoardJson } from '../../host/run/link-settings.ts';
import { targetInfo, targets } from '../../host/targets.ts';
import { xsinfer } from '../cli.ts';

/** XSINFER_UART_BAUD / XSINFER_UART_FORMAT as target.cmake sets them, null when it sets none. */
function firmwareUart(target: string): { baud: number; format: string } | null {
  const text = fs.readFileSync(path.join(repoRoot, 'firmware', 'targets', target, 'target.cmake'), 'utf8');
  const baud = /^\s*set\(XSINFER_UART_BAUD\s+(\d+)\)/m.exec(text);
  const format = /^\s*set\(XSINFER_UART_FORMAT\s+(\w+)\)/m.exec(text);
  if (!baud) return null;
  return { baud: Number(baud[1]), format: format ? format[1]! : '' };
}

describe('link settings', () => {
  it.each(targets.map((t) => [t]))('%s: the host default equals the firmware (target.cmake)', (target) => {
    expect(targetInfo[target].uart).toEqual(firmwareUart(target));
  });

  it('the F769 runs USART1 at 921,600 baud 8N1, as the host opens it', () => {
    expect(targetInfo['stm32f769i-disco'].uart).toEqual({ baud: 921600, format: '8N1' });
  });

  it.each([['host'], ['mps2-an500'], ['stm32f769i-disco']] as const)(
    '%s: the build writes the settings to bin/board.json',
    (target) => {
      expect(fs.existsSync(boardJsonPath(target)), boardJsonPath(target)).toBe(true);
      const board = readBoardJson(target)!;
      expect(board.target).toBe(target);
      expect(board.uart).toEqual(targetInfo[target].uart);
    },
  );

  it('the F769 board.json gives the flash base the image links at', () => {
    expect(readBoardJson('stm32f769i-disco')!.flashBase).toBe(0x08000000);
  });

  it("the main firmware's info record carries the settings it was built with", () => {
    const r = xsinfer('run', '--target', 'mps2-an500', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.last).uart).toEqual(firmwareUart('mps2-an500'));
  });

  it('a serial port is not opened without a rate', async () => {
    await expect(openLink('/dev/ttyACM9')).rejects.toThrow(/no baud rate for \/dev\/ttyACM9/);
  });

  it('--port auto with a target that runs here asks for the board', () => {
    const r = xsinfer('run', '--app', 'hello_world', '--port', 'auto');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      "xsinfer: --port auto finds a board's ST-LINK: name the board with --target (stm32f769i-disco, stm32f413zh-nucleo)",
    );
  });

  it('--baud takes only a standard rate', () => {
    const r = xsinfer('monitor', '--port', '/dev/ttyACM9', '--baud', '12345');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^xsinfer: --baud 12345: use one of .*921600/m);
  });
});
