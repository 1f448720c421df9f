// A user's own app directory outside the repository: `xsinfer new` scaffolds it, the
// TypeScript type-checks against the device typings and the package modules "xsinfer/*",
// and `xsinfer bench --app DIR` deploys it to QEMU and measures it against the generic C
// app on the same model and inputs (the scaffold's defaults: MLPerf Tiny's KWS model and
// TFLM's golden outputs, so every iteration is checked).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import type { GenericComparison } from '../../host/generic/compare.ts';
import { repoRoot } from '../../host/paths.ts';
import { xsinfer } from '../cli.ts';

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
});
