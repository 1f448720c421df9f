import type { ProfileSummary } from '../profile/profile.ts';
// The shape of a benchmark result: what `bench --json` prints, what `report` rebuilds from
// a recording, and what the terminal/markdown/HTML reports render (CLI.md, DESIGN.md §10).
// All timings are in the target's unit (`unit`): instructions on mps2-an500, cycles on the
// F769, ns on host. Fields marked "derived" are recomputed from `runs` by
// host/report/overhead.ts (`withDerived`), so a producer may leave them empty.
import type { PhaseCounts } from '../bridge/protocol.ts';
import type { Summary } from './stats.ts';
import type { ToolVersions } from '../versions.ts';

export type Phase = 'populate' | 'invoke' | 'respond' | 'total';
export const phases: Phase[] = ['populate', 'invoke', 'respond', 'total'];

/** js: the TypeScript app with plain loops (micro_speech: with the pure-TS front end);
 * js-native-frontend: micro_speech's TS app calling the native front end; js-helpers: the
 * TypeScript app with the native helpers (device apps <app>_fast); c: the C app. */
export type Impl = 'js' | 'c' | 'js-native-frontend' | 'js-helpers';
/** The JS variants measured against the pure-C loop. */
export type JsImpl = Exclude<Impl, 'c'>;
export type KernelSet = 'reference' | 'optimized';

export interface BenchRun {
  app: string; // hello_world | micro_speech | mnist | person_detect
  impl: Impl;
  kernels: KernelSet;
  iterations: number; // timed iterations received by the host
  warmup: number;
  /** Every iteration matched the golden output; null: not checked (the run's model is not
   * the app's built-in one byte for byte, so its golden outputs do not apply), and none failed. */
  correct: boolean | null;
  wrong: number;
  /** The model asset the run named (`run {model}`, e.g. "upload/model"); absent: the app's own. */
  model?: string;
  phases: Record<Phase, Summary>;
  /** Total ticks of every timed iteration, in order (for distribution plots). */
  totals: number[];
  /** Per-op time of one profiled invoke, when requested. `macs` 0 = unknown or none. */
  ops?: { index: number; op: string; time: number; macs: number }[];
  /** Telemetry health: records the held TX queue dropped or could not frame (done.tx.dropped + oversize). */
  txOverflow: number;
  /** Timed iterations the device says it ran (the `done` record); equal to `iterations` when every
   *  buffered record was drained between iterations. Absent when the producer cannot tell. */
  iterationsDevice?: number;
  /** Peak use and capacity of the held TX queue during the run (done.tx.peak / cap), in records. */
  tx?: { peak: number; cap: number };
  /** Counted runs (`--counters`, boards with core event counters): per phase, medians over
   *  the timed iterations of the cycles, the derived instructions and the counters. */
  counters?: Record<Phase, CounterMedians>;
  /** Output inside the timed phases, counted by the board layer (`iter.io`): UART bytes and
   *  text output calls summed over the timed iterations that carried counts (`counted`).
   *  Absent when none did (a recording from firmware that did not count). */
  io?: { counted: number; bytes: PhaseCounts; calls: PhaseCounts };
  /** Every timed iteration was counted and none wrote a byte or made a text call inside a
   *  timed phase; false when one did; null when not every iteration was counted. */
  ioFree?: boolean | null;
}

/** Medians of one phase's core event counters (docs/protocol.md, `iter.counters`). */
export interface CounterMedians {
  cycles: number;
  /** cycles − cpi − exc − sleep − lsu + fold (the sampler's own instructions included). */
  instr: number;
  /** cycles / instr of the medians. */
  cpi: number;
  stalls: { cpi: number; exc: number; sleep: number; lsu: number; fold: number };
  /** Counter-sampler interrupts in the phase. */
  samples: number;
}

/** A QEMU bench of the same build, for the board's counters to be read beside it. */
export interface QemuReference {
  target: string;
  build: string;
  runs: { app: string; impl: Impl; kernels: KernelSet; model?: string; instr: Record<Phase, number> }[];
}

/** One JS-vs-C difference (derived). */
export interface Overhead {
  app: string;
  kernels: string;
  phase: Phase;
  jsMinusC: number; // median JS − median C
  pctOfC: number; // jsMinusC as % of the C iteration's median total
  /** Which JS variant (micro_speech also has TS calling the native front end). */
  impl: JsImpl;
  js: number; // the JS run's median of this phase
  c: number; // the C run's median of this phase
  cTotal: number; // the C run's median total (the denominator of pctOfC)
}

/** Reference → optimized kernels, INVOKE medians of one app and impl (derived). */
export interface Speedup {
  app: string;
  impl: Impl;
  reference: number; // median INVOKE with reference kernels
  optimized: number; // median INVOKE with optimized kernels
  ratio: number; // reference / optimized
  changePct: number; // (optimized − reference) / reference × 100, e.g. −87 as the write-up prints it
}

/** "No I/O in a timed region", per run (derived): the board's output counters read 0 in
 *  every phase of every timed iteration, and every iteration's record arrived. */
export interface IoEvidence {
  app: string;
  impl: Impl;
  kernels: KernelSet;
  txOverflow: number;
  iterations: number;
  iterationsDevice: number | null;
  /** iterations === iterationsDevice; null when the device count is unknown. */
  drained: boolean | null;
  /** Timed iterations whose record carried output counts (`iter.io`). */
  counted: number;
  /** UART bytes and text calls inside timed phases, summed over the counted iterations. */
  bytes: number;
  calls: number;
  /** The phases that did output (POPULATE, INVOKE, RESPOND). */
  phasesWithIo: Exclude<Phase, 'total'>[];
  /** counted === iterations, bytes === 0, calls === 0, txOverflow === 0 and drained === true. */
  ok: boolean;
}

export interface MicroBench {
  emptyCall: number; // net cost of an empty JS→C call
  timerRead: number; // one tick read from JS
  timerReadC: number; // one tick read from C (t1 − t0 of two back-to-back board_ticks())
  /** What a JS span's own timer reads add to it: t1 − t0 of two back-to-back ticks32()
   * (C's is timerReadC). Absent in results from before it was reported. */
  timerSpan?: number;
  /** One JS arithmetic step: int32 `(n + 7) & 1023` and double `x * 0.999 + 0.25` (software
   * double on the Cortex-M4). Absent in results from before it was measured. */
  arith?: { int: number; double: number };
  /** helpers: the same work as one call of the native helpers module (absent before it). */
  fillInput: { bytes: number; js: number; c: number; helpers?: number }[];
  argmax: { n: number; js: number; c: number; helpers?: number }[];
  /** What one JS construct costs on the device (per operation; gc: one collection). */
  constructs?: Record<string, number>;
}

export interface ModelRow {
  model: string; // model file stem, e.g. mnist_int8
  app?: string; // the app that runs it
  ops: number;
  macs: number;
  flops: number; // 2 × MACs
  flopsPlusBias: number;
  kerasFlops?: number; // the write-up's figures (pre-quantization Keras models), labelled as such
  instrPerMac: Partial<Record<KernelSet, number>>; // INVOKE per MAC, in the target's unit
  speedup?: number; // reference invoke / optimized invoke
  /** TFLM anchor instructions per invoke (mps2-an500 only; reference and CMSIS-NN, -DNDEBUG). */
  tflm?: Partial<Record<KernelSet, number>>;
}

export interface MemoryReport {
  /** Planned arena per model, bytes; `tflm` = TFLM's M7 arena_used_bytes (like-for-like) or null. */
  arena: { model: string; head: number; tail: number; total: number; tflm: number | null }[];
  xsHeap: { configured: number; peak: number };
  jsStackPeak: number;
  cStackPeak: number;
  /** Flash bytes by component (xs, engine, kernels, bindings, apps, models, …). */
  flash: Record<string, number>;
}

/** The write-up's F769 figures (ms, CMSIS-NN on unless named; averages over ~1 min with serial
 *  output in the timed region): a different board, unit and method, shown beside ours only. */
export interface SeedRow {
  app: string;
  populate: number | null;
  invokeCmsis: number | null;
  invokeReference: number | null;
  respond: number | null;
  /** Fields the write-up gives as "~N" rather than a number. */
  approx?: ('populate' | 'invokeCmsis' | 'invokeReference' | 'respond')[];
}

export interface BenchResult {
  target: string;
  unit: string; // 'instr' | 'cycles' | 'ns'
  hz?: number; // cycles → ms on the F769
  build: string;
  createdAt: string;
  runs: BenchRun[];
  overhead: Overhead[]; // derived
  /** Absent when the session ran no JS (the micro-benchmarks need XS). */
  micro?: MicroBench;
  memory: MemoryReport;
  models: ModelRow[];
  speedups?: Speedup[]; // derived
  evidence?: IoEvidence[]; // derived
  /** The write-up's F769 numbers (ms, different hardware and unit), shown beside ours. Defaults to
   *  host/report/seed.ts when absent. */
  seed?: SeedRow[];
  /** QEMU's instruction medians of the same build (bench/report --qemu RESULT.json). */
  qemu?: QemuReference;
  /** The versions the counts depend on (compiler, newlib, QEMU, XS, Node, firmware build id);
   *  absent in results written before they were recorded. */
  versions?: ToolVersions;
  /** `bench --profile`: the JS runs' profiles from the profiling build (not the release
   *  image: its numbers are not the release numbers). */
  profiles?: ProfileSummary[];
}
