// Sends a model or app image to a running device: upload_begin, CRC-checked chunks sized
// to the negotiated frame limit, upload_end. Each step waits for its ack (with the
// session's retries), so a lost frame costs one retry, not the transfer.
import { crc32 } from './crc32.ts';
import { FRAME_OVERHEAD_BYTES } from './protocol.ts';
import type { AckRecord } from './protocol.ts';
import type { DeviceSession } from './session.ts';

export interface UploadResult {
  bytes: number;
  chunks: number;
  crc: number;
  ms: number;
  /** The device's answer to upload_end (its extra keys: asset, ops, main, started, startTicks). */
  ack: AckRecord;
}

/** How long upload_end may take: the device verifies the image and commits it to flash;
 * for an app that includes erasing and programming the app slot (on the F769 a 256 KB
 * sector erase alone takes ~1-2 s, a few seconds worst case, and stalls the whole chip
 * meanwhile) and starting XS twice. A retry sent into that stall could be lost, so the
 * wait is generous instead. */
export const UPLOAD_END_TIMEOUT_MS = 60_000;

/** How long upload_begin may take: for a model the device erases the model slot it is
 * about to stream into before it acks (the same seconds-long, chip-stalling erase). A
 * repeated begin is harmless (it erases the same unused slot again). */
export const UPLOAD_BEGIN_TIMEOUT_MS = 60_000;

/** msgpack bytes around a chunk's data: map header, keys, offset and crc (u32 each), bin32 header. */
const CHUNK_ENVELOPE_BYTES = 1 + 7 + 5 + 5 + 5 + 4 + 5;

export function uploadChunkBytes(maxFrame: number): number {
  return maxFrame - FRAME_OVERHEAD_BYTES - CHUNK_ENVELOPE_BYTES;
}

/** One image through upload_begin / upload_chunk* / upload_end, chunks sized to the
 * negotiated frame limit (at most chunkBytes); each step waits for its ack. upload_end is
 * retried endRetries times (default: the session's retries). */
export async function uploadImage(
  session: DeviceSession,
  opts: {
    what: 'model' | 'app' | 'inputs';
    name: string;
    data: Uint8Array;
    chunkBytes?: number;
    endRetries?: number;
    onProgress?: (sent: number, total: number) => void;
  },
): Promise<UploadResult> {
  const t0 = performance.now();
  const chunk = Math.min(opts.chunkBytes ?? Infinity, uploadChunkBytes(session.deviceMaxFrame));
  const crc = crc32(opts.data);
  // A model's begin waits for the device to erase the slot it streams into.
  await session.command(
    { kind: 'uploadBegin', what: opts.what, name: opts.name, size: opts.data.length, crc },
    { timeoutMs: UPLOAD_BEGIN_TIMEOUT_MS, retries: 1 },
  );
  let chunks = 0;
  for (let offset = 0; offset < opts.data.length; offset += chunk) {
    await session.command({ kind: 'uploadChunk', offset, data: opts.data.subarray(offset, offset + chunk) });
    chunks++;
    opts.onProgress?.(Math.min(offset + chunk, opts.data.length), opts.data.length);
  }
  // Verification, the flash erase + program and an app's restart take longer than a chunk.
  const ack = await session.command(
    { kind: 'uploadEnd', crc },
    { timeoutMs: UPLOAD_END_TIMEOUT_MS, ...(opts.endRetries === undefined ? {} : { retries: opts.endRetries }) },
  );
  return { bytes: opts.data.length, chunks, crc, ms: performance.now() - t0, ack };
}
