// The F769 memory budget (issue #6 goal): XS + engine + the write-up's three apps in at
// most half the chip's flash and RAM, and the same settings (apps, arenas, XS creation from
// manifest.json's stm32f769i-disco entry) actually running every app correctly on QEMU.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchWithPlatform, buildSize, xsinfer, xsinferCmd } from '../cli.ts';

describe('F769 memory budget', () => {
  it('the F769 main image leaves at least half of flash and RAM free', () => {
    const size = buildSize('stm32f769i-disco');
    // The top 768 KB are the upload slots (app, model A/B: sectors 9/10/11); the image
    // links below them, into 1.25 MB.
    expect(size).toMatchObject({ imageLimit: 1280 * 1024, slotBytes: 768 * 1024 });
    expect(size.flashBytes).toBeLessThanOrEqual(size.flashLimit! / 2);
    expect(size.ramBytes).toBeLessThanOrEqual(size.ramLimit! / 2);
    // Only the three apps' models are in it: no person_detect (300 KB).
    expect(size.components.models!).toBeLessThan(250_000);
  });

  // The ITCM placement (layout.ld's .itcm, copied by startup.c) can only be checked in the
  // ELF: no stand-in models the F769's ITCM or flash wait states. Untested on hardware.
  it('links the hot code into the 16 KB ITCM, loaded from flash, and not the interpreter loop', () => {
    const r = xsinfer('build', '--target', 'stm32f769i-disco', '--json');
    expect(r.status, r.stderr).toBe(0);
    const elf = path.join('build', 'stm32f769i-disco', 'bin', 'xsinfer.elf');
    const headers = execFileSync('arm-none-eabi-objdump', ['-h', elf], { encoding: 'utf8' });
    const itcm = /^\s*\d+\s+\.itcm\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)/m.exec(headers);
    expect(itcm, headers).not.toBeNull();
    const [size, vma, lma] = itcm!.slice(1).map((h) => parseInt(h, 16));
    expect(vma).toBe(0); // ITCM RAM
    expect(size).toBeGreaterThan(8 * 1024);
    expect(size).toBeLessThanOrEqual(16 * 1024);
    expect(lma).toBeGreaterThanOrEqual(0x08000000); // its bytes in the flash image
    expect(lma + size).toBeLessThan(0x08000000 + 1280 * 1024);
    const symbols = new Map<string, number>();
    for (const line of execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8' }).split('\n')) {
      const m = /^([0-9a-f]+) \w (\S+)$/.exec(line);
      if (m) symbols.set(m[2], parseInt(m[1], 16));
    }
    const inItcm = (name: string): boolean => (symbols.get(name) ?? -1) >= 0 && symbols.get(name)! < size;
    for (const hot of ['eng_opt_gemm2_w8', 'fc_eval', 'xs_time_ticks32', 'fxTypedArrayGetter', 'run_result']) {
      expect(inItcm(hot), hot).toBe(true);
    }
    expect(symbols.get('fxRunID')! >= 0x08000000).toBe(true); // 32 KB: stays in flash
    expect(symbols.get('__itcm_load')).toBe(lma); // what startup.c copies from
    expect(symbols.get('__itcm_end')! - symbols.get('__itcm_start')!).toBe(size);
  }, 600_000);

  it("runs the three apps in JS and C with the F769's apps, arenas and XS heap on mps2-an500", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-f7budget-'));
    try {
      const result = benchWithPlatform('stm32f769i-disco', 'mps2-an500', out);
      const runs = result.runs.map((x) => `${x.app}/${x.impl}/${x.kernels}`).sort();
      // The pure-TS front end is not built into this image, so it is not planned; the
      // helpers variant of each app is.
      expect(runs).toEqual(
        ['hello_world', 'micro_speech', 'mnist']
          .flatMap((app) =>
            ['c', app === 'micro_speech' ? 'js-native-frontend' : 'js', 'js-helpers'].flatMap((impl) =>
              ['optimized', 'reference'].map((k) => `${app}/${impl}/${k}`),
            ),
          )
          .sort(),
      );
      for (const run of result.runs) expect(run.correct, `${run.app}/${run.impl}/${run.kernels}`).toBe(true);
      expect(result.memory.xsHeap.configured).toBeLessThan(160 * 1024);
      expect(result.memory.xsHeap.peak).toBeGreaterThan(0);
      expect(result.memory.xsHeap.peak).toBeLessThanOrEqual(result.memory.xsHeap.configured);
      expect(result.memory.flash.models).toBeLessThan(250_000);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 900_000);

  it('asking for an app the image does not have is a clear error before anything runs', () => {
    const r = xsinferCmd`--manifest-platform stm32f769i-disco bench --target mps2-an500 --apps person_detect --json`;
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('person_detect not built into this image');
  }, 600_000);
});
