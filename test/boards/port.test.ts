// Every device command over --port, on a serial-like link (verify and bench-engine over
// --port: engine-wire.test.ts): the main firmware on QEMU with
// its UART on a pty (opened by serialport at the firmware's baud rate, as a board's VCP
// would be), one board for all commands in turn. None of them may stop the board: a real
// board would halt until its next reset.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { xsinfer, xsinferCmd } from '../cli.ts';
import { mainFirmwareOnPty } from '../qemu-pty.ts';

let qemu: ChildProcess;
let pty: string;
let exited = false;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-port-'));

beforeAll(async () => {
  ({ qemu, pty } = await mainFirmwareOnPty(() => (exited = true)));
});
afterAll(() => {
  qemu.kill('SIGKILL');
});

describe('device commands over --port (QEMU UART on a pty)', () => {
  it('run: the board answers with its info and keeps running', () => {
    const r = xsinfer('run', '--port', pty, '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.last)).toMatchObject({ target: 'mps2-an500', uart: { baud: 115200, format: '8N1' } });
    expect(exited).toBe(false);
  });

  it('run --app: JS and C on the board, correct and agreeing', () => {
    const r = xsinfer('run', '--app', 'hello_world', '--port', pty, '-n', '2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.last);
    expect(result.runs.map((x: { correct: boolean }) => x.correct)).toEqual([true, true]);
    expect(result.implsAgree).toBe(true);
  });

  it('bench: the matrix and its report, and the board still runs', () => {
    const dir = path.join(out, 'bench');
    const r = xsinferCmd`bench --port ${pty} --apps hello_world --kernels reference -n 2 -w 0 --out ${dir} --json`;
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.last);
    expect(
      result.runs.filter((x: { app: string }) => x.app === 'hello_world').every((x: { correct: boolean }) => x.correct),
    ).toBe(true);
    expect(fs.existsSync(path.join(dir, 'report.md'))).toBe(true);
    expect(exited).toBe(false);
  });

  it('deploy --model: uploaded over the pty, then used by run --app', () => {
    const model = path.join(dataDir(), 'models', 'hello_world_int8.tflite');
    const d = xsinfer('deploy', '--model', model, '--port', pty, '--json');
    expect(d.status, d.stderr).toBe(0);
    const r = xsinfer('run', '--app', 'hello_world', '--model', 'upload/model', '--port', pty, '-n', '1', '--json');
    expect(r.status, r.stderr).toBe(0);
    // The testdata model is the built-in one byte for byte: its golden outputs apply.
    expect(JSON.parse(r.last).runs.every((x: { correct: boolean | null }) => x.correct === true)).toBe(true);
  });

  it('monitor --hello: the info record, live', () => {
    const r = xsinfer('monitor', '--target', 'mps2-an500', '--port', pty, '--hello', '--seconds', '2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const records = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(records.find((x) => x.kind === 'info')).toMatchObject({ target: 'mps2-an500' });
  });

  it('board-check: every item that applies passes, the others say why they are skipped', () => {
    const r = xsinfer('board-check', '--port', pty, '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.last);
    expect(report.port).toBe(pty);
    const byName = Object.fromEntries(report.checks.map((c: { name: string }) => [c.name, c]));
    for (const name of ['link', 'uart', 'mpu', 'ram', 'flash']) expect(byName[name].ok, name).toBe(true);
    for (const name of ['clock', 'caches']) {
      expect(byName[name].ok, name).toBeNull();
      expect(byName[name].detail).toMatch(/^skipped: /);
    }
    expect(exited).toBe(false);
  });

  it('board-check fails (exit 1) when the port holds another target than named', () => {
    const r = xsinfer('board-check', '--target', 'stm32f769i-disco', '--port', pty, '--json');
    expect(r.status).toBe(1);
    const link = JSON.parse(r.last).checks.find((c: { name: string }) => c.name === 'link');
    // Both mismatches: the target, and the F769's rate against the rate this image was built with.
    expect(link).toMatchObject({
      ok: false,
      detail:
        'the device is mps2-an500, not stm32f769i-disco; the firmware runs its UART at 115200, the port was opened at 921600',
    });
    expect(r.stderr).toMatch(/^xsinfer: board-check: link failed$/m);
  });
});
