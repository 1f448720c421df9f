// The F769 memory budget (issue #6 goal): XS + engine + the write-up's three apps in at
// most half the chip's flash and RAM, and the same settings (apps, arenas, XS creation from
// manifest.json's stm32f769i-disco entry) actually running every app correctly on QEMU.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchWithPlatform, buildSize, xsinfer } from '../cli.ts';

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
    const r = xsinfer(
      '--manifest-platform',
      'stm32f769i-disco',
      'bench',
      '--target',
      'mps2-an500',
      '--apps',
      'person_detect',
      '--json',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('person_detect not built into this image');
  }, 600_000);
});
