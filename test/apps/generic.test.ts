// The generic app (device/apps/generic, its helpers variant device/apps/generic_fast,
// native/baseline/generic.c) on models the project has no app for, through `xsinfer bench
// --model FILE --inputs …` on QEMU: golden inputs are checked on the device (and a
// corrupted golden byte fails), an MLPerf Tiny dataset directory and seeded inputs are
// compared JS (both variants) against C; bad inputs are refused on the
// host with one line and a non-zero exit before anything boots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import { opcodeFieldPositions } from '../../host/engine/tflite.ts';
import type { GenericAnswer, GenericComparison } from '../../host/generic/compare.ts';
import { repoRoot } from '../../host/paths.ts';
import { lastJson, xsinfer } from '../cli.ts';
import { FULLY_CONNECTED, FULLY_CONNECTED_OPTIONS, NONE, buildModel, float32Bytes } from '../engine/tflite-builder.ts';

const mlperf = path.join(repoRoot, 'testdata', 'mlperf');
const kws = path.join(mlperf, 'models', 'kws_ref_model.tflite');
const ic = path.join(mlperf, 'models', 'pretrainedResnet_quant.tflite');
const helloFloat = path.join(repoRoot, 'testdata', 'models', 'hello_world_float.tflite');

interface GoldenFile {
  cases: { name: string; input: number[]; output: number[] }[];
}

type GenericResult = BenchResult & { generic: GenericComparison[] };

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-generic-'));
}

/** An MLPerf Tiny style dataset directory from the golden inputs: .bin files + truth CSV. */
function datasetFromGolden(goldenFile: string, dir: string): number[] {
  const golden = JSON.parse(fs.readFileSync(goldenFile, 'utf8')) as GoldenFile;
  const rows: string[] = [];
  const truth: number[] = [];
  golden.cases.forEach((c, i) => {
    fs.writeFileSync(path.join(dir, `in_${i}.bin`), Buffer.from(Int8Array.from(c.input).buffer));
    const best = c.output.indexOf(Math.max(...c.output));
    truth.push(best);
    rows.push(`in_${i}.bin, ${c.output.length}, ${best}, ${c.input.length}, ${c.input.length}`);
  });
  fs.writeFileSync(path.join(dir, 'y_labels.csv'), rows.join('\n') + '\n');
  return truth;
}

function bench(...args: string[]): { status: number | null; stderr: string; result?: GenericResult } {
  const r = xsinfer('bench', '--target', 'mps2-an500', '-n', '2', '--no-ops', '-o', tmp(), '--json', ...args);
  return { status: r.status, stderr: r.stderr, result: lastJson<GenericResult>(r) };
}

/** The generic app on `cases` inputs drawn with `seed` (reference kernels, one run per
 * input): JS, JS + helpers and C all ran and agree; their answers. */
function seededAnswers(model: string, kind: string, seed: number, cases: number): GenericAnswer[] {
  const n = String(cases);
  const r = bench('--model', model, '--inputs', `random:${seed}:${n}`, '--kind', kind, '-n', n, '-k', 'reference');
  expect(r.status, r.stderr).toBe(0);
  const impls = r.result!.runs.filter((x) => x.app === 'generic').map((x) => x.impl);
  expect(impls.sort()).toEqual(['c', 'js', 'js-helpers']);
  const [g] = r.result!.generic;
  expect(g!.agree, g!.difference).toBe(true);
  expect(g!.answers).toHaveLength(cases);
  return g!.answers;
}

describe('generic app on QEMU', () => {
  it('runs kws (DS-CNN) from its golden JSON: every iteration correct, JS and C agree, both kernel sets', () => {
    const r = bench('--model', kws, '--inputs', path.join(mlperf, 'golden', 'kws_ref_model.json'));
    expect(r.status, r.stderr).toBe(0);
    const runs = r.result!.runs.filter((x) => x.app === 'generic');
    expect(runs.map((x) => `${x.impl}/${x.kernels}`).sort()).toEqual([
      'c/optimized',
      'c/reference',
      'js-helpers/optimized',
      'js-helpers/reference',
      'js/optimized',
      'js/reference',
    ]);
    for (const run of runs) {
      expect(run.correct).toBe(true);
      expect(run.phases.invoke.median).toBeGreaterThan(1_000_000);
    }
    expect(r.result!.generic.map((g) => g.agree)).toEqual([true, true]);
  });

  it('a golden output changed by one step makes that case wrong, in JS and in C', () => {
    const golden = JSON.parse(
      fs.readFileSync(path.join(mlperf, 'golden', 'kws_ref_model.json'), 'utf8'),
    ) as GoldenFile & Record<string, unknown>;
    const o = golden.cases[1]!.output;
    o[0] = o[0]! === 127 ? 126 : o[0]! + 1;
    const file = path.join(tmp(), 'kws_corrupt.json');
    fs.writeFileSync(file, JSON.stringify(golden));
    const r = bench('--model', kws, '--inputs', file, '-k', 'optimized');
    expect(r.status).toBe(1);
    for (const run of r.result!.runs.filter((x) => x.app === 'generic')) {
      expect(run.correct).toBe(false);
      expect(run.wrong).toBeGreaterThan(0);
    }
  });

  it('runs ic (ResNet-8) from an MLPerf dataset directory with labels: unchecked, JS = C, top-1 = truth', () => {
    const dir = tmp();
    const truth = datasetFromGolden(path.join(mlperf, 'golden', 'pretrainedResnet_quant.json'), dir);
    const labels = path.join(dir, 'labels.txt');
    fs.writeFileSync(labels, 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
    const r = bench('--model', ic, '--inputs', dir, '--labels', labels, '-k', 'optimized');
    expect(r.status, r.stderr).toBe(0);
    for (const run of r.result!.runs.filter((x) => x.app === 'generic')) expect(run.correct).toBeNull();
    const [g] = r.result!.generic;
    expect(g!.agree).toBe(true);
    expect(g!.answers.map((a) => a.label)).toEqual(truth);
    expect(g!.answers[0]!.labelName).toBe(
      ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'][truth[0]!],
    );
  });

  it('scores anomalies on a float32 model from seeded inputs, JS, JS + helpers and C bit for bit', () => {
    const answers = seededAnswers(helloFloat, 'anomaly', 7, 3);
    for (const a of answers) {
      expect(a.label).toBe(-1);
      expect(Number.isFinite(a.value) && a.value >= 0).toBe(true);
    }
    // Three different seeded inputs give three different errors.
    expect(new Set(answers.map((a) => a.value)).size).toBe(3);
  });
});

/** A float32 FULLY_CONNECTED model, 8 inputs → 10 outputs, with fixed pseudo-random weights. */
function floatClassifier(): string {
  let x = 12345;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return ((x >>> 8) / 2 ** 24) * 2 - 1;
  };
  const model = buildModel({
    tensors: [
      { type: 'float32', shape: [1, 8] },
      { type: 'float32', shape: [10, 8], data: float32Bytes(Array.from({ length: 80 }, next)) },
      { type: 'float32', shape: [10], data: float32Bytes(Array.from({ length: 10 }, next)) },
      { type: 'float32', shape: [1, 10] },
    ],
    inputs: [0],
    outputs: [3],
    op: {
      builtin: FULLY_CONNECTED,
      inputs: [0, 1, 2],
      outputs: [3],
      options: { type: FULLY_CONNECTED_OPTIONS, fields: [[0, 'i8', NONE]] },
    },
  });
  const file = path.join(tmp(), 'float_fc.tflite');
  fs.writeFileSync(file, model);
  return file;
}

describe('generic app on a float32 model: JS, JS + helpers and C agree', () => {
  const model = floatClassifier();
  for (const kind of ['classification', 'regression']) {
    it(`${kind}: the float32 output ranked or copied by the helpers as by generic's loops and C`, () => {
      const answers = seededAnswers(model, kind, 11, 4);
      const labels = answers.map((a) => a.label);
      if (kind === 'regression') expect(labels).toEqual([-1, -1, -1, -1]);
      else for (const l of labels) expect(l >= 0 && l < 10).toBe(true);
      // Four seeded inputs give four different answers (not one constant output).
      expect(new Set(answers.map((a) => a.value)).size).toBe(4);
    });
  }
});

describe('generic app: bad input is refused on the host before anything boots', () => {
  const refused = (args: string[], pattern: RegExp) => {
    const r = xsinfer('bench', '--target', 'mps2-an500', ...args);
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    // One error line (a run that got as far as booting also logged its plan before it).
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('bench on '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  };

  it('an input file of the wrong size names the file and both sizes', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'short.bin'), Buffer.alloc(100));
    refused(['--model', kws, '--inputs', dir], /short\.bin has 100 bytes.*takes 490/);
  });

  it('an empty or a missing input directory', () => {
    refused(['--model', kws, '--inputs', tmp()], /no inputs/);
    refused(['--model', kws, '--inputs', path.join(tmp(), 'nope')], /no such directory or file/);
  });

  it('a CSV naming a file that is not there', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'y_labels.csv'), 'gone.bin, 12, 3, 490, 490\n');
    refused(['--model', kws, '--inputs', dir], /names gone\.bin, which is not there/);
  });

  it('a labels file of the wrong length', () => {
    const labels = path.join(tmp(), 'labels.txt');
    fs.writeFileSync(labels, 'yes\nno\n');
    refused(['--model', kws, '--inputs', 'random', '--labels', labels], /2 names for a model with 12 outputs/);
  });

  it('a model with an op the engine lacks: the op and its index, before any run (QEMU)', () => {
    const bytes = new Uint8Array(fs.readFileSync(kws));
    const view = new DataView(bytes.buffer);
    // Every operator code becomes TRANSPOSE (39), which the engine does not implement.
    for (const code of opcodeFieldPositions(bytes)) {
      if (code.deprecated !== null) view.setInt8(code.deprecated, 39);
      if (code.builtin !== null) view.setInt32(code.builtin, 39, true);
    }
    const model = path.join(tmp(), 'kws_transpose.tflite');
    fs.writeFileSync(model, bytes);
    refused(
      ['--model', model, '--inputs', path.join(mlperf, 'golden', 'kws_ref_model.json')],
      /unsupported op TRANSPOSE \(op 0\)/,
    );
  });

  it('a golden file of another model, an unknown kind, and the generic app without a model file', () => {
    refused(
      ['--model', kws, '--inputs', path.join(mlperf, 'golden', 'pretrainedResnet_quant.json')],
      /its input is int8 of 3072 bytes, the model's input 0 is int8 of 490/,
    );
    refused(['--model', kws, '--inputs', 'random', '--kind', 'detection'], /--kind detection: use classification/);
    refused(['--inputs', 'random'], /needs --model FILE\.tflite/);
  });
});
