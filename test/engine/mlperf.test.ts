// The MLPerf Tiny suite (testdata/mlperf: kws, resnet, vww, ad, streaming wake word) through
// the engine, byte for byte against the real TFLM, with both kernel sets on the host and on
// QEMU's Cortex-M7 (vww is 333,288 bytes: the verify program reads models by semihosting);
// `verify --data` refusing a directory without golden cases; `bench-engine --model FILE`
// taking MACs from the model and finding the anchors by the file's bytes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { goldenFiles, verify } from '../../host/engine/verify.ts';
import { xsinfer, xsinferCmd } from '../cli.ts';

const mlperf = path.join(dataDir(), 'mlperf');
const models = ['ad01_int8', 'kws_ref_model', 'pretrainedResnet_quant', 'str_ww_ref_model', 'vww_96_int8'];

describe.each(['host', 'mps2-an500'] as const)('MLPerf Tiny on %s', (target) => {
  it.each(['reference', 'optimized'] as const)(
    '%s kernels: every golden case byte for byte',
    async (kernels) => {
      const r = await verify({ target, kernels, dataDir: mlperf });
      const failing = r.models.filter((m) => m.failed > 0);
      expect(failing.map((m) => ({ model: m.model, firstMismatch: m.firstMismatch }))).toEqual([]);
      expect(r.skipped).toEqual([]);
      expect(r.models.map((m) => m.model.replace('.tflite', '')).sort()).toEqual(models);
      expect(r.totals.cases).toBeGreaterThanOrEqual(10);
      expect(r.totals.passed).toBe(r.totals.cases);
      expect(r.ok).toBe(true);
    },
    900_000,
  );
});

describe('verify --data', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mlperf-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('refuses a missing directory, one without golden files and golden files without cases', () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(path.join(empty, 'golden'), { recursive: true });
    const noCases = path.join(tmp, 'no-cases');
    fs.mkdirSync(path.join(noCases, 'golden'), { recursive: true });
    fs.mkdirSync(path.join(noCases, 'models'), { recursive: true });
    fs.copyFileSync(path.join(mlperf, 'models', 'ad01_int8.tflite'), path.join(noCases, 'models', 'ad01_int8.tflite'));
    const g = JSON.parse(fs.readFileSync(path.join(mlperf, 'golden', 'ad01_int8.json'), 'utf8')) as {
      cases: unknown[];
    };
    g.cases = [];
    fs.writeFileSync(path.join(noCases, 'golden', 'ad01_int8.json'), JSON.stringify(g));
    // docs/errors.md: a missing input is a file error (9), an input without cases bad input (10).
    for (const [dir, status, text] of [
      [path.join(tmp, 'missing'), 9, 'no such directory'],
      [empty, 10, 'no golden cases'],
      [noCases, 10, 'no golden cases'],
    ] as const) {
      const r = xsinfer('verify', '--target', 'host', '--data', dir);
      expect(r.status, r.stderr).toBe(status);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('xsinfer:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(text);
    }
  });

  it('reads the MLPerf layout (models/ + golden/)', () => {
    expect(goldenFiles(mlperf).map((f) => path.basename(f, '.json'))).toEqual(models);
  });
});

describe('bench-engine --model FILE', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mlperf-bench-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('counts MACs from the model and finds the anchors of a renamed copy by its bytes', () => {
    const copy = path.join(tmp, 'my_autoencoder.tflite');
    fs.copyFileSync(path.join(mlperf, 'models', 'ad01_int8.tflite'), copy);
    const r = xsinferCmd`bench-engine --target mps2-an500 --kernels reference,optimized --model ${copy} -n 1 --json`;
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.last) as {
      rows: { model: string; kernels: string; macs: number; anchor: number | null; tflmArena: number | null }[];
    };
    expect(j.rows.map((row) => [row.model, row.kernels])).toEqual([
      ['my_autoencoder', 'reference'],
      ['my_autoencoder', 'optimized'],
    ]);
    // 10 FULLY_CONNECTED layers: 640x128 + 3 x 128x128 + 128x8 + 8x128 + 3 x 128x128 + 128x640.
    for (const row of j.rows) expect(row.macs).toBe(264_192);
    // testdata/mlperf/ANCHORS-m7-qemu.md: TFLM reference / TFLM + CMSIS-NN.
    expect(j.rows.map((row) => row.anchor)).toEqual([1_962_243, 583_410]);
    expect(j.rows.map((row) => row.tflmArena)).toEqual([2260, 2580]);
  }, 300_000);

  it('refuses a model file that does not exist, in one line', () => {
    const r = xsinfer('bench-engine', '--target', 'host', '--model', path.join(tmp, 'nope.tflite'));
    expect(r.status).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('xsinfer:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('no model file');
  });
});
