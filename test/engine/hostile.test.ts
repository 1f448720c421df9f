// Hostile and unsupported models never crash the engine: each gives a clear error
// (malformed with what, unsupported op naming op and index, arena too small with the
// bytes needed). Run through the firmware `verify inspect` mode on the host target.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { planOnTarget } from '../../host/engine/device.ts';
import { opcodeFieldPositions } from '../../host/engine/tflite.ts';
import { Prng } from '../bridge/prng.ts';

const data = dataDir();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const hello = fs.readFileSync(path.join(data, 'models', 'hello_world_int8.tflite'));

let n = 0;
function write(bytes: Uint8Array): string {
  const file = path.join(tmp, `m${n++}.tflite`);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('hostile models (host target)', () => {
  it('accepts the genuine model (control)', async () => {
    const r = await planOnTarget('host', write(hello), 'reference');
    expect(r.error).toBeNull();
    expect(r.arena!.head).toBe(32);
  });

  it('rejects a truncated model as malformed', async () => {
    for (const len of [0, 7, 64, 600, hello.length - 100]) {
      const r = await planOnTarget('host', write(hello.subarray(0, len)), 'reference');
      expect(r.error, `truncated to ${len}`).not.toBeNull();
      expect(r.error!.status).toBe('malformed model');
      expect(r.arena).toBeNull();
    }
  });

  it('rejects random bytes', async () => {
    const rand = new Prng(7);
    for (let k = 0; k < 5; k++) {
      const bytes = Uint8Array.from({ length: 2000 }, () => rand.int(256));
      const r = await planOnTarget('host', write(bytes), 'reference');
      expect(r.error!.status).toBe('malformed model');
    }
  });

  it('rejects a root offset pointing outside the file', async () => {
    const bytes = Uint8Array.from(hello);
    new DataView(bytes.buffer).setUint32(0, 0x7ffffff0, true);
    const r = await planOnTarget('host', write(bytes), 'reference');
    expect(r.error!.status).toBe('malformed model');
    expect(r.error!.message).toMatch(/out of bounds/);
  });

  it('names the unsupported op and its index', async () => {
    const bytes = Uint8Array.from(hello);
    const [code] = opcodeFieldPositions(bytes);
    const view = new DataView(bytes.buffer);
    // FULLY_CONNECTED (9) → TRANSPOSE (39), which the engine does not implement.
    if (code!.deprecated !== null) view.setInt8(code!.deprecated, 39);
    if (code!.builtin !== null) view.setInt32(code!.builtin, 39, true);
    const r = await planOnTarget('host', write(bytes), 'reference');
    expect(r.missingOps).toEqual(['TRANSPOSE']);
    expect(r.error!.message).toBe('unsupported op TRANSPOSE (op 0)');
  });

  it('says how many bytes a too-small arena needs', async () => {
    const person = path.join(data, 'models', 'person_detect.tflite');
    const full = await planOnTarget('host', person, 'reference');
    const needed = full.arena!.total;
    const r = await planOnTarget('host', person, 'reference', 60_000);
    expect(r.error!.status).toBe('arena too small');
    expect(r.error!.message).toMatch(/arena too small: needs \d+ bytes/);
    // Exact: the planned total plus at most the alignment slack at both arena ends.
    expect(r.error!.bytesNeeded).toBeGreaterThanOrEqual(needed);
    expect(r.error!.bytesNeeded).toBeLessThan(needed + 32);
    const ok = await planOnTarget('host', person, 'reference', r.error!.bytesNeeded);
    expect(ok.error).toBeNull();
  });

  it('survives 300 single-byte mutations of a real model without crashing', async () => {
    const rand = new Prng(1234);
    let rejected = 0;
    for (let k = 0; k < 300; k++) {
      const bytes = Uint8Array.from(hello);
      const at = rand.int(bytes.length);
      bytes[at] = rand.int(256);
      // planOnTarget throws if the program dies (signal / unexpected exit status).
      const r = await planOnTarget('host', write(bytes), 'reference');
      if (r.error) rejected++;
    }
    expect(rejected).toBeGreaterThan(0);
  }, 120_000);
});
