// The foundation end to end: the banner program boots on QEMU's Cortex-M7 and on the
// host, its tick source is exact on QEMU, exit statuses reach the host, and the MPU
// keeps the code region read-only.
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../host/run/program.ts';
import { runStreaming } from '../../host/run/board-session.ts';

function parseCalibration(text: string): [number, number] {
  const m = /calibration loop of 2000000 instructions: (\d+) \w+, again (\d+)/.exec(text);
  if (!m) throw new Error(`no calibration line in:\n${text}`);
  return [Number(m[1]), Number(m[2])];
}

describe('mps2-an500 under QEMU', () => {
  it('prints the banner and an exact, repeatable instruction count', async () => {
    const run = await runProgram({ target: 'mps2-an500', program: 'banner' });
    const text = run.output.toString();
    expect(text).toMatch(/^xsinfer \S+ target=mps2-an500 unit=instr ticks=40\/128/m);
    const [first, second] = parseCalibration(text);
    expect(first).toBe(second);
    // 2,000,000 loop instructions plus the call and the two timer reads.
    expect(first).toBeGreaterThanOrEqual(2_000_000);
    expect(first).toBeLessThan(2_000_100);
    expect(text).toContain('tick self-test ok');
    expect(run.exitCode).toBe(0);
  });

  it('gives identical counts in two separate boots', async () => {
    const a = parseCalibration((await runProgram({ target: 'mps2-an500', program: 'banner' })).output.toString());
    const b = parseCalibration((await runProgram({ target: 'mps2-an500', program: 'banner' })).output.toString());
    expect(a).toEqual(b);
  });

  it('passes the guest exit status through semihosting', async () => {
    for (const status of [0, 3, 77, 255]) {
      const run = await runProgram({ target: 'mps2-an500', program: 'banner', args: [`exit=${status}`] });
      expect(run.exitCode).toBe(status);
    }
  });

  it('extends the 32-bit timer across wraps (1.4 G instructions > 2^32 ticks)', async () => {
    const run = await runProgram({
      target: 'mps2-an500',
      program: 'banner',
      args: ['spin=700000000'],
      timeoutMs: 60_000,
    });
    const m = /spin 700000000 iterations: (\d+) instr/.exec(run.output.toString());
    expect(m).not.toBeNull();
    const instructions = Number(m![1]);
    expect(instructions).toBeGreaterThanOrEqual(1_400_000_000);
    expect(instructions).toBeLessThan(1_400_000_100);
  });

  it('faults on a write to the flash region instead of corrupting it', async () => {
    const run = await runProgram({ target: 'mps2-an500', program: 'banner', args: ['write-flash'] });
    const text = run.output.toString();
    expect(text).toMatch(/\*\*\* (MemManage fault|HardFault)/);
    expect(text).not.toContain('did not fault');
    expect(run.exitCode).toBe(70);
  });

  it('streams over the TCP serial link the way `xsinfer run` does', async () => {
    const chunks: Buffer[] = [];
    const status = await runStreaming({
      target: 'mps2-an500',
      program: 'banner',
      args: ['exit=5'],
      out: (c) => chunks.push(c),
    });
    expect(status).toBe(5);
    expect(Buffer.concat(chunks).toString()).toContain('tick self-test ok');
  });
});

describe('host target', () => {
  it('runs the same program as a Linux process with nanosecond ticks', async () => {
    const run = await runProgram({ target: 'host', program: 'banner', args: ['exit=9'] });
    expect(run.output.toString()).toMatch(/^xsinfer \S+ target=host unit=ns/m);
    expect(run.exitCode).toBe(9);
  });
});
