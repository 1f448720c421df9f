// The MLPerf Tiny mode of the main firmware on QEMU, talked to over a pty the way the
// MLPerf Tiny runner talks to a board ('%'-ended commands, "\r\n" lines up to m-ready):
// every command, infer + results against TFLM's golden output, bad arguments answered
// with e-[...] while the board stays up, the TypeScript and the C app giving the same
// results; then `xsinfer mlperf` end to end for kws, ic, ad01 and vww, the AUC it scores AD
// with, and what it refuses before booting (no truth to score, str_ww's streaming task).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { programPath } from '../../host/build/firmware.ts';
import { MAIN_PROGRAM } from '../../host/build/main-program.ts';
import { openLink, type Link } from '../../host/bridge/link.ts';
import { DutError, DutLink, parseInfer, resultValues } from '../../host/mlperf/dut.ts';
import { auc, type MlperfResult } from '../../host/mlperf/mlperf.ts';
import { repoRoot } from '../../host/paths.ts';
import { QEMU_BINARY, qemuArgs } from '../../host/run/qemu.ts';
import { xsinfer, xsinferCmd } from '../cli.ts';
import { qemuPty } from '../qemu-pty.ts';

const mlperf = path.join(repoRoot, 'testdata', 'mlperf');
const kwsModel = path.join(mlperf, 'models', 'kws_ref_model.tflite');
const icModel = path.join(mlperf, 'models', 'pretrainedResnet_quant.tflite');

interface Golden {
  output: { scale: number; zero_point: number };
  cases: { name: string; input: number[]; output: number[] }[];
}
const kwsGolden = JSON.parse(fs.readFileSync(path.join(mlperf, 'golden', 'kws_ref_model.json'), 'utf8')) as Golden;

/** A dataset directory the runner would read: .bin inputs and a truth CSV (truth = TFLM's top-1). */
function dataset(stem: string): string {
  const golden = JSON.parse(fs.readFileSync(path.join(mlperf, 'golden', `${stem}.json`), 'utf8')) as Golden;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mlperf-'));
  const rows = golden.cases.map((c, i) => {
    fs.writeFileSync(path.join(dir, `in_${i}.bin`), Buffer.from(Int8Array.from(c.input).buffer));
    return `in_${i}.bin, ${c.output.length}, ${c.output.indexOf(Math.max(...c.output))}, ${c.input.length}, ${c.input.length}`;
  });
  fs.writeFileSync(path.join(dir, 'y_labels.csv'), rows.join('\n') + '\n');
  return dir;
}

const boards: ChildProcess[] = [];
afterAll(() => boards.forEach((b) => b.kill('SIGKILL')));

/** The main firmware in MLPerf mode on QEMU with its UART on a pty, opened by serialport. */
async function bootDut(impl: 'js' | 'c'): Promise<{ dut: DutLink; link: Link; qemu: ChildProcess }> {
  const args = qemuArgs({
    elf: programPath('mps2-an500', MAIN_PROGRAM),
    args: ['mlperf', `impl=${impl}`, 'kernels=optimized', 'task=kws01', `model=${kwsModel}`],
    serial: 'pty',
  });
  const qemu = spawn(QEMU_BINARY, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  boards.push(qemu);
  const pty = await qemuPty(qemu);
  const link = await openLink(pty, { baudRate: 115200 });
  const dut = new DutLink(link.stream);
  await dut.sync(60_000); // the boot banner may be gone before the pty was opened
  return { dut, link, qemu };
}

async function refused(dut: DutLink, command: string, pattern: RegExp): Promise<void> {
  const err = await dut.command(command).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DutError);
  expect((err as DutError).lines.find((l) => l.startsWith('e-['))).toMatch(pattern);
}

/** Loads golden case i of kws and runs `infer 1 0`: its results. */
async function inferCase(dut: DutLink, i: number): Promise<number[]> {
  await dut.load(Uint8Array.from(Buffer.from(Int8Array.from(kwsGolden.cases[i]!.input).buffer)));
  return parseInfer(await dut.command('infer 1 0', 120_000), 1).results;
}

describe('MLPerf Tiny mode over a pty (QEMU)', () => {
  const answers: Record<string, number[][]> = {};

  it('answers every command as the runner expects, C app: infer matches TFLM, bad arguments get e-[...]', async () => {
    const { dut, link, qemu } = await bootDut('c');
    try {
      expect(await dut.command('name')).toEqual(['m-name-dut-[xsinfer-c]']);
      expect(await dut.command('profile')).toEqual(['m-profile-[1.3]', 'm-model-[kws01]']);
      const [t0] = await dut.command('timestamp');
      const [t1] = await dut.command('timestamp');
      expect(t0).toMatch(/^m-lap-us-\d+$/);
      expect(Number(t1!.slice(9))).toBeGreaterThan(Number(t0!.slice(9)));
      expect((await dut.command('help')).length).toBeGreaterThan(5);

      // db load / db HEX (31 bytes a command, as the runner sends) / db print.
      const input = Buffer.from(Int8Array.from(kwsGolden.cases[0]!.input).buffer);
      expect(await dut.command(`db load ${input.length}`)).toEqual([`m-[Expecting ${input.length} bytes]`]);
      const partial = await dut.command(`db ${input.subarray(0, 31).toString('hex')}`);
      expect(partial).toEqual([]);
      for (let i = 31; i < input.length; i += 31) await dut.command(`db ${input.subarray(i, i + 31).toString('hex')}`);
      expect(await dut.command('db print 4 2')).toEqual([`m-buffer-${input.subarray(2, 6).toString('hex')}`]);

      // infer N W: warm-up, two timestamps, results; the results equal TFLM's output dequantized.
      const lines = await dut.command('infer 3 2', 120_000);
      expect(lines.slice(0, 4)).toEqual(['m-warmup-start-2', 'm-warmup-done', 'm-infer-start-3', lines[3]]);
      expect(lines[5]).toBe('m-infer-done');
      const { latencyUs } = parseInfer(lines, 3);
      expect(latencyUs).toBeGreaterThan(1000);
      for (const [i, c] of kwsGolden.cases.entries()) {
        const results = await inferCase(dut, i);
        const { scale, zero_point } = kwsGolden.output;
        expect(results).toHaveLength(c.output.length);
        results.forEach((v, k) => expect(Math.abs(v - (c.output[k]! - zero_point) * scale)).toBeLessThan(1e-6));
        (answers.c ??= []).push(results);
      }
      expect(resultValues((await dut.command('results'))[0]!)).toEqual(answers.c![1]);

      // Bad arguments: one e-[...] line and m-ready each, and the board stays up.
      await refused(dut, 'infer 0 1', /N must be > 0/);
      await refused(dut, 'infer 1 -1', /W >= 0/);
      await refused(dut, 'infer x', /whole numbers/);
      await refused(dut, 'db load 0', /N must be a whole number > 0/);
      await refused(dut, 'db load 99999999', /do not fit/);
      await refused(dut, 'db 0102', /no load armed/);
      await refused(dut, 'frobnicate', /unknown command/);
      await refused(dut, 'x'.repeat(300), /too long/);
      await dut.command('db load 2');
      await refused(dut, 'db 0g', /not a hex digit/);
      await refused(dut, 'db abc', /pairs/);
      await refused(dut, 'db 010203', /more bytes than db load announced/);
      await refused(dut, 'results', /no inference since the last load/);
      expect(await dut.command('name')).toEqual(['m-name-dut-[xsinfer-c]']);
      expect(qemu.exitCode).toBeNull();
    } finally {
      await link.close();
      qemu.kill('SIGKILL');
    }
  });

  it('runs th_load_tensor / th_results as the TypeScript app under XS with the same results', async () => {
    const { dut, link, qemu } = await bootDut('js');
    try {
      expect(await dut.command('name')).toEqual(['m-name-dut-[xsinfer-js]']);
      for (const i of kwsGolden.cases.keys()) (answers.js ??= []).push(await inferCase(dut, i));
      expect(answers.js).toEqual(answers.c);
    } finally {
      await link.close();
      qemu.kill('SIGKILL');
    }
  });
});

/** `xsinfer mlperf --model M --inputs I ...args -o OUT --json`, which must succeed: its
 * result document and OUT. */
function mlperfRun(model: string, inputs: string, ...args: string[]): { result: MlperfResult; out: string } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mlperf-out-'));
  const r = xsinfer('mlperf', '--model', model, '--inputs', inputs, ...args, '-o', out, '--json');
  expect(r.status, r.stderr).toBe(0);
  return { result: JSON.parse(r.last) as MlperfResult, out };
}

describe('xsinfer mlperf', () => {
  it('kws accuracy with the TypeScript app: top-1 = truth, results.txt and results.json', () => {
    const { result, out } = mlperfRun(kwsModel, dataset('kws_ref_model'), '--mode', 'accuracy', '--impl', 'js');
    expect(result).toMatchObject({ task: 'kws01', mode: 'accuracy', impl: 'js', inputs: 2, accuracy: 1, unit: 'us' });
    expect(fs.readFileSync(path.join(out, 'results.txt'), 'utf8')).toMatch(/top-1 accuracy: 100\.00 %/);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'))).toMatchObject({ accuracy: 1 });
  });

  it('ic performance with the C app: median latency in virtual µs', () => {
    const perf = ['--mode', 'performance', '-n', '2', '-w', '0'];
    const { result } = mlperfRun(icModel, dataset('pretrainedResnet_quant'), ...perf);
    expect(result.task).toBe('ic01');
    expect(result.latency.perInput).toHaveLength(2);
    expect(result.latency.median).toBeGreaterThan(100_000);
    expect(result.clock).toMatch(/virtual/);
  });

  it('ad01 accuracy with the TypeScript app: anomaly scores (larger than one upload slot: read at start), AUC', () => {
    // The two golden inputs as a dataset; the one with the larger reconstruction error
    // (uniform noise, not sparse) is labelled anomalous, so a correct score ranks it first.
    const golden = JSON.parse(fs.readFileSync(path.join(mlperf, 'golden', 'ad01_int8.json'), 'utf8')) as Golden;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mlperf-ad-'));
    const rows = golden.cases.map((c, i) => {
      fs.writeFileSync(path.join(dir, `in_${i}.bin`), Buffer.from(Int8Array.from(c.input).buffer));
      return `in_${i}.bin, 2, ${c.name.startsWith('uniform') ? 1 : 0}, 640, 640`;
    });
    fs.writeFileSync(path.join(dir, 'y_labels.csv'), rows.join('\n') + '\n');
    const model = path.join(mlperf, 'models', 'ad01_int8.tflite');
    const { result } = mlperfRun(model, dir, '--mode', 'accuracy', '--impl', 'js');
    expect(result).toMatchObject({ task: 'ad01', inputs: 2, auc: 1 });
    for (const a of result.answers) {
      expect(a.results).toHaveLength(1);
      expect(a.results[0]).toBeGreaterThan(0);
    }
  });

  it('vww accuracy with the C app: the 333,288-byte model and its 27,648-byte input', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mlperf-out-'));
    const model = path.join(mlperf, 'models', 'vww_96_int8.tflite');
    const r = xsinferCmd`mlperf --model ${model} --inputs ${dataset('vww_96_int8')} --mode accuracy --cases 1
      -o ${out} --json`;
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.last) as MlperfResult;
    expect(result).toMatchObject({ task: 'vww01', mode: 'accuracy', impl: 'c', inputs: 1, accuracy: 1 });
    expect(result.answers[0]!.results).toHaveLength(2);
  }, 300_000);

  it('refuses, before booting, what it cannot score or run: one line each', () => {
    const ad01 = path.join(mlperf, 'models', 'ad01_int8.tflite');
    const adNormal = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mlperf-ad-'));
    fs.writeFileSync(path.join(adNormal, 'in_0.bin'), Buffer.alloc(640));
    fs.writeFileSync(path.join(adNormal, 'y_labels.csv'), 'in_0.bin, 2, 0, 640, 640\n');
    for (const [args, status, pattern] of [
      [
        ['--model', kwsModel, '--inputs', path.join(mlperf, 'golden', 'kws_ref_model.json'), '--mode', 'accuracy'],
        2,
        /accuracy mode needs a truth CSV/,
      ],
      [
        ['--model', ad01, '--inputs', adNormal, '--mode', 'accuracy'],
        2,
        /AUC needs both normal \(0\) and anomalous \(1\)/,
      ],
      [
        [
          '--model',
          path.join(mlperf, 'models', 'str_ww_ref_model.tflite'),
          '--inputs',
          path.join(mlperf, 'golden', 'str_ww_ref_model.json'),
        ],
        7,
        /streaming wake-word model .* --task kws01/,
      ],
    ] as const) {
      const r = xsinfer('mlperf', ...args);
      expect(r.status, r.stderr).toBe(status);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });

  it('refuses bad arguments with one line', () => {
    for (const [args, pattern] of [
      [['--model', kwsModel, '--inputs', dataset('kws_ref_model'), '--mode', 'fast'], /--mode fast/],
      [['--model', kwsModel, '--inputs', dataset('kws_ref_model'), '--task', 'xx01'], /--task xx01/],
      [['--model', kwsModel, '--inputs', 'random'], /needs real inputs/],
    ] as const) {
      const r = xsinfer('mlperf', ...args);
      expect(r.status).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });

  it('scores anomaly detection by AUC: the rank probability, ties half', () => {
    expect(auc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0])).toBe(1);
    expect(auc([0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0])).toBe(0);
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(auc([0.9, 0.3, 0.5, 0.1], [1, 1, 0, 0])).toBe(0.75);
    expect(() => auc([1, 2], [0, 0])).toThrow(/both normal/);
  });
});
