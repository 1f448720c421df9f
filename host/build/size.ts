// Flash and RAM of a firmware image, read from the ELF's sections and split by
// component (which library each input section came from) using the linker map.
import fs from 'node:fs';
import { exec } from '../exec.ts';
import { targetInfo, type Target } from '../targets.ts';

export interface SizeReport {
  target: Target;
  elf: string;
  text: number;
  data: number;
  bss: number;
  flashBytes: number;
  ramBytes: number;
  flashLimit: number | null;
  ramLimit: number | null;
  /** The flash the linker lets the image use (the chip minus the upload slots), if known. */
  imageLimit: number | null;
  /** Flash reserved for upload slots (app + model), if the image has them. */
  slotBytes: number | null;
  components: Record<string, number>;
}

/** Which part of the system an input file belongs to, for the flash-by-component table. */
export function componentOf(inputFile: string): string {
  const lib = /lib(?:xsinfer_)?([A-Za-z0-9_]+)\.a\(/.exec(inputFile);
  if (/gen\/xs_archive|xs_archive\.c/.test(inputFile)) return 'apps';
  if (/gen\/model_|models?\//.test(inputFile)) return 'models';
  if (lib) {
    const name = lib[1];
    if (['c_nano', 'c', 'm', 'gcc', 'nosys', 'g_nano'].includes(name)) return 'libc';
    if (name === 'board') return 'board';
    if (name === 'assets') return 'models'; // models plus the apps' input data and golden outputs
    if (name.startsWith('engine')) return name.includes('kernel') ? 'kernels' : 'engine';
    return name;
  }
  if (/programs\//.test(inputFile)) return 'program';
  if (/libgcc|crt/.test(inputFile)) return 'libc';
  return 'other';
}

/** Sums the flash-resident input sections of a GNU ld map file per component. */
export function componentsFromMap(mapText: string): Record<string, number> {
  const components: Record<string, number> = {};
  const start = mapText.indexOf('Linker script and memory map');
  const lines = (start >= 0 ? mapText.slice(start) : mapText).split('\n');
  let outputSection = '';
  let pendingName: string | null = null;
  for (const line of lines) {
    const out = /^(\.[\w.]+)\s/.exec(line) ?? /^(\.[\w.]+)$/.exec(line);
    if (out) {
      outputSection = out[1];
      pendingName = null;
      continue;
    }
    if (!['.vectors', '.itcm', '.text', '.data', '.ARM.exidx'].includes(outputSection)) continue;
    let m: string[] | null = /^ (\.\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$/.exec(line);
    if (!m && pendingName) {
      const cont = /^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$/.exec(line);
      if (cont) m = [line, pendingName, cont[1], cont[2], cont[3]];
    }
    pendingName = null;
    if (!m) {
      const alone = /^ (\.\S+)$/.exec(line);
      if (alone) pendingName = alone[1];
      continue;
    }
    const size = parseInt(m[3], 16);
    if (size === 0) continue;
    const component = componentOf(m[4]);
    components[component] = (components[component] ?? 0) + size;
  }
  return components;
}

export async function sizeReport(target: Target, elf: string): Promise<SizeReport> {
  const info = targetInfo[target];
  const tool = info.arm ? 'arm-none-eabi-size' : 'size';
  const result = await exec(tool, ['-A', '-d', elf]);
  if (result.code !== 0) throw new Error(`${tool} failed: ${result.stderr}`);
  const sections = new Map<string, number>();
  for (const line of result.stdout.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line);
    if (m) sections.set(m[1], Number(m[2]));
  }
  const get = (name: string) => sections.get(name) ?? 0;
  // .vectors and .itcm (code run from the F769's ITCM RAM) load from flash as well.
  const text = get('.vectors') + get('.itcm') + get('.text') + get('.ARM.exidx') + get('.rodata');
  const data = get('.data');
  const bss = get('.bss');
  // The C stack is its own NOLOAD section (.stack on QEMU, in .dtcm on the F769).
  const stack = get('.stack') + get('.dtcm');
  // The image region and the slots, from the linker script's symbols (absolute values).
  const nm = await exec(info.arm ? 'arm-none-eabi-nm' : 'nm', [elf]);
  const symbol = (name: string): number | null => {
    const m = new RegExp(`^([0-9a-fA-F]+) [aA] ${name}$`, 'm').exec(nm.code === 0 ? nm.stdout : '');
    return m ? parseInt(m[1], 16) : null;
  };
  const mapFile = elf + '.map';
  const components = fs.existsSync(mapFile) ? componentsFromMap(fs.readFileSync(mapFile, 'utf8')) : {};
  return {
    target,
    elf,
    text,
    data,
    bss,
    flashBytes: text + data,
    ramBytes: data + bss + stack,
    flashLimit: info.flashLimit,
    ramLimit: info.ramLimit,
    imageLimit: info.arm ? symbol('__flash_size') : null,
    slotBytes: info.arm ? symbol('__slots_size') : null,
    components,
  };
}
