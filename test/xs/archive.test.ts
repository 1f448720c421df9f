// The host side of the XS port: device TypeScript → xsarc → an XS_A archive whose key IDs
// are predicted for the device, written as gen/xs_archive.c. Checks the archive layout
// against what XS 13.3's mapper and our device loader read, and the incremental rebuild.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDeviceArchive, MAIN_MODULE, type ArchiveSummary } from '../../host/build/device-archive.ts';
import { repoRoot } from '../../host/paths.ts';

interface Atom {
  tag: string;
  data: Buffer;
}

function atoms(buf: Buffer): Atom[] {
  const out: Atom[] = [];
  let p = 0;
  while (p < buf.length) {
    const size = buf.readUInt32BE(p);
    if (size < 8 || p + size > buf.length) throw new Error(`bad atom size ${size} at ${p}`);
    out.push({ tag: buf.toString('latin1', p + 4, p + 8), data: buf.subarray(p + 8, p + size) });
    p += size;
  }
  return out;
}

function strings(buf: Buffer, count: number): string[] {
  const out: string[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    const end = buf.indexOf(0, p);
    out.push(buf.toString('utf8', p, end));
    p = end + 1;
  }
  expect(p).toBe(buf.length);
  return out;
}

describe('device archive', () => {
  let buildDir: string;
  let summary: ArchiveSummary;
  let archive: Buffer;
  let top: Atom[];

  beforeAll(async () => {
    buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-archive-'));
    summary = await generateDeviceArchive({ target: 'mps2-an500', buildDir });
    archive = fs.readFileSync(path.join(buildDir, 'gen', 'xs_archive.xsa'));
    const whole = atoms(archive);
    expect(whole.map((a) => a.tag)).toEqual(['XS_A']);
    top = atoms(whole[0].data);
  }, 300_000);

  it('has the atoms in the order XS 13.3 maps them, then our HOST table', () => {
    expect(top.map((a) => a.tag)).toEqual(['VERS', 'SIGN', 'NAME', 'SYMB', 'IDEN', 'MAPS', 'MODS', 'RSRC', 'HOST']);
    expect([...top[0].data]).toEqual([13, 3, 0, 0]);
    expect(top[1].data.length).toBe(16);
  });

  it('predicts IDs: built-in names keep theirs, new names follow in archive order', () => {
    const count = top[3].data.readUInt16LE(0);
    const symbols = strings(top[3].data.subarray(2), count);
    expect(symbols[0]).toBe('');
    const ids = Array.from({ length: count }, (_, i) => top[4].data.readUInt16LE(2 * i));
    expect(ids[0]).toBe(0);
    let next = summary.keysAfterCreation;
    for (let i = 1; i < count; i++) {
      if (ids[i] >= summary.keysAfterCreation) expect(ids[i], symbols[i]).toBe(next++);
      else expect(ids[i], symbols[i]).toBeGreaterThan(0);
    }
    expect(next).toBe(summary.keysAfterMap);
    // Names every JS program has are built-in keys; the app's own names are new.
    expect(ids[symbols.indexOf('length')]).toBeLessThan(summary.keysAfterCreation);
    expect(ids[symbols.indexOf(MAIN_MODULE)]).toBeGreaterThanOrEqual(summary.keysAfterCreation);
    // One MAPS entry per ID operand, each naming a symbol.
    expect(top[5].data.length / 2).toBe(summary.idOperands);
    for (let i = 0; i < top[5].data.length; i += 2) expect(top[5].data.readUInt16LE(i)).toBeLessThan(count);
  });

  it('holds every device and native module, and binds only host functions the firmware has', () => {
    const mods = atoms(top[6].data);
    const paths = mods.filter((a) => a.tag === 'PATH').map((a) => a.data.toString('utf8', 0, a.data.length - 1));
    expect(paths).toContain(MAIN_MODULE);
    expect(paths).toEqual(expect.arrayContaining(['lib/checks', 'time', 'timer', 'board', 'micro']));
    expect(paths.length).toBe(summary.modules);
    const registry = fs.readFileSync(path.join(repoRoot, 'native', 'bindings', 'registry.c'), 'utf8');
    const host = top[8].data;
    let p = 0;
    let functions = 0;
    while (p < host.length) {
      const index = host.readUInt16LE(p);
      const n = host.readUInt16LE(p + 2);
      expect(index).toBeLessThan(paths.length);
      p += 4;
      for (let i = 0; i < n; i++) {
        const end = host.indexOf(0, p + 3);
        const cname = host.toString('utf8', p + 3, end);
        // A host class's destructor is entered cast to the table's callback type.
        expect(registry, cname).toMatch(new RegExp(`\\{"${cname}", (\\([^{}]*\\))?${cname}\\}`));
        p = end + 1;
        functions++;
      }
    }
    expect(functions).toBe(summary.hostFunctions);
  });

  it('writes the same bytes into gen/xs_archive.c, aligned, with the creation values', () => {
    const c = fs.readFileSync(summary.file, 'utf8');
    const body = /archive\[(\d+)\] __attribute__\(\(aligned\(4\)\)\) = \{([^}]*)\}/.exec(c);
    expect(body).not.toBeNull();
    const bytes = Buffer.from(
      body![2]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => parseInt(s, 16)),
    );
    expect(Number(body![1])).toBe(archive.length);
    expect(bytes.equals(archive)).toBe(true);
    const cr = summary.creation;
    expect(c).toContain(`.creation = {${cr.chunk.initial}, ${cr.chunk.incremental}, ${cr.heap.initial},`);
  });

  it('does not rewrite the generated file when nothing changed', async () => {
    const before = fs.statSync(summary.file).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const again = await generateDeviceArchive({ target: 'mps2-an500', buildDir });
    expect(fs.statSync(summary.file).mtimeMs).toBe(before);
    expect(again.archiveBytes).toBe(summary.archiveBytes);
  });
});
