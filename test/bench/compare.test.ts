// `xsinfer compare`: an identical pair passes, an injected regression (one median edited in a
// copy of a result) fails with exit 11 naming the phase, and a real bench run (host target,
// from another working directory) writes ./results there with tool versions and a CSV that
// compare reads back through the recording.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import type { Comparison } from '../../host/compare/compare.ts';
import { exitCodes } from '../../host/errors.ts';
import { xsinfer, xsinferIn } from '../cli.ts';
import { fixtureResult } from '../report/fixture.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-compare-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, result: BenchResult): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  return file;
}

/** A copy of the fixture with one change. */
function edited(change: (r: BenchResult) => void): BenchResult {
  const r = fixtureResult();
  change(r);
  return r;
}

const run = (r: BenchResult, app: string, impl: string, kernels: string) =>
  r.runs.find((x) => x.app === app && x.impl === impl && x.kernels === kernels)!;

describe('xsinfer compare (QEMU instruction counts: exact, threshold 0)', () => {
  const base = write('a/result.json', fixtureResult());

  it('passes an identical pair and compares every phase of every run', () => {
    const r = xsinfer('compare', path.dirname(base), base, '--json');
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(r.last) as Comparison;
    expect(c.unit).toBe('instr');
    expect(c.threshold).toEqual({ kind: 'absolute', value: 0 });
    expect(c.rows.length).toBe(fixtureResult().runs.length * 4);
    expect(c.rows.every((x) => x.status === 'same' && x.delta === 0 && x.ratio === 1)).toBe(true);
    expect(c.regressions).toEqual([]);
  });

  it('catches one median one instruction higher, with exit 11 and the phase named', () => {
    const b = write(
      'b/result.json',
      edited((r) => (run(r, 'mnist', 'js', 'optimized').phases.invoke.median += 1)),
    );
    const r = xsinfer('compare', base, b, '--json');
    expect(r.status).toBe(exitCodes.REGRESSION);
    const c = JSON.parse(r.last) as Comparison;
    expect(c.regressions).toHaveLength(1);
    expect(c.regressions[0]).toMatchObject({
      app: 'mnist',
      impl: 'js',
      kernels: 'optimized',
      phase: 'invoke',
      delta: 1,
    });
    expect(r.stderr).toMatch(/^xsinfer: 1 phase\(s\) regressed beyond 0 instr: mnist js optimized invoke \+1$/m);
    // The human table and the CSV say the same.
    const text = xsinfer('compare', base, b);
    expect(text.status).toBe(exitCodes.REGRESSION);
    expect(text.stdout).toMatch(/mnist js optimized\s+invoke .* \+1 .*regressed/);
    const csv = xsinfer('compare', base, b, '--csv');
    expect(csv.status).toBe(exitCodes.REGRESSION);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('app,impl,kernels,model,phase,a,b,delta,ratio,status,unit');
    expect(lines.filter((l) => l.endsWith(',regressed,instr'))).toEqual([
      expect.stringMatching(/^mnist,js,optimized,,invoke,\d+,\d+,1,[\d.]+,regressed,instr$/),
    ]);
    expect(lines.length).toBe(1 + fixtureResult().runs.length * 4);
  });

  it('lets an improvement pass, and a relative threshold absorb a small increase', () => {
    const faster = write(
      'c/result.json',
      edited((r) => (run(r, 'mnist', 'c', 'reference').phases.populate.median -= 100)),
    );
    const r = xsinfer('compare', base, faster, '--json');
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.last) as Comparison).rows.filter((x) => x.status === 'improved')).toHaveLength(1);
    const slower = write(
      'd/result.json',
      edited((r) => (run(r, 'hello_world', 'c', 'reference').phases.total.median *= 1.01)),
    );
    expect(xsinfer('compare', base, slower, '--threshold', '2%').status).toBe(0);
    expect(xsinfer('compare', base, slower, '--threshold', '0.5%').status).toBe(exitCodes.REGRESSION);
    expect(xsinfer('compare', base, slower, '--threshold', '1000').status).toBe(0);
  });

  it('lists runs present on one side only, and fails on answers that became wrong', () => {
    const fewer = write(
      'e/result.json',
      edited((r) => (r.runs = r.runs.filter((x) => x.app !== 'hello_world'))),
    );
    const r = xsinfer('compare', base, fewer, '--json');
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(r.last) as Comparison;
    expect(c.onlyA.map((k) => `${k.app}/${k.impl}/${k.kernels}`).sort()).toEqual([
      'hello_world/c/optimized',
      'hello_world/c/reference',
      'hello_world/js/optimized',
      'hello_world/js/reference',
    ]);
    expect(c.onlyB).toEqual([]);
    const wrong = write(
      'f/result.json',
      edited((r) => (run(r, 'mnist', 'c', 'optimized').correct = false)),
    );
    const w = xsinfer('compare', base, wrong, '--json');
    expect(w.status).toBe(exitCodes.REGRESSION);
    expect((JSON.parse(w.last) as Comparison).wrong).toEqual([{ app: 'mnist', impl: 'c', kernels: 'optimized' }]);
  });
});

describe('bench results in the working directory, compared through the recording', () => {
  it('writes ./results/<ts>/ with result.csv and tool versions; compare reads the directory and the recording', () => {
    const cwd = path.join(tmp, 'cwd');
    fs.mkdirSync(cwd);
    const r = xsinferIn(
      cwd,
      'bench',
      '--target',
      'host',
      '--apps',
      'hello_world',
      '--kernels',
      'reference',
      '-n',
      '3',
      '--no-ops',
      '--csv',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const dirs = fs.readdirSync(path.join(cwd, 'results'));
    expect(dirs).toHaveLength(1);
    const out = path.join(cwd, 'results', dirs[0]!);
    for (const f of ['recording.xsirec', 'report.md', 'report.html', 'result.json', 'result.csv'])
      expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    const result = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as BenchResult;
    expect(result.versions).toMatchObject({
      node: process.version,
      xs: '13.3.0',
      build: result.build,
      newlib: null,
      qemu: null,
    });
    expect(result.versions!.gcc).toMatch(/^\d+\.\d+/);
    const csv = fs.readFileSync(path.join(out, 'result.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('target,unit,app,impl,kernels,model,phase,iterations,min,median,avg,p95,max,correct');
    expect(csv.length).toBe(1 + result.runs.length * 4);
    const jsTotal = run(result, 'hello_world', 'js', 'reference').phases.total;
    expect(csv).toContain(
      `host,ns,hello_world,js,reference,,total,3,${jsTotal.min},${jsTotal.median},${jsTotal.avg},${jsTotal.p95},${jsTotal.max},true`,
    );

    // The directory (its result.json) against its own recording: the same medians, the same versions.
    const same = xsinfer('compare', out, path.join(out, 'recording.xsirec'), '--json');
    expect(same.status, same.stderr).toBe(0);
    const c = JSON.parse(same.last) as Comparison;
    expect(c.threshold).toEqual({ kind: 'relative', value: 2 });
    expect(c.rows.length).toBe(result.runs.length * 4);
    expect(c.regressions).toEqual([]);
    expect(c.versionChanges).toEqual([]);
    expect(c.b.versions).toEqual(result.versions);

    // One phase 50 % slower in a copy: caught in ns with the default 2 %.
    const slow = structuredClone(result);
    run(slow, 'hello_world', 'c', 'reference').phases.invoke.median *= 1.5;
    const slowFile = path.join(tmp, 'slow.json');
    fs.writeFileSync(slowFile, JSON.stringify(slow));
    const caught = xsinfer('compare', out, slowFile, '--json');
    expect(caught.status).toBe(exitCodes.REGRESSION);
    expect((JSON.parse(caught.last) as Comparison).regressions.map((x) => `${x.app}/${x.impl}/${x.phase}`)).toEqual([
      'hello_world/c/invoke',
    ]);
  });
});
