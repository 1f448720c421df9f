// The C side of the protocol against the host side: wire-selftest (native/wire built
// for the host and for QEMU's Cortex-M7) writes every record type and every msgpack
// value kind, which msgpackr must decode to the exact values; then it decodes a file of
// host command frames (valid, malformed, duplicated, corrupted) and answers each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFirmware } from '../../host/build/firmware.ts';
import { runProgram } from '../../host/run/program.ts';
import { cobsEncode } from '../../host/bridge/cobs.ts';
import { CommandEncoder, encodeCommandFrame, packPayload } from '../../host/bridge/commands.ts';
import { crc32 } from '../../host/bridge/crc32.ts';
import { Deframer } from '../../host/bridge/deframer.ts';
import type { Frame } from '../../host/bridge/frame.ts';
import { decodeRecord } from '../../host/bridge/records.ts';
import { CommandType, ErrorCode, type Command, type DeviceRecord } from '../../host/bridge/protocol.ts';

const hex = (a: Uint8Array) => Buffer.from(a).toString('hex');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-wire-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const bin = (n: number, f: (i: number) => number) => hex(Uint8Array.from({ length: n }, (_, i) => f(i) & 0xff));

/** What each `user` record of the value-kind section must decode to (see main.c). */
const expectedValues: Record<string, unknown> = {
  uint: [0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 9007199254740993n, 18446744073709551615n],
  int: [-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -9007199254740993n, -9223372036854775808n],
  float32: [
    0,
    0.5,
    -1.25,
    Math.fround(0.1),
    Math.fround(3.4028234663852886e38),
    Math.fround(1.401298464324817e-45),
    -0,
  ],
  float64: [0.1, -2.5e-300, 1.7976931348623157e308, 3.141592653589793, 5e-324],
  str: ['', 'a', 'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(255), 'w'.repeat(256), 'µs → €'],
  array: [
    [],
    Array.from({ length: 15 }, (_, i) => i),
    Array.from({ length: 16 }, (_, i) => (i === 0 ? 0 : -i)),
    [[[]]],
  ],
  map: [
    {},
    Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i * 1000])),
    { inner: { deep: ['x', 1.5] }, n: null },
  ],
  'nil-bool': [null, true, false],
};

interface Commands {
  bytes: Uint8Array;
  chunk: Uint8Array;
  longApp: string;
}

/** Host command frames with explicit sequence numbers, including deliberate faults. */
function commandStream(): Commands {
  const frames: Uint8Array[] = [];
  const send = (cmd: Command, seq: number, payload?: unknown, type: number = CommandType[cmd.kind]) => {
    const enc = new CommandEncoder();
    const body = payload === undefined ? enc.encode(cmd).raw.subarray(3, -4) : packPayload(payload);
    const f = encodeCommandFrame(cmd, type, seq, body).wire;
    frames.push(f);
    return f;
  };
  const chunk = Uint8Array.from({ length: 300 }, (_, i) => (i % 5 === 0 ? 0 : i));
  const longApp = 'a'.repeat(1500);
  send({ kind: 'hello', v: 2 }, 0); // wrong version
  send({ kind: 'hello', maxFrame: 2048 }, 0);
  send(
    {
      kind: 'run',
      app: 'micro_speech',
      impl: 'c',
      kernels: 'optimized',
      iterations: 100000,
      warmup: 3,
      ops: true,
      model: 'upload/model',
    },
    1,
  );
  send({ kind: 'run', app: 'x', impl: 'js' }, 2, {
    app: 'hello_world',
    impl: 'js',
    extraKeyFromNewerHost: [1, { a: 2 }],
  });
  send({ kind: 'run', app: longApp, impl: 'js' }, 3); // needs the negotiated 2048-byte frames
  send({ kind: 'run', app: '', impl: 'js' }, 4);
  send({ kind: 'uploadBegin', what: 'model', name: 'm.tflite', size: 600, crc: 0xdeadbeef }, 5);
  send({ kind: 'uploadChunk', offset: 0, data: chunk }, 6);
  send({ kind: 'uploadChunk', offset: 300, data: chunk, crc: crc32(chunk) ^ 1 }, 7);
  send({ kind: 'uploadEnd', crc: 0xdeadbeef }, 8);
  send({ kind: 'stop' }, 9, {}, 0x33); // unknown type
  send({ kind: 'run', app: 'x', impl: 'js' }, 10, [1, 2]); // not a map
  send({ kind: 'run', app: 'x', impl: 'js' }, 11, { app: 'mnist' }); // impl missing
  const stop = send({ kind: 'stop' }, 12);
  frames.push(stop); // retried: answered again, not executed
  const bad = send({ kind: 'run', app: 'x', impl: 'js' }, 13, { app: 'mnist', impl: 'python' });
  frames.push(bad); // a failed command retried gets the same error
  frames.push(stop); // a late copy of an older command: ignored
  const corrupt = encodeCommandFrame({ kind: 'stop' }, CommandType.stop, 14, packPayload({})).wire.slice();
  corrupt[3]! ^= 0x10;
  frames.push(corrupt);
  frames.push(Uint8Array.from([...new Uint8Array(5000).fill(0x55), 0])); // oversized
  send({ kind: 'stop' }, 17); // 14..16 never arrived intact
  send({ kind: 'reset' }, 18);
  return { bytes: Buffer.concat(frames), chunk, longApp };
}

interface SelftestRun {
  output: Uint8Array;
  frames: Frame[];
  records: DeviceRecord[];
  deframer: Deframer;
  exitCode: number;
}

async function runSelftest(target: 'host' | 'mps2-an500', cmds: Commands): Promise<SelftestRun> {
  await buildFirmware({ target });
  const file = path.join(tmp, `commands-${target}.bin`);
  fs.writeFileSync(file, cmds.bytes);
  const run = await runProgram({ target, program: 'wire-selftest', args: [`commands=${file}`], timeoutMs: 60_000 });
  // 4096 covers the 2048-byte frames negotiated by the hello in the command file.
  const deframer = new Deframer({ maxFrame: 4096 });
  const frames = deframer.push(run.output);
  return { output: run.output, frames, records: frames.map(decodeRecord), deframer, exitCode: run.exitCode };
}

const targets = ['host', 'mps2-an500'] as const;
const cmds = commandStream();

describe.each(targets)('wire-selftest on %s', (target) => {
  let result: SelftestRun;
  const get = async () => (result ??= await runSelftest(target, cmds));

  it('exits 0 and frames every byte it sends, byte-identical to the host framer', async () => {
    const r = await get();
    expect(r.exitCode).toBe(0);
    for (const fault of ['garbageBytes', 'malformed', 'oversized', 'badCrc', 'duplicates', 'seqGaps'] as const)
      expect(r.deframer.counters[fault], fault).toBe(0);
    expect(r.deframer.counters.resets).toBe(1); // the hello restarted the device's count
    const blocks = Buffer.from(r.output)
      .toString('latin1')
      .split('\0')
      .filter((b) => b.length > 0);
    expect(blocks.length).toBe(r.frames.length);
    r.frames.forEach((f, i) =>
      expect(hex(cobsEncode(f.raw)), `frame ${i}`).toBe(hex(Buffer.from(blocks[i]!, 'latin1'))),
    );
    expect(r.records.filter((x) => x.kind === 'invalid')).toEqual([]);
  });

  it('writes every msgpack value kind so msgpackr reads the exact values', async () => {
    const r = await get();
    const user = new Map(r.records.flatMap((x) => (x.kind === 'user' ? [[x.name, x.value] as const] : [])));
    for (const [name, want] of Object.entries(expectedValues)) expect(user.get(name), name).toEqual(want);
    const bins = (user.get('bin') as Uint8Array[]).map(hex);
    expect(bins).toEqual(['', bin(255, (i) => i * 7), bin(256, (i) => i * 7)]);
    expect(hex(user.get('bin-ff') as Uint8Array)).toBe(bin(600, () => 0xff));
    expect(hex(user.get('bin-00') as Uint8Array)).toBe(bin(600, () => 0));
    // float32 really travelled as float32 (0xca), float64 as 0xcb
    const f32 = r.frames.find((f) => f.type === 0x4f && hex(f.payload).includes(hex(Buffer.from('float32'))))!;
    expect(hex(f32.payload)).toContain('ca3f000000'); // 0.5f
  });

  it('passes the C-level checks of exact bytes, 32-bit forms and hostile input', async () => {
    const r = await get();
    const checks = r.records.find((x) => x.kind === 'user' && x.name === 'c-checks');
    expect(checks).toMatchObject({ value: { failed: 0, firstFailure: '' } });
    expect((checks as { value: { passed: number } }).value.passed).toBeGreaterThanOrEqual(40);
  });

  it('measures its own cost of queueing a record (printed, checked for consistency only)', async () => {
    const r = await get();
    const costs = r.records.find((x) => x.kind === 'user' && x.name === 'costs') as { value: Record<string, number> };
    const iter = r.frames.find(
      (f) => f.type === 0x44 && decodeRecord(f).kind === 'iter' && (decodeRecord(f) as { run: number }).run === 9,
    )!;
    expect(costs.value.iterWireBytes).toBe(cobsEncode(iter.raw).length + 1);
    expect(costs.value.iterQueueTicks).toBeGreaterThan(0);
    console.log(
      `[${target}] queue one iter record: ${costs.value.iterQueueTicks} ticks, drain ${costs.value.iterWireBytes} B: ${costs.value.iterDrainTicks} ticks, timer read ${costs.value.timerReadTicks} ticks`,
    );
  });

  it('sends one of every record type with the documented keys', async () => {
    const r = await get();
    const info = r.records.find((x) => x.kind === 'info')!;
    expect(info).toMatchObject({ kind: 'info', seq: 0, v: 1, build: 'wire-selftest', target, maxFrame: 1024 });
    expect(info).not.toHaveProperty('cmd');
    expect(info.kind === 'info' && info.tick).toEqual(
      target === 'host' ? { unit: 'ns', num: 1, den: 1 } : { unit: 'instr', num: 40, den: 128 },
    );
    expect(r.records).toContainEqual({ kind: 'log', seq: 1, level: 1, text: 'wire-selftest start' });
    expect(r.records).toContainEqual(expect.objectContaining({ kind: 'log', level: 2, text: 'selftest warning' }));
    expect(r.records).toContainEqual(
      expect.objectContaining({ kind: 'error', code: ErrorCode.app, codeName: 'app', message: 'selftest error' }),
    );
    const iter = r.records.find((x) => x.kind === 'iter' && x.run === 7 && x.i === 2);
    expect(iter).toMatchObject({
      warmup: false,
      correct: true,
      result: { label: 'yes', score: 200 },
      ticks: { populate: 1000, invoke: 5000000000, respond: 30, total: 5000001100 },
      io: { bytes: { populate: 17, invoke: 0, respond: 70000 }, calls: { populate: 1, invoke: 0, respond: 2 } },
    });
    const warm = r.records.find((x) => x.kind === 'iter' && x.run === 7 && x.i === 0)!;
    expect(warm).toMatchObject({ warmup: true, ticks: { populate: 1, invoke: 2, respond: 3, total: 6 } });
    expect(warm).not.toHaveProperty('correct');
    expect(warm).not.toHaveProperty('io');
    const ops = r.records.filter((x) => x.kind === 'ops');
    expect(ops).toEqual([
      expect.objectContaining({
        run: 7,
        i: 2,
        first: 0,
        ticks: [11, 222, 3333],
        names: ['CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX'],
      }),
      expect.objectContaining({ run: 7, i: 3, first: 1, ticks: [222, 3333] }),
    ]);
    expect(r.records.find((x) => x.kind === 'mem')).toMatchObject({
      arena: { head: 6000, tail: 788, size: 8192 },
      stack: { c: 1234 },
    });
    expect(r.records.find((x) => x.kind === 'done' && x.run === 7)).toMatchObject({
      status: 0,
      iterations: 3,
      tx: { dropped: 0, oversize: 0 },
    });
  });

  it('reports TX queue overflow and oversize records instead of losing them silently', async () => {
    const r = await get();
    const iters = r.records.filter((x) => x.kind === 'iter' && x.run === 8);
    const episode = r.records.find((x) => x.kind === 'user' && x.name === 'overflow-episode') as {
      value: { queued: number; attempted: number };
    };
    const overflow = r.records.find((x) => x.kind === 'overflow');
    const done = r.records.find((x) => x.kind === 'done' && x.run === 8);
    expect(iters.length).toBe(episode.value.queued);
    expect(iters.length).toBeGreaterThan(20);
    expect(iters.length).toBeLessThan(400);
    // The records kept are the first ones, in order, none skipped in between.
    expect(iters.map((x) => (x.kind === 'iter' ? x.i : -1))).toEqual(Array.from({ length: iters.length }, (_, i) => i));
    expect(overflow).toMatchObject({ dropped: 400 - iters.length, oversize: 1 });
    expect(done).toMatchObject({ tx: { dropped: 400 - iters.length, oversize: 1 } });
    const tx = (done as { tx: { peak: number; cap: number } }).tx;
    expect(tx.peak).toBeLessThanOrEqual(tx.cap);
    expect(tx.peak).toBeGreaterThan(tx.cap - 200);
  });

  it('decodes host commands with the C reader and answers every one', async () => {
    const r = await get();
    const after = r.records.slice(r.records.findIndex((x) => x.kind === 'log' && x.text === 'rx ready') + 1);
    const echoes = after
      .filter((x) => x.kind === 'user' && x.name === 'cmd')
      .map((x) => (x as { value: unknown }).value);
    expect(echoes).toEqual([
      { type: 1, seq: 0, v: 1, maxFrame: 2048 },
      {
        type: 2,
        seq: 1,
        app: 'micro_speech',
        model: 'upload/model',
        impl: 'c',
        kernels: 'optimized',
        iterations: 100000,
        warmup: 3,
        ops: true,
      },
      { type: 2, seq: 2, app: 'hello_world', impl: 'js', kernels: 'reference', iterations: 1, warmup: 0, ops: false },
      { type: 2, seq: 3, app: cmds.longApp, impl: 'js', kernels: 'reference', iterations: 1, warmup: 0, ops: false },
      { type: 2, seq: 4, app: '', impl: 'js', kernels: 'reference', iterations: 1, warmup: 0, ops: false },
      { type: 5, seq: 5, kind: 'model', name: 'm.tflite', size: 600, crc: 0xdeadbeef },
      { type: 6, seq: 6, offset: 0, data: Uint8Array.from(cmds.chunk), crc: crc32(cmds.chunk) },
      { type: 7, seq: 8, crc: 0xdeadbeef },
      { type: 3, seq: 12 },
      { type: 3, seq: 17 },
      { type: 4, seq: 18 },
    ]);
    const answers = after
      .filter((x) => x.kind === 'ack' || x.kind === 'error')
      .map((x) =>
        x.kind === 'ack'
          ? { ack: x.cmd, type: x.type, ...(x.duplicate ? { duplicate: true } : {}) }
          : { error: x.cmd, type: x.type, code: x.codeName },
      );
    expect(answers).toEqual([
      { error: 0, type: 1, code: 'badVersion' },
      { ack: 0, type: 1 },
      { ack: 1, type: 2 },
      { ack: 2, type: 2 },
      { ack: 3, type: 2 },
      { error: 4, type: 2, code: 'app' },
      { ack: 5, type: 5 },
      { ack: 6, type: 6 },
      { error: 7, type: 6, code: 'badCrc' },
      { ack: 8, type: 7 },
      { error: 9, type: 0x33, code: 'unknownCommand' },
      { error: 10, type: 2, code: 'badCommand' },
      { error: 11, type: 2, code: 'badCommand' },
      { ack: 12, type: 3 },
      { ack: 12, type: 3, duplicate: true },
      { error: 13, type: 2, code: 'badCommand' },
      { error: 13, type: 2, code: 'badCommand' },
      { ack: 17, type: 3 },
      { ack: 18, type: 4 },
    ]);
    const helloAck = after.find((x) => x.kind === 'ack' && x.type === 1);
    expect(helloAck).toMatchObject({ seq: 1, v: 1, maxFrame: 2048 });
    expect(after.find((x) => x.kind === 'info')).toMatchObject({ cmd: 0, maxFrame: 2048 });
    const stats = r.records.find((x) => x.kind === 'user' && x.name === 'rx-stats');
    expect(stats).toMatchObject({ value: { bad: 1, oversize: 1, duplicates: 3, gaps: 3 } });
  });
});
