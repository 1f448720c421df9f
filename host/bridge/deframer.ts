// Streaming receive side of the wire: split at 0x00, COBS-decode, check length and CRC,
// track sequence numbers. Never throws on input: every damaged frame lands in exactly
// one counter (malformed, oversized, badCrc) and its bytes in garbageBytes, and the
// next 0x00 resynchronises.
import { Transform, type TransformCallback } from 'node:stream';
import { cobsDecode, cobsMaxEncoded } from './cobs.ts';
import { checkRawFrame, type Frame } from './frame.ts';
import { DEFAULT_MAX_FRAME } from './protocol.ts';
import { hostTimeNs } from './time.ts';

export interface DeframerCounters {
  /** Bytes pushed in (delimiters included). */
  bytes: number;
  /** Frames delivered (duplicates excluded). */
  frames: number;
  /** Bytes of every block that yielded no valid frame (delimiters excluded). */
  garbageBytes: number;
  /** Blocks that are not valid COBS or decode to less than header + CRC. */
  malformed: number;
  /** Blocks that decode to more than maxFrame bytes. */
  oversized: number;
  badCrc: number;
  /** Frames dropped because their sequence number was already seen. */
  duplicates: number;
  /** Times the sequence jumped forward, and how many frames those jumps skipped. */
  seqGaps: number;
  missingFrames: number;
  /** Times the device restarted its sequence at 0 (hello or reboot). */
  resets: number;
}

export function emptyCounters(): DeframerCounters {
  return {
    bytes: 0,
    frames: 0,
    garbageBytes: 0,
    malformed: 0,
    oversized: 0,
    badCrc: 0,
    duplicates: 0,
    seqGaps: 0,
    missingFrames: 0,
    resets: 0,
  };
}

export interface DeframerOptions {
  maxFrame?: number;
  /** Clock for Frame.timeNs (tests pass a fake). */
  now?: () => bigint;
  /** Every CRC-valid frame, duplicates included, before sequence checks (recording). */
  onValidFrame?: (frame: Frame) => void;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Deframer {
  readonly counters: DeframerCounters = emptyCounters();
  private limit: number;
  private encodedLimit: number;
  private pending: Uint8Array;
  private pendingLen = 0;
  private discarding = false;
  private discarded = 0;
  private lastSeq: number | undefined;
  private lastRaw: Uint8Array | undefined;
  private readonly now: () => bigint;
  private readonly onValidFrame?: (frame: Frame) => void;

  constructor(opts: DeframerOptions = {}) {
    this.limit = opts.maxFrame ?? DEFAULT_MAX_FRAME;
    this.encodedLimit = cobsMaxEncoded(this.limit);
    this.pending = new Uint8Array(this.encodedLimit);
    this.now = opts.now ?? hostTimeNs;
    this.onValidFrame = opts.onValidFrame;
  }

  get maxFrame(): number {
    return this.limit;
  }

  /** Change the frame limit (after a hello negotiated it). */
  set maxFrame(n: number) {
    this.limit = n;
    this.encodedLimit = cobsMaxEncoded(n);
    if (this.pending.length < this.encodedLimit) {
      const grown = new Uint8Array(this.encodedLimit);
      grown.set(this.pending.subarray(0, this.pendingLen));
      this.pending = grown;
    }
  }

  /** Forget the sequence history (a new link). */
  resetSequence(): void {
    this.lastSeq = undefined;
    this.lastRaw = undefined;
  }

  /** Feed received bytes; delivered frames are appended to `out` (and returned). */
  push(chunk: Uint8Array, out: Frame[] = []): Frame[] {
    this.counters.bytes += chunk.length;
    let start = 0;
    while (start < chunk.length) {
      const zero = chunk.indexOf(0, start);
      const end = zero < 0 ? chunk.length : zero;
      this.accumulate(chunk, start, end);
      if (zero < 0) break;
      this.endBlock(chunk, start, end, out);
      start = zero + 1;
    }
    return out;
  }

  private accumulate(chunk: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return;
    if (this.discarding) {
      this.discarded += n;
      return;
    }
    if (this.pendingLen + n > this.encodedLimit) {
      // Cannot become a valid frame: count it, keep no bytes, wait for the next 0x00.
      this.discarding = true;
      this.discarded = this.pendingLen + n;
      this.pendingLen = 0;
      return;
    }
    // A block wholly inside this chunk is decoded from the chunk itself (endBlock).
    if (this.pendingLen === 0 && end < chunk.length) return;
    this.pending.set(chunk.subarray(start, end), this.pendingLen);
    this.pendingLen += n;
  }

  private endBlock(chunk: Uint8Array, start: number, end: number, out: Frame[]): void {
    if (this.discarding) {
      this.discarding = false;
      this.counters.oversized++;
      this.counters.garbageBytes += this.discarded;
      this.discarded = 0;
      return;
    }
    let block: Uint8Array;
    if (this.pendingLen > 0) {
      block = this.pending.subarray(0, this.pendingLen);
      this.pendingLen = 0;
    } else {
      block = chunk.subarray(start, end);
    }
    if (block.length === 0) return; // idle delimiters
    const raw = cobsDecode(block);
    if (!raw) {
      this.counters.malformed++;
      this.counters.garbageBytes += block.length;
      return;
    }
    if (raw.length > this.limit) {
      this.counters.oversized++;
      this.counters.garbageBytes += block.length;
      return;
    }
    const frame = this.check(raw, this.now(), block.length);
    if (frame) out.push(frame);
  }

  /** Feed one already COBS-decoded frame (replay of a recording). */
  pushRaw(raw: Uint8Array, timeNs: bigint): Frame | null {
    return this.check(raw, timeNs, raw.length);
  }

  private check(raw: Uint8Array, timeNs: bigint, garbage: number): Frame | null {
    const c = checkRawFrame(raw);
    if (!c.ok) {
      if (c.reason === 'crc') this.counters.badCrc++;
      else this.counters.malformed++;
      this.counters.garbageBytes += garbage;
      return null;
    }
    const frame: Frame = { type: c.type, seq: c.seq, payload: c.payload, raw, timeNs };
    this.onValidFrame?.(frame);
    if (!this.acceptSequence(frame)) {
      this.counters.duplicates++;
      return null;
    }
    this.counters.frames++;
    return frame;
  }

  private acceptSequence(frame: Frame): boolean {
    const last = this.lastSeq;
    if (last !== undefined) {
      const skipped = (frame.seq - last - 1) & 0xffff;
      if (skipped !== 0) {
        if (frame.seq === 0 && !sameBytes(frame.raw, this.lastRaw!)) {
          this.counters.resets++; // the device starts counting at 0 after hello or boot
        } else if (skipped === 0xffff || skipped >= 0x8000) {
          return false; // the same or an older seq
        } else {
          this.counters.seqGaps++;
          this.counters.missingFrames += skipped;
        }
      }
    }
    this.lastSeq = frame.seq;
    this.lastRaw = frame.raw;
    return true;
  }
}

/** The deframer as a Node Transform: bytes in, Frame objects out. */
export class DeframerStream extends Transform {
  readonly deframer: Deframer;
  constructor(opts: DeframerOptions = {}) {
    super({ readableObjectMode: true });
    this.deframer = new Deframer(opts);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    for (const frame of this.deframer.push(chunk)) this.push(frame);
    done();
  }
}

/** Frames from any async source of byte chunks (a socket, a serial port, a file stream). */
export async function* deframe(source: AsyncIterable<Uint8Array>, deframer = new Deframer()): AsyncGenerator<Frame> {
  for await (const chunk of source) yield* deframer.push(chunk);
}
