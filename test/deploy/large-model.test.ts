// A model larger than the main arena: uploads stream into a flash slot instead of being
// staged in the arena, so on an mps2-an500 image built with a 16 KB main arena (a manifest
// that includes the repository's) mnist's 23 KB model still uploads, passes the engine's
// verifier in place and runs correctly from flash (its arena need, ≈11 KB, fits). Before
// streaming, such an image refused anything over 16 KB at upload_begin.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../host/bridge/crc32.ts';
import type { DeviceSession } from '../../host/bridge/session.ts';
import { buildDirFor, buildFirmware } from '../../host/build/firmware.ts';
import { dataDir } from '../../host/data.ts';
import { deploy, sendImage } from '../../host/deploy/deploy.ts';
import { repoRoot } from '../../host/paths.ts';
import { appRoot, bootBoard, changedApp, closeBoard, labels, refusal, runJs, type Board } from './fixtures.ts';

const target = 'mps2-an500' as const;
const ARENA = 16 * 1024;

describe('a model larger than the main arena (mps2-an500, 16 KB main arena)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-large-model-'));
  const manifest = path.join(dir, 'manifest.json');
  const mnist = new Uint8Array(fs.readFileSync(path.join(dataDir(), 'models', 'mnist_int8.tflite')));
  const savedManifest = process.env.XSINFER_MANIFEST;
  let board: Board | undefined;
  let session: DeviceSession;

  beforeAll(async () => {
    fs.writeFileSync(
      manifest,
      JSON.stringify({
        include: path.join(repoRoot, 'manifest.json'),
        platforms: { [target]: { defines: { arena: { main: ARENA } } } },
      }),
    );
    // Builds, app archives and the device all use this manifest's own build tree.
    process.env.XSINFER_MANIFEST = manifest;
    await buildFirmware({ target });
    const defines = fs.readFileSync(path.join(buildDirFor(target), 'gen', 'mc.defines.h'), 'utf8');
    expect(defines).toMatch(new RegExp(`MODDEF_ARENA_MAIN\\s+\\(?${ARENA}`));
    expect(mnist.length).toBeGreaterThan(ARENA);
    board = await bootBoard(target);
    session = board.session;
    const app = changedApp(appRoot(), 'mnist', 'slot_mnist', [["'models/mnist_int8.tflite'", "'upload/model'"]]);
    expect((await deploy({ app, target, session })).started).toBe(true);
  }, 600_000);

  afterAll(async () => {
    if (board) await closeBoard(board);
    const tree = buildDirFor(target);
    if (savedManifest === undefined) delete process.env.XSINFER_MANIFEST;
    else process.env.XSINFER_MANIFEST = savedManifest;
    // Its own build tree (host/build/manifest.ts buildName): not reused by anything else.
    expect(path.basename(tree)).toBe(
      `${target}+m${crypto.createHash('sha1').update(manifest).digest('hex').slice(0, 8)}`,
    );
    fs.rmSync(tree, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('streams in, verifies in place and runs from flash', async () => {
    const sent = await sendImage(session, { kind: 'model', name: 'mnist_int8', data: mnist });
    expect(sent.ack.extra).toMatchObject({ asset: 'upload/model', bytes: mnist.length, slot: 'A' });
    expect(Number(sent.ack.extra?.ops)).toBeGreaterThan(0);
    const run = await runJs(session, 'slot_mnist', 4);
    expect(run.errors).toEqual([]);
    expect(run.status).toBe(0);
    expect(labels(run)).toEqual([0, 1, 2, 3]);
    expect(run.iters.map((i) => i.correct)).toEqual([true, true, true, true]);
  });

  it('a second upload goes to the other slot, and one that arrives damaged leaves it in use', async () => {
    const sent = await sendImage(session, { kind: 'model', name: 'mnist_again', data: mnist });
    expect(sent.ack.extra).toMatchObject({ bytes: mnist.length, slot: 'B' });
    // Every chunk intact on the wire, but the image is not the one upload_begin announced.
    const bad = mnist.slice();
    bad[mnist.length - 3] ^= 0x01;
    const crc = crc32(mnist);
    await session.command({ kind: 'uploadBegin', what: 'model', name: 'mnist_bad', size: bad.length, crc });
    for (let offset = 0; offset < bad.length; offset += 1500) {
      await session.command({ kind: 'uploadChunk', offset, data: bad.subarray(offset, offset + 1500) });
    }
    expect((await refusal(session.command({ kind: 'uploadEnd', crc }, { timeoutMs: 60_000 }))).code).toBe(6);
    const run = await runJs(session, 'slot_mnist', 2);
    expect(run.errors).toEqual([]);
    expect(labels(run)).toEqual([0, 1]);
  });
});
