// flexbuffer.ts – bounds-checked FlexBuffers reader for custom-op options (the signal ops'
// `custom_options`): maps, vectors and scalars; every position is checked against the
// buffer before a byte is read, so hostile option bytes give a FlexError, never a bad read.
// Runs on the device (XS) at setup time and under Node; allocation-light, not hot.

export class FlexError extends Error {
  constructor(message: string) {
    super(`flexbuffer: ${message}`);
    this.name = 'FlexError';
  }
}

// FlexBuffers type codes (the subset the readers need names for).
const T_NULL = 0;
const T_INT = 1;
const T_UINT = 2;
const T_FLOAT = 3;
const T_KEY = 4;
const T_STRING = 5;
const T_INDIRECT_INT = 6;
const T_INDIRECT_UINT = 7;
const T_INDIRECT_FLOAT = 8;
const T_MAP = 9;
const T_VECTOR = 10;
const T_VECTOR_INT = 11;
const T_VECTOR_STRING_DEPRECATED = 15;
const T_VECTOR_INT2 = 16;
const T_VECTOR_FLOAT2 = 18;
const T_VECTOR_INT3 = 19;
const T_VECTOR_FLOAT3 = 21;
const T_VECTOR_INT4 = 22;
const T_VECTOR_FLOAT4 = 24;
const T_BLOB = 25;
const T_BOOL = 26;
const T_VECTOR_BOOL = 36;

/** One value inside a FlexBuffer: its type, where it starts and its byte width. */
export interface FlexValue {
  readonly buf: Uint8Array;
  readonly type: number;
  readonly pos: number;
  readonly width: number;
}

function validWidth(w: number): boolean {
  return w === 1 || w === 2 || w === 4 || w === 8;
}

function check(buf: Uint8Array, pos: number, n: number): void {
  if (pos < 0 || n < 0 || pos > buf.length || n > buf.length - pos) {
    throw new FlexError(`read of ${n} bytes at ${pos} is outside the ${buf.length}-byte buffer`);
  }
}

/** Unsigned little-endian integer of width bytes; exact below 2^53 (checked). */
function readUnsigned(buf: Uint8Array, pos: number, width: number): number {
  check(buf, pos, width);
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + buf[pos + i];
  if (v > Number.MAX_SAFE_INTEGER) throw new FlexError(`integer at ${pos} exceeds 2^53`);
  return v;
}

function readSigned(buf: Uint8Array, pos: number, width: number): number {
  check(buf, pos, width);
  const top = buf[pos + width - 1];
  if (top < 128) return readUnsigned(buf, pos, width);
  // Negative: -(two's complement) computed byte by byte to stay exact.
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + (255 - buf[pos + i]);
  if (v + 1 > Number.MAX_SAFE_INTEGER) throw new FlexError(`integer at ${pos} is below -2^53`);
  return -(v + 1);
}

function isInline(type: number): boolean {
  return type === T_NULL || type === T_INT || type === T_UINT || type === T_FLOAT || type === T_BOOL;
}

function knownType(type: number): boolean {
  return type <= T_BOOL || type === T_VECTOR_BOOL;
}

function resolve(buf: Uint8Array, slot: number, parentWidth: number, packed: number): FlexValue {
  const type = packed >> 2;
  if (!knownType(type)) throw new FlexError(`unknown type ${type} at ${slot}`);
  check(buf, slot, parentWidth);
  if (isInline(type)) return { buf, type, pos: slot, width: parentWidth };
  const off = readUnsigned(buf, slot, parentWidth);
  if (off > slot) throw new FlexError(`offset ${off} at ${slot} points before the buffer`);
  return { buf, type, pos: slot - off, width: 1 << (packed & 3) };
}

/** The root value of a FlexBuffer. */
export function flexRoot(buf: Uint8Array): FlexValue {
  const len = buf.length;
  if (len < 3) throw new FlexError(`${len} bytes is too short`);
  const rootWidth = buf[len - 1];
  if (!validWidth(rootWidth) || len < 2 + rootWidth) throw new FlexError(`bad root width ${rootWidth}`);
  return resolve(buf, len - 2 - rootWidth, rootWidth, buf[len - 2]);
}

function isTypedVector(type: number): boolean {
  return (type >= T_VECTOR_INT && type <= T_VECTOR_STRING_DEPRECATED) || type === T_VECTOR_BOOL;
}

function fixedCount(type: number): number {
  if (type >= T_VECTOR_INT2 && type <= T_VECTOR_FLOAT2) return 2;
  if (type >= T_VECTOR_INT3 && type <= T_VECTOR_FLOAT3) return 3;
  if (type >= T_VECTOR_INT4 && type <= T_VECTOR_FLOAT4) return 4;
  return 0;
}

function elementType(type: number): number {
  if (type === T_VECTOR_BOOL) return T_BOOL;
  if (type === T_VECTOR_STRING_DEPRECATED) return T_STRING;
  if (isTypedVector(type)) return type - T_VECTOR_INT + T_INT;
  const n = fixedCount(type);
  if (n === 2) return type - T_VECTOR_INT2 + T_INT;
  if (n === 3) return type - T_VECTOR_INT3 + T_INT;
  return type - T_VECTOR_INT4 + T_INT;
}

/** Element count of a map or vector. */
export function flexSize(v: FlexValue): number {
  const fixed = fixedCount(v.type);
  if (fixed) {
    check(v.buf, v.pos, fixed * v.width);
    return fixed;
  }
  const untyped = v.type === T_MAP || v.type === T_VECTOR;
  if (!untyped && !isTypedVector(v.type)) throw new FlexError(`type ${v.type} has no size`);
  if (!validWidth(v.width) || v.pos < v.width) throw new FlexError(`bad vector at ${v.pos}`);
  const n = readUnsigned(v.buf, v.pos - v.width, v.width);
  check(v.buf, v.pos, n * (v.width + (untyped ? 1 : 0)));
  return n;
}

/** Element i of a map (in key order) or vector. */
export function flexAt(v: FlexValue, i: number): FlexValue {
  const n = flexSize(v);
  if (i < 0 || i >= n) throw new FlexError(`index ${i} outside ${n} elements`);
  const slot = v.pos + i * v.width;
  if (v.type === T_MAP || v.type === T_VECTOR) {
    return resolve(v.buf, slot, v.width, v.buf[v.pos + n * v.width + i]);
  }
  return resolve(v.buf, slot, v.width, elementType(v.type) << 2);
}

function keyEquals(buf: Uint8Array, pos: number, key: string): boolean {
  for (let j = 0; ; j++) {
    check(buf, pos + j, 1);
    const c = buf[pos + j];
    if (j === key.length) return c === 0;
    if (c === 0 || c !== key.charCodeAt(j)) return false;
  }
}

/** The map's value for key, or undefined when the key is absent. */
export function flexGet(map: FlexValue, key: string): FlexValue | undefined {
  if (map.type !== T_MAP) throw new FlexError(`not a map (type ${map.type})`);
  const n = flexSize(map);
  const w = map.width;
  if (map.pos < 3 * w) throw new FlexError('map prefix outside the buffer');
  const keysSlot = map.pos - 3 * w;
  const keysOff = readUnsigned(map.buf, keysSlot, w);
  const keyWidth = readUnsigned(map.buf, map.pos - 2 * w, w);
  if (keysOff > keysSlot || !validWidth(keyWidth)) throw new FlexError('bad map keys vector');
  const keysPos = keysSlot - keysOff;
  check(map.buf, keysPos, n * keyWidth);
  for (let i = 0; i < n; i++) {
    const slot = keysPos + i * keyWidth;
    const off = readUnsigned(map.buf, slot, keyWidth);
    if (off > slot) throw new FlexError(`key ${i} offset points before the buffer`);
    if (keyEquals(map.buf, slot - off, key)) return flexAt(map, i);
  }
  return undefined;
}

function readFloat(v: FlexValue): number {
  check(v.buf, v.pos, v.width);
  if (v.width !== 4 && v.width !== 8) throw new FlexError(`float of width ${v.width}`);
  const bytes = new Uint8Array(8);
  for (let i = 0; i < v.width; i++) bytes[i] = v.buf[v.pos + i];
  const view = new DataView(bytes.buffer);
  return v.width === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true);
}

/** A scalar as a number (ints exact below 2^53; bool as 0/1; floats truncated to ints
 * only by flexInt). */
export function flexNumber(v: FlexValue): number {
  switch (v.type) {
    case T_INT:
    case T_INDIRECT_INT:
      return readSigned(v.buf, v.pos, v.width);
    case T_UINT:
    case T_INDIRECT_UINT:
      return readUnsigned(v.buf, v.pos, v.width);
    case T_BOOL:
      return readUnsigned(v.buf, v.pos, v.width) !== 0 ? 1 : 0;
    case T_FLOAT:
    case T_INDIRECT_FLOAT:
      return readFloat(v);
    default:
      throw new FlexError(`type ${v.type} is not a number`);
  }
}

/** Required integer option of a map, within [min, max] (as the engine's kernels demand). */
export function flexInt(map: FlexValue, key: string, min: number, max: number): number {
  const v = flexGet(map, key);
  if (v === undefined) throw new FlexError(`option ${key} is missing`);
  let n = flexNumber(v);
  if (v.type === T_FLOAT || v.type === T_INDIRECT_FLOAT) n = Math.trunc(n);
  if (!(n >= min && n <= max)) throw new FlexError(`option ${key} = ${n} outside ${min}..${max}`);
  return n;
}

/** Required boolean option of a map. */
export function flexBool(map: FlexValue, key: string): boolean {
  const v = flexGet(map, key);
  if (v === undefined) throw new FlexError(`option ${key} is missing`);
  return flexNumber(v) !== 0;
}

export const FLEX_MAP = T_MAP;
export const FLEX_KEY = T_KEY;
export const FLEX_STRING = T_STRING;
export const FLEX_BLOB = T_BLOB;
