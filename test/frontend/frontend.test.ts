// The pure-TypeScript audio front end (device/lib/frontend) under Node: bit-exact with the
// golden features of every golden case, and with the C engine (test/engine's signal
// harness, ASan/UBSan build) on adversarial audio and on models whose constants were
// changed — which also proves the parameters come from the model bytes. A Node run is a
// development aid; the proof on the device is test/frontend/xs-frontend.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { AudioFrontend, mulShr64, shr64mod32 } from '../../device/lib/frontend/frontend.ts';
import { readFrontendGraph } from '../../device/lib/frontend/graph.ts';
import { readModel } from '../../device/lib/frontend/tflite.ts';
import { runHarness } from '../engine/signal-harness.ts';

interface AudioCase {
  name: string;
  wav: string;
  num_frames: number;
  frame_outputs: number[][];
}

const modelFile = path.join(dataDir(), 'models', 'audio_preprocessor_int8.tflite');
const modelBytes = (): Uint8Array => new Uint8Array(fs.readFileSync(modelFile));
const golden = JSON.parse(fs.readFileSync(path.join(dataDir(), 'golden', 'audio_preprocessor_int8.json'), 'utf8')) as {
  cases: AudioCase[];
};

function wavSamples(file: string): Int16Array {
  const data = fs.readFileSync(path.join(dataDir(), file));
  const bytes = data.subarray(44, 44 + data.readUInt32LE(40));
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** Frames of each clip through one front end (reset per clip): out[clip][frame][40]. */
function runTs(model: Uint8Array, clips: Int16Array[][]): number[][][] {
  const fe = new AudioFrontend(model);
  const out = new Int8Array(fe.features);
  return clips.map((frames) => {
    fe.reset();
    return frames.map((f) => {
      fe.frame(f, 0, out, 0);
      return Array.from(out);
    });
  });
}

/** The same through the C engine (fresh interpreter per clip). */
function runC(modelPath: string, clips: Int16Array[][]): number[][][] {
  const parts = [String(clips.length)];
  for (const frames of clips) {
    parts.push(String(frames.length));
    for (const f of frames) parts.push(Array.from(f).join(' '));
  }
  const out: number[][][] = clips.map(() => []);
  for (const line of runHarness(['run', modelPath], parts.join('\n')).split('\n')) {
    if (!line.startsWith('FRAME ')) continue;
    const [, c, k, ...vals] = line.split(' ');
    out[Number(c)][Number(k)] = vals.map(Number);
  }
  return out;
}

function firstDifference(a: number[][][], b: number[][][]): string | null {
  for (let c = 0; c < b.length; c++) {
    for (let k = 0; k < b[c].length; k++) {
      const i = b[c][k].findIndex((v, j) => v !== a[c]?.[k]?.[j]);
      if (i >= 0) return `clip ${c} frame ${k} index ${i}: got ${a[c]?.[k]?.[i]}, want ${b[c][k][i]}`;
    }
  }
  return null;
}

/** Deterministic adversarial clips (each a list of 480-sample frames). */
function adversarialClips(): Int16Array[][] {
  let seed = 0x1234567;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
  const clip = (frames: number, sample: (n: number) => number): Int16Array[] => {
    const out: Int16Array[] = [];
    for (let k = 0; k < frames; k++) {
      const f = new Int16Array(480);
      for (let i = 0; i < 480; i++) f[i] = sample(k * 320 + i);
      out.push(f);
    }
    return out;
  };
  return [
    clip(6, (n) => ((n >> 3) & 1 ? 32767 : -32768)), // full-scale square wave, -32768 in every frame
    clip(4, () => -32768), // constant -32768 (the MaxAbs16 int16 wrap)
    clip(4, (n) => (n % 97 === 0 ? 32767 : 0)), // impulses
    clip(3, () => 0), // silence (auto-scale of zero)
    clip(8, () => (rand() & 0xffff) - 32768), // full-scale white noise
    clip(8, () => (rand() & 0xff) - 128), // quiet noise (large auto-scale)
    clip(6, (n) => Math.round(32767 * Math.sin(0.0005 * n * n))), // chirp at full scale
    clip(5, (n) => (n & 1 ? 32767 : -32767)), // Nyquist
    clip(20, (n) => Math.round((n < 3000 ? 300 : 30000) * Math.sin(n / 7))), // loud after quiet: noise estimate, PCAN
  ];
}

describe('TypeScript audio front end (Node)', () => {
  it('reads the graph parameters from the model', () => {
    const p = readFrontendGraph(modelBytes());
    expect([p.frameSamples, p.fftLength, p.windowShift, p.energyStart, p.energyEnd, p.numChannels, p.outputs]).toEqual([
      480, 512, 12, 5, 241, 40, 40,
    ]);
    expect(p.ss).toMatchObject({
      smoothing: 409,
      oneMinusSmoothing: 15975,
      alternateSmoothing: 983,
      minSignalRemaining: 819,
      smoothingBits: 10,
      spectralSubtractionBits: 14,
      clamping: false,
    });
    expect([p.snrShift, p.logCorrectionBits, p.logOutputScale, p.pcanLut.length]).toEqual([6, 3, 64, 125]);
    expect(p.tail.map((s) => [s.kind, s.value])).toEqual([
      [0, 256],
      [1, 333],
      [2, 666],
      [1, -128],
      [3, 127],
      [4, -128],
    ]);
    // energy bins 5..240 feed positions 5..240; the concatenated zeros stay constant
    expect(p.spectrumSource.filter((s) => s >= 0).length).toBe(236);
    expect(p.spectrumSource[5]).toBe(5);
    expect(p.spectrumSource[240]).toBe(240);
    expect(p.spectrumSource[241]).toBe(-1);
  });

  it('is bit-exact with every golden frame of every golden case', () => {
    const fe = new AudioFrontend(modelBytes());
    const out = new Int8Array(40);
    let frames = 0;
    for (const c of golden.cases) {
      const samples = wavSamples(c.wav);
      fe.reset();
      for (let k = 0; k < c.num_frames; k++) {
        fe.frame(samples, 320 * k, out, 0);
        const want = c.frame_outputs[k];
        const bad = want.findIndex((v, i) => v !== out[i]);
        expect(bad, `${c.name} frame ${k} index ${bad}: got ${out[bad]}, want ${want[bad]}`).toBe(-1);
        frames++;
      }
    }
    expect(frames).toBe(4 * 49 + 2); // four 1 s clips and two 30 ms frames
  });

  it('reset() restores the fresh state (a clip after another equals the clip alone)', () => {
    const fe = new AudioFrontend(modelBytes());
    const yes = wavSamples('data/micro_speech/yes_1000ms.wav');
    const no = golden.cases.find((c) => c.name === 'no_1000ms')!;
    const noSamples = wavSamples(no.wav);
    const out = new Int8Array(40);
    for (let k = 0; k < 49; k++) fe.frame(yes, 320 * k, out, 0);
    fe.frame(noSamples, 320 * 5, out, 0);
    const withoutReset = Array.from(out);
    fe.reset();
    for (let k = 0; k < 6; k++) fe.frame(noSamples, 320 * k, out, 0);
    expect(Array.from(out)).toEqual(no.frame_outputs[5]);
    expect(withoutReset).not.toEqual(no.frame_outputs[5]); // the state really carries over
  });

  it('matches the C engine on adversarial audio (wraps, saturation, silence, full scale)', () => {
    const clips = adversarialClips();
    const ts = runTs(modelBytes(), clips);
    const c = runC(modelFile, clips);
    expect(c.flat().length).toBe(clips.flat().length);
    expect(firstDifference(ts, c)).toBeNull();
  });

  it("follows the model: changed constants give the C engine's changed output", () => {
    const bytes = modelBytes();
    const model = readModel(bytes);
    const tensor = (name: string) => model.tensors.find((t) => t.name === name)!;
    const offsetOf = (name: string) => tensor(name).data!.byteOffset - bytes.byteOffset;
    const mutated = Buffer.from(bytes);
    // MUL constant 256 → 200, DIV constant 666 → 500, one filter-bank weight, a PCAN LUT entry
    mutated.writeInt32LE(200, offsetOf('Const1'));
    mutated.writeInt32LE(500, offsetOf('Const_1'));
    const w = offsetOf('signal_filter_bank/Const') + 2 * 40;
    mutated.writeInt16LE(mutated.readInt16LE(w) + 700, w);
    const lut = offsetOf('signal_pcan/Const') + 2 * 40;
    mutated.writeInt16LE(mutated.readInt16LE(lut) - 900, lut);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-frontend-')), 'mutated.tflite');
    fs.writeFileSync(file, mutated);
    const clips = [0, 1, 3].map((i) => {
      const s = wavSamples(golden.cases[i].wav);
      return Array.from({ length: 49 }, (_, k) => s.slice(320 * k, 320 * k + 480));
    });
    const ts = runTs(new Uint8Array(mutated), clips);
    expect(firstDifference(ts, runC(file, clips))).toBeNull();
    expect(firstDifference(ts, runTs(bytes, clips))).not.toBeNull(); // the change mattered
  });

  it('refuses a graph it cannot run, naming the operator', () => {
    const bytes = Buffer.from(modelBytes());
    const at = bytes.indexOf('SignalPCAN');
    bytes.write('SignalPCAX', at);
    expect(() => new AudioFrontend(new Uint8Array(bytes))).toThrow(/operator 12 .*expected SignalPCAN/);
    expect(() => new AudioFrontend(new Uint8Array(bytes.subarray(0, 4000)))).toThrow(/model:/);
  });

  it('emulates the uint64 product/shift of PCAN exactly (split path)', () => {
    let seed = 99;
    const rand32 = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const a = rand32();
      const b = i % 3 === 0 ? (rand32() | 0x80000000) >>> 0 : rand32();
      const s = i % 64;
      const want = Number(((BigInt(a) * BigInt(b)) >> BigInt(s)) & 0xffffffffn);
      expect(mulShr64(a, b, s)).toBe(want);
    }
    expect(shr64mod32(0xffffffff, 0xffffffff, 63)).toBe(1);
  });
});
