// `xsinfer inspect` and `xsinfer verify` keep the CLI contract: --json as the last stdout
// line, MAC/FLOP figures by the testdata convention, the arena planned by the C engine on
// the target, and a non-zero exit when verify fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { xsinfer } from '../cli.ts';

const data = dataDir();

const facts = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(data, 'facts', `${name}.json`), 'utf8')) as {
    total_macs: number;
    total_flops_2mac: number;
    total_flops_2mac_plus_bias: number;
    operators: { macs: number }[];
  };

describe('xsinfer inspect', () => {
  it.each(['hello_world_int8', 'micro_speech_quantized', 'mnist_int8', 'person_detect'])(
    '%s: MACs and FLOPs match the facts, arena planned for the 32-bit M7',
    (name) => {
      const r = xsinfer('inspect', path.join(data, 'models', `${name}.tflite`), '--json');
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.last);
      const f = facts(name);
      expect(j.totalMacs).toBe(f.total_macs);
      expect(j.flops).toBe(f.total_flops_2mac);
      expect(j.flopsPlusBias).toBe(f.total_flops_2mac_plus_bias);
      expect(j.ops.map((o: { macs: number }) => o.macs)).toEqual(f.operators.map((o) => o.macs));
      expect(j.target).toBe('mps2-an500');
      expect(j.arena.pointerBytes).toBe(4);
      expect(j.arena.total).toBe(j.arena.head + j.arena.tail);
      expect(typeof j.tflmArena).toBe('number');
    },
    120_000,
  );

  it('plans the same head as TFLM and labels the write-up figure', () => {
    const j = JSON.parse(xsinfer('inspect', path.join(data, 'models', 'mnist_int8.tflite'), '--json').last);
    expect(j.arena.head).toBe(10144); // TFLM: 10,144 (testdata facts)
    expect(j.tflmArena).toBe(11124);
    expect(j.writeupKerasFlops).toBe(202810);
  });

  it('fails with a clear message for a file that is not a model', () => {
    const bad = path.join(os.tmpdir(), `xsinfer-not-a-model-${process.pid}.tflite`);
    fs.writeFileSync(bad, 'hello, this is not a flatbuffer');
    const r = xsinfer('inspect', bad, '--json');
    fs.rmSync(bad);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not a \.tflite model/);
  });
});

describe('xsinfer verify', () => {
  it('passes selected models on the host and prints the contract JSON', () => {
    const r = xsinfer('verify', '--target', 'host', '--models', 'hello_world_int8,softmax_int8_1x40_beta2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.last);
    expect(j).toMatchObject({ target: 'host', kernels: 'reference', skipped: [] });
    expect(j.models).toHaveLength(2);
    for (const m of j.models) {
      expect(m).toMatchObject({ failed: 0, firstMismatch: null });
      expect(m.passed).toBe(m.cases);
    }
    expect(j.models[0].perOp).toEqual({ passed: 3, failed: 0 });
    expect(j.models.map((m: { match: string }) => m.match)).toEqual(['bit-exact', 'bit-exact']);
  });

  it('says "within 1e-5" for a float32 model and "bit-exact" for an int8 one', () => {
    const r = xsinfer('verify', '--target', 'host', '--models', 'hello_world_float,hello_world_int8');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/PASS hello_world_float\.tflite +\d+\/\d+ cases within 1e-5/);
    expect(r.stderr).toMatch(/PASS hello_world_int8\.tflite +\d+\/\d+ cases bit-exact/);
  });

  it('exits non-zero when a golden byte is wrong', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-cli-verify-'));
    fs.mkdirSync(path.join(dir, 'ops', 'golden'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'ops', 'models'), { recursive: true });
    const name = 'logistic_int8_s0025_zp10';
    fs.copyFileSync(
      path.join(data, 'ops', 'models', `${name}.tflite`),
      path.join(dir, 'ops', 'models', `${name}.tflite`),
    );
    const g = JSON.parse(fs.readFileSync(path.join(data, 'ops', 'golden', `${name}.json`), 'utf8'));
    g.cases[3].output[20] = g.cases[3].output[20] === 127 ? 126 : g.cases[3].output[20] + 1;
    fs.writeFileSync(path.join(dir, 'ops', 'golden', `${name}.json`), JSON.stringify(g));
    const r = xsinfer('verify', '--target', 'host', '--data', dir, '--json');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.last);
    expect(j.ok).toBe(false);
    expect(j.models[0].firstMismatch).toMatchObject({ case: g.cases[3].name, index: 20 });
  });
});
