// The engine against TFLM's own outputs: every golden model and single-op file, byte for
// byte (float32 within 1e-5), on the host and on QEMU's Cortex-M7; and proof that a single
// corrupted golden byte makes verify fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { goldenFiles, verify } from '../../host/engine/verify.ts';

const data = dataDir();
const goldenCount = goldenFiles(data).length;

describe.each(['host', 'mps2-an500'] as const)('verify on %s (reference kernels)', (target) => {
  it('passes every case and every per-op output of every golden file', async () => {
    const r = await verify({ target, kernels: 'reference', dataDir: data });
    const failing = r.models.filter((m) => m.failed > 0 || m.perOp.failed > 0);
    expect(failing.map((m) => ({ model: m.model, firstMismatch: m.firstMismatch }))).toEqual([]);
    // Models the engine lacks ops for are listed, not failed; today it runs them all.
    expect(r.skipped).toEqual([]);
    expect(r.models.length).toBe(goldenCount);
    expect(r.totals.cases).toBe(r.totals.passed);
    expect(r.totals.cases).toBeGreaterThanOrEqual(1000);
    expect(r.totals.perOpPassed).toBeGreaterThanOrEqual(84);
    expect(r.ok).toBe(true);
    // Float models report the largest difference seen, within the tolerance.
    const hello = r.models.find((m) => m.model === 'hello_world_float.tflite')!;
    expect(hello.maxAbsDiff).toBeLessThanOrEqual(1e-5);
  }, 600_000);
});

describe('a corrupted golden', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-corrupt-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function copyModel(name: string, mutate: (g: Record<string, unknown>) => void): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(path.join(dir, 'golden'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
    fs.copyFileSync(path.join(data, 'models', `${name}.tflite`), path.join(dir, 'models', `${name}.tflite`));
    const g = JSON.parse(fs.readFileSync(path.join(data, 'golden', `${name}.json`), 'utf8')) as Record<string, unknown>;
    mutate(g);
    fs.writeFileSync(path.join(dir, 'golden', `${name}.json`), JSON.stringify(g));
    return dir;
  }

  it('fails verify when one output byte of one case is off by one', async () => {
    const dir = copyModel('mnist_int8', (g) => {
      const c = (g.extra_cases as { output: number[] }[])[41]!;
      c.output[7] = c.output[7]! === 127 ? 126 : c.output[7]! + 1;
    });
    const r = await verify({ target: 'host', kernels: 'reference', dataDir: dir });
    expect(r.ok).toBe(false);
    expect(r.models[0]!.failed).toBe(1);
    expect(r.models[0]!.passed).toBe(99);
    expect(r.models[0]!.firstMismatch).toMatchObject({ index: 7 });
    expect(r.models[0]!.firstMismatch!.case).toBe(
      (
        JSON.parse(fs.readFileSync(path.join(dir, 'golden', 'mnist_int8.json'), 'utf8')) as {
          extra_cases: { name: string }[];
        }
      ).extra_cases[41]!.name,
    );
  });

  it('fails verify when one per-op output byte is wrong', async () => {
    const dir = copyModel('hello_world_int8', (g) => {
      const p = (g.per_op as { outputs: number[][] }[])[1]!;
      p.outputs[0]![5] = p.outputs[0]![5]! === 127 ? 126 : p.outputs[0]![5]! + 1;
    });
    const r = await verify({ target: 'host', kernels: 'reference', dataDir: dir });
    expect(r.ok).toBe(false);
    expect(r.models[0]!.perOp).toEqual({ passed: 2, failed: 1 });
    expect(r.models[0]!.failed).toBe(0);
    expect(r.models[0]!.firstMismatch).toMatchObject({ op: 1, index: 5 });
  });

  it('fails verify when a float32 output moves by more than 1e-5', async () => {
    const dir = copyModel('hello_world_float', (g) => {
      const c = (g.cases as { output: number[] }[])[10]!;
      c.output[0] = c.output[0]! + 2e-5;
    });
    const r = await verify({ target: 'host', kernels: 'reference', dataDir: dir });
    expect(r.ok).toBe(false);
    expect(r.models[0]!.failed).toBe(1);
    expect(r.models[0]!.maxAbsDiff).toBeGreaterThan(1e-5);
  });
});
