// A BenchResult shaped like a real mps2-an500 bench (QEMU instructions): hello_world, mnist and
// micro_speech × JS/C × reference/optimized, plus micro_speech's TS-over-native-front-end run.
// Every series is base + spread × a fixed permutation of −10..10 (21 iterations), so each
// phase's median and average are exactly its base and the expected report numbers can be
// written down by hand.
import type { BenchResult, BenchRun, Impl, KernelSet } from '../../host/bench/result.ts';
import { summarize } from '../../host/bench/stats.ts';

export const ITERATIONS = 21;
/** The loop's own cost outside the three phases (timer reads, record buffering). */
export const LOOP_REST = 12;
const permutation = [3, -7, 0, 10, -2, 5, -10, 8, -4, 1, -9, 6, -1, 9, -6, 2, -3, 7, -8, 4, -5];

interface Bases {
  populate: number;
  invoke: number;
  respond: number;
  spread: [number, number, number];
}

export function makeRun(app: string, impl: Impl, kernels: KernelSet, b: Bases, ops?: BenchRun['ops']): BenchRun {
  const series = (base: number, spread: number) => permutation.map((d) => base + spread * d);
  const populate = series(b.populate, b.spread[0]);
  const invoke = series(b.invoke, b.spread[1]);
  const respond = series(b.respond, b.spread[2]);
  const total = populate.map((p, i) => p + invoke[i] + respond[i] + LOOP_REST);
  return {
    app,
    impl,
    kernels,
    iterations: ITERATIONS,
    warmup: 3,
    correct: true,
    wrong: 0,
    phases: {
      populate: summarize(populate),
      invoke: summarize(invoke),
      respond: summarize(respond),
      total: summarize(total),
    },
    totals: total,
    txOverflow: 0,
    iterationsDevice: ITERATIONS,
    tx: { peak: 3, cap: 8 },
    io: {
      counted: ITERATIONS,
      bytes: { populate: 0, invoke: 0, respond: 0 },
      calls: { populate: 0, invoke: 0, respond: 0 },
    },
    ioFree: true,
    ...(ops ? { ops } : {}),
  };
}

/** Each app's ops in order, with their MACs. */
const appOps: Record<string, [string, number][]> = {
  hello_world: [
    ['FULLY_CONNECTED', 16],
    ['FULLY_CONNECTED', 256],
    ['FULLY_CONNECTED', 16],
  ],
  mnist: [
    ['CONV_2D', 73_008],
    ['MAX_POOL_2D', 0],
    ['RESHAPE', 0],
    ['FULLY_CONNECTED', 20_280],
    ['SOFTMAX', 0],
  ],
  micro_speech: [
    ['RESHAPE', 0],
    ['DEPTHWISE_CONV_2D', 320_000],
    ['FULLY_CONNECTED', 16_000],
    ['SOFTMAX', 0],
  ],
};

/** Per-op times of one invoke: the given times, and the last op takes the rest of the total. */
function ops(app: string, times: number[], invoke: number): BenchRun['ops'] {
  const known = times.reduce((a, t) => a + t, 0);
  return appOps[app]!.map(([op, macs], index) => ({ index, op, macs, time: times[index] ?? invoke - known }));
}

type Phases = [populate: number, invoke: number, respond: number];
/** A run: app, impl, kernels, the phases' bases and spreads, and for C runs every op's time but the last. */
type Row = [string, Impl, KernelSet, Phases, Phases, number[]?];

const rows: Row[] = [
  // hello_world: one float in, one float out; INVOKE ≈ the TFLM anchors (5,493 / 3,602).
  ['hello_world', 'js', 'reference', [1_850, 5_720, 2_140], [3, 0, 2]],
  ['hello_world', 'c', 'reference', [46, 5_420, 38], [0, 0, 0], [1_510, 3_180]],
  ['hello_world', 'js', 'optimized', [1_850, 3_860, 2_140], [3, 0, 2]],
  ['hello_world', 'c', 'optimized', [46, 3_540, 38], [0, 0, 0], [1_240, 1_700]],
  // mnist: 784 pixels quantized in POPULATE, arg-max over 10 in RESPOND.
  ['mnist', 'js', 'reference', [212_400, 4_701_300, 6_480], [40, 0, 15]],
  ['mnist', 'c', 'reference', [3_950, 4_700_900, 410], [0, 0, 1], [4_330_000, 220_100, 1_150, 143_000]],
  ['mnist', 'js', 'optimized', [212_400, 998_200, 6_480], [40, 0, 15]],
  ['mnist', 'c', 'optimized', [3_950, 997_800, 410], [0, 0, 1], [862_000, 91_500, 1_150, 37_600]],
  // micro_speech (clip mode): POPULATE runs the audio front end over 49 frames.
  ['micro_speech', 'js', 'reference', [41_250_000, 9_120_500, 3_020], [9_000, 0, 20]],
  ['micro_speech', 'c', 'reference', [2_540_000, 9_120_100, 190], [700, 0, 1], [1_150, 9_004_000, 112_400]],
  ['micro_speech', 'js', 'optimized', [41_250_000, 1_402_700, 3_020], [9_000, 0, 20]],
  ['micro_speech', 'js-native-frontend', 'optimized', [2_610_000, 1_402_700, 3_020], [700, 0, 20]],
  ['micro_speech', 'c', 'optimized', [2_540_000, 1_402_300, 190], [700, 0, 1], [1_150, 1_368_000, 30_500]],
];

/** The model table's rows: model, ops, MACs, FLOPs, FLOPs with bias, TFLM's reference and optimized INVOKE. */
const modelRows: [string, number, number, number, number, number, number][] = [
  ['hello_world_int8', 3, 288, 576, 609, 5_493, 3_602],
  ['micro_speech_quantized', 4, 336_000, 672_000, 676_004, 9_332_854, 1_489_512],
  ['mnist_int8', 5, 93_288, 186_576, 194_698, 4_777_960, 1_020_282],
];

export function fixtureResult(): BenchResult {
  const runs = rows.map(([app, impl, kernels, [populate, invoke, respond], spread, times]) =>
    makeRun(app, impl, kernels, { populate, invoke, respond, spread }, times && ops(app, times, invoke)),
  );
  return {
    target: 'mps2-an500',
    unit: 'instr',
    build: 'xsinfer 0.1.0 test-fixture',
    createdAt: '2025-01-01T00:00:00.000Z',
    runs,
    overhead: [],
    micro: {
      emptyCall: 163,
      timerRead: 241,
      timerReadC: 9,
      timerSpan: 265,
      fillInput: [
        { bytes: 1, js: 310, c: 14 },
        { bytes: 784, js: 198_700, c: 434 },
        { bytes: 1_960, js: 496_000, c: 1_064 },
      ],
      argmax: [
        { n: 4, js: 1_020, c: 42 },
        { n: 10, js: 2_350, c: 88 },
      ],
    },
    memory: {
      arena: [
        { model: 'hello_world_int8', head: 48, tail: 592, total: 640, tflm: 676 },
        { model: 'micro_speech_quantized', head: 5_120, tail: 1_540, total: 6_660, tflm: 6_788 },
        { model: 'mnist_int8', head: 10_496, tail: 532, total: 11_028, tflm: 11_124 },
      ],
      xsHeap: { configured: 131_072, peak: 97_344 },
      jsStackPeak: 3_712,
      cStackPeak: 5_240,
      flash: { xs: 344_064, engine: 38_912, kernels: 21_504, bindings: 6_144, apps: 14_336, models: 44_976 },
    },
    models: modelRows.map(([model, ops, macs, flops, flopsPlusBias, reference, optimized]) => ({
      model,
      ops,
      macs,
      flops,
      flopsPlusBias,
      instrPerMac: {},
      tflm: { reference, optimized },
    })),
  };
}

/** The fixture as the F769 would report it: cycles at 216 MHz. */
export function fixtureF769(): BenchResult {
  return { ...fixtureResult(), target: 'stm32f769i-disco', unit: 'cycles', hz: 216_000_000 };
}
