// manifest.json `config` reaches the TS apps (mc/config) and their C twins (config_number()
// over gen/mc_config.c) alike: an image built from a manifest that includes the repository's and
// changes micro_speech_stream's RecognizeCommands settings detects at other times than the
// default image (yes 1330 ms, no 2450 ms: test/apps/stream.test.ts), and C, TS + native
// front end and pure TS still agree on every step, each checked on the device against the
// C reference.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRuns } from '../../host/bench/collect.ts';
import { readRecording, replayRecording } from '../../host/bridge/recording.ts';
import { repoRoot } from '../../host/paths.ts';
import { xsinferCmd } from '../cli.ts';

const STEPS = 199;
const stepMs = (k: number) => 20 * k + 30;

describe('manifest config in JS and C', () => {
  it('moves micro_speech_stream detections in every implementation alike', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-config-'));
    try {
      const manifest = path.join(dir, 'manifest.json');
      fs.writeFileSync(
        manifest,
        JSON.stringify({
          include: path.join(repoRoot, 'manifest.json'),
          config: { recognizeCommands: { detectionThreshold: 150, suppressionMs: 500, minimumCount: 2 } },
        }),
      );
      const out = path.join(dir, 'out');
      const r = xsinferCmd`--manifest ${manifest} bench --target host --apps micro_speech_stream -k reference
        -n ${String(STEPS)} -w 0 --no-ops --json -o ${out}`;
      expect(r.status, r.stderr).toBe(0);
      const runs = collectRuns(replayRecording(readRecording(path.join(out, 'recording.xsirec'))).records).filter((x) =>
        x.app.startsWith('micro_speech_stream'),
      );
      expect(runs).toHaveLength(3);
      const detections = runs.map((run) =>
        run.results.filter((x) => x.score === 1).map((x) => [x.label, stepMs(x.case!)]),
      );
      for (const run of runs) expect(run.correct, `${run.app} ${run.impl}`).toBe(true);
      expect(detections[1]).toEqual(detections[0]);
      expect(detections[2]).toEqual(detections[0]);
      // Lower threshold, shorter suppression, fewer results needed: yes and no each twice,
      // the first of each earlier than with the defaults.
      expect(detections[0]).toEqual([
        [2, 1090],
        [2, 1610],
        [3, 2250],
        [3, 2770],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      // Its own build tree (host/build/manifest.ts buildName): not reused by anything else.
      const tree = `host+m${crypto.createHash('sha1').update(path.join(dir, 'manifest.json')).digest('hex').slice(0, 8)}`;
      fs.rmSync(path.join(repoRoot, 'build', tree), { recursive: true, force: true });
    }
  }, 600_000);
});
