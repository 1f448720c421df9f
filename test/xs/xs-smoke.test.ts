// XS on the device end to end: the smoke app, compiled ahead of time and mapped in place
// from flash, runs on the host target and on QEMU mps2-an500, calls C host functions, and
// every failure path stops with its own status. Also checks the boot/boundary costs the
// port promises (DESIGN.md §4).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFirmware, programPath } from '../../host/build/firmware.ts';
import { runProgram } from '../../host/run/program.ts';
import { exec } from '../../host/exec.ts';
import type { Target } from '../../host/targets.ts';

interface SmokeLine {
  c: {
    unit: string;
    num: number;
    den: number;
    createTicks: number;
    mapTicks: number;
    importTicks: number;
    archiveBytes: number;
    modules: number;
    slotBytes: number;
    slotsAfterCreate: number;
    chunksAfterCreate: number;
    keysAfterCreate: number;
    keysAfterMap: number;
  };
  js: {
    target: string;
    telemetryWithoutLink: string;
    unit: string;
    emptyLoopTicks: number;
    callLoopTicks: number;
    emptyCallTicks: number;
    fillViewTicks: number;
    fillLocalTicks: number;
    heap: { slotsPeak: number; chunksPeak: number; slotsReserved: number; keysUsed: number; stackPeakSlots: number };
    checksPassed: number;
    checksFailed: string[];
  };
}

function parseSmoke(text: string): SmokeLine {
  const line = text.split('\n').find((l) => l.startsWith('XSINFER-SMOKE '));
  if (!line) throw new Error(`no XSINFER-SMOKE line in:\n${text}`);
  return JSON.parse(line.slice('XSINFER-SMOKE '.length)) as SmokeLine;
}

interface ArchiveJson {
  archiveBytes: number;
  modules: number;
  keysAfterCreation: number;
  keysAfterMap: number;
}

function archiveSummary(target: Target): ArchiveJson {
  const file = path.join(path.dirname(path.dirname(programPath(target, 'xs-smoke'))), 'gen', 'xs_archive.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ArchiveJson;
}

/** Bytes of XS engine code (.text input sections of XS's own objects) linked into an ELF. */
function xsEngineText(mapText: string): number {
  const lines = mapText.slice(mapText.indexOf('Linker script and memory map')).split('\n');
  let total = 0;
  let pending: string | null = null;
  for (const line of lines) {
    let m = /^ (\.text\S*)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)/.exec(line);
    if (!m && pending) {
      const c = /^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)/.exec(line);
      if (c) m = [line, pending, c[1], c[2]] as unknown as RegExpExecArray;
    }
    pending = /^ (\.text\S*)$/.exec(line)?.[1] ?? null;
    if (m && /libxsinfer_xs\.a\(xs(?!_)[A-Za-z]+\.c\.obj\)/.test(m[3])) total += parseInt(m[2], 16);
  }
  return total;
}

const instr = (ticks: number, line: SmokeLine): number => (ticks * line.c.num) / line.c.den;

for (const target of ['host', 'mps2-an500'] as const) {
  describe(`xs-smoke on ${target}`, () => {
    let line: SmokeLine;
    beforeAll(async () => {
      await buildFirmware({ target });
      const run = await runProgram({ target, program: 'xs-smoke', timeoutMs: 60_000 });
      expect(run.exitCode, run.output.toString()).toBe(0);
      line = parseSmoke(run.output.toString());
    });

    it('runs the app with every language and binding check passing', () => {
      expect(line.js.checksFailed).toEqual([]);
      expect(line.js.checksPassed).toBeGreaterThanOrEqual(22);
      expect(line.js.target).toBe(target);
    });

    it('refuses telemetry send() with an Error in a program without a telemetry link', () => {
      expect(line.js.telemetryWithoutLink).toBe(
        'Error: telemetry: this firmware program has no telemetry link (user records need the main firmware)',
      );
    });

    it('gets exactly the key IDs the host tool predicted', () => {
      const summary = archiveSummary(target);
      // The preparation holds the built-ins' keys and the archive's symbols (registered by
      // xsarc at the IDs it predicted), so the clone starts with all of them and the map
      // adds none.
      expect(summary.keysAfterCreation).toBe(461);
      expect(line.c.keysAfterCreate).toBe(summary.keysAfterMap);
      expect(line.c.keysAfterMap).toBe(summary.keysAfterMap);
      expect(line.c.archiveBytes).toBe(summary.archiveBytes);
      expect(line.c.modules).toBe(summary.modules);
    });

    it('stays inside the configured heap', () => {
      expect(line.js.heap.slotsPeak).toBeLessThanOrEqual(line.js.heap.slotsReserved);
      expect(line.js.heap.stackPeakSlots).toBeGreaterThan(0);
      expect(line.c.slotBytes).toBe(target === 'host' ? 32 : 16);
    });

    for (const [kind, status, message] of [
      ['stack', 66, 'xs: abort: stack overflow (status 2)'],
      ['memory', 65, 'xs: abort: memory full (status 1)'],
      ['throw', 4, 'xs: exception: RangeError: thrown on purpose'],
    ] as const) {
      it(`stops cleanly with status ${status} on ${kind}`, async () => {
        const run = await runProgram({ target, program: 'xs-smoke', args: [kind], timeoutMs: 60_000 });
        expect(run.output.toString()).toContain(message);
        expect(run.exitCode).toBe(status);
      });
    }
  });
}

describe('xs-smoke costs on mps2-an500 (instructions, -icount shift=7)', () => {
  let line: SmokeLine;
  beforeAll(async () => {
    await buildFirmware({ target: 'mps2-an500' });
    const run = await runProgram({ target: 'mps2-an500', program: 'xs-smoke', timeoutMs: 60_000 });
    line = parseSmoke(run.output.toString());
  });

  it('reports instructions: 40/128 ticks', () => {
    expect(line.c.unit).toBe('instr');
    expect([line.c.num, line.c.den]).toEqual([40, 128]);
  });

  it('clones the built-ins from flash: under 150 k instructions, almost nothing in RAM', () => {
    // fxPrepareMachine over gen/xs_preparation.c; fxCreateMachine built ~3,771 slots and
    // ~10.5 KB of chunks in ~0.44 M instructions (XS-PORTING.md).
    expect(instr(line.c.createTicks, line)).toBeGreaterThan(20_000);
    expect(instr(line.c.createTicks, line)).toBeLessThan(150_000);
    expect(line.c.slotsAfterCreate).toBeLessThan(200);
    expect(line.c.chunksAfterCreate).toBeLessThan(2_048);
    expect(line.c.keysAfterCreate).toBeGreaterThan(461); // the built-ins' and the archive's
  });

  it('keeps the preparation in the read-only code region', async () => {
    const nm = await exec('arm-none-eabi-nm', ['-S', programPath('mps2-an500', 'xs-smoke')]);
    const summary = JSON.parse(
      fs.readFileSync(
        path.join(path.dirname(path.dirname(programPath('mps2-an500', 'xs-smoke'))), 'gen', 'xs_archive.json'),
        'utf8',
      ),
    ) as { preparation: { heapCount: number } };
    for (const name of ['xs_prep_heap', 'xs_prep_stack', 'xs_prep_keys', 'xs_prep']) {
      const m = new RegExp(`^([0-9a-f]+) ([0-9a-f]+) [rRtT] ${name}$`, 'm').exec(nm.stdout);
      expect(m, name).not.toBeNull();
      expect(parseInt(m![1], 16)).toBeLessThan(0x0040_0000);
      if (name === 'xs_prep_heap') expect(parseInt(m![2], 16)).toBe(summary.preparation.heapCount * 16);
    }
  });

  it('keeps an empty JS→C call at or under 300 instructions', () => {
    const perCall = instr(line.js.emptyCallTicks, line);
    expect(perCall).toBeGreaterThan(50);
    expect(perCall).toBeLessThanOrEqual(300);
  });

  it('is exactly repeatable', async () => {
    const again = parseSmoke(
      (await runProgram({ target: 'mps2-an500', program: 'xs-smoke', timeoutMs: 60_000 })).output.toString(),
    );
    expect(again.c.createTicks).toBe(line.c.createTicks);
    expect(again.js.callLoopTicks).toBe(line.js.callLoopTicks);
    expect(again.js.fillViewTicks).toBe(line.js.fillViewTicks);
  });

  it('links about 300 KB of XS engine code (no parser)', () => {
    const map = fs.readFileSync(`${programPath('mps2-an500', 'xs-smoke')}.map`, 'utf8');
    const text = xsEngineText(map);
    console.log(`XS engine .text on mps2-an500: ${text} bytes; archive ${line.c.archiveBytes} bytes`);
    expect(text).toBeGreaterThan(250_000);
    expect(text).toBeLessThan(360_000);
    // The parser is not on the device.
    expect(map).not.toMatch(/libxsinfer_xs\.a\(xs(Lexical|Syntaxical|Code|Script)\.c\.obj\)/);
  });

  it('keeps the archive in the read-only code region (executed in place)', async () => {
    const nm = await exec('arm-none-eabi-nm', ['-S', programPath('mps2-an500', 'xs-smoke')]);
    const m = /^([0-9a-f]+) ([0-9a-f]+) [rRtT] archive$/m.exec(nm.stdout);
    expect(m, 'archive symbol').not.toBeNull();
    const address = parseInt(m![1], 16);
    // mps2-an500 code region: 4 MB at 0x00000000, made read-only by the MPU.
    expect(address).toBeLessThan(0x0040_0000);
    expect(parseInt(m![2], 16)).toBe(line.c.archiveBytes);
  });
});
