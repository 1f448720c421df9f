// A user's own app directory outside the repository: `xsinfer new` scaffolds it, the
// TypeScript type-checks against the device typings and the package modules "xsinfer/*",
// and `xsinfer bench --app DIR` deploys it to QEMU and measures it against the generic C
// app on the same model and inputs (the scaffold's defaults: MLPerf Tiny's KWS model and
// TFLM's golden outputs, so every iteration is checked). `new --model/--kind` scaffolds the
// other kinds: an anomaly app on MLPerf's AD autoencoder (golden, checked) and a
// regression app on a float32 model with generated inputs (unchecked: JS against C).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import type { GenericComparison } from '../../host/generic/compare.ts';
import { repoRoot } from '../../host/paths.ts';
import { xsinfer, xsinferCmd } from '../cli.ts';

describe('a user app scaffolded outside the repository', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-user-'));
  const dir = path.join(parent, 'my-app');

  it('xsinfer new writes main.ts, tsconfig, manifest, README, a model and inputs; it type-checks', () => {
    const r = xsinfer('new', dir, '--json');
    expect(r.status, r.stderr).toBe(0);
    const { files } = JSON.parse(r.last) as { files: string[] };
    expect(files).toEqual(expect.arrayContaining(['main.ts', 'tsconfig.json', 'manifest.json', 'README.md']));
    expect(path.relative(repoRoot, dir).startsWith('..')).toBe(true);
    const main = fs.readFileSync(path.join(dir, 'main.ts'), 'utf8');
    expect(main).toMatch(/from 'xsinfer\/quantize'/);
    expect(main).toMatch(/import \{ argmax, copy \} from 'helpers'/);
    expect(main).not.toMatch(/\.\.\/lib\//);
    const tsc = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
      {
        encoding: 'utf8',
      },
    );
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    // A type error is caught (the check can fail).
    fs.writeFileSync(
      path.join(dir, 'broken.ts'),
      "import { dequantizeI8 } from 'xsinfer/quantize';\nexport const x: string = dequantizeI8(1, 1, 0);\n",
    );
    const bad = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
      {
        encoding: 'utf8',
      },
    );
    expect(bad.status).not.toBe(0);
    fs.rmSync(path.join(dir, 'broken.ts'));
  });

  it('refuses to scaffold into a directory that has files', () => {
    const r = xsinfer('new', dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/exists and is not an empty directory/);
  });

  it('bench --app deploys it to QEMU and measures it against the generic C app: checked, same answers', () => {
    const r = xsinfer('bench', '--app', dir, '-n', '2', '--no-ops', '-o', path.join(parent, 'out'), '--json');
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.last) as BenchResult & { generic: GenericComparison[] };
    expect(result.runs.map((x) => `${x.app}/${x.impl}/${x.kernels}`).sort()).toEqual([
      'my_app/c/optimized',
      'my_app/c/reference',
      'my_app/js/optimized',
      'my_app/js/reference',
    ]);
    for (const run of result.runs) expect(run.correct).toBe(true);
    expect(result.generic.map((g) => g.agree)).toEqual([true, true]);
    expect(result.overhead.length).toBeGreaterThan(0);
  });

  function benchApp(app: string): BenchResult & { generic: GenericComparison[] } {
    const out = path.join(parent, `out-${path.basename(app)}`);
    const r = xsinferCmd`bench --app ${app} -n 2 -w 0 -k optimized --no-ops -o ${out} --json`;
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.last) as BenchResult & { generic: GenericComparison[] };
  }

  it('every run starts on a fresh XS machine: module state of an earlier run does not carry over', () => {
    // The app refuses a second setup() in one module instance; both kernel sets' runs of one
    // session pass only if each run imports the app anew.
    const app = path.join(parent, 'my-fresh');
    fs.cpSync(dir, app, { recursive: true });
    const main = path.join(app, 'main.ts');
    const source = fs.readFileSync(main, 'utf8');
    const patched = source.replace(
      /export function setup\(([^)]*)\): Interpreter \{\n/,
      (head) =>
        `let setUpBefore = false;\n${head}  if (setUpBefore) throw new Error('module state from an earlier run');\n  setUpBefore = true;\n`,
    );
    expect(patched).not.toBe(source);
    fs.writeFileSync(main, patched);
    const r = xsinfer(
      'bench',
      '--app',
      app,
      '-n',
      '1',
      '-w',
      '0',
      '--no-ops',
      '-o',
      path.join(parent, 'out-fresh'),
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.last) as BenchResult;
    expect(
      result.runs
        .filter((x) => x.impl === 'js')
        .map((x) => x.kernels)
        .sort(),
    ).toEqual(['optimized', 'reference']);
  }, 300_000);

  it('new --model ad01 makes an anomaly app (kind from the model, golden outputs found): checked, JS = C', () => {
    const app = path.join(parent, 'my-anomaly');
    const model = path.join(repoRoot, 'testdata', 'mlperf', 'models', 'ad01_int8.tflite');
    const r = xsinferCmd`new ${app} --model ${model} --json`;
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.last)).toMatchObject({ kind: 'anomaly' });
    expect(fs.readFileSync(path.join(app, 'main.ts'), 'utf8')).toMatch(/mean squared error/);
    expect(fs.readFileSync(path.join(app, 'main.ts'), 'utf8')).toMatch(/meanSquaredError\(a, 0, b, base, n/);
    const result = benchApp(app);
    for (const run of result.runs) expect(run.correct, `${run.impl}`).toBe(true);
    const [g] = result.generic;
    expect(g!.agree).toBe(true);
    expect(g!.answers[0]!.label).toBe(-1);
    expect(g!.answers[0]!.value).toBeGreaterThan(0);
  }, 300_000);

  it('new --kind regression on a float32 model writes generated inputs; its answers equal the generic C app', () => {
    const app = path.join(parent, 'my-regression');
    const model = path.join(repoRoot, 'testdata', 'models', 'hello_world_float.tflite');
    const r = xsinferCmd`new ${app} --model ${model} --kind regression --json`;
    expect(r.status, r.stderr).toBe(0);
    const { files } = JSON.parse(r.last) as { files: string[] };
    expect(files).toEqual(expect.arrayContaining(['inputs/in_0.bin', 'inputs/in_3.bin', 'hello_world_float.tflite']));
    expect(fs.statSync(path.join(app, 'inputs', 'in_0.bin')).size).toBe(4);
    const result = benchApp(app);
    for (const run of result.runs) expect(run.correct, `${run.impl}`).toBeNull();
    const [g] = result.generic;
    expect(g!.agree).toBe(true);
    expect(g!.answers.map((a) => a.name)).toEqual(['in_0.bin', 'in_1.bin']);
    expect(g!.answers[0]!.value).not.toBe(g!.answers[1]!.value);
  }, 300_000);
});
