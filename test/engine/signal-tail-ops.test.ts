// Unit tests of the documented TFLM semantics of the builtin ops the audio front end needs
// beyond what its golden graph exercises: CAST, STRIDED_SLICE, CONCATENATION, DIV,
// MINIMUM and MAXIMUM, each as a one-op model through the engine's real model reader.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, encode, type ModelSpec, type TensorType } from './tflite-builder.ts';
import { harnessPath, spawnHarness } from './signal-harness.ts';

const OP = { CONCATENATION: 2, DIV: 42, STRIDED_SLICE: 45, CAST: 53, MAXIMUM: 55, MINIMUM: 57 };
const OPT = { CONCAT: 10, DIV: 29, STRIDED_SLICE: 32 };
const ACT = { NONE: 0, RELU: 1, RELU6: 3 };

let tmp = '';
beforeAll(() => {
  harnessPath();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-tail-ops-'));
}, 300_000);

interface Outcome {
  ok: boolean;
  outputs: { type: string; values: number[] }[];
  error: string;
}

let modelCount = 0;
function run(spec: ModelSpec, inputs: number[][]): Outcome {
  const file = path.join(tmp, `m${modelCount++}.tflite`);
  fs.writeFileSync(file, buildModel(spec));
  const r = spawnHarness(['exec', file], inputs.map((v) => v.join(' ')).join('\n'));
  if (r.status === 3) return { ok: false, outputs: [], error: r.stdout.trim() };
  if (r.status !== 0) throw new Error(`harness exited ${r.status}: ${r.stdout}\n${r.stderr}`);
  const outputs = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('OUT '))
    .map((l) => {
      const f = l.split(' ');
      const type = f[2].toLowerCase();
      // floats are printed with 9 significant digits: exact once rounded back to float32
      const values = f.slice(3).map((v) => (type === 'float32' ? Math.fround(Number(v)) : Number(v)));
      return { type, values };
    });
  return { ok: true, outputs, error: '' };
}

/** One op with runtime inputs `ins` (type, shape) and constants `consts`, output `out`. */
function unary(builtin: number, inType: TensorType, outType: TensorType, shape: number[]): ModelSpec {
  return {
    tensors: [
      { type: inType, shape },
      { type: outType, shape },
    ],
    inputs: [0],
    outputs: [1],
    op: { builtin, inputs: [0], outputs: [1] },
  };
}

function binary(
  builtin: number,
  type: TensorType,
  a: number[],
  b: number[],
  out: number[],
  options?: ModelSpec['op']['options'],
): ModelSpec {
  return {
    tensors: [
      { type, shape: a },
      { type, shape: b },
      { type, shape: out },
    ],
    inputs: [0, 1],
    outputs: [2],
    op: { builtin, inputs: [0, 1], outputs: [2], options },
  };
}

const wrap = (v: number, bits: number, signed: boolean) => {
  const m = 2 ** bits;
  let x = ((Math.trunc(v) % m) + m) % m;
  if (signed && x >= m / 2) x -= m;
  return x;
};

describe('CAST', () => {
  const i32 = [-129, -1, 0, 127, 128, 65537, -2147483648, 2147483647];
  it('int32 to int8 / int16 / uint32 / float32 / bool with C conversion rules', () => {
    const cases: [TensorType, (v: number) => number][] = [
      ['int8', (v) => wrap(v, 8, true)],
      ['int16', (v) => wrap(v, 16, true)],
      ['uint32', (v) => wrap(v, 32, false)],
      ['uint8', (v) => wrap(v, 8, false)],
      ['float32', (v) => Math.fround(v)],
      ['bool', (v) => (v !== 0 ? 1 : 0)],
    ];
    for (const [to, f] of cases) {
      const r = run(unary(OP.CAST, 'int32', to, [i32.length]), [i32]);
      expect(r.error, to).toBe('');
      expect(r.outputs[0].values, to).toEqual(i32.map(f));
    }
  });

  it('uint32 <-> int32 keep the bits; int16 widens; uint8 to int16 zero-extends', () => {
    const u32 = [0, 1, 2147483648, 4294967295];
    expect(run(unary(OP.CAST, 'uint32', 'int32', [4]), [u32]).outputs[0].values).toEqual([0, 1, -2147483648, -1]);
    expect(run(unary(OP.CAST, 'int32', 'uint32', [4]), [[0, 1, -2147483648, -1]]).outputs[0].values).toEqual(u32);
    expect(run(unary(OP.CAST, 'uint32', 'float32', [4]), [u32]).outputs[0].values).toEqual(u32.map(Math.fround));
    const i16 = [-32768, -1, 0, 32767];
    expect(run(unary(OP.CAST, 'int16', 'int32', [4]), [i16]).outputs[0].values).toEqual(i16);
    expect(run(unary(OP.CAST, 'int16', 'float32', [4]), [i16]).outputs[0].values).toEqual(i16);
    expect(run(unary(OP.CAST, 'uint8', 'int16', [4]), [[0, 1, 128, 255]]).outputs[0].values).toEqual([0, 1, 128, 255]);
  });

  it('float32 to integers truncates toward zero', () => {
    const f = [-2.75, -0.5, 0.5, 2.75, 1000.9, -1000.9];
    expect(run(unary(OP.CAST, 'float32', 'int32', [6]), [f]).outputs[0].values).toEqual([-2, 0, 0, 2, 1000, -1000]);
    expect(run(unary(OP.CAST, 'float32', 'int16', [6]), [f]).outputs[0].values).toEqual([-2, 0, 0, 2, 1000, -1000]);
    expect(run(unary(OP.CAST, 'float32', 'bool', [6]), [f]).outputs[0].values).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('rejects a shape mismatch', () => {
    const spec = unary(OP.CAST, 'int32', 'int8', [4]);
    spec.tensors[1].shape = [5];
    expect(run(spec, [[1, 2, 3, 4]]).error).toMatch(/ERROR/);
  });
});

describe('STRIDED_SLICE', () => {
  const slice = (
    type: TensorType,
    shape: number[],
    begin: number[],
    end: number[],
    strides: number[],
    outShape: number[],
    masks: { begin?: number; end?: number; shrink?: number } = {},
  ): ModelSpec => ({
    tensors: [
      { type, shape },
      { type: 'int32', shape: [begin.length], data: encode('int32', begin) },
      { type: 'int32', shape: [end.length], data: encode('int32', end) },
      { type: 'int32', shape: [strides.length], data: encode('int32', strides) },
      { type, shape: outShape },
    ],
    inputs: [0],
    outputs: [4],
    op: {
      builtin: OP.STRIDED_SLICE,
      inputs: [0, 1, 2, 3],
      outputs: [4],
      options: {
        type: OPT.STRIDED_SLICE,
        fields: [
          [0, 'i32', masks.begin ?? 0],
          [1, 'i32', masks.end ?? 0],
          [4, 'i32', masks.shrink ?? 0],
        ],
      },
    },
  });
  const grid = Array.from({ length: 12 }, (_, i) => i); // [3, 4]

  it('negative stride and negative begin walk backwards', () => {
    const r = run(slice('int32', [3, 4], [0, -1], [3, 0], [1, -1], [3, 3]), [grid]);
    expect(r.outputs[0].values).toEqual([3, 2, 1, 7, 6, 5, 11, 10, 9]);
  });

  it('begin/end masks take the whole axis; shrink drops it', () => {
    expect(
      run(slice('int32', [3, 4], [2, 1], [0, 3], [1, 1], [3, 2], { begin: 1, end: 1 }), [grid]).outputs[0].values,
    ).toEqual([1, 2, 5, 6, 9, 10]);
    expect(run(slice('int32', [3, 4], [1, 0], [2, 4], [1, 2], [2], { shrink: 1 }), [grid]).outputs[0].values).toEqual([
      4, 6,
    ]);
  });

  it('clamps out-of-range indices and copies other element types unchanged', () => {
    expect(
      run(slice('float32', [3, 4], [-10, 2], [10, 100], [2, 1], [2, 2]), [grid.map((v) => v + 0.5)]).outputs[0].values,
    ).toEqual([2.5, 3.5, 10.5, 11.5]);
    expect(run(slice('int8', [12], [5], [9], [1], [4]), [grid.map((v) => v - 6)]).outputs[0].values).toEqual([
      -1, 0, 1, 2,
    ]);
  });

  it('rejects an output shape the slice does not produce', () => {
    expect(run(slice('int32', [3, 4], [0, 0], [3, 4], [1, 1], [3, 3]), [grid]).error).toMatch(/ERROR/);
  });
});

describe('CONCATENATION', () => {
  const concat = (type: TensorType, shapes: number[][], out: number[], axis: number): ModelSpec => ({
    tensors: [...shapes.map((shape) => ({ type, shape })), { type, shape: out }],
    inputs: shapes.map((_, i) => i),
    outputs: [shapes.length],
    op: {
      builtin: OP.CONCATENATION,
      inputs: shapes.map((_, i) => i),
      outputs: [shapes.length],
      options: {
        type: OPT.CONCAT,
        fields: [
          [0, 'i32', axis],
          [1, 'i8', ACT.NONE],
        ],
      },
    },
  });

  it('joins along an inner axis (also given as a negative axis)', () => {
    const a = [1, 2, 3, 4];
    const b = [10, 11, 12, 13, 14, 15];
    const want = [1, 2, 10, 11, 12, 3, 4, 13, 14, 15];
    const shapes = [
      [2, 2],
      [2, 3],
    ];
    for (const [type, axis] of [
      ['int32', 1],
      ['float32', -1],
      ['int8', 1],
    ] as const)
      expect(run(concat(type, shapes, [2, 5], axis), [a, b]).outputs[0].values, `${type} axis ${axis}`).toEqual(want);
  });

  it('joins three inputs along axis 0', () => {
    expect(run(concat('int16', [[1], [2], [1]], [4], 0), [[-1], [2, 3], [-4]]).outputs[0].values).toEqual([
      -1, 2, 3, -4,
    ]);
  });

  it('rejects inputs whose other dimensions differ', () => {
    expect(
      run(
        concat(
          'int32',
          [
            [2, 2],
            [3, 3],
          ],
          [2, 5],
          1,
        ),
        [
          [1, 2, 3, 4],
          [1, 2, 3, 4, 5, 6, 7, 8, 9],
        ],
      ).error,
    ).toMatch(/ERROR/);
  });
});

describe('DIV', () => {
  const div = (type: TensorType, a: number[], b: number[], out: number[], act = ACT.NONE) =>
    binary(OP.DIV, type, a, b, out, { type: OPT.DIV, fields: [[0, 'i8', act]] });

  it('int32 truncates toward zero; INT32_MIN / -1 wraps', () => {
    const r = run(div('int32', [5], [5], [5]), [
      [7, -7, 7, -7, -2147483648],
      [2, 2, -2, -2, -1],
    ]);
    expect(r.outputs[0].values).toEqual([3, -3, -3, 3, -2147483648]);
  });

  it('broadcasts a scalar and a row, with the fused activation clamp', () => {
    expect(run(div('int32', [4], [], [4]), [[163149, -333, 666, 0], [666]]).outputs[0].values).toEqual([244, 0, 1, 0]);
    expect(
      run(div('int32', [2, 3], [3], [2, 3], ACT.RELU), [
        [6, -6, 9, 12, 15, -18],
        [3, 3, 3],
      ]).outputs[0].values,
    ).toEqual([2, 0, 3, 4, 5, 0]);
    expect(
      run(div('float32', [3], [3], [3], ACT.RELU6), [
        [10, -3, 4],
        [1, 1, 2],
      ]).outputs[0].values,
    ).toEqual([6, 0, 2]);
    expect(run(div('float32', [3], [], [3]), [[1, -1, 3], [3]]).outputs[0].values).toEqual(
      [1, -1, 3].map((v) => Math.fround(Math.fround(v) / 3)),
    );
  });

  it('fails the invoke on an int32 division by zero', () => {
    expect(
      run(div('int32', [2], [2], [2]), [
        [1, 2],
        [1, 0],
      ]).error,
    ).toMatch(/ERROR.*division by zero/);
  });
});

describe('MINIMUM / MAXIMUM', () => {
  it('element-wise with broadcasting over rows, scalars and types', () => {
    const a = [1, -5, 3, 8, 0, -2];
    const b = [2, -6, 3];
    const bb = [...b, ...b];
    expect(run(binary(OP.MAXIMUM, 'int32', [2, 3], [1, 3], [2, 3]), [a, b]).outputs[0].values).toEqual(
      a.map((v, i) => Math.max(v, bb[i])),
    );
    expect(run(binary(OP.MINIMUM, 'int32', [2, 3], [3], [2, 3]), [a, b]).outputs[0].values).toEqual(
      a.map((v, i) => Math.min(v, bb[i])),
    );
    expect(run(binary(OP.MINIMUM, 'int8', [6], [], [6]), [a, [0]]).outputs[0].values).toEqual(
      a.map((v) => Math.min(v, 0)),
    );
    expect(run(binary(OP.MAXIMUM, 'float32', [], [6], [6]), [[0.5], a]).outputs[0].values).toEqual(
      a.map((v) => Math.max(v, 0.5)),
    );
    expect(run(binary(OP.MAXIMUM, 'int16', [6], [6], [6]), [a, a.map((v) => -v)]).outputs[0].values).toEqual(
      a.map((v) => Math.abs(v)),
    );
  });

  it('rejects shapes that do not broadcast', () => {
    expect(
      run(binary(OP.MAXIMUM, 'int32', [2, 3], [2], [2, 3]), [
        [1, 2, 3, 4, 5, 6],
        [1, 2],
      ]).error,
    ).toMatch(/ERROR/);
  });
});
