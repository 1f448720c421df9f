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

/** Per-op times of one invoke that add up to the given total. */
function ops(list: [string, number, number][], invoke: number): BenchRun['ops'] {
  const known = list.slice(0, -1).reduce((a, [, , t]) => a + t, 0);
  return list.map(([op, macs, time], index) => ({
    index,
    op,
    macs,
    time: index === list.length - 1 ? invoke - known : time,
  }));
}

export function fixtureResult(): BenchResult {
  const runs: BenchRun[] = [
    // hello_world: one float in, one float out; INVOKE ≈ the TFLM anchors (5,493 / 3,602).
    makeRun('hello_world', 'js', 'reference', { populate: 1_850, invoke: 5_720, respond: 2_140, spread: [3, 0, 2] }),
    makeRun(
      'hello_world',
      'c',
      'reference',
      { populate: 46, invoke: 5_420, respond: 38, spread: [0, 0, 0] },
      ops(
        [
          ['FULLY_CONNECTED', 16, 1_510],
          ['FULLY_CONNECTED', 256, 3_180],
          ['FULLY_CONNECTED', 16, 0],
        ],
        5_420,
      ),
    ),
    makeRun('hello_world', 'js', 'optimized', { populate: 1_850, invoke: 3_860, respond: 2_140, spread: [3, 0, 2] }),
    makeRun(
      'hello_world',
      'c',
      'optimized',
      { populate: 46, invoke: 3_540, respond: 38, spread: [0, 0, 0] },
      ops(
        [
          ['FULLY_CONNECTED', 16, 1_240],
          ['FULLY_CONNECTED', 256, 1_700],
          ['FULLY_CONNECTED', 16, 0],
        ],
        3_540,
      ),
    ),
    // mnist: 784 pixels quantized in POPULATE, arg-max over 10 in RESPOND.
    makeRun('mnist', 'js', 'reference', { populate: 212_400, invoke: 4_701_300, respond: 6_480, spread: [40, 0, 15] }),
    makeRun(
      'mnist',
      'c',
      'reference',
      { populate: 3_950, invoke: 4_700_900, respond: 410, spread: [0, 0, 1] },
      ops(
        [
          ['CONV_2D', 73_008, 4_330_000],
          ['MAX_POOL_2D', 0, 220_100],
          ['RESHAPE', 0, 1_150],
          ['FULLY_CONNECTED', 20_280, 143_000],
          ['SOFTMAX', 0, 0],
        ],
        4_700_900,
      ),
    ),
    makeRun('mnist', 'js', 'optimized', { populate: 212_400, invoke: 998_200, respond: 6_480, spread: [40, 0, 15] }),
    makeRun(
      'mnist',
      'c',
      'optimized',
      { populate: 3_950, invoke: 997_800, respond: 410, spread: [0, 0, 1] },
      ops(
        [
          ['CONV_2D', 73_008, 862_000],
          ['MAX_POOL_2D', 0, 91_500],
          ['RESHAPE', 0, 1_150],
          ['FULLY_CONNECTED', 20_280, 37_600],
          ['SOFTMAX', 0, 0],
        ],
        997_800,
      ),
    ),
    // micro_speech (clip mode): POPULATE runs the audio front end over 49 frames.
    makeRun('micro_speech', 'js', 'reference', {
      populate: 41_250_000,
      invoke: 9_120_500,
      respond: 3_020,
      spread: [9_000, 0, 20],
    }),
    makeRun(
      'micro_speech',
      'c',
      'reference',
      { populate: 2_540_000, invoke: 9_120_100, respond: 190, spread: [700, 0, 1] },
      ops(
        [
          ['RESHAPE', 0, 1_150],
          ['DEPTHWISE_CONV_2D', 320_000, 9_004_000],
          ['FULLY_CONNECTED', 16_000, 112_400],
          ['SOFTMAX', 0, 0],
        ],
        9_120_100,
      ),
    ),
    makeRun('micro_speech', 'js', 'optimized', {
      populate: 41_250_000,
      invoke: 1_402_700,
      respond: 3_020,
      spread: [9_000, 0, 20],
    }),
    makeRun('micro_speech', 'js-native-frontend', 'optimized', {
      populate: 2_610_000,
      invoke: 1_402_700,
      respond: 3_020,
      spread: [700, 0, 20],
    }),
    makeRun(
      'micro_speech',
      'c',
      'optimized',
      { populate: 2_540_000, invoke: 1_402_300, respond: 190, spread: [700, 0, 1] },
      ops(
        [
          ['RESHAPE', 0, 1_150],
          ['DEPTHWISE_CONV_2D', 320_000, 1_368_000],
          ['FULLY_CONNECTED', 16_000, 30_500],
          ['SOFTMAX', 0, 0],
        ],
        1_402_300,
      ),
    ),
  ];
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
    models: [
      {
        model: 'hello_world_int8',
        ops: 3,
        macs: 288,
        flops: 576,
        flopsPlusBias: 609,
        instrPerMac: {},
        tflm: { reference: 5_493, optimized: 3_602 },
      },
      {
        model: 'micro_speech_quantized',
        ops: 4,
        macs: 336_000,
        flops: 672_000,
        flopsPlusBias: 676_004,
        instrPerMac: {},
        tflm: { reference: 9_332_854, optimized: 1_489_512 },
      },
      {
        model: 'mnist_int8',
        ops: 5,
        macs: 93_288,
        flops: 186_576,
        flopsPlusBias: 194_698,
        instrPerMac: {},
        tflm: { reference: 4_777_960, optimized: 1_020_282 },
      },
    ],
  };
}

/** The fixture as the F769 would report it: cycles at 216 MHz. */
export function fixtureF769(): BenchResult {
  return { ...fixtureResult(), target: 'stm32f769i-disco', unit: 'cycles', hz: 216_000_000 };
}
