// The optimized kernel set is bit-exact: every golden case with `--kernels optimized`
// (host and QEMU Cortex-M7), hundreds of seeded random single-op models per op (conv,
// depthwise, FC, max/average pool, softmax, broadcasting ADD/MUL) and the MLPerf Tiny
// models' depthwise and int8-weight CONV_2D shapes with random weights and
// quantization, compared byte for byte with the reference set
// (firmware/programs/kernel-diff), and the fast requantization and the inline softmax
// fixed point checked against quant.c directly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFirmware } from '../../host/build/firmware.ts';
import { dataDir } from '../../host/data.ts';
import { goldenFiles, verify } from '../../host/engine/verify.ts';
import { runProgram } from '../../host/run/program.ts';
import {
  convShapes,
  dwShapes,
  opKinds,
  writeConvShapeModels,
  writeDwShapeModels,
  writeLargeAddModels,
  writeModels,
} from './optimized-models.ts';

type Target = 'host' | 'mps2-an500';
const targets: Target[] = ['host', 'mps2-an500'];
const data = dataDir();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-optdiff-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Done {
  t: 'done';
  models?: number;
  rejected?: number;
  statusDiffs?: number;
  runs: number;
  mismatches: number;
}

async function kernelDiff(target: Target, args: string[]): Promise<{ done: Done; findings: string[] }> {
  await buildFirmware({ target, quiet: true });
  const run = await runProgram({ target, program: 'kernel-diff', args, timeoutMs: 600_000 });
  const lines = run.output
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'));
  const done = lines.map((l) => JSON.parse(l) as { t: string }).find((l) => l.t === 'done') as Done | undefined;
  if (!done)
    throw new Error(
      `kernel-diff ${args.join(' ')} on ${target} printed no result:\n${run.output.toString().slice(-1500)}${run.stderr}`,
    );
  return { done, findings: lines.filter((l) => !l.includes('"t":"done"')).slice(0, 5) };
}

/** kernel-diff over the `count` models in dir (seed as written): every accepted model equals
 * the reference byte for byte, status included, on four inputs (random, all -128, all 127,
 * random extremes); fewer than a tenth are rejected. */
async function expectModelsMatch(target: Target, dir: string, count: number, seed: number): Promise<void> {
  const { done, findings } = await kernelDiff(target, ['diff', dir, String(count), String(seed), '4']);
  expect(findings).toEqual([]);
  expect(done.statusDiffs).toBe(0);
  expect(done.mismatches).toBe(0);
  expect(done.models).toBe(count);
  expect(done.runs).toBe((count - (done.rejected ?? 0)) * 4);
  expect(done.rejected ?? 0).toBeLessThan(count / 10);
}

/** kernel-diff's `mode` over n seeded draws: no finding and no mismatch; returns the
 * result for the caller's check of its run count. */
async function expectNoMismatch(target: Target, mode: 'requant' | 'softexp', n: number, seed: number): Promise<Done> {
  const { done, findings } = await kernelDiff(target, [mode, String(n), String(seed)]);
  expect(findings).toEqual([]);
  expect(done.mismatches).toBe(0);
  return done;
}

describe.each(targets)('optimized kernels on %s', (target) => {
  it('pass every golden case and per-op output', async () => {
    const r = await verify({ target, kernels: 'optimized', dataDir: data });
    const failing = r.models.filter((m) => m.failed > 0 || m.perOp.failed > 0);
    expect(failing.map((m) => ({ model: m.model, firstMismatch: m.firstMismatch }))).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.models.length).toBe(goldenFiles(data).length);
    expect(r.totals.cases).toBeGreaterThanOrEqual(1000);
    expect(r.totals.passed).toBe(r.totals.cases);
    expect(r.ok).toBe(true);
  }, 600_000);

  it('requantize exactly like MultiplyByQuantizedMultiplier + zero point + clamp', async () => {
    const n = target === 'host' ? 2_000_000 : 300_000;
    const done = await expectNoMismatch(target, 'requant', n, 7);
    // Draws outside the proven domain are skipped; most are inside.
    expect(done.runs).toBeGreaterThan(n * 0.8);
  }, 600_000);

  it('inline gemmlowp exp/SRDHM/RoundingDivideByPOT equal quant.c', async () => {
    const n = target === 'host' ? 2_000_000 : 200_000;
    const done = await expectNoMismatch(target, 'softexp', n, 11);
    expect(done.runs).toBe(2 * n);
  }, 600_000);

  for (const { what, name, write, shapes, seeds } of [
    {
      what: 'the MLPerf depthwise shapes (borders, odd channels, columns, multipliers > 1)',
      name: 'dwshapes',
      write: writeDwShapeModels,
      shapes: dwShapes.length,
      seeds: [4242, 4343],
    },
    {
      what: 'the int8-weight CONV_2D shapes (1x1 and 3x3, every block remainder, odd taps, pruned channels)',
      name: 'convshapes',
      write: writeConvShapeModels,
      shapes: convShapes.length,
      seeds: [5252, 5353],
    },
  ])
    it(`equal the reference byte for byte on ${what}`, async () => {
      const perShape = target === 'host' ? 8 : 3;
      const seed = seeds[target === 'host' ? 0 : 1]!;
      const dir = path.join(tmp, `${target}-${name}`);
      const count = write(dir, perShape, seed);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tflite'))).toHaveLength(shapes * perShape);
      await expectModelsMatch(target, dir, count, seed);
    }, 600_000);

  it('equal the reference byte for byte on large plain ADD models (rescale tables)', async () => {
    const count = target === 'host' ? 40 : 12;
    const seed = target === 'host' ? 6262 : 6363;
    const dir = path.join(tmp, `${target}-bigadd`);
    writeLargeAddModels(dir, count, seed);
    await expectModelsMatch(target, dir, count, seed);
  }, 600_000);

  // Host: 300 models per op; QEMU (slower, same code paths but the DSP asm): 120.
  const count = target === 'host' ? 300 : 120;
  it.each(opKinds)(
    `equal the reference byte for byte on ${count} random %s models`,
    async (kind) => {
      const seed = 1000 + opKinds.indexOf(kind) + (target === 'host' ? 0 : 500);
      const dir = path.join(tmp, `${target}-${kind}`);
      writeModels(dir, kind, count, seed);
      await expectModelsMatch(target, dir, count, seed);
    },
    600_000,
  );
});
