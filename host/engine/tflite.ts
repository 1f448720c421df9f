// A small, bounds-checked reader of .tflite flatbuffers for the host side (inspect, and the
// tensor types verify needs to encode inputs). The device uses its own C reader; this one
// only reads what the host shows: ops, options, tensors, quantization, constant sizes.
import { XsinferError } from '../errors.ts';

export const tensorTypes = [
  'float32',
  'float16',
  'int32',
  'uint8',
  'int64',
  'string',
  'bool',
  'int16',
  'complex64',
  'int8',
  'float64',
  'complex128',
  'uint64',
  'resource',
  'variant',
  'uint32',
  'uint16',
  'int4',
] as const;

const typeSizes: Record<string, number> = {
  float32: 4,
  float16: 2,
  int32: 4,
  uint8: 1,
  int64: 8,
  bool: 1,
  int16: 2,
  complex64: 8,
  int8: 1,
  float64: 8,
  complex128: 16,
  uint64: 8,
  uint32: 4,
  uint16: 2,
};

// BuiltinOperator names by code (schema.fbs order), enough for every op this project meets.
const builtinNames = (
  'ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE EMBEDDING_LOOKUP FLOOR ' +
  'FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D LOCAL_RESPONSE_NORMALIZATION LOGISTIC LSH_PROJECTION ' +
  'LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1 RELU6 RESHAPE RESIZE_BILINEAR RNN SOFTMAX SPACE_TO_DEPTH SVDF TANH ' +
  'CONCAT_EMBEDDINGS SKIP_GRAM CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD UNIDIRECTIONAL_SEQUENCE_RNN GATHER ' +
  'BATCH_TO_SPACE_ND SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV SQUEEZE UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE ' +
  'BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM CAST PRELU MAXIMUM ' +
  'ARG_MAX MINIMUM LESS NEG PADV2 GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE SIN TRANSPOSE_CONV SPARSE_TO_DENSE ' +
  'TILE EXPAND_DIMS EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ARG_MIN FAKE_QUANT REDUCE_PROD REDUCE_MAX PACK ' +
  'LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK REDUCE_MIN FLOOR_DIV REDUCE_ANY SQUARE ZEROS_LIKE FILL FLOOR_MOD ' +
  'RANGE RESIZE_NEAREST_NEIGHBOR LEAKY_RELU SQUARED_DIFFERENCE MIRROR_PAD ABS SPLIT_V UNIQUE CEIL REVERSE_V2 ADD_N ' +
  'GATHER_ND COS WHERE RANK ELU REVERSE_SEQUENCE MATRIX_DIAG QUANTIZE MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE ' +
  'NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND SELECT_V2 DENSIFY SEGMENT_SUM BATCH_MATMUL'
).split(' ');

export function builtinName(code: number): string {
  return builtinNames[code] ?? `BUILTIN_${code}`;
}

export interface TensorQuant {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface TensorInfo {
  index: number;
  name: string;
  type: string;
  shape: number[];
  bytes: number;
  buffer: number;
  isConstant: boolean;
  isVariable: boolean;
  quantization: TensorQuant | null;
}

export type OpOptions = Record<string, number | string | boolean | number[]>;

export interface OpInfo {
  index: number;
  op: string;
  builtinCode: number;
  customCode?: string;
  inputs: number[];
  outputs: number[];
  options: OpOptions;
}

export interface ModelInfo {
  version: number;
  tensors: TensorInfo[];
  ops: OpInfo[];
  inputs: number[];
  outputs: number[];
}

class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  check(pos: number, len: number): void {
    if (pos < 0 || len < 0 || pos + len > this.bytes.length)
      throw new XsinferError('BAD_ARGUMENT', 'malformed .tflite: offset out of bounds');
  }
  u8(p: number): number {
    this.check(p, 1);
    return this.view.getUint8(p);
  }
  i8(p: number): number {
    this.check(p, 1);
    return this.view.getInt8(p);
  }
  u16(p: number): number {
    this.check(p, 2);
    return this.view.getUint16(p, true);
  }
  i32(p: number): number {
    this.check(p, 4);
    return this.view.getInt32(p, true);
  }
  u32(p: number): number {
    this.check(p, 4);
    return this.view.getUint32(p, true);
  }
  f32(p: number): number {
    this.check(p, 4);
    return this.view.getFloat32(p, true);
  }
  i64(p: number): number {
    this.check(p, 8);
    return Number(this.view.getBigInt64(p, true));
  }
  u64(p: number): number {
    this.check(p, 8);
    return Number(this.view.getBigUint64(p, true));
  }
}

class Table {
  private readonly vt: number;
  private readonly vtLen: number;
  constructor(
    readonly r: Reader,
    readonly pos: number,
  ) {
    this.vt = pos - r.i32(pos);
    this.vtLen = r.u16(this.vt);
  }
  off(id: number): number {
    const slot = 4 + 2 * id;
    return slot + 2 <= this.vtLen ? this.r.u16(this.vt + slot) : 0;
  }
  has(id: number): boolean {
    return this.off(id) !== 0;
  }
  /** Field `id` read at its place in the table, or `def` when the table leaves it out. */
  private scalar(id: number, def: number, read: (at: number) => number): number {
    const o = this.off(id);
    return o ? read(this.pos + o) : def;
  }
  u8(id: number, def = 0): number {
    return this.scalar(id, def, (at) => this.r.u8(at));
  }
  i8(id: number, def = 0): number {
    return this.scalar(id, def, (at) => this.r.i8(at));
  }
  i32(id: number, def = 0): number {
    return this.scalar(id, def, (at) => this.r.i32(at));
  }
  u32(id: number, def = 0): number {
    return this.scalar(id, def, (at) => this.r.u32(at));
  }
  u64(id: number, def = 0): number {
    return this.scalar(id, def, (at) => this.r.u64(at));
  }
  f32(id: number, def = 0): number {
    return this.scalar(id, def, (at) => this.r.f32(at));
  }
  private target(id: number): number | null {
    const o = this.off(id);
    if (!o) return null;
    const at = this.pos + o;
    return at + this.r.u32(at);
  }
  table(id: number): Table | null {
    const t = this.target(id);
    return t === null ? null : new Table(this.r, t);
  }
  vector(id: number, elem: number): { pos: number; len: number } {
    const t = this.target(id);
    if (t === null) return { pos: 0, len: 0 };
    const len = this.r.u32(t);
    this.r.check(t + 4, len * elem);
    return { pos: t + 4, len };
  }
  ints(id: number): number[] {
    const v = this.vector(id, 4);
    return Array.from({ length: v.len }, (_, i) => this.r.i32(v.pos + 4 * i));
  }
  floats(id: number): number[] {
    const v = this.vector(id, 4);
    return Array.from({ length: v.len }, (_, i) => this.r.f32(v.pos + 4 * i));
  }
  longs(id: number): number[] {
    const v = this.vector(id, 8);
    return Array.from({ length: v.len }, (_, i) => this.r.i64(v.pos + 8 * i));
  }
  tables(id: number): Table[] {
    const v = this.vector(id, 4);
    return Array.from({ length: v.len }, (_, i) => new Table(this.r, v.pos + 4 * i + this.r.u32(v.pos + 4 * i)));
  }
  string(id: number): string {
    const v = this.vector(id, 1);
    return Buffer.from(this.r.bytes.subarray(v.pos, v.pos + v.len)).toString('utf8');
  }
}

const padding = ['SAME', 'VALID'];
const activations = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

function decodeOptions(op: string, t: Table | null): OpOptions {
  if (!t) return {};
  const act = (id: number) => activations[t.i8(id)] ?? String(t.i8(id));
  switch (op) {
    case 'CONV_2D':
      return {
        padding: padding[t.i8(0)] ?? '?',
        strideW: t.i32(1),
        strideH: t.i32(2),
        fusedActivationFunction: act(3),
        dilationWFactor: t.i32(4, 1),
        dilationHFactor: t.i32(5, 1),
      };
    case 'DEPTHWISE_CONV_2D':
      return {
        padding: padding[t.i8(0)] ?? '?',
        strideW: t.i32(1),
        strideH: t.i32(2),
        depthMultiplier: t.i32(3),
        fusedActivationFunction: act(4),
        dilationWFactor: t.i32(5, 1),
        dilationHFactor: t.i32(6, 1),
      };
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
      return {
        padding: padding[t.i8(0)] ?? '?',
        strideW: t.i32(1),
        strideH: t.i32(2),
        filterWidth: t.i32(3),
        filterHeight: t.i32(4),
        fusedActivationFunction: act(5),
      };
    case 'FULLY_CONNECTED':
      return { fusedActivationFunction: act(0), weightsFormat: t.i8(1), keepNumDims: t.u8(2) !== 0 };
    case 'SOFTMAX':
      return { beta: t.f32(0) };
    case 'ADD':
    case 'SUB':
    case 'MUL':
    case 'DIV':
      return { fusedActivationFunction: act(0) };
    case 'CONCATENATION':
      return { axis: t.i32(0), fusedActivationFunction: act(1) };
    case 'RESHAPE':
      return { newShape: t.ints(0) };
    case 'STRIDED_SLICE':
      return {
        beginMask: t.i32(0),
        endMask: t.i32(1),
        ellipsisMask: t.i32(2),
        newAxisMask: t.i32(3),
        shrinkAxisMask: t.i32(4),
      };
    default:
      return {};
  }
}

export function readModel(bytes: Uint8Array): ModelInfo {
  const r = new Reader(bytes);
  if (bytes.length < 8 || Buffer.from(bytes.subarray(4, 8)).toString('latin1') !== 'TFL3') {
    throw new XsinferError('BAD_ARGUMENT', 'not a .tflite model (file identifier TFL3 missing)');
  }
  const root = new Table(r, r.u32(0));
  const opcodes = root.tables(1).map((oc) => {
    const builtin = Math.max(oc.i8(0), oc.i32(3));
    return { builtin, custom: oc.has(1) ? oc.string(1) : undefined };
  });
  const buffers = root.tables(4).map((b) => {
    const v = b.vector(0, 1);
    return v.len > 0 ? v.len : b.u64(2);
  });
  const sg = root.tables(2)[0];
  if (!sg) throw new XsinferError('BAD_ARGUMENT', 'model has no subgraph');
  const tensors: TensorInfo[] = sg.tables(0).map((t, index) => {
    const type = tensorTypes[t.u8(1)] ?? `type${t.u8(1)}`;
    const shape = t.ints(0);
    const q = t.table(4);
    const scale = q ? q.floats(2) : [];
    const buffer = t.u32(2);
    return {
      index,
      name: t.string(3),
      type,
      shape,
      bytes: shape.reduce((a, b) => a * b, 1) * (typeSizes[type] ?? 0),
      buffer,
      isConstant: (buffers[buffer] ?? 0) > 0,
      isVariable: t.u8(5) !== 0,
      quantization: scale.length > 0 ? { scale, zeroPoint: q!.longs(3), quantizedDimension: q!.i32(6) } : null,
    };
  });
  const ops: OpInfo[] = sg.tables(3).map((o, index) => {
    const code = opcodes[o.u32(0)];
    if (!code) throw new XsinferError('BAD_ARGUMENT', `op ${index}: operator code out of range`);
    const op = builtinName(code.builtin);
    return {
      index,
      op,
      builtinCode: code.builtin,
      ...(code.custom !== undefined ? { customCode: code.custom } : {}),
      inputs: o.ints(1),
      outputs: o.ints(2),
      options: decodeOptions(op, o.table(4)),
    };
  });
  return { version: root.u32(0), tensors, ops, inputs: sg.ints(1), outputs: sg.ints(2) };
}

export function typeSize(type: string): number {
  return typeSizes[type] ?? 0;
}

/** MACs by the testdata convention (README): CONV = out elems × kh × kw × in_ch,
 * DEPTHWISE = out elems × kh × kw, FULLY_CONNECTED = out elems × in features. */
export function opMacs(model: ModelInfo, op: OpInfo): { macs: number; biasAdds: number } {
  const out = model.tensors[op.outputs[0]!];
  const filter = op.inputs[1] !== undefined && op.inputs[1] >= 0 ? model.tensors[op.inputs[1]] : undefined;
  const hasBias = op.inputs[2] !== undefined && op.inputs[2] >= 0;
  if (!out || !filter) return { macs: 0, biasAdds: 0 };
  const outElems = out.shape.reduce((a, b) => a * b, 1);
  let macs = 0;
  if (op.op === 'CONV_2D') macs = outElems * filter.shape[1]! * filter.shape[2]! * filter.shape[3]!;
  else if (op.op === 'DEPTHWISE_CONV_2D') macs = outElems * filter.shape[1]! * filter.shape[2]!;
  else if (op.op === 'FULLY_CONNECTED') macs = outElems * filter.shape[filter.shape.length - 1]!;
  else return { macs: 0, biasAdds: 0 };
  return { macs, biasAdds: hasBias ? outElems : 0 };
}

/** Byte positions of each operator code's builtin fields (deprecated_builtin_code int8,
 * builtin_code int32), null when a field is absent; used by tests to forge models. */
export function opcodeFieldPositions(bytes: Uint8Array): { deprecated: number | null; builtin: number | null }[] {
  const r = new Reader(bytes);
  const root = new Table(r, r.u32(0));
  return root.tables(1).map((oc) => ({
    deprecated: oc.off(0) ? oc.pos + oc.off(0) : null,
    builtin: oc.off(3) ? oc.pos + oc.off(3) : null,
  }));
}
