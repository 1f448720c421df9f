// tflite.ts – bounds-checked reader of the .tflite FlatBuffer (just what the front end's
// setup needs: tensors with shape/type/constant bytes, operators with opcode, inputs,
// outputs, builtin options and custom options). Every table, vtable, vector and string
// is checked against the model bytes before it is read: a hostile model gives a
// ModelError, never a read outside the buffer. Untimed setup code (XS and Node).

export class ModelError extends Error {
  constructor(message: string) {
    super(`model: ${message}`);
    this.name = 'ModelError';
  }
}

// TFLite schema TensorType values.
export const TYPE_FLOAT32 = 0;
export const TYPE_INT32 = 2;
export const TYPE_UINT8 = 3;
export const TYPE_INT64 = 4;
export const TYPE_BOOL = 6;
export const TYPE_INT16 = 7;
export const TYPE_INT8 = 9;
export const TYPE_FLOAT64 = 10;
export const TYPE_UINT64 = 12;
export const TYPE_UINT32 = 15;
export const TYPE_UINT16 = 16;

const TYPE_SIZES: Record<number, number> = {
  0: 4,
  1: 2,
  2: 4,
  3: 1,
  4: 8,
  6: 1,
  7: 2,
  8: 8,
  9: 1,
  10: 8,
  11: 16,
  12: 8,
  15: 4,
  16: 2,
};

export function typeSize(type: number): number {
  return TYPE_SIZES[type] ?? 0;
}

// Builtin operator codes used by the audio preprocessor graph.
export const OP_ADD = 0;
export const OP_CONCATENATION = 2;
export const OP_MUL = 18;
export const OP_RESHAPE = 22;
export const OP_CUSTOM = 32;
export const OP_DIV = 42;
export const OP_STRIDED_SLICE = 45;
export const OP_CAST = 53;
export const OP_MAXIMUM = 55;
export const OP_MINIMUM = 57;

/** A FlatBuffers table: its position and its vtable. */
class Table {
  constructor(
    readonly reader: FlatReader,
    readonly pos: number,
    readonly vt: number,
    readonly vtLen: number,
  ) {}

  /** Absolute position of field id, or 0 when absent. */
  field(id: number, size: number): number {
    const entry = 4 + 2 * id;
    if (entry + 2 > this.vtLen) return 0;
    const off = this.reader.u16(this.vt + entry);
    if (off === 0) return 0;
    const objLen = this.reader.u16(this.vt + 2);
    if (off + size > objLen) throw new ModelError(`field ${id} of the table at ${this.pos} lies outside it`);
    return this.pos + off;
  }

  u8(id: number, def: number): number {
    const p = this.field(id, 1);
    return p ? this.reader.u8(p) : def;
  }

  i32(id: number, def: number): number {
    const p = this.field(id, 4);
    return p ? this.reader.i32(p) : def;
  }

  u32(id: number, def: number): number {
    const p = this.field(id, 4);
    return p ? this.reader.u32(p) : def;
  }

  /** A u64 field, exact below 2^53. */
  u64(id: number, def: number): number {
    const p = this.field(id, 8);
    if (!p) return def;
    const hi = this.reader.u32(p + 4);
    if (hi >= 0x200000) throw new ModelError(`64-bit field ${id} exceeds 2^53`);
    return hi * 4294967296 + this.reader.u32(p);
  }

  table(id: number): Table | null {
    const p = this.field(id, 4);
    return p ? this.reader.tableAt(this.reader.follow(p)) : null;
  }

  /** Position and length of a vector field (length 0 when absent). */
  vector(id: number, elemSize: number): { pos: number; len: number } {
    const p = this.field(id, 4);
    if (!p) return { pos: 0, len: 0 };
    const at = this.reader.follow(p);
    const len = this.reader.u32(at);
    this.reader.check(at + 4, len * elemSize);
    return { pos: at + 4, len };
  }

  string(id: number): string {
    const v = this.vector(id, 1);
    let s = '';
    for (let i = 0; i < v.len; i++) s += String.fromCharCode(this.reader.u8(v.pos + i));
    return s;
  }

  tables(id: number): Table[] {
    const v = this.vector(id, 4);
    const out: Table[] = [];
    for (let i = 0; i < v.len; i++) out.push(this.reader.tableAt(this.reader.follow(v.pos + 4 * i)));
    return out;
  }

  i32s(id: number): number[] {
    const v = this.vector(id, 4);
    const out: number[] = [];
    for (let i = 0; i < v.len; i++) out.push(this.reader.i32(v.pos + 4 * i));
    return out;
  }
}

class FlatReader {
  constructor(readonly bytes: Uint8Array) {}

  check(pos: number, n: number): void {
    if (pos < 0 || n < 0 || pos > this.bytes.length || n > this.bytes.length - pos) {
      throw new ModelError(`${n} bytes at ${pos} lie outside the ${this.bytes.length}-byte model`);
    }
  }

  u8(p: number): number {
    this.check(p, 1);
    return this.bytes[p];
  }

  u16(p: number): number {
    this.check(p, 2);
    return this.bytes[p] | (this.bytes[p + 1] << 8);
  }

  u32(p: number): number {
    return this.i32(p) >>> 0;
  }

  i32(p: number): number {
    this.check(p, 4);
    const b = this.bytes;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  /** Follows the forward uoffset stored at p. */
  follow(p: number): number {
    const target = p + this.u32(p);
    this.check(target, 4);
    return target;
  }

  tableAt(pos: number): Table {
    const vt = pos - this.i32(pos);
    this.check(vt, 4);
    const vtLen = this.u16(vt);
    const objLen = this.u16(vt + 2);
    if (vtLen < 4 || (vtLen & 1) !== 0) throw new ModelError(`bad vtable for the table at ${pos}`);
    this.check(vt, vtLen);
    this.check(pos, objLen);
    return new Table(this, pos, vt, vtLen);
  }
}

export interface ModelTensor {
  readonly index: number;
  readonly type: number;
  readonly shape: readonly number[];
  readonly elements: number;
  readonly name: string;
  /** The constant data (a subarray of the model bytes) or null for activations. */
  readonly data: Uint8Array | null;
}

export interface ModelOperator {
  readonly index: number;
  readonly builtin: number;
  readonly custom: string;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** builtin_options as a table reader (field ids per the TFLite schema), or null. */
  readonly options: OptionsReader | null;
  readonly customOptions: Uint8Array;
}

/** The builtin options table of an operator (schema field ids). */
export interface OptionsReader {
  u8(id: number, def: number): number;
  i32(id: number, def: number): number;
}

export interface Model {
  readonly tensors: readonly ModelTensor[];
  readonly operators: readonly ModelOperator[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/** Reads subgraph 0 of a .tflite model. */
export function readModel(bytes: Uint8Array): Model {
  const r = new FlatReader(bytes);
  if (bytes.length < 8) throw new ModelError('too short');
  const model = r.tableAt(r.follow(0));
  const buffers = model.tables(4);
  const codes = model.tables(1).map((c) => {
    // builtin_code (field 3) supersedes deprecated_builtin_code (field 0) when larger.
    const deprecated = c.u8(0, 0);
    const builtin = c.i32(3, 0);
    return { builtin: Math.max(deprecated, builtin), custom: c.string(1) };
  });
  const subgraphs = model.tables(2);
  if (subgraphs.length < 1) throw new ModelError('no subgraph');
  const sg = subgraphs[0];
  const tensors: ModelTensor[] = sg.tables(0).map((t, index) => {
    const shape = t.i32s(0);
    const type = t.u8(1, 0);
    let elements = 1;
    for (const d of shape) {
      if (d < 0) throw new ModelError(`tensor ${index} has a dynamic dimension`);
      elements *= d;
    }
    const bufferIndex = t.u32(2, 0);
    let data: Uint8Array | null = null;
    if (bufferIndex > 0) {
      if (bufferIndex >= buffers.length)
        throw new ModelError(`tensor ${index} names buffer ${bufferIndex} of ${buffers.length}`);
      const b = buffers[bufferIndex];
      const v = b.vector(0, 1);
      const offset = b.u64(1, 0);
      const size = b.u64(2, 0);
      if (v.len > 0) data = bytes.subarray(v.pos, v.pos + v.len);
      else if (offset > 1) {
        r.check(offset, size);
        data = bytes.subarray(offset, offset + size);
      }
      if (data !== null && data.length !== elements * typeSize(type)) {
        throw new ModelError(`tensor ${index} has ${data.length} bytes, its shape needs ${elements * typeSize(type)}`);
      }
    }
    return { index, type, shape, elements, name: t.string(3), data };
  });
  const checkTensor = (i: number): number => {
    if (i < -1 || i >= tensors.length) throw new ModelError(`tensor index ${i} out of range`);
    return i;
  };
  const operators: ModelOperator[] = sg.tables(3).map((op, index) => {
    const opcode = op.u32(0, 0);
    if (opcode >= codes.length) throw new ModelError(`operator ${index} has opcode index ${opcode}`);
    const custom = op.vector(5, 1);
    return {
      index,
      builtin: codes[opcode].builtin,
      custom: codes[opcode].custom,
      inputs: op.i32s(1).map(checkTensor),
      outputs: op.i32s(2).map(checkTensor),
      options: op.table(4),
      customOptions: bytes.subarray(custom.pos, custom.pos + custom.len),
    };
  });
  return { tensors, operators, inputs: sg.i32s(1).map(checkTensor), outputs: sg.i32s(2).map(checkTensor) };
}

/** The constant elements of an integer tensor as numbers (little endian). */
export function constInts(t: ModelTensor): number[] {
  if (t.data === null) throw new ModelError(`tensor ${t.index} (${t.name}) is not constant`);
  const d = t.data;
  const out: number[] = [];
  for (let i = 0; i < t.elements; i++) {
    switch (t.type) {
      case TYPE_INT8:
        out.push((d[i] << 24) >> 24);
        break;
      case TYPE_UINT8:
      case TYPE_BOOL:
        out.push(d[i]);
        break;
      case TYPE_INT16:
        out.push(((d[2 * i] | (d[2 * i + 1] << 8)) << 16) >> 16);
        break;
      case TYPE_UINT16:
        out.push(d[2 * i] | (d[2 * i + 1] << 8));
        break;
      case TYPE_INT32:
      case TYPE_UINT32: {
        const v = d[4 * i] | (d[4 * i + 1] << 8) | (d[4 * i + 2] << 16) | (d[4 * i + 3] << 24);
        out.push(t.type === TYPE_INT32 ? v : v >>> 0);
        break;
      }
      default:
        throw new ModelError(`tensor ${t.index} (${t.name}): type ${t.type} is not a supported integer type`);
    }
  }
  return out;
}
