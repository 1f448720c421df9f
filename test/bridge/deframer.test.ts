// The host deframer under damage: every intact frame is recovered in order and every
// damaged block lands in exactly one counter, checked against an independent oracle
// over seeded random streams (bit flips, truncation, duplication, garbage, oversize,
// arbitrary chunking).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cobsDecode } from '../../host/bridge/cobs.ts';
import { Deframer, DeframerStream, deframe } from '../../host/bridge/deframer.ts';
import { encodeFrame, type Frame } from '../../host/bridge/frame.ts';
import { Prng } from './prng.ts';

const hex = (a: Uint8Array) => Buffer.from(a).toString('hex');
const MAX_FRAME = 1024;

interface Original {
  index: number;
  seq: number;
  type: number;
  payload: Uint8Array;
  wire: Uint8Array; // COBS + 0x00
  oversize: boolean;
}

function makeFrames(rng: Prng, n: number, firstSeq = 0): Original[] {
  return Array.from({ length: n }, (_, index) => {
    const oversize = rng.chance(0.04);
    const len = oversize ? MAX_FRAME - 6 + rng.int(800) : rng.chance(0.2) ? rng.int(MAX_FRAME - 6) : rng.int(80);
    const payload = rng.bytes(len, rng.chance(0.5) ? 0.3 : 0.01);
    const seq = (firstSeq + index) & 0xffff;
    const type = 0x40 + rng.int(16);
    return { index, seq, type, payload, wire: encodeFrame(type, seq, payload), oversize };
  });
}

/** Build a damaged stream from the frames; returns its bytes. */
function damage(rng: Prng, frames: Original[]): Uint8Array {
  const parts: Uint8Array[] = [];
  if (rng.chance(0.5)) parts.push(Uint8Array.of(0)); // leading idle delimiter
  for (const f of frames) {
    if (rng.chance(0.08)) {
      // garbage, sometimes with its own delimiter, sometimes running into the next frame
      parts.push(rng.bytes(1 + rng.int(40), 0.05));
      if (rng.chance(0.5)) parts.push(Uint8Array.of(0));
    }
    let w = f.wire;
    const roll = rng.int(100);
    if (roll < 8) {
      w = w.slice();
      const flips = 1 + rng.int(3);
      for (let k = 0; k < flips; k++) {
        const bit = rng.int(w.length * 8);
        w[bit >> 3]! ^= 1 << (bit & 7);
      }
    } else if (roll < 14) {
      // truncated: the tail is lost but the delimiter arrives
      w = Uint8Array.from([...w.subarray(0, rng.int(w.length - 1)), 0]);
    } else if (roll < 18) {
      // the delimiter is lost: this frame and the next merge into one damaged block
      w = w.subarray(0, w.length - 1);
    } else if (roll < 22) {
      parts.push(w); // duplicated
    } else if (roll < 25) {
      continue; // lost entirely
    }
    parts.push(w);
    if (rng.chance(0.05)) parts.push(new Uint8Array(1 + rng.int(3))); // idle fill
  }
  return Buffer.concat(parts);
}

interface Expectation {
  delivered: number[]; // indices into frames, in order
  damagedBlocks: number;
  garbageBytes: number;
  duplicates: number;
  seqGaps: number;
  missingFrames: number;
}

/** Independent oracle: split the stream at 0x00; a block is intact iff it equals the
 *  encoding of an original frame within the size limit; sequence effects follow from
 *  the frame indices (seqs increase with index and stay below 2^15 apart). */
function oracle(stream: Uint8Array, frames: Original[]): Expectation {
  const byEncoding = new Map(frames.map((f) => [hex(f.wire.subarray(0, -1)), f]));
  const e: Expectation = {
    delivered: [],
    damagedBlocks: 0,
    garbageBytes: 0,
    duplicates: 0,
    seqGaps: 0,
    missingFrames: 0,
  };
  let last: number | undefined;
  let start = 0;
  for (let i = 0; i < stream.length; i++) {
    if (stream[i] !== 0) continue;
    const block = stream.subarray(start, i);
    start = i + 1;
    if (block.length === 0) continue;
    const f = byEncoding.get(hex(block));
    if (!f || f.oversize) {
      e.damagedBlocks++;
      e.garbageBytes += block.length;
      continue;
    }
    if (last !== undefined && f.index <= last) {
      e.duplicates++;
      continue;
    }
    if (last !== undefined && f.index > last + 1) {
      e.seqGaps++;
      e.missingFrames += f.index - last - 1;
    }
    last = f.index;
    e.delivered.push(f.index);
  }
  return e;
}

function chunked(rng: Prng, stream: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let pos = 0; pos < stream.length;) {
    const n = rng.chance(0.3) ? 1 + rng.int(4) : 1 + rng.int(3000);
    out.push(stream.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

function runDeframer(chunks: Uint8Array[]): { d: Deframer; frames: Frame[] } {
  const d = new Deframer({ maxFrame: MAX_FRAME, now: () => 0n });
  const frames: Frame[] = [];
  for (const c of chunks) d.push(c, frames);
  return { d, frames };
}

describe('Deframer', () => {
  it('recovers every frame when a clean stream is split at every byte boundary', () => {
    const rng = new Prng(10);
    const frames = makeFrames(rng, 12).filter((f) => !f.oversize);
    const stream = Buffer.concat(frames.map((f) => f.wire));
    const want = frames.map((f) => hex(f.payload));
    for (let cut = 0; cut <= stream.length; cut++) {
      const { d, frames: got } = runDeframer([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(
        got.map((f) => hex(f.payload)),
        `cut at ${cut}`,
      ).toEqual(want);
      expect(d.counters.garbageBytes).toBe(0);
    }
    const bytewise = runDeframer(Array.from(stream, (b) => Uint8Array.of(b)));
    expect(bytewise.frames.map((f) => hex(f.payload))).toEqual(want);
    expect(bytewise.frames.map((f) => f.seq)).toEqual(frames.map((f) => f.seq));
    expect(bytewise.frames.map((f) => f.type)).toEqual(frames.map((f) => f.type));
  });

  it('matches the oracle on 300 seeded damaged streams with arbitrary chunking', () => {
    let totalDamaged = 0;
    let totalDelivered = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rng = new Prng(seed);
      const frames = makeFrames(rng, 20 + rng.int(40), rng.int(2) ? 1 : 0);
      const stream = damage(rng, frames);
      const want = oracle(stream, frames);
      const { d, frames: got } = runDeframer(chunked(rng, stream));
      const c = d.counters;
      const ctx = `seed ${seed}`;
      expect(
        got.map((f) => hex(f.raw)),
        ctx,
      ).toEqual(want.delivered.map((i) => hex(cobsDecode(frames[i]!.wire.subarray(0, -1))!)));
      expect(c.malformed + c.oversized + c.badCrc, ctx).toBe(want.damagedBlocks);
      expect(c.garbageBytes, ctx).toBe(want.garbageBytes);
      expect(c.duplicates, ctx).toBe(want.duplicates);
      expect(c.seqGaps, ctx).toBe(want.seqGaps);
      expect(c.missingFrames, ctx).toBe(want.missingFrames);
      expect(c.frames, ctx).toBe(want.delivered.length);
      expect(c.bytes, ctx).toBe(stream.length);
      totalDamaged += want.damagedBlocks;
      totalDelivered += want.delivered.length;
    }
    // The generator really exercised both sides.
    expect(totalDamaged).toBeGreaterThan(1000);
    expect(totalDelivered).toBeGreaterThan(8000);
  });

  it('classifies damage: oversize, bad CRC, malformed COBS, short frames', () => {
    const d = new Deframer({ maxFrame: 64, now: () => 0n });
    d.push(encodeFrame(0x40, 0, new Uint8Array(58))); // exactly 65 bytes decoded: over 64
    expect(d.counters.oversized).toBe(1);
    d.push(Buffer.concat([Uint8Array.of(0x11).fill(0x11, 0), new Uint8Array(300).fill(7), Uint8Array.of(0)]));
    expect(d.counters.oversized).toBe(2); // never buffered beyond the limit
    const bad = encodeFrame(0x40, 1, Uint8Array.of(1, 2, 3)).slice();
    bad[2]! ^= 0x40;
    d.push(bad);
    expect(d.counters.badCrc).toBe(1);
    d.push(Uint8Array.of(0x09, 1, 2, 0)); // code runs past the end
    d.push(Uint8Array.of(0x04, 1, 2, 3, 0)); // valid COBS, 3 bytes: too short for a frame
    expect(d.counters.malformed).toBe(2);
    expect(d.push(encodeFrame(0x40, 2, new Uint8Array(57))).length).toBe(1); // 64 bytes: fits
    expect(d.counters.frames).toBe(1);
    // At 1024 a 1025-byte frame can encode within the COBS bound, so the decoded length decides.
    const k = new Deframer({ maxFrame: 1024, now: () => 0n });
    expect(k.push(encodeFrame(0x40, 0, new Uint8Array(1018))).length).toBe(0);
    expect(k.counters.oversized).toBe(1);
    expect(k.push(encodeFrame(0x40, 1, new Uint8Array(1017))).length).toBe(1);
  });

  it('tracks sequence numbers across wrap, restart, gaps and stale frames', () => {
    const d = new Deframer({ now: () => 0n });
    const seqsOut = (seqs: number[], payload = (s: number) => Uint8Array.of(s & 0x7f)) =>
      seqs.flatMap((s) => d.push(encodeFrame(0x43, s, payload(s))).map((f) => f.seq));
    expect(seqsOut([65534, 65535, 0, 1])).toEqual([65534, 65535, 0, 1]);
    expect(d.counters).toMatchObject({ seqGaps: 0, resets: 0, duplicates: 0 });
    expect(seqsOut([2, 5])).toEqual([2, 5]);
    expect(d.counters).toMatchObject({ seqGaps: 1, missingFrames: 2 });
    expect(seqsOut([5, 3])).toEqual([]);
    expect(d.counters.duplicates).toBe(2);
    expect(seqsOut([0, 1])).toEqual([0, 1]); // the device restarted (hello or reboot)
    expect(d.counters.resets).toBe(1);
    // A repeat of frame 0 itself is a duplicate, not another restart.
    const f0 = encodeFrame(0x40, 0, Uint8Array.of(0x80));
    d.push(f0);
    expect(d.counters.resets).toBe(2);
    expect(d.push(f0)).toEqual([]);
    expect(d.counters.duplicates).toBe(3);
  });

  it('grows its limit after a hello without losing a partial frame', () => {
    const d = new Deframer({ maxFrame: 1024, now: () => 0n });
    const big = encodeFrame(0x4f, 0, new Uint8Array(3000).fill(9));
    d.push(big.subarray(0, 500));
    d.maxFrame = 4096;
    expect(d.push(big.subarray(500)).length).toBe(1);
  });

  it('works as a Transform stream and as an async iterator', async () => {
    const rng = new Prng(99);
    const frames = makeFrames(rng, 30).filter((f) => !f.oversize);
    const stream = Buffer.concat(frames.map((f) => f.wire));
    const chunks = chunked(rng, stream);
    const viaStream: Frame[] = [];
    for await (const f of Readable.from(chunks).pipe(new DeframerStream())) viaStream.push(f as Frame);
    const viaIter: Frame[] = [];
    for await (const f of deframe(Readable.from(chunks))) viaIter.push(f);
    const want = frames.map((f) => f.seq);
    expect(viaStream.map((f) => f.seq)).toEqual(want);
    expect(viaIter.map((f) => f.seq)).toEqual(want);
    expect(typeof viaIter[0]!.timeNs).toBe('bigint');
  });
});
