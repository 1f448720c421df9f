// board-check on the targets that run here: QEMU booted by the command (what applies
// passes, the rest is skipped with a reason) and the host process (its ns clock against the
// host's wall clock). Over a pty: test/boards/port.test.ts.
import { describe, expect, it } from 'vitest';
import { xsinfer } from '../cli.ts';

interface Check {
  name: string;
  ok: boolean | null;
  detail: string;
}

function checks(args: string[]): Record<string, Check> {
  const r = xsinfer('board-check', ...args, '--json');
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.last) as { checks: Check[] };
  return Object.fromEntries(report.checks.map((c) => [c.name, c]));
}

describe('board-check', () => {
  it('mps2-an500 (booted here): link, UART echo, MPU, RAM and flash pass; clock and caches skipped', () => {
    const c = checks(['--target', 'mps2-an500']);
    expect(Object.keys(c)).toEqual(['link', 'clock', 'uart', 'caches', 'mpu', 'ram', 'flash']);
    for (const name of ['link', 'uart', 'mpu', 'ram', 'flash']) expect(c[name]!.ok, c[name]!.detail).toBe(true);
    expect(c.clock!.detail).toMatch(/^skipped: QEMU counts instructions/);
    expect(c.caches!.ok).toBeNull();
    expect(c.mpu!.detail).toMatch(/^MPU on, \d+ regions$/);
    expect(c.ram!.detail).toMatch(/: 0 bad words, [\d,]+ instr$/);
    expect(c.flash!.detail).toMatch(/read back equal; erased again$/);
  });

  it('host: the ns clock agrees with the wall clock; no caches or MPU', () => {
    const c = checks(['--target', 'host', '--clock-ms', '300']);
    expect(c.clock!.ok, c.clock!.detail).toBe(true);
    expect(c.clock!.detail).toMatch(/^300 ms of board ticks took [\d.,]+ ms of host wall clock; no second clock/);
    expect(c.mpu!.ok).toBeNull();
    expect(c.flash!.ok).toBe(true);
  });

  it('a board target without --port is a one-line error (exit 2)', () => {
    const r = xsinfer('board-check', '--target', 'stm32f769i-disco');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('xsinfer: stm32f769i-disco needs --port (its serial port, or "auto"): flash it first');
  });
});
