// A minimal .tflite writer for single-operator test models (schema v3, one subgraph):
// just enough FlatBuffer encoding (tables, vectors, strings, unions) to drive the engine's
// real model reader from a test, with per-tensor or per-channel quantization. Children are
// written after their parents so every offset is positive; constant buffers are placed
// 16-byte aligned.

// Codes of TFLite's schema (tensorflow/lite/schema/schema.fbs) the test models use.
/** BuiltinOperator. */
export const ADD = 0,
  AVERAGE_POOL_2D = 1,
  CONV_2D = 3,
  DEPTHWISE_CONV_2D = 4,
  FULLY_CONNECTED = 9,
  MAX_POOL_2D = 17,
  MUL = 18,
  SOFTMAX = 25;
/** BuiltinOptions (the union's type tag). */
export const FULLY_CONNECTED_OPTIONS = 8,
  ADD_OPTIONS = 11,
  MUL_OPTIONS = 21;
/** Padding. */
export const SAME = 0,
  VALID = 1;
/** ActivationFunctionType. */
export const NONE = 0,
  RELU = 1,
  RELU_N1_TO_1 = 2,
  RELU6 = 3,
  TANH = 4;

export type TensorType =
  'float32' | 'int32' | 'uint8' | 'int64' | 'bool' | 'int16' | 'int8' | 'uint64' | 'uint32' | 'uint16';

export const tensorTypeCode: Record<TensorType, number> = {
  float32: 0,
  int32: 2,
  uint8: 3,
  int64: 4,
  bool: 6,
  int16: 7,
  int8: 9,
  uint64: 12,
  uint32: 15,
  uint16: 16,
};

export interface Quant {
  scale: number[];
  zeroPoint: number[];
  /** quantized_dimension (per-channel axis); 0 when absent. */
  dim?: number;
}

export interface TensorSpec {
  type: TensorType;
  shape: number[];
  /** Constant data (little-endian bytes); absent = runtime tensor. */
  data?: Uint8Array;
  quant?: Quant;
}

export interface OpSpec {
  builtin: number;
  inputs: number[];
  outputs: number[];
  /** BuiltinOptions union type and its fields as [field id, kind, value]. */
  options?: { type: number; fields: [number, 'i8' | 'u8' | 'i32' | 'f32', number][] };
}

export interface ModelSpec {
  tensors: TensorSpec[];
  inputs: number[];
  outputs: number[];
  op: OpSpec;
}

type Field =
  { id: number; kind: 'i8' | 'u8' | 'i32' | 'u32' | 'f32'; value: number } | { id: number; kind: 'ref'; value: Node };

type Node =
  | { t: 'table'; fields: Field[] }
  | { t: 'ints'; values: number[] }
  | { t: 'floats'; values: number[] }
  | { t: 'longs'; values: bigint[] }
  | { t: 'bytes'; values: Uint8Array; align16?: boolean }
  | { t: 'string'; value: string }
  | { t: 'tables'; values: Node[] };

const table = (...fields: Field[]): Node => ({ t: 'table', fields });
const ref = (id: number, value: Node): Field => ({ id, kind: 'ref', value });

class Writer {
  bytes: number[] = [];
  get pos(): number {
    return this.bytes.length;
  }
  align(n: number, offsetAfter = 0): void {
    while ((this.pos + offsetAfter) % n !== 0) this.bytes.push(0);
  }
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.u8(v);
    this.u8(v >> 8);
  }
  u32(v: number): void {
    for (let i = 0; i < 4; i++) this.u8(Number((BigInt(v) >> BigInt(8 * i)) & 0xffn));
  }
  f32(v: number): void {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    b.forEach((x) => this.u8(x));
  }
  patch32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = (v >>> (8 * i)) & 0xff;
  }
}

const fieldSize = (k: Field['kind']) => (k === 'i8' || k === 'u8' ? 1 : 4);

/** Writes node at the current position (after alignment) and returns its position. */
function emit(w: Writer, node: Node): number {
  switch (node.t) {
    case 'string': {
      w.align(4);
      const at = w.pos;
      const enc = new TextEncoder().encode(node.value);
      w.u32(enc.length);
      enc.forEach((b) => w.u8(b));
      w.u8(0);
      return at;
    }
    case 'ints': {
      w.align(4);
      const at = w.pos;
      w.u32(node.values.length);
      node.values.forEach((v) => w.u32(v >>> 0));
      return at;
    }
    case 'floats': {
      w.align(4);
      const at = w.pos;
      w.u32(node.values.length);
      node.values.forEach((v) => w.f32(v));
      return at;
    }
    case 'longs': {
      w.align(8, 4); // elements 8-byte aligned after the length
      const at = w.pos;
      w.u32(node.values.length);
      node.values.forEach((v) => encode('int64', [v]).forEach((b) => w.u8(b)));
      return at;
    }
    case 'bytes': {
      w.align(node.align16 ? 16 : 4, 4); // the data (after the length) starts aligned
      const at = w.pos;
      w.u32(node.values.length);
      node.values.forEach((b) => w.u8(b));
      return at;
    }
    case 'tables': {
      w.align(4);
      const at = w.pos;
      w.u32(node.values.length);
      const slots = node.values.map(() => {
        const s = w.pos;
        w.u32(0);
        return s;
      });
      node.values.forEach((child, i) => w.patch32(slots[i], emit(w, child) - slots[i]));
      return at;
    }
    case 'table': {
      const fields = [...node.fields].sort((a, b) => fieldSize(b.kind) - fieldSize(a.kind));
      const maxId = node.fields.reduce((m, f) => Math.max(m, f.id), -1);
      // layout: soffset, then fields (4-byte ones first, so everything stays aligned)
      const offsets = new Map<number, number>();
      let size = 4;
      for (const f of fields) {
        offsets.set(f.id, size);
        size += fieldSize(f.kind);
      }
      w.align(2);
      const vtable = w.pos;
      w.u16(4 + 2 * (maxId + 1));
      w.u16(size);
      for (let id = 0; id <= maxId; id++) w.u16(offsets.get(id) ?? 0);
      w.align(4);
      const at = w.pos;
      w.u32(at - vtable); // soffset to the vtable (which sits before the table)
      const refs: [number, Node][] = [];
      for (const f of fields) {
        if (f.kind === 'ref') {
          refs.push([w.pos, f.value]);
          w.u32(0);
        } else if (f.kind === 'f32') w.f32(f.value);
        else if (f.kind === 'i32' || f.kind === 'u32') w.u32(f.value >>> 0);
        else w.u8(f.value);
      }
      for (const [slot, child] of refs) w.patch32(slot, emit(w, child) - slot);
      return at;
    }
  }
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const buffers: Node[] = [table()]; // buffer 0: empty, as converters write it
  const tensors = spec.tensors.map((t, i) => {
    let buffer = 0;
    if (t.data) {
      buffers.push(table(ref(0, { t: 'bytes', values: t.data, align16: true })));
      buffer = buffers.length - 1;
    }
    const fields: Field[] = [
      ref(0, { t: 'ints', values: t.shape }),
      { id: 1, kind: 'i8', value: tensorTypeCode[t.type] },
      { id: 2, kind: 'u32', value: buffer },
      ref(3, { t: 'string', value: `t${i}` }),
    ];
    if (t.quant) {
      const q = table(
        ref(2, { t: 'floats', values: t.quant.scale }),
        ref(3, { t: 'longs', values: t.quant.zeroPoint.map((z) => BigInt(z)) }),
        { id: 6, kind: 'i32', value: t.quant.dim ?? 0 },
      );
      fields.push(ref(4, q));
    }
    return table(...fields);
  });
  const opFields: Field[] = [
    { id: 0, kind: 'u32', value: 0 },
    ref(1, { t: 'ints', values: spec.op.inputs }),
    ref(2, { t: 'ints', values: spec.op.outputs }),
  ];
  if (spec.op.options) {
    opFields.push({ id: 3, kind: 'u8', value: spec.op.options.type });
    opFields.push(ref(4, table(...spec.op.options.fields.map(([id, kind, value]) => ({ id, kind, value }) as Field))));
  }
  const model = table(
    { id: 0, kind: 'u32', value: 3 },
    ref(1, {
      t: 'tables',
      values: [
        table(
          { id: 0, kind: 'i8', value: spec.op.builtin < 127 ? spec.op.builtin : 127 },
          { id: 2, kind: 'i32', value: 1 },
          { id: 3, kind: 'i32', value: spec.op.builtin },
        ),
      ],
    }),
    ref(2, {
      t: 'tables',
      values: [
        table(
          ref(0, { t: 'tables', values: tensors }),
          ref(1, { t: 'ints', values: spec.inputs }),
          ref(2, { t: 'ints', values: spec.outputs }),
          ref(3, { t: 'tables', values: [table(...opFields)] }),
        ),
      ],
    }),
    ref(4, { t: 'tables', values: buffers }),
  );
  const w = new Writer();
  w.u32(0); // root offset, patched below
  'TFL3'.split('').forEach((c) => w.u8(c.charCodeAt(0)));
  w.patch32(0, emit(w, model));
  w.align(16);
  return Uint8Array.from(w.bytes);
}

/** The typed array holding each 32-bit-or-narrower type's elements (this host, like the device, is little-endian). */
const numberArrays: Record<
  Exclude<TensorType, 'int64' | 'uint64'>,
  { from(v: number[]): { buffer: ArrayBufferLike } }
> = {
  float32: Float32Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

/** Little-endian bytes of values stored as `type`. */
export function encode(type: TensorType, values: (number | bigint)[]): Uint8Array {
  if (type === 'int64' || type === 'uint64') {
    const wide = type === 'int64' ? BigInt64Array : BigUint64Array;
    return new Uint8Array(wide.from(values.map((v) => BigInt(v))).buffer);
  }
  return new Uint8Array(numberArrays[type].from(values.map(Number)).buffer);
}

export type OptionField = [id: number, kind: 'i8' | 'i32', value: number];

/** Conv2DOptions' fields (padding, stride_w, stride_h, fused activation, dilation_w,
 * dilation_h) or, for a depthwise op, DepthwiseConv2DOptions' (the same with
 * depth_multiplier after the strides); strides and dilations are given [h, w]. */
export function convOptions(
  depthwise: boolean,
  o: { padding: number; stride: number[]; dilation: number[]; activation: number; depthMultiplier?: number },
): OptionField[] {
  const multiplier: OptionField[] = depthwise ? [[3, 'i32', o.depthMultiplier ?? 1]] : [];
  const k = multiplier.length;
  return [
    [0, 'i8', o.padding],
    [1, 'i32', o.stride[1]!],
    [2, 'i32', o.stride[0]!],
    ...multiplier,
    [3 + k, 'i8', o.activation],
    [4 + k, 'i32', o.dilation[1]!],
    [5 + k, 'i32', o.dilation[0]!],
  ];
}

/** Pool2DOptions' fields (padding, stride_w, stride_h, filter_width, filter_height, fused
 * activation); strides and filter are given [h, w]. */
export function poolOptions(o: {
  padding: number;
  stride: number[];
  filter: number[];
  activation: number;
}): OptionField[] {
  return [
    [0, 'i8', o.padding],
    [1, 'i32', o.stride[1]!],
    [2, 'i32', o.stride[0]!],
    [3, 'i32', o.filter[1]!],
    [4, 'i32', o.filter[0]!],
    [5, 'i8', o.activation],
  ];
}

/** The conv/pool tests' form of a one-op model: tensors, the op's and the subgraph's ends. */
export interface OneOpModel {
  builtin: number;
  /** BuiltinOptions union type (1 Conv2DOptions, 2 DepthwiseConv2DOptions, 5 Pool2DOptions). */
  optionsType: number;
  options: OptionField[];
  tensors: TensorSpec[];
  opInputs: number[];
  opOutputs: number[];
  /** Subgraph inputs/outputs (runtime tensors). */
  inputs: number[];
  outputs: number[];
}

export function buildOneOpModel(m: OneOpModel): Uint8Array {
  return buildModel({
    tensors: m.tensors,
    inputs: m.inputs,
    outputs: m.outputs,
    op: {
      builtin: m.builtin,
      inputs: m.opInputs,
      outputs: m.opOutputs,
      options: { type: m.optionsType, fields: m.options },
    },
  });
}

export const int8Bytes = (v: number[]) => encode('int8', v);
export const int32Bytes = (v: number[]) => encode('int32', v);
export const float32Bytes = (v: number[]) => encode('float32', v);
