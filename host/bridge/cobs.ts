// COBS (Consistent Overhead Byte Stuffing): removes 0x00 from a frame so 0x00 can
// delimit frames. Byte-for-byte the same encoding as native/wire/src/wire_cobs.c.

/** Worst-case encoded length of n bytes (without the delimiter): one code byte per
 *  started 254 bytes (zeros are replaced, not added), at least one. */
export function cobsMaxEncoded(n: number): number {
  return n + Math.max(1, Math.ceil(n / 254));
}

/** Encode src; with `delimit` a trailing 0x00 is appended. */
export function cobsEncode(src: Uint8Array, delimit = false): Uint8Array {
  const out = new Uint8Array(cobsMaxEncoded(src.length) + (delimit ? 1 : 0));
  let codePos = 0;
  let o = 1;
  let code = 1;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    // A full block is closed only when more input follows (canonical COBS).
    if (code === 0xff) {
      out[codePos] = code;
      codePos = o++;
      code = 1;
    }
    if (b === 0) {
      out[codePos] = code;
      codePos = o++;
      code = 1;
      continue;
    }
    out[o++] = b;
    code++;
  }
  out[codePos] = code;
  if (delimit) out[o++] = 0;
  return out.subarray(0, o);
}

/** Decode one block (no 0x00 inside); null when malformed or longer than maxOut. */
export function cobsDecode(src: Uint8Array, maxOut = Infinity): Uint8Array | null {
  const out = new Uint8Array(Math.min(src.length, maxOut));
  let i = 0;
  let o = 0;
  while (i < src.length) {
    const code = src[i++]!;
    if (code === 0) return null;
    const end = i + code - 1;
    if (end > src.length || o + code - 1 > out.length) return null;
    for (; i < end; i++) {
      const b = src[i]!;
      if (b === 0) return null;
      out[o++] = b;
    }
    // A short block stands for a zero, except at the very end of the frame.
    if (code !== 0xff && i < src.length) {
      if (o >= out.length) return null;
      out[o++] = 0;
    }
  }
  return out.subarray(0, o);
}
