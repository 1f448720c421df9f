// The main firmware over the wire: a benchmark session on QEMU and on the host target,
// golden-checked results, exact repeatability of QEMU counts across two sessions (host
// commands arrive at unpredictable guest times and must not change any timed region),
// and a recording that rebuilds the same runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecording, replayRecording } from '../../host/bridge/recording.ts';
import { collectRuns } from '../../host/bench/collect.ts';
import { runSession, type RunSpec } from '../../host/bench/session-runs.ts';

const specs: RunSpec[] = [
  { app: 'hello_world', impl: 'c', kernels: 'reference', iterations: 6, warmup: 1, ops: true },
  { app: 'mnist', impl: 'c', kernels: 'reference', iterations: 3, warmup: 1, ops: false },
];

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-session-'));
}

describe.each(['host', 'mps2-an500'] as const)('bench session on %s', (target) => {
  it('runs each app, checks every iteration and ends cleanly', async () => {
    const session = await runSession({ target, runs: specs, outDir: tmp() });
    expect(session.info.target).toBe(target);
    const runs = collectRuns(session.records);
    expect(runs.map((r) => [r.app, r.impl, r.kernels, r.iterations])).toEqual([
      ['hello_world', 'c', 'reference', 6],
      ['mnist', 'c', 'reference', 3],
    ]);
    for (const run of runs) {
      expect(run.correct).toBe(true);
      expect(run.txOverflow).toBe(0);
      expect(run.phases.invoke.min).toBeGreaterThan(0);
    }
    expect(runs[0].ops?.map((o) => o.op)).toEqual(['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED']);
    // mnist case d is digit d; the warm-up iteration took case 0.
    expect(runs[1].results.map((r) => [r.case, r.label])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(session.exitCode).toBe(0);
  });
});

describe('QEMU sessions', () => {
  it('give identical instruction counts in two sessions, and the recording replays to the same runs', async () => {
    const dirA = tmp();
    const a = await runSession({ target: 'mps2-an500', runs: specs, outDir: dirA });
    const b = await runSession({ target: 'mps2-an500', runs: specs, outDir: tmp() });
    const strip = (records: typeof a.records) =>
      collectRuns(records).map((r) => ({ app: r.app, totals: r.totals, phases: r.phases, ops: r.ops }));
    expect(strip(a.records)).toEqual(strip(b.records));
    const replay = replayRecording(readRecording(path.join(dirA, 'recording.xsirec')));
    expect(replay.counters.badCrc + replay.counters.malformed + replay.counters.seqGaps).toBe(0);
    expect(strip(replay.records)).toEqual(strip(a.records));
  });
});
