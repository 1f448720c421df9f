// The upload slots' flash layer on the targets that run here (firmware/programs/flash-check):
// NOR rules (erase → 0xFF, program only clears bits, program-without-erase and bad ranges
// refused with nothing written), the slot format's commit order and corruption checks, the
// MPU keeping the slots read-only for ordinary stores on QEMU, and slot content surviving
// QEMU's system reset (which re-loads the ELF's segments but not the slot region).
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../host/run/program.ts';

describe.each(['mps2-an500', 'host'] as const)('flash slots on %s', (target) => {
  it('follow NOR rules and the slot format', async () => {
    const run = await runProgram({ target, program: 'flash-check' });
    const text = run.output.toString();
    expect(text).not.toContain('FAIL');
    expect(text).toContain('0 failure(s)');
    // All three slots (app, model A, model B), every check: a check that silently stopped
    // running would lower the count.
    expect(text.match(/^ok {3}/gm)?.length).toBe(3 * (39 + 13));
    expect(text).toMatch(/ok {3}program without erase \(0 -> 1\) is refused/);
    expect(text).toMatch(/ok {3}header without magic loads as incomplete/);
    expect(text).toMatch(/ok {3}stream: seven writes of 1, 3, 5, 2, 1000, 7 and 1982 bytes/);
    expect(text).toMatch(/ok {3}stream: commit with the wrong CRC is refused/);
    expect(run.exitCode).toBe(0);
  });
});

describe('flash slots on mps2-an500 (QEMU)', () => {
  it.each([
    ['fault on a plain store: only board_flash_* opens them', 'write-slot', '003c0000'],
    [
      'fault on a plain store to the lowest slot too (the MPU region starts below it, subregions off)',
      'write-slot-app',
      '00340000',
    ],
  ])('%s', async (_title, check, address) => {
    const run = await runProgram({ target: 'mps2-an500', program: 'flash-check', args: [check] });
    const text = run.output.toString();
    expect(text).toMatch(new RegExp(`\\*\\*\\* MemManage fault: .*MMFAR=${address}`));
    expect(text).not.toContain('did not fault');
    expect(run.exitCode).toBe(70);
  });

  it('keep their content across a system reset', async () => {
    const run = await runProgram({ target: 'mps2-an500', program: 'flash-check', args: ['reset'] });
    const text = run.output.toString();
    expect(text).toContain('slot written, resetting');
    expect(text).toContain('slot survived reset');
    expect(text.match(/flash-check on mps2-an500/g)?.length).toBe(2); // it really booted twice
    expect(run.exitCode).toBe(0);
  });
});
