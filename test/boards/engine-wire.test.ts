// Validation on target and engine benchmarks over the wire: `verify --port` and
// `bench-engine --port` against the main firmware on QEMU with its UART on a pty (as a
// board's ST-LINK port), compared with the semihosting verify and bench-engine programs on
// the same build; and the engine session's refusals at the protocol level, after which the
// board still answers.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineInvoke, engineOpen } from '../../host/bridge/engine.ts';
import { openLink } from '../../host/bridge/link.ts';
import { DeviceSession, SessionError } from '../../host/bridge/session.ts';
import { dataDir } from '../../host/data.ts';
import { sendImage } from '../../host/deploy/deploy.ts';
import { opcodeFieldPositions } from '../../host/engine/tflite.ts';
import { xsinfer, xsinferCmd } from '../cli.ts';
import { mainFirmwareOnPty } from '../qemu-pty.ts';

let qemu: ChildProcess;
let pty: string;
let exited = false;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-engine-wire-'));
const mlperf = path.join(dataDir(), 'mlperf');

/** A data directory with one golden file and its model. */
function dataSet(name: string, golden: Record<string, unknown>, model: Uint8Array, modelFile: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'golden'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'models', modelFile), model);
  fs.writeFileSync(path.join(dir, 'golden', `${path.basename(modelFile, '.tflite')}.json`), JSON.stringify(golden));
  return dir;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  ({ qemu, pty } = await mainFirmwareOnPty(() => (exited = true)));
});
afterAll(() => {
  qemu.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Verify = { models: Record<string, unknown>[]; totals: Record<string, number>; ok: boolean; target: string };

/** verify's JSON without the ticks (the wire's case 0 includes sending its per-op dump). */
function withoutTicks(v: Verify): unknown {
  return { ...v, models: v.models.map(({ ticks: _ticks, ...m }) => m) };
}

describe('engine sessions on the board (QEMU UART on a pty)', () => {
  it('refusals: no model, a closed session, wrong sizes and offsets; each an error record, the board answers on', async () => {
    const session = new DeviceSession(await openLink(pty, { baudRate: 115200 }));
    const refused = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SessionError);
      const r = (err as SessionError).record!;
      return `${r.codeName}: ${r.message}`;
    };
    try {
      // Small frames: mnist's 784-byte input takes 2 engine_input chunks, a dump of its first
      // op's 8,112-byte output 20 tensor records.
      await session.hello({ maxFrame: 512, timeoutMs: 10_000 });
      expect(await refused(engineOpen(session, { kernels: 'reference' }))).toBe(
        'badCommand: engine_open: no model asset "upload/model" (nothing uploaded under that name: upload a model first)',
      );
      expect(await refused(engineInvoke(session, []))).toBe(
        'badState: engine_invoke: no engine session (engine_open first; a run, an upload or a check since closed it)',
      );
      const model = fs.readFileSync(path.join(dataDir(), 'models', 'mnist_int8.tflite'));
      await sendImage(session, { kind: 'model', name: 'mnist_int8.tflite', data: model });
      const open = await engineOpen(session, { kernels: 'optimized' });
      expect(open).toMatchObject({
        model: 'upload/model',
        kernels: 'optimized',
        inputs: [{ type: 'int8', bytes: 784, shape: [1, 28, 28, 1] }],
        outputs: [{ type: 'int8', bytes: 10, shape: [1, 10] }],
      });
      expect(await refused(engineInvoke(session, [new Uint8Array(785)]))).toBe(
        'badCommand: engine_input: input 0 is 784 bytes; this chunk ends at byte 785',
      );
      // The 785 bytes went in two chunks: the first (471 bytes) was taken.
      expect(await refused(session.command({ kind: 'engineInput', offset: 100, data: new Uint8Array(4) }))).toBe(
        'badState: engine_input: chunk at offset 100, expected 471',
      );
      expect(await refused(engineInvoke(session, [new Uint8Array(700)]))).toBe(
        "badCommand: engine_invoke: input 0 has 700 of its 784 bytes (send every input's bytes before each invoke)",
      );
      expect(
        await refused(session.command({ kind: 'engineInput', index: 1, offset: 0, data: new Uint8Array(1) })),
      ).toBe('badCommand: engine_input: input 1: the model has 1 inputs');
      // The session still works after the refusals: golden case 0 gives its output.
      const golden = readJson(path.join(dataDir(), 'golden', 'mnist_int8.json')) as {
        cases: { input: number[]; output: number[] }[];
      };
      const input = Uint8Array.from(Int8Array.from(golden.cases[0]!.input));
      const r = await engineInvoke(session, [input], { dump: true, ops: true });
      expect(Array.from(new Int8Array(r.outputs[0]!.buffer))).toEqual(golden.cases[0]!.output);
      expect(r.dumps!.map((outs) => outs.map((o) => o.length))).toEqual([[8112], [2028], [2028], [10], [10]]);
      // The last op (softmax) wrote the model's output.
      expect(r.dumps![4]![0]).toEqual(r.outputs[0]);
      expect(r.ops!.names).toEqual(['CONV_2D', 'MAX_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX']);
      // A board check reuses the arenas: the session is closed after it.
      await session.command({ kind: 'check', item: 'echo', data: new Uint8Array([1, 2, 3]) });
      expect(await refused(engineInvoke(session, [new Uint8Array(784)]))).toMatch(
        /^badState: engine_input: no engine session/,
      );
      expect(await refused(engineOpen(session, { model: 'models/nope.tflite', kernels: 'reference' }))).toBe(
        'badCommand: engine_open: no model asset "models/nope.tflite" in this firmware',
      );
      const { info } = await session.hello({ timeoutMs: 10_000 });
      expect(info.target).toBe('mps2-an500');
    } finally {
      await session.close();
    }
    expect(exited).toBe(false);
  });

  for (const kernels of ['reference', 'optimized']) {
    it(`verify --port, ${kernels} kernels: hello_world, mnist (with per-op outputs) and kws bit-exact, as the verify program`, () => {
      for (const [data, models] of [
        [dataDir(), 'hello_world_int8,mnist_int8'],
        [mlperf, 'kws_ref_model'],
      ] as const) {
        const wire = xsinfer('verify', '--port', pty, '--data', data, '-m', models, '-k', kernels, '--json');
        expect(wire.status, wire.stderr).toBe(0);
        const program = xsinferCmd`verify --target mps2-an500 --data ${data} -m ${models} -k ${kernels} --json`;
        expect(program.status, program.stderr).toBe(0);
        const w = JSON.parse(wire.last) as Verify;
        expect(w.ok).toBe(true);
        expect(w.totals.failed).toBe(0);
        expect(withoutTicks(w)).toEqual(withoutTicks(JSON.parse(program.last) as Verify));
      }
      expect(exited).toBe(false);
    });
  }

  it('a deliberately wrong expected output fails verify --port with exit 1 and names the mismatch', () => {
    const golden = readJson(path.join(dataDir(), 'golden', 'hello_world_int8.json')) as {
      cases: { output: number[] }[];
    };
    const first = golden.cases[3]!.output[0]!;
    golden.cases[3]!.output[0] = first === 127 ? 126 : first + 1;
    const dir = dataSet(
      'wrong',
      golden,
      fs.readFileSync(path.join(dataDir(), 'models', 'hello_world_int8.tflite')),
      'hello_world_int8.tflite',
    );
    const r = xsinfer('verify', '--port', pty, '--data', dir, '--json');
    expect(r.status).toBe(1);
    const v = JSON.parse(r.last) as Verify;
    expect(v.totals).toMatchObject({ failed: 1, passed: 67 });
    expect(v.models[0]!.firstMismatch).toMatchObject({ index: 0, expected: golden.cases[3]!.output[0], actual: first });
    expect(r.stderr).toMatch(
      /^xsinfer: 1 of 68 golden cases and 0 per-op checks failed on mps2-an500 \(reference kernels\)$/m,
    );
  });

  it('a model with an op the engine lacks is skipped with the op named, as on the verify program', () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(mlperf, 'models', 'kws_ref_model.tflite')));
    const view = new DataView(bytes.buffer);
    // Every operator code becomes TRANSPOSE (39), which the engine does not implement.
    for (const code of opcodeFieldPositions(bytes)) {
      if (code.deprecated !== null) view.setInt8(code.deprecated, 39);
      if (code.builtin !== null) view.setInt32(code.builtin, 39, true);
    }
    const golden = { ...readJson(path.join(mlperf, 'golden', 'kws_ref_model.json')), model: 'kws_transpose.tflite' };
    const dir = dataSet('transpose', golden, bytes, 'kws_transpose.tflite');
    const r = xsinfer('verify', '--port', pty, '--data', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^SKIP kws_transpose\.tflite +missing ops: TRANSPOSE$/m);
    expect(r.stderr).toMatch(/^xsinfer: no golden case ran on mps2-an500 \(1 model\(s\) skipped for missing ops\)$/m);
  });

  it('a model larger than the model slots: one line, exit 7, for verify and bench-engine', () => {
    const mnist = fs.readFileSync(path.join(dataDir(), 'models', 'mnist_int8.tflite'));
    // A valid model followed by padding: 600,000 bytes, more than slots A+B take (524,224).
    const big = Buffer.concat([mnist, Buffer.alloc(600_000 - mnist.length)]);
    const golden = { ...readJson(path.join(dataDir(), 'golden', 'mnist_int8.json')), model: 'big.tflite' };
    const dir = dataSet('big', golden, big, 'big.tflite');
    const v = xsinfer('verify', '--port', pty, '--data', dir);
    expect(v.status).toBe(7);
    expect(v.stderr.trim().split('\n').pop()).toBe(
      "xsinfer: verify --port: big.tflite is 600,000 bytes, more than the board's model slots take (upload of 600000 bytes does not fit the 524224-byte model slot)",
    );
    const b = xsinfer('bench-engine', '--port', pty, '--model', path.join(dir, 'models', 'big.tflite'));
    expect(b.status).toBe(7);
    expect(b.stderr.trim().split('\n').pop()).toMatch(
      /^xsinfer: bench-engine --port: big\.tflite is 600,000 bytes, more than/,
    );
    expect(exited).toBe(false);
  });

  it('bench-engine --port: the bench-engine program figures per invoke, per op and arena, both kernel sets', () => {
    const args = ['--models', 'hello_world_int8,kws_ref_model', '-k', 'reference,optimized', '--json'];
    const wire = xsinfer('bench-engine', '--port', pty, ...args);
    expect(wire.status, wire.stderr).toBe(0);
    const program = xsinfer('bench-engine', '--target', 'mps2-an500', ...args);
    expect(program.status, program.stderr).toBe(0);
    type Row = { model: string; kernels: string };
    const w = JSON.parse(wire.last) as { target: string; unit: string; rows: Row[] };
    const p = JSON.parse(program.last) as { target: string; unit: string; rows: Row[] };
    expect(w.rows.map((r) => `${r.model} ${r.kernels}`)).toEqual([
      'hello_world_int8 reference',
      'hello_world_int8 optimized',
      'kws_ref_model reference',
      'kws_ref_model optimized',
    ]);
    expect({ target: w.target, unit: w.unit }).toEqual({ target: 'mps2-an500', unit: 'instr' });
    // Both time setup and invoke with the same code (firmware/include/engine_timing.h):
    // every figure is equal, per invoke, per op, setup and arena.
    expect(w.rows).toEqual(p.rows);
    expect(exited).toBe(false);
  });
});
