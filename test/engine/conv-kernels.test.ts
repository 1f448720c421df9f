// Reference CONV_2D / DEPTHWISE_CONV_2D / MAX_POOL_2D / AVERAGE_POOL_2D: the loops against a
// naive transcription of TFLM's reference semantics on random shapes, synthetic models
// through the real engine, hand-computed cases of the rounding and padding rules, prepare's
// refusals, and every golden case that exercises these ops (host and QEMU).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { verify } from '../../host/engine/verify.ts';
import { repoRoot } from '../../host/paths.ts';
import {
  AVERAGE_POOL_2D,
  CONV_2D,
  DEPTHWISE_CONV_2D,
  MAX_POOL_2D,
  NONE,
  RELU,
  RELU6,
  RELU_N1_TO_1,
  SAME,
  TANH,
  VALID,
  buildOneOpModel,
  convOptions,
  float32Bytes,
  int32Bytes,
  int8Bytes,
  poolOptions,
  type Quant,
  type TensorSpec,
  type TensorType,
} from './tflite-builder.ts';
import { compileSanitized, engineSources } from './signal-harness.ts';

const engineDir = path.join(repoRoot, 'native', 'engine');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-conv-'));
const harness = path.join(workDir, 'conv-harness');

beforeAll(() => {
  compileSanitized(
    [
      ...engineSources(),
      path.join(repoRoot, 'test', 'engine', 'conv-harness.c'),
      path.join(repoRoot, 'test', 'engine', 'harness_io.c'),
    ],
    [path.join(engineDir, 'include'), path.join(engineDir, 'src'), path.join(engineDir, 'kernels', 'reference')],
    harness,
  );
}, 300_000);

function run(args: string[], input = ''): { status: number | null; out: string } {
  const r = spawnSync(harness, args, { input, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0 && r.status !== 3 && r.status !== 1) {
    throw new Error(`conv-harness ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr.slice(-3000)}`);
  }
  return { status: r.status, out: r.stdout };
}

// ---- synthetic one-op models ----

interface ConvSpec {
  kind: 'conv' | 'dw';
  type: TensorType; // activation type; int8 uses int8 filter + int32 bias
  input: number[]; // NHWC
  filter: number[]; // conv [oc, fh, fw, ic/groups]; dw [1, fh, fw, oc]
  output: number[];
  padding: number;
  stride: [number, number];
  dilation: [number, number];
  depthMultiplier?: number;
  activation: number;
  bias: boolean;
  perChannel: boolean;
  filterValues?: number[];
  biasValues?: number[];
  inQ?: Quant;
  outQ?: Quant;
  filterScales?: number[];
  filterQuantDim?: number;
}

let rngState = 20260101;
function rnd(lo: number, hi: number): number {
  rngState = (Math.imul(rngState, 1664525) + 1013904223) >>> 0;
  return lo + ((rngState >>> 8) % (hi - lo + 1));
}
const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function convModel(s: ConvSpec): Uint8Array {
  const oc = s.kind === 'conv' ? s.filter[0] : s.filter[3];
  const int8 = s.type === 'int8';
  const filterValues =
    s.filterValues ?? Array.from({ length: count(s.filter) }, () => (int8 ? rnd(-127, 127) : rnd(-100, 100) / 40));
  const scales = s.filterScales ?? (s.perChannel ? Array.from({ length: oc }, () => rnd(2, 20) / 1000) : [0.011]);
  const inQ = s.inQ ?? { scale: [0.05], zeroPoint: [-7] };
  const outQ = s.outQ ?? { scale: [0.2], zeroPoint: [3] };
  const tensors: TensorSpec[] = [
    { type: s.type, shape: s.input, quant: int8 ? inQ : undefined },
    {
      type: int8 ? 'int8' : 'float32',
      shape: s.filter,
      data: int8 ? int8Bytes(filterValues) : float32Bytes(filterValues),
      quant: int8
        ? { scale: scales, zeroPoint: scales.map(() => 0), dim: s.filterQuantDim ?? (s.kind === 'conv' ? 0 : 3) }
        : undefined,
    },
  ];
  const opInputs = [0, 1];
  if (s.bias) {
    const biasValues = s.biasValues ?? Array.from({ length: oc }, () => (int8 ? rnd(-3000, 3000) : rnd(-50, 50) / 10));
    tensors.push({
      type: int8 ? 'int32' : 'float32',
      shape: [oc],
      data: int8 ? int32Bytes(biasValues) : float32Bytes(biasValues),
    });
    opInputs.push(2);
  }
  tensors.push({ type: s.type, shape: s.output, quant: int8 ? outQ : undefined });
  const out = tensors.length - 1;
  return buildOneOpModel({
    builtin: s.kind === 'conv' ? CONV_2D : DEPTHWISE_CONV_2D,
    optionsType: s.kind === 'conv' ? 1 : 2,
    options: convOptions(s.kind === 'dw', s),
    tensors,
    opInputs,
    opOutputs: [out],
    inputs: [0],
    outputs: [out],
  });
}

interface PoolSpec {
  op: 'max' | 'avg';
  type: TensorType;
  input: number[];
  output: number[];
  filter: [number, number];
  stride: [number, number];
  padding: number;
  activation: number;
  inQ?: Quant;
  outQ?: Quant;
}

function poolModel(s: PoolSpec): Uint8Array {
  const q = s.type === 'int8' ? (s.inQ ?? { scale: [0.05], zeroPoint: [-20] }) : undefined;
  const oq = s.type === 'int8' ? (s.outQ ?? q) : undefined;
  return buildOneOpModel({
    builtin: s.op === 'max' ? MAX_POOL_2D : AVERAGE_POOL_2D,
    optionsType: 5,
    options: poolOptions(s),
    tensors: [
      { type: s.type, shape: s.input, quant: q },
      { type: s.type, shape: s.output, quant: oq },
    ],
    opInputs: [0],
    opOutputs: [1],
    inputs: [0],
    outputs: [1],
  });
}

let modelCounter = 0;
function save(model: Uint8Array): string {
  const file = path.join(workDir, `m${modelCounter++}.tflite`);
  fs.writeFileSync(file, model);
  return file;
}

/** Engine vs oracle on random inputs: returns [cases, fails]. */
function check(
  model: Uint8Array,
  kind: number,
  o: {
    padding: number;
    stride: [number, number];
    dilation?: [number, number];
    dm?: number;
    filter: [number, number];
    activation: number;
    bias: number;
  },
): [number, number] {
  const r = run([
    'check',
    save(model),
    String(kind),
    String(o.padding),
    String(o.stride[0]),
    String(o.stride[1]),
    String(o.dilation?.[0] ?? 1),
    String(o.dilation?.[1] ?? 1),
    String(o.dm ?? 1),
    String(o.filter[0]),
    String(o.filter[1]),
    String(o.activation),
    String(o.bias),
    '8',
    '99',
  ]);
  const m = /CHECK (\d+) (\d+)/.exec(r.out);
  if (!m) throw new Error(`no CHECK line:\n${r.out}`);
  return [Number(m[1]), Number(m[2])];
}

function exec(model: Uint8Array, input: number[]): { ok: true; out: number[] } | { ok: false; error: string } {
  const r = run(['exec', save(model)], input.join(' '));
  const err = /^ERROR (.*)$/m.exec(r.out);
  if (err) return { ok: false, error: err[1] };
  const out = /^OUT(.*)$/m.exec(r.out);
  if (!out) throw new Error(`no OUT line:\n${r.out}`);
  return { ok: true, out: out[1].trim().split(/\s+/).map(Number) };
}

function expectError(model: Uint8Array, input: number[], pattern: RegExp): void {
  const r = exec(model, input);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatch(pattern);
}

describe('reference conv/pool loops', () => {
  it('equal a naive transcription of the TFLM reference loops on random shapes (int8 and float32)', () => {
    const r = run(['random', '3000', '7']);
    const m = /RANDOM (\d+) (\d+)/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(2000); // strides/dilations/padding/groups/multipliers/activations
    expect(Number(m![2]), r.out).toBe(0);
  }, 120_000);
});

/** A conv spec with the common defaults: VALID, stride and dilation 1, no activation, no bias, one filter scale. */
function convSpec(
  kind: ConvSpec['kind'],
  type: TensorType,
  input: number[],
  filter: number[],
  output: number[],
  o: Partial<ConvSpec> = {},
): ConvSpec {
  const defaults: Pick<ConvSpec, 'padding' | 'stride' | 'dilation' | 'activation' | 'bias' | 'perChannel'> = {
    padding: VALID,
    stride: [1, 1],
    dilation: [1, 1],
    activation: NONE,
    bias: false,
    perChannel: false,
  };
  return { kind, type, input, filter, output, ...defaults, ...o };
}

function poolSpec(
  op: PoolSpec['op'],
  type: TensorType,
  input: number[],
  output: number[],
  filter: [number, number],
  stride: [number, number],
  o: Partial<PoolSpec> = {},
): PoolSpec {
  return { op, type, input, output, filter, stride, padding: VALID, activation: NONE, ...o };
}

/** The engine vs the oracle on a conv or pool spec; the harness's options come from the spec. */
function checkSpec(s: ConvSpec | PoolSpec): [number, number] {
  if ('op' in s) {
    const o = { padding: s.padding, stride: s.stride, filter: s.filter, activation: s.activation, bias: -1 };
    return check(poolModel(s), s.op === 'max' ? 2 : 3, o);
  }
  return check(convModel(s), s.kind === 'conv' ? 0 : 1, {
    padding: s.padding,
    stride: s.stride,
    dilation: s.dilation,
    dm: s.depthMultiplier,
    filter: [s.filter[1], s.filter[2]],
    activation: s.activation,
    bias: s.bias ? 2 : -1,
  });
}

const perChannelBias = { bias: true, perChannel: true };
const syntheticCases: [string, ConvSpec | PoolSpec][] = [
  [
    'CONV_2D int8: per-channel, SAME, stride 2, RELU6, bias',
    convSpec('conv', 'int8', [1, 7, 6, 3], [5, 3, 3, 3], [1, 4, 3, 5], {
      padding: SAME,
      stride: [2, 2],
      activation: RELU6,
      ...perChannelBias,
    }),
  ],
  [
    'CONV_2D int8: per-tensor filter scale broadcast, no bias, VALID, dilation 2, RELU_N1_TO_1',
    convSpec('conv', 'int8', [2, 8, 7, 4], [3, 2, 3, 4], [2, 6, 3, 3], {
      dilation: [2, 2],
      activation: RELU_N1_TO_1,
      outQ: { scale: [0.01], zeroPoint: [-5] },
    }),
  ],
  [
    'CONV_2D int8: grouped (4 input channels, 2 groups), strides 1x3, RELU',
    convSpec('conv', 'int8', [1, 5, 9, 4], [6, 2, 2, 2], [1, 5, 3, 6], {
      padding: SAME,
      stride: [1, 3],
      activation: RELU,
      ...perChannelBias,
    }),
  ],
  [
    'CONV_2D float32: no bias, SAME with odd total padding, RELU_N1_TO_1',
    convSpec('conv', 'float32', [1, 6, 6, 2], [3, 4, 4, 2], [1, 3, 3, 3], {
      padding: SAME,
      stride: [2, 2],
      activation: RELU_N1_TO_1,
    }),
  ],
  [
    'DEPTHWISE_CONV_2D int8: multiplier 3 on 2 channels, per-tensor, stride 2, dilation 2, RELU',
    convSpec('dw', 'int8', [1, 9, 8, 2], [1, 3, 3, 6], [1, 5, 4, 6], {
      padding: SAME,
      stride: [2, 2],
      dilation: [2, 2],
      depthMultiplier: 3,
      activation: RELU,
      bias: true,
    }),
  ],
  [
    'DEPTHWISE_CONV_2D int8: micro_speech shape (1 channel, multiplier 8, 10x8 filter), per-channel',
    convSpec('dw', 'int8', [1, 49, 40, 1], [1, 10, 8, 8], [1, 25, 20, 8], {
      padding: SAME,
      stride: [2, 2],
      depthMultiplier: 8,
      activation: RELU,
      ...perChannelBias,
    }),
  ],
  [
    'DEPTHWISE_CONV_2D float32: multiplier 2, no bias, VALID, RELU6',
    convSpec('dw', 'float32', [1, 7, 7, 3], [1, 2, 3, 6], [1, 6, 5, 6], { depthMultiplier: 2, activation: RELU6 }),
  ],
  [
    'MAX_POOL_2D int8, SAME, RELU6',
    poolSpec('max', 'int8', [1, 7, 5, 3], [1, 4, 3, 3], [3, 2], [2, 2], { padding: SAME, activation: RELU6 }),
  ],
  [
    'AVERAGE_POOL_2D int8, VALID, RELU_N1_TO_1',
    poolSpec('avg', 'int8', [2, 6, 7, 2], [2, 2, 3, 2], [3, 3], [3, 2], {
      activation: RELU_N1_TO_1,
      inQ: { scale: [0.01], zeroPoint: [4] },
    }),
  ],
  [
    'AVERAGE_POOL_2D int8, SAME',
    poolSpec('avg', 'int8', [1, 5, 5, 4], [1, 5, 5, 4], [4, 4], [1, 1], { padding: SAME }),
  ],
  [
    'MAX_POOL_2D float32, SAME, RELU',
    poolSpec('max', 'float32', [1, 6, 6, 2], [1, 3, 3, 2], [3, 3], [2, 2], { padding: SAME, activation: RELU }),
  ],
  [
    'AVERAGE_POOL_2D float32, SAME, RELU6',
    poolSpec('avg', 'float32', [1, 6, 5, 3], [1, 6, 5, 3], [3, 2], [1, 1], { padding: SAME, activation: RELU6 }),
  ],
];

describe('synthetic models through the engine (create, allocate, invoke) vs the oracle', () => {
  it.each(syntheticCases)('%s', (_name, spec) => {
    expect(checkSpec(spec)).toEqual([8, 0]);
  });
});

describe('hand-computed semantics', () => {
  const q1 = { scale: [1], zeroPoint: [0] };
  const cases: [string, Uint8Array, number[], number[]][] = [
    // pairs (-3,0) (3,0) (-1,-1) (1,0): -1.5 → -2, 1.5 → 2, -1 → -1, 0.5 → 1
    [
      'AVERAGE_POOL_2D int8 rounds half away from zero: (sum ± count/2) / count',
      poolModel(poolSpec('avg', 'int8', [1, 1, 8, 1], [1, 1, 4, 1], [1, 2], [1, 2], { inQ: q1 })),
      [-3, 0, 3, 0, -1, -1, 1, 0],
      [-2, 2, -1, 1],
    ],
    // corners: 4 taps, edges: 6, centre: 9 — 12/4, 21/6=3.5, 16/4, 27/6=4.5, 45/9, 33/6=5.5, 24/4, 39/6=6.5, 28/4
    [
      'AVERAGE_POOL_2D divides by the in-image taps only (SAME 3x3 on 3x3)',
      poolModel(poolSpec('avg', 'int8', [1, 3, 3, 1], [1, 3, 3, 1], [3, 3], [1, 1], { padding: SAME, inQ: q1 })),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
      [3, 4, 4, 5, 5, 6, 6, 7, 7],
    ],
    [
      'MAX_POOL_2D never takes a padded position (all-negative input stays negative)',
      poolModel(poolSpec('max', 'int8', [1, 3, 3, 1], [1, 2, 2, 1], [3, 3], [2, 2], { padding: SAME, inQ: q1 })),
      [-9, -8, -7, -6, -5, -4, -3, -2, -100],
      [-5, -4, -2, -2],
    ],
    // values v = 1..9 stored as v + 1; filter of ones with scale 1: outputs are window sums − 10
    [
      'CONV_2D int8 padding contributes real zero, not the zero point (input zp 1, output zp -10)',
      convModel(
        convSpec('conv', 'int8', [1, 3, 3, 1], [1, 3, 3, 1], [1, 3, 3, 1], {
          padding: SAME,
          filterValues: Array(9).fill(1),
          filterScales: [1],
          inQ: { scale: [1], zeroPoint: [1] },
          outQ: { scale: [1], zeroPoint: [-10] },
        }),
      ),
      [2, 3, 4, 5, 6, 7, 8, 9, 10],
      [2, 11, 6, 17, 35, 23, 14, 29, 18],
    ],
    // scale 0.1, zp -20: RELU6 range [-20, 40]; filter 1 with scale 0.1 on input scale 1 → out = in
    [
      'CONV_2D int8 RELU6 clamps at the quantized 6.0 and the zero point',
      convModel(
        convSpec('conv', 'int8', [1, 1, 4, 1], [1, 1, 1, 1], [1, 1, 4, 1], {
          activation: RELU6,
          bias: true,
          biasValues: [0],
          filterValues: [1],
          filterScales: [0.1],
          inQ: q1,
          outQ: { scale: [0.1], zeroPoint: [-20] },
        }),
      ),
      [-50, -3, 5, 100],
      [-20, -20, -15, 40],
    ],
  ];
  it.each(cases)('%s', (_name, model, input, out) => {
    expect(exec(model, input)).toEqual({ ok: true, out });
  });
});

describe('prepare refuses what TFLM would miscompute or reject', () => {
  const base = convSpec('conv', 'int8', [1, 5, 5, 2], [4, 3, 3, 2], [1, 3, 3, 4], perChannelBias);
  const zeros = (n: number) => Array(n).fill(0);

  it('accepts the base model', () => {
    expect(exec(convModel(base), zeros(50)).ok).toBe(true);
  });
  const refusals: [string, Partial<ConvSpec>, RegExp][] = [
    [
      'an output shape that is not what the op produces',
      { output: [1, 4, 3, 4] },
      /output height is 4, the op produces 3/,
    ],
    // consistent as a tensor (2 scales along dim 3, which has 2 entries) but not for a conv
    [
      'per-channel scales along an axis other than the output channels',
      { filterScales: [0.01, 0.02], filterQuantDim: 3 },
      /filter has 2 scales along dim 3, expected 4 along dim 0/,
    ],
    ['a fused TANH', { activation: TANH }, /fused activation 4 not supported/],
    ['stride 0', { stride: [0, 1] }, /stride 0/],
    [
      'int16 activations (16x8 is not implemented)',
      { type: 'int16', inQ: { scale: [0.01], zeroPoint: [0] }, outQ: { scale: [0.01], zeroPoint: [0] } },
      /int8|int16|type/i,
    ],
  ];
  it.each(refusals)('%s', (_name, change, pattern) => {
    expectError(convModel({ ...base, ...change }), zeros(50), pattern);
  });
  it('a depth multiplier that does not give the output channels', () => {
    const dw = convSpec('dw', 'int8', [1, 4, 4, 2], [1, 3, 3, 4], [1, 2, 2, 4], {
      depthMultiplier: 3,
      ...perChannelBias,
    });
    expectError(convModel(dw), zeros(32), /output channels 4 != input channels 2 x multiplier 3/);
    expect(exec(convModel({ ...dw, depthMultiplier: 2 }), zeros(32)).ok).toBe(true);
  });
  it('AVERAGE_POOL_2D int8 with output quantization different from the input', () => {
    const s = poolSpec('avg', 'int8', [1, 4, 4, 1], [1, 2, 2, 1], [2, 2], [2, 2], {
      inQ: { scale: [0.05], zeroPoint: [0] },
    });
    expectError(poolModel({ ...s, outQ: { scale: [0.06], zeroPoint: [0] } }), zeros(16), /quantization must be equal/);
    expectError(poolModel({ ...s, outQ: { scale: [0.05], zeroPoint: [1] } }), zeros(16), /quantization must be equal/);
  });
});

const ownOps = /^(conv|dwconv|maxpool|avgpool)_/;

describe('hostile models', () => {
  it('every single-byte corruption of the conv/pool op models is refused or runs cleanly (ASan + UBSan)', () => {
    const dir = path.join(dataDir(), 'ops', 'models');
    const models = fs.readdirSync(dir).filter((f) => ownOps.test(f));
    expect(models.length).toBe(21);
    let accepted = 0,
      rejected = 0;
    for (const f of models) {
      const r = run(['mutate', path.join(dir, f)]);
      const m = /MUTATE (\d+) (\d+) (\d+)/.exec(r.out);
      expect(m, `${f}: ${r.out}`).not.toBeNull();
      expect(r.status, f).toBe(0);
      accepted += Number(m![2]);
      rejected += Number(m![3]);
    }
    // both paths are exercised: corrupted data still runs, corrupted structure is refused
    expect(accepted).toBeGreaterThan(10_000);
    expect(rejected).toBeGreaterThan(10_000);
  }, 300_000);
});
const goldenModels = () => [
  'mnist_int8',
  'micro_speech_quantized',
  'person_detect',
  ...fs
    .readdirSync(path.join(dataDir(), 'ops', 'golden'))
    .filter((f) => ownOps.test(f))
    .map((f) => f.replace(/\.json$/, '')),
];

describe.each(['host', 'mps2-an500'] as const)('golden cases with conv/pool ops on %s', (target) => {
  it('match TFLM byte for byte (float32 within 1e-5), per-op outputs included', async () => {
    const models = goldenModels();
    const r = await verify({ target, kernels: 'reference', dataDir: dataDir(), models });
    expect(r.skipped).toEqual([]);
    expect(r.models.map((m) => m.model.replace(/\.tflite$/, '')).sort()).toEqual([...models].sort());
    for (const m of r.models) {
      expect(m.firstMismatch, m.model).toBeNull();
      expect(m.passed, m.model).toBe(m.cases);
    }
    // 100 mnist + 4 micro_speech + 6 person_detect + 264 single-op cases; 5 + 4 + 31 per-op outputs
    expect(r.totals).toMatchObject({ cases: 374, passed: 374, failed: 0, perOpPassed: 40, perOpFailed: 0 });
  }, 600_000);
});
