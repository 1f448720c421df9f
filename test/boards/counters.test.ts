// Core event counters per phase: the host target's software counter source drives the
// whole counted path (phase marks in the C and JS loops, iter records, collection, the
// report beside a QEMU reference); QEMU has no counters and ignores the request; the F769
// image has the DWT implementation wired to SysTick (symbol checks: untested on hardware).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IterRecord } from '../../host/bridge/protocol.ts';
import { readRecording, replayRecording } from '../../host/bridge/recording.ts';
import { programPath } from '../../host/build/firmware.ts';
import { xsinfer, xsinferCmd } from '../cli.ts';
import { fixtureResult } from '../report/fixture.ts';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-counters-'));

describe('counted runs on the host target (software counter source)', () => {
  const dir = path.join(out, 'host');
  const r = xsinferCmd`bench --target host --apps hello_world,mnist --kernels reference -n 3 -w 1 --counters
    --out ${dir} --json`;

  it('every iteration of every app run carries counters and derived instructions', () => {
    expect(r.status, r.stderr).toBe(0);
    const records = replayRecording(readRecording(path.join(dir, 'recording.xsirec'))).records;
    const iters = records.filter((x): x is IterRecord => x.kind === 'iter');
    expect(iters.length).toBeGreaterThanOrEqual(12);
    for (const it of iters) {
      expect(it.counters, JSON.stringify(it)).toBeDefined();
      for (const p of ['populate', 'invoke', 'respond', 'total'] as const) {
        const c = it.counters![p];
        // The tick reads of a counted run are the snapshots: ticks and cycles agree exactly.
        expect(c.cycles).toBe(it.ticks[p]);
        expect(it.instr![p]).toBe(c.cycles - c.cpi - c.exc - c.sleep - c.lsu + c.fold);
        // The stand-in's source: cpi = cycles/4, lsu = cycles/8, fold = cycles/16 of a running total.
        expect(Math.abs(c.cpi - c.cycles / 4)).toBeLessThanOrEqual(1);
        expect(Math.abs(c.lsu - c.cycles / 8)).toBeLessThanOrEqual(1);
        expect(Math.abs(c.fold - c.cycles / 16)).toBeLessThanOrEqual(1);
        expect(c.exc + c.sleep).toBe(0);
      }
      expect(it.counters!.total.cycles).toBe(
        it.counters!.populate.cycles + it.counters!.invoke.cycles + it.counters!.respond.cycles,
      );
    }
  });

  it('the result has per-phase medians for JS and C and the report shows them', () => {
    const result = JSON.parse(r.last);
    const counted = result.runs.filter((x: { counters?: unknown }) => x.counters);
    expect(counted.map((x: { app: string; impl: string }) => `${x.app}/${x.impl}`).sort()).toEqual([
      'hello_world/c',
      'hello_world/js',
      'hello_world/js-helpers',
      'mnist/c',
      'mnist/js',
      'mnist/js-helpers',
    ]);
    for (const run of counted) {
      const inv = run.counters.invoke;
      expect(inv.cpi).toBeCloseTo(inv.cycles / inv.instr, 6);
      expect(inv.cpi).toBeGreaterThan(1.3);
      expect(inv.cpi).toBeLessThan(1.6);
    }
    const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain('## Cycles and instructions on the core (DWT) beside QEMU');
    expect(md).toContain('host: a software stand-in for the counters');
    expect(md).toMatch(/\| mnist \| reference \| C \| INVOKE \| [\d,]+ \| [\d,]+ \| 1\.\d\d \|/);
  });

  it('report --qemu puts a QEMU bench of the same runs beside the counters', () => {
    // A QEMU result.json as bench writes it (the report fixture is one, unit instr).
    const qemu = fixtureResult();
    const qemuFile = path.join(out, 'qemu-result.json');
    fs.writeFileSync(qemuFile, JSON.stringify(qemu));
    const mnistC = qemu.runs.find((x) => x.app === 'mnist' && x.impl === 'c' && x.kernels === 'reference')!;
    const recording = path.join(dir, 'recording.xsirec');
    const rep = xsinferCmd`report ${recording} --qemu ${qemuFile} --out ${path.join(out, 'rep')} --json`;
    expect(rep.status, rep.stderr).toBe(0);
    const result = JSON.parse(rep.last);
    expect(result.qemu.target).toBe(qemu.target);
    const md = fs.readFileSync(path.join(out, 'rep', 'report.md'), 'utf8');
    const row = md.split('\n').find((l) => l.startsWith('| mnist | reference | C | INVOKE |'))!;
    const cells = row.split('|').map((c) => c.trim());
    expect(cells[cells.length - 3]).toBe(mnistC.phases.invoke.median.toLocaleString('en-US'));
    expect(cells[cells.length - 2]).toMatch(/^\d+\.\d\d×$/);
    const bad = xsinfer('report', path.join(dir, 'recording.xsirec'), '--qemu', path.join(dir, 'result.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--qemu .*a QEMU bench's result.json is needed \(unit instr\), this one is host in ns/);
  });
});

describe('QEMU has no counters', () => {
  it('a counted bench on mps2-an500 runs as usual, without counters or their section', () => {
    const dir = path.join(out, 'qemu');
    const r = xsinferCmd`bench --apps hello_world --impl c --kernels reference -n 2 -w 0 --no-ops --counters
      --out ${dir} --json`;
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.last);
    expect(result.runs[0].correct).toBe(true);
    expect(result.runs[0].counters).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8')).not.toContain('Cycles and instructions on the core');
  });
});

describe('the F769 image (symbols; untested on hardware)', () => {
  const nm = (elf: string) => execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8' });
  const symbol = (table: string, name: string) => new RegExp(`^([0-9a-f]{8}) (\\w) ${name}$`, 'm').exec(table);

  it('links the DWT counters (strong symbols) and takes SysTick to their sampler', () => {
    const elf = programPath('stm32f769i-disco', 'xsinfer');
    const table = nm(elf);
    for (const name of ['board_counters_start', 'board_counters_read', 'board_counters_stop', 'dwt_counters_systick'])
      expect(symbol(table, name)?.[2], name).toBe('T');
    // Vector 15 (SysTick) of the table at the start of flash (its own output section,
    // before the ITCM code's load image) is the sampler (Thumb bit set).
    const bin = path.join(out, 'vectors.bin');
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.vectors', elf, bin]);
    const vectors = fs.readFileSync(bin);
    const systick = vectors.readUInt32LE(15 * 4);
    expect(systick).toBe(parseInt(symbol(table, 'dwt_counters_systick')![1]!, 16) | 1);
    // A counted tick read in the JS timer binding exists only on boards with counters.
    expect(symbol(table, 'phase_marks_tick')).not.toBeNull();
  });

  it('QEMU keeps the weak no-counter default and its timer binding never marks', () => {
    const table = nm(programPath('mps2-an500', 'xsinfer'));
    expect(symbol(table, 'board_counters_start')?.[2]).toBe('W');
    expect(symbol(table, 'dwt_counters_systick')).toBeNull();
  });
});
