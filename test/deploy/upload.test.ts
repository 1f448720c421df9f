// Model upload into the main firmware's flash slots on QEMU and the host target: a valid
// model streams into the model slot (A/B) not in use and becomes asset "upload/model" for
// apps, successive uploads alternate slots, and hostile uploads (truncated, corrupted
// chunk, out-of-order chunk, oversized, wrong image CRC, not a model) are refused with an
// error record while the previous model keeps working. On QEMU the newest model and the
// deployed app are back after a `reset` (the slots are emulated NOR flash that QEMU's
// reset does not touch), also after a refused upload; the host target's slots are process
// memory and do not survive.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../host/bridge/crc32.ts';
import type { DeviceSession } from '../../host/bridge/session.ts';
import { dataDir } from '../../host/data.ts';
import { deploy, sendImage } from '../../host/deploy/deploy.ts';
import { appRoot, bootBoard, changedApp, closeBoard, runJs, type Board, refusal, resetLogs } from './fixtures.ts';

const model = (name: string) => new Uint8Array(fs.readFileSync(path.join(dataDir(), 'models', name)));

describe.each(['mps2-an500', 'host'] as const)('model upload on %s', (target) => {
  let board: Board;
  let session: DeviceSession;
  beforeAll(async () => {
    board = await bootBoard(target);
    session = board.session;
    // hello_world reading its model from the slot instead of the image.
    const root = appRoot();
    const app = changedApp(root, 'hello_world', 'slot_hello', [["'models/hello_world_int8.tflite'", "'upload/model'"]]);
    const r = await deploy({ app, target, session });
    expect(r.started).toBe(true);
  });
  afterAll(async () => {
    if (board) await closeBoard(board);
  });

  it('an app finds no upload/model before an upload', async () => {
    const run = await runJs(session, 'slot_hello', 2);
    expect(run.status).not.toBe(0);
    expect(run.errors.join('\n')).toMatch(/upload\/model/);
  });

  it('stores a verified model that apps use as upload/model', async () => {
    const sent = await sendImage(session, {
      kind: 'model',
      name: 'hello_world_int8',
      data: model('hello_world_int8.tflite'),
    });
    expect(sent.ack.extra).toMatchObject({ asset: 'upload/model', bytes: 2704, ops: 3, slot: 'A' });
    expect(sent.ack.extra?.storeTicks).toBeGreaterThan(0); // erase + program + read-back of the flash slot
    expect(sent.chunks).toBe(2);
    const run = await runJs(session, 'slot_hello', 4);
    expect(run.errors).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.iters.map((i) => i.correct)).toEqual([true, true, true, true]);
  });

  it('refuses hostile uploads and keeps the previous model', async () => {
    const good = model('hello_world_int8.tflite');
    const crc = crc32(good);
    const begin = (size: number, c = crc) =>
      session.command({ kind: 'uploadBegin', what: 'model', name: 'x', size, crc: c });
    const chunk = (offset: number, data: Uint8Array, c?: number) =>
      session.command({ kind: 'uploadChunk', offset, data, crc: c });
    const end = (c = crc) => session.command({ kind: 'uploadEnd', crc: c });

    // truncated: the end arrives after half the bytes
    await begin(good.length);
    await chunk(0, good.subarray(0, 1000));
    expect(await refusal(end())).toMatchObject({ code: 3, message: expect.stringMatching(/truncated: 1000 of 2704/) });

    // a chunk whose data does not match its CRC is refused and not stored
    await begin(good.length);
    const damaged = good.slice(0, 1000);
    damaged[10] ^= 0x40;
    expect((await refusal(chunk(0, damaged, crc32(good.subarray(0, 1000))))).code).toBe(6);
    expect((await refusal(end())).code).toBe(3);

    // out of order: a chunk that skips ahead cancels the upload
    await begin(good.length);
    await chunk(0, good.subarray(0, 1000));
    expect(await refusal(chunk(1500, good.subarray(1500, 2000)))).toMatchObject({
      code: 3,
      message: expect.stringMatching(/offset 1500, expected 1000/),
    });
    expect((await refusal(chunk(1000, good.subarray(1000, 2000)))).code).toBe(3); // cancelled: no upload open

    // larger than the slot
    expect(await refusal(begin(4 * 1024 * 1024))).toMatchObject({
      code: 7,
      message: expect.stringMatching(/does not fit/),
    });
    // the announced capacity is exact: one 256 KB flash slot minus its 64-byte header (models
    // stream into flash: the main arena does not limit them)
    const capacity = Number((await begin(1)).extra?.capacity);
    expect(capacity).toBe(256 * 1024 - 64);
    await begin(capacity);
    // a larger model spans both model slots (test/deploy/span-model.test.ts): up to two
    // slots less one header; beyond that it is refused before anything is erased
    const span = 2 * 256 * 1024 - 64;
    expect(await refusal(begin(span + 1))).toMatchObject({
      code: 7,
      message: expect.stringMatching(new RegExp(`${span + 1} bytes does not fit the ${span}-byte model slot`)),
    });

    // every chunk fine, but not the image announced
    const other = good.slice();
    other[100] ^= 1;
    await begin(other.length, crc);
    await chunk(0, other.subarray(0, 2000));
    await chunk(2000, other.subarray(2000));
    expect((await refusal(end(crc))).code).toBe(6);

    // intact bytes that are no model
    const junk = new Uint8Array(3000).map((_, i) => (i * 7 + 3) & 0xff);
    await expect(sendImage(session, { kind: 'model', name: 'junk', data: junk })).rejects.toMatchObject({
      record: { code: 32 },
    });

    const run = await runJs(session, 'slot_hello', 3);
    expect(run.errors).toEqual([]);
    expect(run.iters.map((i) => i.correct)).toEqual([true, true, true]);
  });

  it('a new valid model replaces the slot content', async () => {
    const sent = await sendImage(session, { kind: 'model', name: 'mnist_int8', data: model('mnist_int8.tflite') });
    expect(sent.ack.extra).toMatchObject({ asset: 'upload/model', bytes: 23472, slot: 'B' }); // the other slot
    // hello_world's app over mnist's model: it runs, but no longer gives hello_world's answers.
    const run = await runJs(session, 'slot_hello', 2);
    expect(run.iters.some((i) => i.correct === true)).toBe(false);
  });

  it.runIf(target === 'mps2-an500')('keeps the model and the deployed app across a reset', async () => {
    // hello_world's model again, so the app gives right answers only if the slot came back.
    const sent = await sendImage(session, {
      kind: 'model',
      name: 'hello_world_int8',
      data: model('hello_world_int8.tflite'),
    });
    expect(sent.ack.extra).toMatchObject({ slot: 'A' }); // back to A: slot B holds mnist, the older one now
    const logs = await resetLogs(session);
    // Both model slots are valid (mnist in B, sequence 2): the newer one, hello_world, wins.
    expect(logs).toContain('model slot: hello_world_int8 (2704 bytes) published as upload/model (slot A, sequence 3)');
    expect(logs).toContain('app slot: slot_hello started (apps/slot_hello/main)');
    const run = await runJs(session, 'slot_hello', 4);
    expect(run.errors).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.iters.map((i) => i.correct)).toEqual([true, true, true, true]);
  });

  it.runIf(target === 'mps2-an500')('an upload cut short keeps the previous model, also across a reset', async () => {
    // mnist, half sent: it streams into slot B (erasing the older mnist there), then ends early.
    const mnist = model('mnist_int8.tflite');
    const crc = crc32(mnist);
    await session.command({ kind: 'uploadBegin', what: 'model', name: 'mnist_int8', size: mnist.length, crc });
    // Chunk lengths off the 4-byte program granule: the device carries the tail over.
    await session.command({ kind: 'uploadChunk', offset: 0, data: mnist.subarray(0, 1001) });
    await session.command({ kind: 'uploadChunk', offset: 1001, data: mnist.subarray(1001, 2500) });
    await session.command({ kind: 'uploadChunk', offset: 2500, data: mnist.subarray(2500, 4003) });
    expect(await refusal(session.command({ kind: 'uploadEnd', crc }))).toMatchObject({
      code: 3,
      message: expect.stringMatching(/truncated: 4003 of 23472/),
    });
    let run = await runJs(session, 'slot_hello', 3);
    expect(run.errors).toEqual([]);
    expect(run.iters.map((i) => i.correct)).toEqual([true, true, true]);

    const logs = await resetLogs(session);
    expect(logs).toContain('model slot B ignored: incomplete (a write was interrupted)');
    expect(logs).toContain('model slot: hello_world_int8 (2704 bytes) published as upload/model (slot A, sequence 3)');
    run = await runJs(session, 'slot_hello', 3);
    expect(run.errors).toEqual([]);
    expect(run.iters.map((i) => i.correct)).toEqual([true, true, true]);

    // The half-written slot is the one the next upload reuses.
    const sent = await sendImage(session, {
      kind: 'model',
      name: 'hello_world_int8',
      data: model('hello_world_int8.tflite'),
    });
    expect(sent.ack.extra).toMatchObject({ slot: 'B', bytes: 2704 });
  });
});
