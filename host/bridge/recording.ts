// Recordings: an append-only file holding every frame of a session (direction, host
// time in ns, decoded frame bytes), written with one synchronous write per frame so a
// killed host leaves every completed entry readable. Replay runs the received frames
// through the same Deframer checks and record decoder as a live link.
import fs from 'node:fs';
import { Deframer, type DeframerCounters } from './deframer.ts';
import type { Frame } from './frame.ts';
import { decodeRecord } from './records.ts';
import type { DeviceRecord } from './protocol.ts';
import { hostTimeNs } from './time.ts';

/** File layout (little endian):
 *  header: "XSIREC\0\x01" (8 bytes, last byte = format version) | u32 metaLen | meta JSON
 *  entry:  u8 direction | u64 timeNs | u32 length | length bytes of decoded frame */
export const RECORDING_MAGIC = Buffer.from('XSIREC\0\x01', 'latin1');
const ENTRY_HEAD = 13;

export const Direction = { fromDevice: 0, toDevice: 1 } as const;
export type DirectionCode = (typeof Direction)[keyof typeof Direction];

export interface RecordingMeta {
  createdAt: string;
  protocol: number;
  target?: string;
  link?: string;
  [key: string]: unknown;
}

export interface RecordingEntry {
  direction: DirectionCode;
  timeNs: bigint;
  frame: Uint8Array;
}

export class RecordingError extends Error {
  readonly code = 'BAD_RECORDING';
}

export class RecordingWriter {
  private fd: number | undefined;
  readonly path: string;
  entries = 0;

  constructor(path: string, meta: RecordingMeta) {
    this.path = path;
    this.fd = fs.openSync(path, 'w');
    const json = Buffer.from(JSON.stringify(meta), 'utf8');
    const head = Buffer.alloc(RECORDING_MAGIC.length + 4);
    RECORDING_MAGIC.copy(head);
    head.writeUInt32LE(json.length, RECORDING_MAGIC.length);
    fs.writeSync(this.fd, Buffer.concat([head, json]));
  }

  /** Append one frame. One write(2) per entry: nothing waits in a user-space buffer. */
  write(direction: DirectionCode, frame: Uint8Array, timeNs: bigint = hostTimeNs()): void {
    if (this.fd === undefined) throw new RecordingError(`recording ${this.path} is closed`);
    const entry = Buffer.alloc(ENTRY_HEAD + frame.length);
    entry.writeUInt8(direction, 0);
    entry.writeBigUInt64LE(timeNs, 1);
    entry.writeUInt32LE(frame.length, 9);
    entry.set(frame, ENTRY_HEAD);
    fs.writeSync(this.fd, entry);
    this.entries++;
  }

  writeFrame(direction: DirectionCode, frame: Pick<Frame, 'raw' | 'timeNs'>): void {
    this.write(direction, frame.raw, frame.timeNs);
  }

  /** Make the file durable (power loss); a killed process needs no sync. */
  sync(): void {
    if (this.fd !== undefined) fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface Recording {
  meta: RecordingMeta;
  entries: RecordingEntry[];
  /** Bytes after the last complete entry (a host killed mid-write). */
  truncatedBytes: number;
}

export function parseRecording(data: Uint8Array, name = 'recording'): Recording {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  const m = RECORDING_MAGIC.length;
  if (buf.length < m + 4 || !buf.subarray(0, m - 1).equals(RECORDING_MAGIC.subarray(0, m - 1))) {
    throw new RecordingError(`${name} is not an xsinfer recording (bad magic)`);
  }
  if (buf[m - 1] !== RECORDING_MAGIC[m - 1]) {
    throw new RecordingError(`${name} has recording format ${buf[m - 1]}, this host reads ${RECORDING_MAGIC[m - 1]}`);
  }
  const metaLen = buf.readUInt32LE(m);
  if (m + 4 + metaLen > buf.length) throw new RecordingError(`${name}: header truncated`);
  let meta: RecordingMeta;
  try {
    meta = JSON.parse(buf.subarray(m + 4, m + 4 + metaLen).toString('utf8')) as RecordingMeta;
  } catch {
    throw new RecordingError(`${name}: header metadata is not JSON`);
  }
  const entries: RecordingEntry[] = [];
  let pos = m + 4 + metaLen;
  while (buf.length - pos >= ENTRY_HEAD) {
    const direction = buf.readUInt8(pos);
    const len = buf.readUInt32LE(pos + 9);
    if (pos + ENTRY_HEAD + len > buf.length) break;
    if (direction !== Direction.fromDevice && direction !== Direction.toDevice) {
      throw new RecordingError(`${name}: entry at byte ${pos} has direction ${direction}`);
    }
    entries.push({
      direction: direction as DirectionCode,
      timeNs: buf.readBigUInt64LE(pos + 1),
      frame: buf.subarray(pos + ENTRY_HEAD, pos + ENTRY_HEAD + len),
    });
    pos += ENTRY_HEAD + len;
  }
  return { meta, entries, truncatedBytes: buf.length - pos };
}

export function readRecording(path: string): Recording {
  return parseRecording(fs.readFileSync(path), path);
}

export interface Replay {
  meta: RecordingMeta;
  records: DeviceRecord[];
  frames: Frame[];
  counters: DeframerCounters;
  truncatedBytes: number;
}

/** Replay the device's frames through the live pipeline (Deframer checks + decoder). */
export function replayRecording(rec: Recording): Replay {
  const deframer = new Deframer();
  const frames: Frame[] = [];
  for (const e of rec.entries) {
    if (e.direction !== Direction.fromDevice) continue;
    const frame = deframer.pushRaw(e.frame, e.timeNs);
    if (frame) frames.push(frame);
  }
  return {
    meta: rec.meta,
    frames,
    records: frames.map(decodeRecord),
    counters: deframer.counters,
    truncatedBytes: rec.truncatedBytes,
  };
}
