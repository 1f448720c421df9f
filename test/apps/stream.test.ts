// micro_speech in stream mode through `xsinfer bench --apps micro_speech_stream` (the main
// firmware, one session): the C app, TS calling the native front end and the pure-TS front
// end run every step of the 4-clip stream; each step is checked on the device against the
// C app's reference (features, scores, decision) and, for steps 0..48, against the golden
// yes_1000ms features (step 48 also its golden output); the host then compares the three
// runs' decisions step by step and finds "yes" and "no" where the clips put them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../host/bench/bench.ts';
import { readWavSamples } from '../../host/build/assets.ts';
import { collectRuns } from '../../host/bench/collect.ts';
import { readRecording, replayRecording } from '../../host/bridge/recording.ts';
import { dataDir } from '../../host/data.ts';
import { AudioFrontend } from '../../device/lib/frontend/frontend.ts';

const STEPS = 199; // frame k = samples [320k, 320k + 480) of 4 × 16,000 samples
const stepMs = (k: number) => 20 * k + 30; // the time base: the end of frame k's audio
const YES = 2;
const NO = 3;

describe.each(['host', 'mps2-an500'] as const)('micro_speech_stream on %s', (target) => {
  it('C, TS + native front end and pure TS agree on every step and detect yes then no', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-stream-'));
    const { result, recording } = await runBench({
      target,
      apps: ['micro_speech_stream'],
      impls: ['js', 'c'],
      kernels: ['reference'],
      iterations: STEPS,
      warmup: 0,
      ops: false,
      outDir,
    });
    const runs = result.runs.filter((r) => r.app === 'micro_speech_stream');
    expect(runs.map((r) => r.impl).sort()).toEqual(['c', 'js', 'js-native-frontend']);
    for (const run of runs) {
      expect(run.wrong, `${run.impl}: steps off the reference`).toBe(0);
      expect(run.correct).toBe(true);
      expect(run.iterations).toBe(STEPS);
    }

    // Per step (from the recording): every iteration ok, steps in stream order, and the
    // same decision (current command, new-detection flag) in all three implementations.
    const collected = collectRuns(replayRecording(readRecording(recording)).records);
    const byApp = (app: string, impl: string) => collected.find((r) => r.app === app && r.impl === impl)!;
    const c = byApp('micro_speech_stream', 'c');
    const jsNative = byApp('micro_speech_stream', 'js');
    const jsPure = byApp('micro_speech_stream_ts', 'js');
    const decisions = (run: typeof c) => run.results.map((r) => [r.case, r.label, r.score]);
    expect(c.results.map((r) => r.case)).toEqual([...Array(STEPS).keys()]);
    expect(decisions(jsNative)).toEqual(decisions(c));
    expect(decisions(jsPure)).toEqual(decisions(c));
    // Steps 0..48 were also checked against the golden yes_1000ms features (and step 48
    // against its golden output) on the device: all ok in every implementation.
    for (const run of [c, jsNative, jsPure]) expect(run.correct).toBe(true);

    // Detections: "yes" (clip 0–1000 ms) once, after its second of audio has filled the
    // window and the 1 s score average passed 200; then "no" (clip 1000–2000 ms) the same
    // way; silence and noise (2000–4000 ms) detect nothing.
    const detected = c.results.filter((r) => r.score === 1).map((r) => ({ label: r.label, ms: stepMs(r.case!) }));
    console.log(`micro_speech_stream on ${target}: detections ${JSON.stringify(detected)}`);
    expect(detected.map((d) => d.label)).toEqual([YES, NO]);
    expect(detected[0].ms).toBeGreaterThan(1000);
    expect(detected[0].ms).toBeLessThanOrEqual(2000);
    expect(detected[1].ms).toBeGreaterThan(2000);
    expect(detected[1].ms).toBeLessThanOrEqual(3000);
    // Measured (bit-exact everywhere, so any change in front end, model or
    // RecognizeCommands shows here): yes at 1330 ms (step 65), no at 2450 ms (step 121).
    expect(detected.map((d) => d.ms)).toEqual([1330, 2450]);
    // The current command follows: yes from the yes detection until "no" takes over.
    expect(c.results[65].label).toBe(YES);
    expect(c.results[121].label).toBe(NO);

    if (target === 'mps2-an500') {
      const med = (impl: string) => runs.find((r) => r.impl === impl)!.phases;
      const row = (impl: string) =>
        (['populate', 'invoke', 'respond', 'total'] as const)
          .map((p) => `${p} ${Math.round(med(impl)[p].median)}`)
          .join(', ');
      console.log(
        `instructions per step (median): C: ${row('c')}; TS + native front end: ${row('js-native-frontend')}; pure TS: ${row('js')}`,
      );
      // The same invoke in all three; POPULATE: C < TS calling C < the front end in TS.
      expect(med('js-native-frontend').invoke.median - med('c').invoke.median).toBeLessThan(5_000);
      expect(med('c').populate.median).toBeLessThan(med('js-native-frontend').populate.median);
      expect(med('js-native-frontend').populate.median).toBeLessThan(med('js').populate.median);
    }
  });
});

describe('the stream from a fresh state', () => {
  it('starts with the golden yes_1000ms features (pure-TS front end on the host, frames 0..48)', () => {
    // The same slicing as the apps: the stream's first 49 frames are yes_1000ms's.
    const dir = dataDir();
    const model = new Uint8Array(fs.readFileSync(path.join(dir, 'models', 'audio_preprocessor_int8.tflite')));
    const pcm = readWavSamples(path.join(dir, 'data', 'micro_speech', 'yes_1000ms.wav'));
    const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + 32000));
    const golden = (
      JSON.parse(fs.readFileSync(path.join(dir, 'golden', 'audio_preprocessor_int8.json'), 'utf8')) as {
        cases: { name: string; feature_vector_1960: number[] }[];
      }
    ).cases.find((x) => x.name === 'yes_1000ms')!.feature_vector_1960;
    const fe = new AudioFrontend(model);
    const window = new Int8Array(49 * 40).fill(-128);
    for (let k = 0; k < 49; k++) {
      window.copyWithin(0, 40);
      fe.frame(samples, 320 * k, window, 48 * 40);
    }
    expect(Array.from(window)).toEqual(golden);
  });
});
