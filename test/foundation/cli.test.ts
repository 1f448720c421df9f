// The CLI contract: --json puts one JSON document on the last stdout line, and the F769
// image links within the chip's limits.
import { describe, expect, it } from 'vitest';
import { xsinfer } from '../cli.ts';

describe('xsinfer CLI', () => {
  it('reports the F769 image size against 2 MB flash / 512 KB RAM', () => {
    const r = xsinfer('build', '--target', 'stm32f769i-disco', '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.last);
    expect(report).toMatchObject({ target: 'stm32f769i-disco', flashLimit: 2 * 1024 * 1024, ramLimit: 512 * 1024 });
    for (const key of ['text', 'data', 'bss', 'flashBytes', 'ramBytes']) expect(typeof report[key]).toBe('number');
    expect(report.text).toBeGreaterThan(1000);
    expect(report.flashBytes).toBeLessThan(report.flashLimit);
    expect(report.ramBytes).toBeLessThan(report.ramLimit);
    expect(report.components.board).toBeGreaterThan(0);
  });

  it('runs the QEMU image and reports the exit status as JSON', () => {
    const r = xsinfer('run', '--target', 'mps2-an500', '--program', 'banner', '--json', 'exit=4');
    expect(r.status).toBe(4);
    expect(JSON.parse(r.last)).toMatchObject({ target: 'mps2-an500', exitCode: 4 });
    expect(r.stderr).toContain('tick self-test ok');
  });

  it('boots the main firmware, reports boot cost and the XS heap, and stops it cleanly', () => {
    const r = xsinfer('run', '--target', 'mps2-an500', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.last);
    expect(out).toMatchObject({ target: 'mps2-an500', exitCode: 0, unit: 'instr' });
    // Machine creation + archive map, exactly repeatable: 83,901 instructions with the
    // built-ins and the archive's symbols prepared in flash (firmware/xs/README.md).
    expect(out.bootUnits).toBeGreaterThan(10_000);
    expect(out.bootUnits).toBeLessThan(100_000);
    expect(out.xsHeap.configured).toBeGreaterThan(out.xsHeap.peak);
    expect(r.stderr).toMatch(/info +mps2-an500 build/);
  });

  it('rejects an unknown target with a message that lists the valid ones', () => {
    const r = xsinfer('build', '--target', 'esp32');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('mps2-an500, mps2-an386, stm32f769i-disco, stm32f413zh-nucleo, host');
  });
});
