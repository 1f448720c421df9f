// The write-up's second board: the Cortex-M4 stand-in (QEMU mps2-an386) runs the whole
// bench with both kernel sets and every golden case, and the STM32F413 image (NUCLEO-F413ZH)
// holds XS, the engine and the write-up's three apps in at most half its flash and RAM —
// with the same settings (apps, arenas, XS heap from manifest.json) running every app
// correctly on the M4 stand-in.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import { dataDir } from '../../host/data.ts';
import { verify } from '../../host/engine/verify.ts';
import { compareResults, loadResult } from '../../host/report/compare.ts';
import { benchWithPlatform, buildSize, xsinfer, xsinferCmd } from '../cli.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-m4-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// fullImage: the QEMU target's own apps (the pure-TS front end and the <app>_fast helpers
// variants are built in); else the F413's apps, which hold neither.
const appImpls = (apps: string[], fullImage: boolean) =>
  apps
    .flatMap((app) => {
      const impls = ['c', app === 'micro_speech' ? 'js-native-frontend' : 'js'];
      if (app === 'micro_speech' && fullImage) impls.push('js');
      if (fullImage) impls.push('js-helpers');
      return impls.flatMap((impl) => ['optimized', 'reference'].map((k) => `${app}/${impl}/${k}`));
    })
    .sort();

describe('mps2-an386 (Cortex-M4)', () => {
  it.each(['reference', 'optimized'] as const)(
    'verify: every golden case with the %s kernels, byte for byte',
    async (kernels) => {
      const r = await verify({ target: 'mps2-an386', kernels, dataDir: dataDir() });
      const failing = r.models.filter((m) => m.failed > 0 || m.perOp.failed > 0);
      expect(failing.map((m) => ({ model: m.model, firstMismatch: m.firstMismatch }))).toEqual([]);
      expect(r.skipped).toEqual([]);
      expect(r.totals.cases).toBe(r.totals.passed);
      expect(r.totals.cases).toBeGreaterThanOrEqual(1000);
      expect(r.ok).toBe(true);
    },
    600_000,
  );

  it('bench: the three apps, JS (both front ends) and C, both kernel sets, every iteration correct', async () => {
    const out = path.join(tmp, 'bench');
    const r = xsinfer('bench', '--target', 'mps2-an386', '-n', '2', '-w', '0', '--no-ops', '--json', '-o', out);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.last) as BenchResult;
    expect(result).toMatchObject({ target: 'mps2-an386', unit: 'instr' });
    expect(result.runs.map((x) => `${x.app}/${x.impl}/${x.kernels}`).sort()).toEqual(
      appImpls(['hello_world', 'micro_speech', 'mnist'], true),
    );
    for (const run of result.runs) {
      expect(run.correct, `${run.app}/${run.impl}/${run.kernels}`).toBe(true);
      expect(run.iterations).toBe(2);
    }
    // The optimized (DSP) kernels are the M4's too: the models' INVOKE is several times faster.
    const speedups = (result.speedups ?? []).filter((s) => s.app !== 'hello_world');
    expect(speedups.length).toBeGreaterThan(0);
    for (const s of speedups) expect(s.ratio, `${s.app}/${s.impl}`).toBeGreaterThan(4);
    expect(fs.existsSync(path.join(out, 'recording.xsirec'))).toBe(true);

    // Side by side with itself: every run on both sides, B / A exactly 1.
    const cmp = compareResults(await loadResult(out), await loadResult(path.join(out, 'recording.xsirec')));
    expect(cmp.a.core).toBe('Cortex-M4');
    expect(cmp.rows).toHaveLength(result.runs.length);
    for (const row of cmp.rows) expect(row.ratio.total).toBe(1);
  }, 900_000);
});

describe('software doubles on the Cortex-M4', () => {
  it('a JS double step costs the M4 more instructions than the M7; an integer step does not', () => {
    const arith = (target: string) => {
      const r = xsinferCmd`bench --target ${target} --apps hello_world --impl js -k reference -n 1 -w 0
        --no-ops --json -o ${path.join(tmp, `arith-${target}`)}`;
      expect(r.status, r.stderr).toBe(0);
      const micro = (JSON.parse(r.last) as BenchResult).micro;
      expect(micro?.arith, target).toBeDefined();
      return micro!.arith!;
    };
    const m7 = arith('mps2-an500');
    const m4 = arith('mps2-an386');
    // fpv5-d16 multiplies and adds doubles in hardware; fpv4-sp-d16 calls libgcc for both.
    expect(m4.double).toBeGreaterThan(m7.double + 40);
    expect(Math.abs(m4.int - m7.int)).toBeLessThanOrEqual(0.05 * m7.int);
  }, 600_000);
});

describe('STM32F413 memory budget', () => {
  it('the F413 main image leaves at least half of flash and RAM free', () => {
    const size = buildSize('stm32f413zh-nucleo');
    expect(size).toMatchObject({ flashLimit: 1536 * 1024, ramLimit: 320 * 1024 });
    // The top 768 KB (sectors 10-15) are the upload slots; the image links below them.
    expect(size).toMatchObject({ imageLimit: 768 * 1024, slotBytes: 768 * 1024 });
    expect(size.flashBytes).toBeLessThanOrEqual(size.flashLimit! / 2);
    expect(size.ramBytes).toBeLessThanOrEqual(size.ramLimit! / 2);
    expect(size.components.models!).toBeLessThan(250_000);
  });

  it('the image is built for the Cortex-M4F: no double-precision FPU instruction in it', () => {
    const elf = path.join('build', 'stm32f413zh-nucleo', 'bin', 'xsinfer.elf');
    const attrs = tool('arm-none-eabi-readelf', ['-A', elf]);
    expect(attrs).toMatch(/Tag_CPU_arch: v7E-M/);
    expect(attrs).toMatch(/Tag_FP_arch: VFPv4-D16/);
    expect(attrs).toMatch(/Tag_ABI_HardFP_use: SP only/);
    // fpv4-sp-d16 has no double arithmetic: not one .f64 instruction (the M7 image has many).
    const f64 = tool('arm-none-eabi-objdump', ['-d', elf])
      .split('\n')
      .filter((l) => /\tv\w+\.f64\b/.test(l));
    expect(f64.slice(0, 3)).toEqual([]);
  });

  it("runs the three apps in JS and C with the F413's apps, arenas and XS heap on mps2-an386", () => {
    const out = path.join(tmp, 'f413-settings');
    const result = benchWithPlatform('stm32f413zh-nucleo', 'mps2-an386', out);
    expect(result.runs.map((x) => `${x.app}/${x.impl}/${x.kernels}`).sort()).toEqual(
      appImpls(['hello_world', 'micro_speech', 'mnist'], false),
    );
    for (const run of result.runs) expect(run.correct, `${run.app}/${run.impl}/${run.kernels}`).toBe(true);
    expect(result.memory.xsHeap.peak).toBeGreaterThan(0);
    expect(result.memory.xsHeap.peak).toBeLessThanOrEqual(result.memory.xsHeap.configured);
    for (const a of result.memory.arena) expect(a.total, a.model).toBeLessThanOrEqual(16 * 1024);
  }, 900_000);
});

function tool(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
