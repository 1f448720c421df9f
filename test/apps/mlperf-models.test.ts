// Every MLPerf Tiny model through `xsinfer bench --model FILE --inputs GOLDEN` on QEMU:
// the generic app in TypeScript, in TypeScript on the native helpers (generic_fast) and in
// C, one golden case, one iteration, the optimized kernels — each run checked bit-exact
// against real TFLM's outputs on the device, both JS answers compared with C's and the
// arena each needs reported. vww (333,288 bytes) and ad01
// (276,976) span both model slots. With the F769's manifest settings the models that fit its main arena run, and an
// input set larger than its input buffer is refused before anything boots; a model larger
// than the main arena is refused by the app's setup with the bytes it needs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import type { GenericComparison } from '../../host/generic/compare.ts';
import { repoRoot } from '../../host/paths.ts';
import { argv, lastJson, xsinfer } from '../cli.ts';

const mlperf = path.join(repoRoot, 'testdata', 'mlperf');
const models: { model: string; kind: string }[] = [
  { model: 'kws_ref_model', kind: 'classification' },
  { model: 'pretrainedResnet_quant', kind: 'classification' },
  { model: 'vww_96_int8', kind: 'classification' },
  { model: 'ad01_int8', kind: 'anomaly' },
  { model: 'str_ww_ref_model', kind: 'classification' },
];

type GenericResult = BenchResult & { generic: GenericComparison[] };

/** `bench` of one MLPerf model on its golden inputs: the generic app, one case, one
 * iteration without warm-up, the optimized kernels, no per-op profile, results into `out`. */
function benchArgs(target: string, model: string, out: string): string[] {
  const inputs = path.join(mlperf, 'golden', `${model}.json`);
  return argv`bench --target ${target} --model ${path.join(mlperf, 'models', `${model}.tflite`)} --inputs ${inputs}
    --cases 1 -n 1 -w 0 -k optimized --no-ops -o ${out}`;
}

function bench(model: string, ...extra: string[]): { status: number | null; stderr: string; result?: GenericResult } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mlperf-models-'));
  try {
    const r = xsinfer(...extra, ...benchArgs('mps2-an500', model, out), '--json');
    return { status: r.status, stderr: r.stderr, result: lastJson<GenericResult>(r) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function expectCheckedAndAgreeing(r: ReturnType<typeof bench>): GenericComparison {
  expect(r.status, r.stderr).toBe(0);
  const runs = r.result!.runs.filter((x) => x.app === 'generic');
  expect(runs.map((x) => x.impl).sort()).toEqual(['c', 'js', 'js-helpers']);
  for (const run of runs) {
    expect(run.correct, `${run.impl}`).toBe(true);
    expect(run.phases.invoke.median).toBeGreaterThan(100_000);
  }
  const [g] = r.result!.generic;
  expect(g!.agree, g!.difference).toBe(true);
  // The helpers take the per-element work out of JS: both phases cost less than the plain loops'.
  const phase = (impl: string, p: 'populate' | 'respond') => runs.find((x) => x.impl === impl)!.phases[p].median;
  for (const p of ['populate', 'respond'] as const) expect(phase('js-helpers', p)).toBeLessThan(phase('js', p));
  return g!;
}

describe('the five MLPerf Tiny models through bench --model on QEMU', () => {
  for (const { model, kind } of models)
    it(`${model}: JS, JS + helpers and C bit-exact against TFLM, same answers (${kind})`, () => {
      const r = bench(model);
      const g = expectCheckedAndAgreeing(r);
      expect(g.answers).toHaveLength(1);
      // The arena the model needs, as the device planned it, within QEMU's main arena.
      const arena = r.result!.memory.arena.find((a) => a.model === `${model}.tflite (optimized)`);
      expect(arena!.total).toBe(arena!.head + arena!.tail);
      expect(arena!.total).toBeGreaterThan(1000);
      expect(arena!.total).toBeLessThanOrEqual(98_304);
      if (kind === 'anomaly') {
        expect(g.answers[0]!.label).toBe(-1);
        expect(g.answers[0]!.value).toBeGreaterThan(0);
      } else expect(g.answers[0]!.label).toBeGreaterThanOrEqual(0);
    }, 300_000);

  it("with the F769's settings: ResNet-8 (57,896-byte arena) runs; vww's input set is refused before boot", () => {
    expectCheckedAndAgreeing(bench('pretrainedResnet_quant', '--manifest-platform', 'stm32f769i-disco'));
    const r = bench('vww_96_int8', '--manifest-platform', 'stm32f769i-disco');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /input set of 27,696 bytes; stm32f769i-disco's input buffer holds 16,384 \(manifest.json defines.inputs.bytes\)/,
    );
  }, 300_000);

  it('a model whose arena exceeds the main arena is refused with the bytes it needs (host, 16 KB arena)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-arena-'));
    const manifest = path.join(dir, 'manifest.json');
    try {
      fs.writeFileSync(
        manifest,
        JSON.stringify({ include: path.join(repoRoot, 'manifest.json'), defines: { arena: { main: 16384 } } }),
      );
      const r = xsinfer('--manifest', manifest, ...benchArgs('host', 'kws_ref_model', path.join(dir, 'out')));
      expect(r.status, r.stderr).toBe(5);
      expect(r.stderr).toMatch(
        /generic \(js, optimized, model upload\/model\) failed on the device: .*arena too small: needs \d+ bytes \(16384 given\)/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      // Its own build tree (host/build/manifest.ts buildName): not reused by anything else.
      const tree = `host+m${crypto.createHash('sha1').update(manifest).digest('hex').slice(0, 8)}`;
      fs.rmSync(path.join(repoRoot, 'build', tree), { recursive: true, force: true });
    }
  }, 600_000);
});
