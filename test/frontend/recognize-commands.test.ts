// RecognizeCommands (TFLM's earlier micro_speech semantics) in TypeScript
// (device/lib/recognize-commands.ts) and its C twin (native/baseline/recognize_commands.c,
// built here with host gcc + ASan/UBSan): unit checks of each rule, then the two twins
// fed the same random streams must give identical decisions step by step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../host/paths.ts';
import { MAX_RESULTS, RecognizeCommands, ScoreStream } from '../../device/lib/recognize-commands.ts';
import { compileSanitized } from '../engine/signal-harness.ts';

const YES = 2;
const NO = 3;

function scores(top: number, value: number, rest = 0): number[] {
  return [0, 1, 2, 3].map((i) => (i === top ? value : rest));
}

/** Feeds `count` results 20 ms apart from `start` and returns the last result. */
function feed(
  rc: RecognizeCommands,
  s: number[],
  start: number,
  count: number,
): { label: number; score: number; newAt: number[] } {
  const newAt: number[] = [];
  for (let k = 0; k < count; k++) {
    const t = start + 20 * k;
    expect(rc.process(s, 0, t)).toBe(true);
    if (rc.result.isNew) newAt.push(t);
  }
  return { label: rc.result.label, score: rc.result.score, newAt };
}

describe('RecognizeCommands (TypeScript)', () => {
  it('waits for the minimum count and a quarter window of results', () => {
    const rc = new RecognizeCommands();
    expect(rc.process(scores(YES, 255), 0, 0)).toBe(true);
    expect(rc.result).toEqual({ label: 0, score: 0, isNew: false });
    rc.process(scores(YES, 255), 0, 20);
    rc.process(scores(YES, 255), 0, 40); // 3 results but only 40 ms < 250 ms
    expect(rc.result.score).toBe(0);
    const r = feed(rc, scores(YES, 255), 60, 10); // reaches 240 ms: still short
    expect(r.newAt).toEqual([]);
    rc.process(scores(YES, 255), 0, 260); // 260 - 0 >= 250
    expect(rc.result).toEqual({ label: YES, score: 255, isNew: true });
  });

  it('averages with truncation and needs a score strictly above the threshold', () => {
    const rc = new RecognizeCommands({ detectionThreshold: 200 });
    feed(rc, scores(NO, 200), 0, 20);
    expect(rc.result).toMatchObject({ label: NO, score: 200, isNew: false });
    const rc2 = new RecognizeCommands();
    // alternating 201/202 → mean 201.5 truncates to 201 > 200
    for (let k = 0; k < 20; k++) rc2.process(scores(NO, 201 + (k & 1)), 0, 20 * k);
    expect(rc2.result.score).toBe(201);
  });

  it('suppresses the same command for 1500 ms, not a different one; silence never suppresses', () => {
    const rc = new RecognizeCommands();
    const first = feed(rc, scores(YES, 250), 0, 100); // 0..1980 ms
    expect(first.newAt).toEqual([260, 1780]); // again only once more than 1500 ms passed
    const other = feed(rc, scores(NO, 250), 2000, 60); // a different label: not suppressed
    expect(other.newAt.length).toBe(1);
    expect(other.newAt[0]).toBeLessThan(2000 + 1500);
    const silent = new RecognizeCommands();
    const s = feed(silent, scores(0, 250), 0, 20);
    expect(s.newAt.length).toBe(20 - 13); // new on every step once reliable
  });

  it('rejects a time earlier than the oldest result in the window and keeps its state', () => {
    const rc = new RecognizeCommands();
    feed(rc, scores(YES, 250), 1000, 30);
    const before = { ...rc.result };
    expect(rc.process(scores(NO, 255), 0, 999)).toBe(false);
    expect(rc.result).toEqual(before);
    expect(rc.process(scores(NO, 255), 0, 1001)).toBe(true); // later than the oldest: accepted
  });

  it('drops pushes into a full queue (TFLM keeps 50 results)', () => {
    const rc = new RecognizeCommands({ averageWindowMs: 100000 });
    feed(rc, scores(YES, 250), 0, MAX_RESULTS + 7);
    expect(rc.dropped).toBe(7);
  });

  it('runs the shared synthetic stream with detections of several labels', () => {
    const rc = new RecognizeCommands();
    const stream = new ScoreStream(12345);
    const s = [0, 0, 0, 0];
    const labels = new Set<number>();
    for (let t = 0; t < 700; t++) {
      stream.fill(t, s, 0);
      if (rc.process(s, 0, t * 20) && rc.result.isNew) labels.add(rc.result.label);
    }
    expect(labels.size).toBeGreaterThanOrEqual(3);
  });
});

describe('RecognizeCommands C twin (host)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-rc-'));
  const exe = path.join(dir, 'recognize-harness');
  const build = (): void => {
    if (fs.existsSync(exe)) return;
    const baseline = path.join(repoRoot, 'native', 'baseline');
    compileSanitized(
      [path.join(baseline, 'recognize_commands.c'), path.join(repoRoot, 'test', 'frontend', 'recognize-harness.c')],
      [baseline],
      exe,
    );
  };

  function compareTwins(
    opts: { window: number; threshold: number; suppression: number; minimum: number },
    steps: { t: number; s: number[] }[],
  ): void {
    build();
    const input = [
      `${opts.window} ${opts.threshold} ${opts.suppression} ${opts.minimum} 4 ${steps.length}`,
      ...steps.map((x) => `${x.t} ${x.s.join(' ')}`),
    ].join('\n');
    const r = spawnSync(exe, [], { input, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const rc = new RecognizeCommands({
      averageWindowMs: opts.window,
      detectionThreshold: opts.threshold,
      suppressionMs: opts.suppression,
      minimumCount: opts.minimum,
    });
    let detections = 0;
    steps.forEach((x, k) => {
      const ok = rc.process(x.s, 0, x.t);
      const ts = `R ${ok ? 0 : -1} ${rc.result.label} ${rc.result.score} ${rc.result.isNew ? 1 : 0}`;
      if (rc.result.isNew && ok) detections++;
      expect(ts, `step ${k} (t=${x.t})`).toBe(lines[k]);
    });
    expect(lines[steps.length]).toBe(`DROPPED ${rc.dropped}`);
    expect(detections).toBeGreaterThan(0);
  }

  it('gives the TS decisions on random streams (jittered and backward times, bursts)', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return (seed >>> 8) % n;
    };
    for (const opts of [
      { window: 1000, threshold: 200, suppression: 1500, minimum: 3 },
      { window: 500, threshold: 150, suppression: 300, minimum: 5 },
      { window: 3000, threshold: 180, suppression: 1000, minimum: 2 },
    ]) {
      const steps: { t: number; s: number[] }[] = [];
      let t = 0;
      let top = 0;
      for (let k = 0; k < 1500; k++) {
        if (rand(150) === 0) top = rand(4);
        t += rand(20) === 0 ? -rand(300) : 5 + rand(40); // drifts forward, sometimes back
        const s = [0, 1, 2, 3].map((i) => (i === top ? 190 + rand(66) : rand(80)));
        steps.push({ t, s });
      }
      compareTwins(opts, steps);
    }
  });

  it('gives the TS decisions on the shared synthetic stream', () => {
    const stream = new ScoreStream(12345);
    const steps = Array.from({ length: 700 }, (_, t) => {
      const s = [0, 0, 0, 0];
      stream.fill(t, s, 0);
      return { t: t % 97 === 96 ? t * 20 - 1500 : t * 20, s };
    });
    compareTwins({ window: 1000, threshold: 200, suppression: 1500, minimum: 3 }, steps);
  });
});
