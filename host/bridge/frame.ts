// One wire frame: u8 type | u16 seq LE | msgpack payload | u32 CRC-32 LE, COBS-encoded
// and terminated by 0x00 (docs/protocol.md, "Framing").
import { cobsEncode } from './cobs.ts';
import { crc32 } from './crc32.ts';
import { FRAME_CRC_BYTES, FRAME_HEADER_BYTES, FRAME_OVERHEAD_BYTES } from './protocol.ts';

export interface Frame {
  type: number;
  seq: number;
  /** msgpack payload (a view into raw). */
  payload: Uint8Array;
  /** The whole decoded frame, header and CRC included: what recordings store. */
  raw: Uint8Array;
  /** Host time of arrival, ns since the Unix epoch. */
  timeNs: bigint;
}

/** The decoded (pre-COBS) bytes of a frame. */
export function buildRawFrame(type: number, seq: number, payload: Uint8Array): Uint8Array {
  const raw = new Uint8Array(payload.length + FRAME_OVERHEAD_BYTES);
  raw[0] = type;
  raw[1] = seq & 0xff;
  raw[2] = (seq >>> 8) & 0xff;
  raw.set(payload, FRAME_HEADER_BYTES);
  const crc = crc32(raw.subarray(0, FRAME_HEADER_BYTES + payload.length));
  new DataView(raw.buffer, raw.byteOffset).setUint32(FRAME_HEADER_BYTES + payload.length, crc, true);
  return raw;
}

/** The bytes to put on the wire (COBS + 0x00). */
export function encodeFrame(type: number, seq: number, payload: Uint8Array): Uint8Array {
  return cobsEncode(buildRawFrame(type, seq, payload), true);
}

export type RawFrameCheck =
  { ok: true; type: number; seq: number; payload: Uint8Array } | { ok: false; reason: 'short' | 'crc' };

/** Check length and CRC of a decoded frame and split its header. */
export function checkRawFrame(raw: Uint8Array): RawFrameCheck {
  if (raw.length < FRAME_OVERHEAD_BYTES) return { ok: false, reason: 'short' };
  const body = raw.length - FRAME_CRC_BYTES;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  if (crc32(raw.subarray(0, body)) !== view.getUint32(body, true)) return { ok: false, reason: 'crc' };
  return { ok: true, type: raw[0]!, seq: view.getUint16(1, true), payload: raw.subarray(FRAME_HEADER_BYTES, body) };
}
