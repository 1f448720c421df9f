// COBS and CRC-32 of the wire protocol: known vectors, the CRC check value, and
// round trips over seeded random data.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode, cobsMaxEncoded } from '../../host/bridge/cobs.ts';
import { crc32, crc32Portable } from '../../host/bridge/crc32.ts';
import { buildRawFrame, checkRawFrame, encodeFrame } from '../../host/bridge/frame.ts';
import { Prng } from './prng.ts';

const hex = (a: Uint8Array) => Buffer.from(a).toString('hex');
const bytes = (...xs: number[]) => Uint8Array.from(xs);
const run = (n: number, from = 1) => Uint8Array.from({ length: n }, (_, i) => ((from - 1 + i) % 255) + 1);

describe('CRC-32/IEEE', () => {
  it('has the check value 0xCBF43926 for "123456789"', () => {
    const data = Buffer.from('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32Portable(data, 0)).toBe(0xcbf43926);
  });

  it('matches zlib and continues across pieces', () => {
    const rng = new Prng(1);
    for (let i = 0; i < 50; i++) {
      const data = rng.bytes(rng.int(3000));
      const cut = rng.int(data.length + 1);
      const whole = crc32Portable(data, 0);
      expect(whole).toBe(zlib.crc32(data) >>> 0);
      expect(crc32(data.subarray(cut), crc32(data.subarray(0, cut)))).toBe(whole);
    }
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('COBS', () => {
  // Vectors from the COBS paper / Wikipedia (canonical: no code byte after a final full block).
  const vectors: Array<[Uint8Array, string]> = [
    [bytes(), '01'],
    [bytes(0), '0101'],
    [bytes(0, 0), '010101'],
    [bytes(0x11, 0x22, 0x00, 0x33), '0311220233'],
    [bytes(0x11, 0x22, 0x33, 0x44), '0511223344'],
    [bytes(0x11, 0x00, 0x00, 0x00), '0211010101'],
    [run(254), 'ff' + hex(run(254))],
    [Uint8Array.from([0, ...run(254)]), '01ff' + hex(run(254))],
    [run(255), 'ff' + hex(run(254)) + '02ff'],
    [Uint8Array.from([...run(253, 2), 0xff, 0]), 'ff' + hex(run(253, 2)) + 'ff0101'],
    [Uint8Array.from([...run(252, 3), 0xfe, 0xff, 0, 1]), 'ff' + hex(run(252, 3)) + 'feff' + '0102' + '01'],
  ];

  it('encodes and decodes the reference vectors', () => {
    for (const [raw, enc] of vectors) {
      expect(hex(cobsEncode(raw))).toBe(enc);
      expect(hex(cobsDecode(Buffer.from(enc, 'hex'))!)).toBe(hex(raw));
    }
  });

  it('round-trips random data with no zero in the output and within the size bound', () => {
    const rng = new Prng(2);
    for (let i = 0; i < 400; i++) {
      const zeroRate = [0, 0.001, 0.05, 0.5, 1][i % 5]!;
      const data = rng.bytes(rng.int(1200), zeroRate);
      const enc = cobsEncode(data);
      expect(enc.includes(0)).toBe(false);
      expect(enc.length).toBeLessThanOrEqual(cobsMaxEncoded(data.length));
      expect(hex(cobsDecode(enc)!)).toBe(hex(data));
      const delimited = cobsEncode(data, true);
      expect(delimited[delimited.length - 1]).toBe(0);
      expect(hex(delimited.subarray(0, -1))).toBe(hex(enc));
    }
  });

  it('reaches its size bound exactly on input without zeros', () => {
    for (const n of [0, 1, 253, 254, 255, 508, 509, 1024])
      expect(cobsEncode(run(n)).length, `n=${n}`).toBe(cobsMaxEncoded(n));
  });

  it('rejects malformed blocks', () => {
    expect(cobsDecode(bytes(0x05, 0x11, 0x22))).toBeNull(); // code runs past the end
    expect(cobsDecode(bytes(0x03, 0x11, 0x00))).toBeNull(); // zero inside a block
    expect(cobsDecode(bytes(0x00))).toBeNull();
    expect(cobsDecode(bytes(0x03, 0x11, 0x22), 1)).toBeNull(); // longer than allowed
    expect(cobsDecode(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });
});

describe('frames', () => {
  it('lay out type, little-endian seq, payload and little-endian CRC', () => {
    const raw = buildRawFrame(0x44, 0x1234, bytes(0x80));
    expect(hex(raw.subarray(0, 4))).toBe('44341280');
    const crc = crc32(raw.subarray(0, 4));
    expect(new DataView(raw.buffer).getUint32(4, true)).toBe(crc);
    const c = checkRawFrame(raw);
    expect(c).toMatchObject({ ok: true, type: 0x44, seq: 0x1234 });
    const wire = encodeFrame(0x44, 0x1234, bytes(0x80));
    expect(wire[wire.length - 1]).toBe(0);
    expect(wire.subarray(0, -1).includes(0)).toBe(false);
  });

  it('match the worked examples in docs/protocol.md', () => {
    const payload = Buffer.from('82a56c6576656c01a474657874a26869', 'hex');
    expect(hex(encodeFrame(0x43, 5, payload))).toBe('03430515' + hex(payload) + '954dc47d00');
    expect(hex(buildRawFrame(0x04, 256, bytes(0x80)))).toBe('040001802afa855a');
    expect(hex(encodeFrame(0x04, 256, bytes(0x80)))).toBe('0204070180' + '2afa855a00');
  });

  it('fail the check on any single bit flip and on short input', () => {
    const raw = buildRawFrame(0x43, 7, Buffer.from('\x82\xa5level\x01\xa4text\xa2hi', 'latin1'));
    for (let bit = 0; bit < raw.length * 8; bit++) {
      const bad = raw.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(checkRawFrame(bad)).toEqual({ ok: false, reason: 'crc' });
    }
    expect(checkRawFrame(raw.subarray(0, 6))).toEqual({ ok: false, reason: 'short' });
  });
});
