// A small .tflite writer for the conv/pool kernel tests: one subgraph, one operator, tensors
// with quantization parameters (per-tensor or per-channel). Children are written after their
// parents so every FlatBuffer offset is positive; constant buffers start 16-byte aligned.

export type TensorType = 'float32' | 'int32' | 'int16' | 'int8';

const typeCode: Record<TensorType, number> = { float32: 0, int32: 2, int16: 7, int8: 9 };

export interface Quant {
  scale: number[];
  zeroPoint: number[];
  /** quantized_dimension (per-channel axis); 0 when absent. */
  dim?: number;
}

export interface Tensor {
  type: TensorType;
  shape: number[];
  /** Constant data (little endian); absent = runtime tensor. */
  data?: Uint8Array;
  quant?: Quant;
}

export type OptionField = [id: number, kind: 'i8' | 'i32', value: number];

export interface OneOpModel {
  builtin: number;
  /** BuiltinOptions union type (1 Conv2DOptions, 2 DepthwiseConv2DOptions, 5 Pool2DOptions). */
  optionsType: number;
  options: OptionField[];
  tensors: Tensor[];
  opInputs: number[];
  opOutputs: number[];
  /** Subgraph inputs/outputs (runtime tensors). */
  inputs: number[];
  outputs: number[];
}

type Scalar = { id: number; kind: 'i8' | 'u8' | 'i32' | 'u32' | 'f32'; value: number };
type Ref = { id: number; kind: 'ref'; node: Node };
type Field = Scalar | Ref;
type Node =
  | { t: 'table'; fields: Field[] }
  | { t: 'vec32'; values: number[]; float?: boolean }
  | { t: 'vec64'; values: bigint[] }
  | { t: 'bytes'; values: Uint8Array }
  | { t: 'string'; value: string }
  | { t: 'tables'; values: Node[] };

const table = (...fields: Field[]): Node => ({ t: 'table', fields });
const ref = (id: number, node: Node): Ref => ({ id, kind: 'ref', node });
const size = (k: Field['kind']) => (k === 'i8' || k === 'u8' ? 1 : 4);

class Out {
  b: number[] = [];
  get pos(): number {
    return this.b.length;
  }
  pad(align: number, after = 0): void {
    while ((this.pos + after) % align !== 0) this.b.push(0);
  }
  bytes(v: Uint8Array): void {
    v.forEach((x) => this.b.push(x));
  }
  u16(v: number): void {
    this.b.push(v & 0xff, (v >> 8) & 0xff);
  }
  u32(v: number): void {
    const d = new DataView(new ArrayBuffer(4));
    d.setUint32(0, v >>> 0, true);
    this.bytes(new Uint8Array(d.buffer));
  }
  set32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.b[at + i] = (v >>> (8 * i)) & 0xff;
  }
}

function write(o: Out, n: Node): number {
  switch (n.t) {
    case 'string': {
      o.pad(4);
      const at = o.pos;
      const s = new TextEncoder().encode(n.value);
      o.u32(s.length);
      o.bytes(s);
      o.b.push(0);
      return at;
    }
    case 'vec32': {
      o.pad(4);
      const at = o.pos;
      o.u32(n.values.length);
      const d = new DataView(new ArrayBuffer(4 * n.values.length));
      n.values.forEach((v, i) => (n.float ? d.setFloat32(4 * i, v, true) : d.setUint32(4 * i, v >>> 0, true)));
      o.bytes(new Uint8Array(d.buffer));
      return at;
    }
    case 'vec64': {
      o.pad(8, 4); // elements 8-byte aligned after the length
      const at = o.pos;
      o.u32(n.values.length);
      const d = new DataView(new ArrayBuffer(8 * n.values.length));
      n.values.forEach((v, i) => d.setBigInt64(8 * i, v, true));
      o.bytes(new Uint8Array(d.buffer));
      return at;
    }
    case 'bytes': {
      o.pad(16, 4);
      const at = o.pos;
      o.u32(n.values.length);
      o.bytes(n.values);
      return at;
    }
    case 'tables': {
      o.pad(4);
      const at = o.pos;
      o.u32(n.values.length);
      const slots = n.values.map(() => {
        const s = o.pos;
        o.u32(0);
        return s;
      });
      n.values.forEach((child, i) => o.set32(slots[i], write(o, child) - slots[i]));
      return at;
    }
    case 'table': {
      const fields = [...n.fields].sort((a, b) => size(b.kind) - size(a.kind));
      const maxId = n.fields.reduce((m, f) => Math.max(m, f.id), -1);
      const offsets = new Map<number, number>();
      let len = 4;
      for (const f of fields) {
        offsets.set(f.id, len);
        len += size(f.kind);
      }
      o.pad(2);
      const vtable = o.pos;
      o.u16(4 + 2 * (maxId + 1));
      o.u16(len);
      for (let id = 0; id <= maxId; id++) o.u16(offsets.get(id) ?? 0);
      o.pad(4);
      const at = o.pos;
      o.u32(at - vtable);
      const refs: [number, Node][] = [];
      for (const f of fields) {
        if (f.kind === 'ref') {
          refs.push([o.pos, f.node]);
          o.u32(0);
        } else if (f.kind === 'f32') {
          const d = new DataView(new ArrayBuffer(4));
          d.setFloat32(0, f.value, true);
          o.bytes(new Uint8Array(d.buffer));
        } else if (f.kind === 'i32' || f.kind === 'u32') {
          o.u32(f.value);
        } else {
          o.b.push(f.value & 0xff);
        }
      }
      for (const [slot, child] of refs) o.set32(slot, write(o, child) - slot);
      return at;
    }
  }
}

export function buildOneOpModel(m: OneOpModel): Uint8Array {
  const buffers: Node[] = [table()];
  const tensors = m.tensors.map((t, i) => {
    let buffer = 0;
    if (t.data) {
      buffers.push(table(ref(0, { t: 'bytes', values: t.data })));
      buffer = buffers.length - 1;
    }
    const fields: Field[] = [
      ref(0, { t: 'vec32', values: t.shape }),
      { id: 1, kind: 'i8', value: typeCode[t.type] },
      { id: 2, kind: 'u32', value: buffer },
      ref(3, { t: 'string', value: `t${i}` }),
    ];
    if (t.quant) {
      fields.push(
        ref(
          4,
          table(
            ref(2, { t: 'vec32', values: t.quant.scale, float: true }),
            ref(3, { t: 'vec64', values: t.quant.zeroPoint.map((z) => BigInt(z)) }),
            { id: 6, kind: 'i32', value: t.quant.dim ?? 0 },
          ),
        ),
      );
    }
    return table(...fields);
  });
  const op = table(
    { id: 0, kind: 'u32', value: 0 },
    ref(1, { t: 'vec32', values: m.opInputs }),
    ref(2, { t: 'vec32', values: m.opOutputs }),
    { id: 3, kind: 'u8', value: m.optionsType },
    ref(4, table(...m.options.map(([id, kind, value]) => ({ id, kind, value }) as Scalar))),
  );
  const model = table(
    { id: 0, kind: 'u32', value: 3 },
    ref(1, {
      t: 'tables',
      values: [
        table(
          { id: 0, kind: 'i8', value: m.builtin },
          { id: 2, kind: 'i32', value: 1 },
          { id: 3, kind: 'i32', value: m.builtin },
        ),
      ],
    }),
    ref(2, {
      t: 'tables',
      values: [
        table(
          ref(0, { t: 'tables', values: tensors }),
          ref(1, { t: 'vec32', values: m.inputs }),
          ref(2, { t: 'vec32', values: m.outputs }),
          ref(3, { t: 'tables', values: [op] }),
        ),
      ],
    }),
    ref(4, { t: 'tables', values: buffers }),
  );
  const o = new Out();
  o.u32(0);
  o.bytes(new TextEncoder().encode('TFL3'));
  o.set32(0, write(o, model));
  o.pad(16);
  return Uint8Array.from(o.b);
}

export const int8Bytes = (v: number[]) => new Uint8Array(Int8Array.from(v).buffer);
export const int32Bytes = (v: number[]) => new Uint8Array(Int32Array.from(v).buffer);
export const float32Bytes = (v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
