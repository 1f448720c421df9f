// A model larger than one 256 KB flash slot (MLPerf Tiny's vww_96_int8, 333,288 bytes)
// spans model slots A and B: it streams in, passes the engine's verifier in place, is
// published as upload/model (slot "AB") and comes back after a reset; the next upload of
// a small model replaces it in slot A, and the app runs correctly on that one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceSession } from '../../host/bridge/session.ts';
import { dataDir } from '../../host/data.ts';
import { deploy, sendImage } from '../../host/deploy/deploy.ts';
import { appRoot, bootBoard, changedApp, closeBoard, runJs, type Board, resetLogs } from './fixtures.ts';

const vww = new Uint8Array(fs.readFileSync(path.join(dataDir(), 'mlperf', 'models', 'vww_96_int8.tflite')));
const hello = new Uint8Array(fs.readFileSync(path.join(dataDir(), 'models', 'hello_world_int8.tflite')));

describe.each(['mps2-an500', 'host'] as const)('a model larger than one slot on %s', (target) => {
  let board: Board;
  let session: DeviceSession;
  beforeAll(async () => {
    board = await bootBoard(target);
    session = board.session;
    const app = changedApp(appRoot(), 'hello_world', 'slot_hello', [
      ["'models/hello_world_int8.tflite'", "'upload/model'"],
    ]);
    expect((await deploy({ app, target, session })).started).toBe(true);
  }, 600_000);
  afterAll(async () => {
    if (board) await closeBoard(board);
  });

  it('spans slots A and B and is published as upload/model', async () => {
    expect(vww.length).toBe(333_288);
    const sent = await sendImage(session, { kind: 'model', name: 'vww_96_int8', data: vww });
    expect(sent.ack.extra).toMatchObject({ asset: 'upload/model', bytes: vww.length, ops: 31, slot: 'AB' });
    // hello_world's app refuses vww's input and output shapes: the published model is vww.
    const run = await runJs(session, 'slot_hello', 1);
    expect(run.status).not.toBe(0);
  }, 300_000);

  it.runIf(target === 'mps2-an500')(
    'comes back after a reset',
    async () => {
      const logs = await resetLogs(session);
      expect(logs).toContain('model slot: vww_96_int8 (333288 bytes) published as upload/model (slot AB, sequence 1)');
      expect(logs.filter((l) => l.includes('ignored'))).toEqual([]);
    },
    120_000,
  );

  it('is replaced by the next upload, which runs', async () => {
    const sent = await sendImage(session, { kind: 'model', name: 'hello_world_int8', data: hello });
    expect(sent.ack.extra).toMatchObject({ asset: 'upload/model', bytes: hello.length, slot: 'A' });
    const run = await runJs(session, 'slot_hello', 4);
    expect(run.errors).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.iters.map((i) => i.correct)).toEqual([true, true, true, true]);
  }, 120_000);
});
