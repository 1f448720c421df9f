// Failure paths of a benchmark session: JS running out of memory on the device is reported
// as an error record (not a hang), the session ends with a clear error, and what was
// received before is kept in the recording.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecording, replayRecording } from '../../host/bridge/recording.ts';
import { runSession } from '../../host/bench/session-runs.ts';

describe('bench session failures on mps2-an500', () => {
  it('reports JS out of memory and keeps the recording of the runs before it', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-oom-'));
    await expect(
      runSession({
        target: 'mps2-an500',
        outDir: out,
        runs: [
          { app: 'hello_world', impl: 'c', kernels: 'reference', iterations: 2, warmup: 0, ops: false },
          { app: 'oom', impl: 'js', kernels: 'reference', iterations: 1, warmup: 0, ops: false },
        ],
      }),
    ).rejects.toThrow(/out of memory|memory full/);
    const replay = replayRecording(readRecording(path.join(out, 'recording.xsirec')));
    const kinds = replay.records.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'iter')).toHaveLength(2);
    const error = replay.records.find((r) => r.kind === 'error');
    expect(error && error.kind === 'error' && error.codeName).toBe('outOfMemory');
  });

  it('refuses an unknown app with an error record and goes on serving', async () => {
    await expect(
      runSession({
        target: 'mps2-an500',
        outDir: fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-unknown-')),
        runs: [{ app: 'no_such_app', impl: 'c', kernels: 'reference', iterations: 1, warmup: 0, ops: false }],
      }),
    ).rejects.toThrow(/no_such_app.*unknown app/);
  });
});

describe('a device that disappears mid-run', () => {
  it('ends the session with a clear error and keeps everything received in the recording', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-unplug-'));
    let kill: (() => void) | undefined;
    await expect(
      runSession({
        target: 'mps2-an500',
        outDir: out,
        onConnected: (device) => (kill = device.kill),
        onRecord: (r) => {
          // Pull the plug after the third iteration of the second run has arrived.
          if (r.kind === 'iter' && r.run === 1 && r.i === 2) kill?.();
        },
        runs: [
          { app: 'hello_world', impl: 'c', kernels: 'reference', iterations: 2, warmup: 0, ops: false },
          { app: 'mnist', impl: 'c', kernels: 'reference', iterations: 50, warmup: 0, ops: false },
        ],
      }),
    ).rejects.toThrow(/closed while waiting for the device/);
    const replay = replayRecording(readRecording(path.join(out, 'recording.xsirec')));
    const iters = replay.records.filter((r) => r.kind === 'iter');
    expect(iters.length).toBeGreaterThanOrEqual(5); // 2 of the first run + at least 3 of the second
    expect(replay.records.filter((r) => r.kind === 'done')).toHaveLength(1);
  });
});
