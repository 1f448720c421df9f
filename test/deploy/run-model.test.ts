// `run {model}`: the C and the TypeScript app run on a model uploaded into the slot (or
// any image asset) instead of their built-in one. A copy of the built-in model passes the
// golden check in both impls with the same answers; a model with other weights runs
// unchecked (no `ok`, correct null) with JS and C still agreeing byte for byte; a model
// that does not fit the app is refused by both with the same error record; an unknown
// asset is refused before the run starts. Also the CLI: `run --app A --model FILE`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRuns } from '../../host/bench/bench.ts';
import { collectRuns } from '../../host/bench/collect.ts';
import { modelChoice } from '../../host/bench/session-runs.ts';
import type { DoneRecord, ErrorRecord, IterRecord, RunCommand } from '../../host/bridge/protocol.ts';
import type { DeviceSession } from '../../host/bridge/session.ts';
import { dataDir } from '../../host/data.ts';
import { sendImage } from '../../host/deploy/deploy.ts';
import { repoRoot } from '../../host/paths.ts';
import { bootBoard, closeBoard, type Board, refusal } from './fixtures.ts';

const modelFile = (name: string) => path.join(dataDir(), 'models', name);
const model = (name: string) => new Uint8Array(fs.readFileSync(modelFile(name)));

/** The model with its largest constant buffer (weights) reversed: same graph and
 * shapes, other outputs. Walks the flatbuffer: root table → buffers (field 4) → data (field 0). */
function otherWeights(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  const field = (table: number, id: number): number => {
    const vt = table - v.getInt32(table, true);
    const slot = 4 + 2 * id;
    const o = slot + 2 <= v.getUint16(vt, true) ? v.getUint16(vt + slot, true) : 0;
    return o ? table + o + v.getUint32(table + o, true) : 0;
  };
  const root = v.getUint32(0, true);
  const buffers = field(root, 4);
  let best = { pos: 0, len: 0 };
  for (let i = 0; i < v.getUint32(buffers, true); i++) {
    const at = buffers + 4 + 4 * i;
    const data = field(at + v.getUint32(at, true), 0);
    if (data && v.getUint32(data, true) > best.len) best = { pos: data + 4, len: v.getUint32(data, true) };
  }
  expect(best.len).toBeGreaterThan(1000);
  out.subarray(best.pos, best.pos + best.len).reverse();
  return out;
}

interface Outcome {
  iters: IterRecord[];
  error?: ErrorRecord;
  done: DoneRecord;
  labels: number[];
  scores: number[];
}

async function run(session: DeviceSession, cmd: Omit<RunCommand, 'kind'>): Promise<Outcome> {
  const from = session.records.length;
  await session.command({ kind: 'run', warmup: 0, ...cmd }, { timeoutMs: 10_000 });
  const done = (await session.waitFor((r) => r.kind === 'done', 300_000, from)) as DoneRecord;
  const recs = session.records.slice(from);
  const iters = recs.filter((r): r is IterRecord => r.kind === 'iter');
  const result = (i: IterRecord) => i.result as { label: number; score: number };
  return {
    iters,
    error: recs.find((r): r is ErrorRecord => r.kind === 'error'),
    done,
    labels: iters.map((i) => result(i).label),
    scores: iters.map((i) => result(i).score),
  };
}

describe.each(['mps2-an500', 'host'] as const)('apps on an uploaded model, %s', (target) => {
  let board: Board;
  let session: DeviceSession;
  let builtIn: Outcome;
  beforeAll(async () => {
    board = await bootBoard(target);
    session = board.session;
    builtIn = await run(session, { app: 'mnist', impl: 'c', iterations: 10 });
  });
  afterAll(async () => {
    if (board) await closeBoard(board);
  });

  it('refuses a model asset that does not exist, before the run starts', async () => {
    for (const impl of ['c', 'js'] as const) {
      expect(await refusal(session.command({ kind: 'run', app: 'mnist', impl, model: 'upload/model' }))).toEqual({
        code: 2,
        message: 'run: no model asset "upload/model" (nothing uploaded under that name: deploy --model first)',
      });
      expect(
        await refusal(session.command({ kind: 'run', app: 'mnist', impl, model: 'models/none.tflite' })),
      ).toMatchObject({
        code: 2,
        message: expect.stringMatching(/no model asset "models\/none\.tflite" in this firmware/),
      });
    }
  });

  it('runs C and JS on a copy of the built-in model: golden check passes, same answers', async () => {
    await sendImage(session, { kind: 'model', name: 'mnist_int8.tflite', data: model('mnist_int8.tflite') });
    const c = await run(session, { app: 'mnist', impl: 'c', iterations: 10, model: 'upload/model' });
    const js = await run(session, { app: 'mnist', impl: 'js', iterations: 10, model: 'upload/model' });
    for (const r of [c, js]) {
      expect(r.error).toBeUndefined();
      expect(r.done).toMatchObject({ status: 0, extra: { model: 'upload/model', wrong: 0 } });
      expect(r.iters.map((i) => i.correct)).toEqual(Array(10).fill(true));
      expect(r.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(r.scores).toEqual(builtIn.scores);
    }
    const runs = collectRuns(session.records).slice(-2);
    expect(runs.map((r) => [r.impl, r.model, r.correct])).toEqual([
      ['c', 'upload/model', true],
      ['js', 'upload/model', true],
    ]);
    // Naming the built-in asset is the same as naming none.
    const named = await run(session, { app: 'mnist', impl: 'js', iterations: 2, model: 'models/mnist_int8.tflite' });
    expect(named.iters.map((i) => i.correct)).toEqual([true, true]);
  });

  it('gives the same clear error in C and JS for a model that does not fit the app', async () => {
    // mnist's model in the slot for hello_world; hello_world's (an image asset) for mnist.
    for (const [app, asset, message] of [
      [
        'hello_world',
        'upload/model',
        'hello_world: model "upload/model" does not fit: input 0 is int8[784], the app needs int8[1]',
      ],
      [
        'mnist',
        'models/hello_world_int8.tflite',
        'mnist: model "models/hello_world_int8.tflite" does not fit: input 0 is int8[1], the app needs int8[784]',
      ],
      [
        'micro_speech_stream',
        'upload/model',
        'micro_speech_stream: model "upload/model" does not fit: input 0 is int8[784], the app needs int8[1960]',
      ],
    ] as const) {
      for (const impl of ['c', 'js'] as const) {
        const r = await run(session, { app, impl, iterations: 3, model: asset });
        expect(r.error, `${app} ${impl}`).toMatchObject({ code: 16, codeName: 'app', message });
        expect(r.iters).toEqual([]);
        expect(r.done.status).toBe(1);
      }
    }
    // A JS app with no model of its own cannot take one (its setup never runs).
    const oom = await run(session, { app: 'oom', impl: 'js', iterations: 1, model: 'upload/model' });
    expect(oom.error).toMatchObject({ code: 16, message: expect.stringMatching(/no model of its own/) });
    // And the built-in apps are unaffected.
    const after = await run(session, { app: 'mnist', impl: 'js', iterations: 2 });
    expect(after.iters.map((i) => i.correct)).toEqual([true, true]);
  });

  it('runs a model with other weights unchecked, JS and C agreeing byte for byte', async () => {
    await sendImage(session, { kind: 'model', name: 'mnist_reversed', data: otherWeights(model('mnist_int8.tflite')) });
    const c = await run(session, { app: 'mnist', impl: 'c', iterations: 10, model: 'upload/model' });
    const js = await run(session, { app: 'mnist', impl: 'js', iterations: 10, model: 'upload/model' });
    for (const r of [c, js]) {
      expect(r.error).toBeUndefined();
      expect(r.done).toMatchObject({ status: 0, extra: { wrong: 0 } });
      expect(r.iters).toHaveLength(10);
      expect(r.iters.every((i) => i.correct === undefined)).toBe(true); // not checked
    }
    expect(js.labels).toEqual(c.labels);
    expect(js.scores).toEqual(c.scores);
    expect(c.scores).not.toEqual(builtIn.scores); // really another model
    const runs = collectRuns(session.records).slice(-2);
    expect(runs.map((r) => r.correct)).toEqual([null, null]);
  });

  it('runs micro_speech (clip and stream) and hello_world on their uploaded models, checked', async () => {
    await sendImage(session, {
      kind: 'model',
      name: 'micro_speech_quantized',
      data: model('micro_speech_quantized.tflite'),
    });
    for (const app of ['micro_speech', 'micro_speech_stream'] as const) {
      const n = app === 'micro_speech' ? 4 : 50; // the stream's step 48 is checked against golden data too
      const c = await run(session, { app, impl: 'c', iterations: n, model: 'upload/model' });
      const js = await run(session, { app, impl: 'js', iterations: n, model: 'upload/model' });
      for (const r of [c, js]) {
        expect(r.error, app).toBeUndefined();
        expect(
          r.iters.map((i) => i.correct),
          app,
        ).toEqual(Array(n).fill(true));
      }
      expect(js.labels).toEqual(c.labels);
    }
    await sendImage(session, { kind: 'model', name: 'hello_world_int8', data: model('hello_world_int8.tflite') });
    const c = await run(session, { app: 'hello_world', impl: 'c', iterations: 8, model: 'upload/model' });
    const js = await run(session, { app: 'hello_world', impl: 'js', iterations: 8, model: 'upload/model' });
    for (const r of [c, js]) expect(r.iters.map((i) => i.correct)).toEqual(Array(8).fill(true));
    expect(js.scores).toEqual(c.scores);
  });
});

describe('--model on the command line', () => {
  it('plans every app run on the model, never the micro-benchmarks', () => {
    const specs = planRuns({
      apps: ['mnist', 'micro_speech'],
      impls: ['js', 'c'],
      kernels: ['reference'],
      iterations: 2,
      warmup: 0,
      ops: false,
      model: 'upload/model',
    });
    expect(specs.filter((s) => s.app === 'micro').map((s) => s.model)).toEqual([undefined]);
    expect(specs.filter((s) => s.app !== 'micro').every((s) => s.model === 'upload/model')).toBe(true);
    expect(specs.map((s) => s.app)).toContain('micro_speech_ts');
    expect(
      planRuns({ apps: ['mnist'], impls: ['c'], kernels: ['reference'], iterations: 1, warmup: 0, ops: false }).every(
        (s) => !('model' in s),
      ),
    ).toBe(true);
  });

  it('reads a file as an upload and anything else as an asset name', () => {
    expect(modelChoice(modelFile('mnist_int8.tflite'))).toMatchObject({
      asset: 'upload/model',
      upload: { name: 'mnist_int8.tflite' },
    });
    expect(modelChoice('upload/model')).toEqual({ asset: 'upload/model' });
    expect(modelChoice('models/mnist_int8.tflite')).toEqual({ asset: 'models/mnist_int8.tflite' });
    expect(() => modelChoice('missing.tflite')).toThrow(/no such file/);
    expect(() => modelChoice('some/dir/missing.tflite')).toThrow(/no such file/);
  });

  // On the host target: on mps2-an500 `run --app` would use a board another test kept running.
  it('`run --app mnist --model FILE` uploads it and runs JS and C on it', () => {
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          path.join(repoRoot, 'bin', 'xsinfer.js'),
          'run',
          '--target',
          'host',
          '--app',
          'mnist',
          '-n',
          '3',
          '--json',
          ...args,
        ],
        { cwd: repoRoot, encoding: 'utf8' },
      );
    const ok = cli('--model', modelFile('mnist_int8.tflite'));
    expect(ok.status, ok.stderr).toBe(0);
    const result = JSON.parse(ok.stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({ target: 'host', app: 'mnist', model: 'upload/model', unit: 'ns', implsAgree: true });
    expect(
      result.runs.map((r: { impl: string; correct: boolean; labels: number[] }) => [r.impl, r.correct, r.labels]),
    ).toEqual([
      ['js', true, [0, 1, 2]],
      ['c', true, [0, 1, 2]],
    ]);
    const misfit = cli('--model', modelFile('hello_world_int8.tflite'), '--impl', 'c');
    expect(misfit.status).not.toBe(0);
    expect(misfit.stderr).toMatch(
      /mnist: model "upload\/model" does not fit: input 0 is int8\[1\], the app needs int8\[784\]/,
    );
    const unknown = cli('--model', 'upload/other');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/no model asset "upload\/other"/);
  });
});
