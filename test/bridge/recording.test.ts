// Recordings: written as frames arrive, read back, replayed through the live pipeline
// with identical records; a file cut anywhere (a killed host) keeps every complete entry.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFirmware, programPath } from '../../host/build/firmware.ts';
import { packPayload } from '../../host/bridge/commands.ts';
import { buildRawFrame } from '../../host/bridge/frame.ts';
import { openProcessLink } from '../../host/bridge/link.ts';
import { CommandType, PROTOCOL_VERSION } from '../../host/bridge/protocol.ts';
import {
  Direction,
  RecordingError,
  RecordingWriter,
  parseRecording,
  readRecording,
  replayRecording,
} from '../../host/bridge/recording.ts';
import { DeviceSession } from '../../host/bridge/session.ts';
import { uploadImage } from '../../host/bridge/upload.ts';
import { repoRoot } from '../../host/paths.ts';
import { Prng } from './prng.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-rec-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const meta = { createdAt: '2026-01-01T00:00:00Z', protocol: PROTOCOL_VERSION, target: 'host' };
const hex = (a: Uint8Array) => Buffer.from(a).toString('hex');

function writeSample(file: string, n: number): Uint8Array[] {
  const rng = new Prng(5);
  const w = new RecordingWriter(file, meta);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const raw = buildRawFrame(0x43, i, packPayload({ level: 1, text: `line ${i}`, pad: rng.bytes(rng.int(40)) }));
    frames.push(raw);
    w.write(i % 3 === 2 ? Direction.toDevice : Direction.fromDevice, raw, 1_000_000_000_000n + BigInt(i));
  }
  w.close();
  return frames;
}

describe('recordings', () => {
  it('read back exactly what was written', () => {
    const file = path.join(tmp, 'a.xsirec');
    const frames = writeSample(file, 30);
    const rec = readRecording(file);
    expect(rec.meta).toEqual(meta);
    expect(rec.truncatedBytes).toBe(0);
    expect(rec.entries.map((e) => hex(e.frame))).toEqual(frames.map(hex));
    expect(rec.entries.map((e) => e.direction)).toEqual(frames.map((_, i) => (i % 3 === 2 ? 1 : 0)));
    expect(rec.entries[7]!.timeNs).toBe(1_000_000_000_007n);
    const replay = replayRecording(rec);
    expect(replay.records.map((r) => r.kind === 'log' && r.text)).toEqual(
      frames.flatMap((_, i) => (i % 3 === 2 ? [] : [`line ${i}`])),
    );
    expect(replay.counters.seqGaps).toBe(9); // host->device entries are not part of the device's sequence
  });

  it('keep every complete entry when cut at any byte (a killed host)', () => {
    const file = path.join(tmp, 'b.xsirec');
    writeSample(file, 5);
    const full = fs.readFileSync(file);
    const whole = parseRecording(full);
    const ends: number[] = [];
    let pos = full.length;
    for (const e of [...whole.entries].reverse()) {
      ends.unshift(pos);
      pos -= e.frame.length + 13;
    }
    const headerEnd = pos;
    for (let cut = headerEnd; cut <= full.length; cut++) {
      const r = parseRecording(full.subarray(0, cut));
      const complete = ends.filter((e) => e <= cut).length;
      expect(r.entries.length, `cut at ${cut}`).toBe(complete);
      expect(r.truncatedBytes).toBe(cut - (complete ? ends[complete - 1]! : headerEnd));
    }
    expect(() => parseRecording(full.subarray(0, headerEnd - 1))).toThrow(RecordingError);
    expect(() => parseRecording(Buffer.from('not a recording at all'))).toThrow(/bad magic/);
  });

  it('survive SIGKILL of the writing process', async () => {
    const file = path.join(tmp, 'killed.xsirec');
    const script = path.join(tmp, 'writer.ts');
    fs.writeFileSync(
      script,
      `
      import { RecordingWriter, Direction } from ${JSON.stringify(path.join(repoRoot, 'host/bridge/recording.ts'))};
      import { buildRawFrame } from ${JSON.stringify(path.join(repoRoot, 'host/bridge/frame.ts'))};
      const w = new RecordingWriter(${JSON.stringify(file)}, { createdAt: 'now', protocol: 1 });
      let i = 0;
      setInterval(() => {
        for (let k = 0; k < 50; k++, i++) w.write(Direction.fromDevice, buildRawFrame(0x4f, i & 0xffff, new Uint8Array(i % 200).fill(7)));
        process.stdout.write(i + '\\n');
      }, 1);
    `,
    );
    // node itself, not the tsx wrapper: the wrapper would leave its child running on SIGKILL.
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const written = await new Promise<number>((resolve) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const counts = out.trim().split('\n').map(Number);
        if (counts[counts.length - 1]! >= 2000) {
          child.kill('SIGKILL');
          resolve(counts[counts.length - 1]!);
        }
      });
    });
    await new Promise((r) => child.once('close', r));
    const rec = readRecording(file);
    expect(rec.entries.length).toBeGreaterThanOrEqual(written);
    rec.entries.forEach((e, i) => expect(e.frame.length).toBe(7 + (i % 200)));
    const replay = replayRecording(rec);
    expect(replay.records.length).toBe(rec.entries.length);
    expect(replay.counters.badCrc + replay.counters.malformed).toBe(0);
  });
});

describe('a live session with the host-target selftest', () => {
  it('negotiates, retries a lost command, answers a repeat, and replays identically', async () => {
    await buildFirmware({ target: 'host' });
    const file = path.join(tmp, 'live.xsirec');
    const recording = new RecordingWriter(file, { ...meta, link: 'spawn' });
    const link = openProcessLink(programPath('host', 'wire-selftest'));
    // Lose the first transmission of one command to exercise the host's retry.
    const realWrite = link.stream.write.bind(link.stream);
    let dropNextRun = false;
    (link.stream as { write: unknown }).write = (chunk: Uint8Array, cb?: (err?: Error | null) => void) => {
      if (dropNextRun) {
        dropNextRun = false;
        cb?.(null);
        return true;
      }
      return realWrite(chunk, cb);
    };
    const session = new DeviceSession(link, { recording, timeoutMs: 1500 });
    const streamed = (async () => {
      const out = [];
      for await (const r of session.stream()) out.push(r);
      return out;
    })();
    try {
      await session.waitFor((r) => r.kind === 'log' && r.text === 'rx ready', 10_000);
      const { ack, info } = await session.hello({ maxFrame: 2048 });
      expect(ack).toMatchObject({ seq: 1, cmd: 0, maxFrame: 2048 });
      expect(info).toMatchObject({ target: 'host', cmd: 0, maxFrame: 2048 });
      expect(session.deviceMaxFrame).toBe(2048);
      await expect(
        session.command({ kind: 'uploadChunk', offset: 0, data: new Uint8Array(2100) }),
      ).rejects.toMatchObject({ code: 'FRAME_TOO_LARGE' });
      dropNextRun = true;
      const run = await session.command({ kind: 'run', app: 'mnist', impl: 'c', iterations: 10 }, { timeoutMs: 300 });
      expect(run).toMatchObject({ cmd: 1, type: CommandType.run });
      expect(run.duplicate).toBeUndefined(); // the device saw it once
      // A retry whose original did arrive (its ack was lost) gets the answer again.
      const again = session.encoder.encode({ kind: 'stop' });
      expect(again.seq).toBe(2);
      link.stream.write(again.wire);
      link.stream.write(again.wire);
      await session.waitFor((r) => r.kind === 'ack' && r.cmd === 2 && r.duplicate === true, 5000);
      await expect(session.command({ kind: 'run', app: '', impl: 'js' })).rejects.toMatchObject({
        code: 'DEVICE_ERROR',
        record: { codeName: 'app' },
      });
      const image = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff);
      // The default chunk fills a 2048-byte frame; the selftest's echo of a chunk adds
      // ~50 bytes of keys, so leave room for it to come back whole.
      expect((await uploadImage(session, { what: 'app', name: 'full', data: image })).chunks).toBe(3);
      const up = await uploadImage(session, { what: 'model', name: 'mnist.tflite', data: image, chunkBytes: 1900 });
      expect(up).toMatchObject({ bytes: 5000, chunks: 3 });
      await session.command({ kind: 'reset' });
      expect(await link.exited).toBe(0);
    } finally {
      await session.close();
      recording.close();
    }
    expect(await streamed).toEqual(session.records);
    const echoes = session.records.filter((r) => r.kind === 'user' && r.name === 'cmd');
    expect(echoes.map((r) => (r as { value: { type: number } }).value.type)).toEqual([
      1, 2, 3, 2, 5, 6, 7, 5, 6, 6, 6, 7, 4,
    ]);
    // The echoes of the two full-frame chunks did not fit a frame: dropped, and said so.
    const overflows = session.records.filter((r) => r.kind === 'overflow');
    expect(overflows[overflows.length - 1]).toMatchObject({ oversize: 1 + 2 });
    // The device received the image intact, chunk by chunk, at the right offsets.
    const received = new Uint8Array(5000);
    for (const r of echoes.slice(-6)) {
      const v = (r as { value: { type: number; offset: number; data: Uint8Array } }).value;
      if (v.type === 6) received.set(v.data, v.offset);
    }
    expect(
      Buffer.from(received).equals(Buffer.from(Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff))),
    ).toBe(true);
    expect(session.deframer.counters).toMatchObject({
      badCrc: 0,
      garbageBytes: 0,
      seqGaps: 0,
      duplicates: 0,
      resets: 1,
    });

    const rec = readRecording(file);
    expect(rec.truncatedBytes).toBe(0);
    const sent = rec.entries.filter((e) => e.direction === Direction.toDevice);
    // hello, run twice (the first was lost on the way), the refused run, 2 x 5 upload
    // frames, reset; the two stop frames went around the session and are not in it.
    expect(sent.length).toBe(15);
    const replay = replayRecording(rec);
    expect(replay.records).toEqual(session.records);
    expect(replay.counters).toEqual({ ...session.deframer.counters, bytes: 0 });
  });
});
