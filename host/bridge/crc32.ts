// CRC-32/IEEE (zlib's), the frame check of the wire protocol; check value 0xCBF43926.
import zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crc32Table(data: Uint8Array, crc: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      table[i] = c >>> 0;
    }
  }
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

// zlib.crc32 exists from Node 20.15; the table is the fallback for older 20.x.
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of data, continuing from `crc` (0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  return native ? native(data, crc) >>> 0 : crc32Table(data, crc);
}

export const crc32Portable = crc32Table;
