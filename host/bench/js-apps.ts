// Runs the TypeScript apps under XS through the xs-bench program (no wire protocol
// needed): its BENCH-JS lines parse exactly like bench-c's (app-lines.ts); its MICRO line
// (JS micro-benchmarks and their C equivalents, measured in one image) and MEM line (XS
// heap, JS/C stack peaks, arenas) become the figures that explain the overhead table.
import { XsinferError } from '../errors.ts';
import { runProgram } from '../run/program.ts';
import type { Target } from '../targets.ts';
import { parseAppRuns, taggedLines, toAppRun, type AppIteration, type AppRun, type RawAppRun } from './app-lines.ts';
import type { MicroBench } from './result.ts';

export type JsAppIteration = AppIteration;
export type JsAppRun = AppRun<'js'>;

/** The MICRO line as xs-bench prints it: raw ticks. JS loops are REPS iterations whole;
 * single shots are net of one timer-read pair, as are the C figures. */
export interface RawMicro {
  unit: string;
  num: number;
  den: number;
  js: {
    reps: number;
    emptyLoop: number;
    nopLoop: number;
    ticks32Loop: number;
    ticksLoop: number;
    ticks32Pair: number;
    ticksPair: number;
    fill: { bytes: number; loop: number; lut: number; set: number; helper?: number }[];
    argmax: { n: number; js: number; helper?: number }[];
    /** REPS loops whole (gc: one collection, net); absent in recordings from before. */
    constructs?: Record<MicroConstruct, number>;
  };
  c: {
    ticksPair: number;
    fill: { bytes: number; loop: number; lut: number; memcpy: number }[];
    argmax: { n: number; c: number }[];
  };
}

/** The JS constructs the micro-benchmarks price (device/lib/micro-bench.ts). */
export const MICRO_CONSTRUCTS = [
  'jsCall',
  'closureCall',
  'propGet',
  'globalGet',
  'elementGet',
  'elementSet',
  'alloc',
  'gc',
] as const;
export type MicroConstruct = (typeof MICRO_CONSTRUCTS)[number];

/** Micro-benchmarks in the target's unit, per operation. */
export interface JsMicro {
  unit: string;
  /** One empty JS→C host call, net of the empty loop iteration. */
  emptyCall: number;
  /** One iteration of an empty `for` loop. */
  emptyLoop: number;
  /** One timer read from JS in a loop, net of the loop: ticks32() (int32, what the bench
   * loop uses) and ticks() (64-bit → double); and C's board_ticks(). */
  timerRead: { ticks32: number; ticks: number; c: number };
  /** What a timed span costs on top of its content: two back-to-back reads and the
   * subtraction, ticks32() vs ticks(); C: two board_ticks(). */
  timerPair: { ticks32: number; ticks: number; c: number };
  /** Filling a model input of `bytes` (a view over C memory): JS element copy loop, JS
   * table loop (POPULATE's work), JS TypedArray set(); C byte loop, C table loop, memcpy. */
  fillInput: {
    bytes: number;
    jsLoop: number;
    jsLut: number;
    jsSet: number;
    /** The table loop as one helpers.mapBytes() call (NaN when not measured). */
    jsHelper: number;
    cLoop: number;
    cLut: number;
    cMemcpy: number;
  }[];
  argmax: { n: number; js: number; c: number; jsHelper: number }[];
  /** Per operation, net of the empty loop iteration; gc: one collection. */
  constructs?: Record<MicroConstruct, number>;
}

export interface JsMemory {
  xsHeap: {
    arenaBytes: number;
    arenaFree: number;
    poolBytes: number;
    poolPeak: number;
    slotBytes: number;
    slotsReserved: number;
    slotsPeak: number;
    chunksReserved: number;
    chunksPeak: number;
    keysUsed: number;
    keysReserved: number;
  };
  jsStack: { slots: number; peakSlots: number; peakBytes: number };
  cStack: { bytes: number; peakBytes: number };
  slots: { main: number; aux: number };
  arenas: {
    app: string;
    kernels: string;
    main: { head: number; tail: number; total: number; size: number };
    aux?: { head: number; tail: number; total: number; size: number };
  }[];
}

export function parseBenchJs(output: string): JsAppRun[] {
  return parseAppRuns(output, 'BENCH-JS', 'js', 'xs-bench');
}

export function microFromRaw(raw: RawMicro): JsMicro {
  const unit = (ticks: number) => (ticks * raw.num) / raw.den;
  const { js, c } = raw;
  const perRep = (loop: number) => unit(loop - js.emptyLoop) / js.reps;
  return {
    unit: raw.unit,
    emptyCall: perRep(js.nopLoop),
    emptyLoop: unit(js.emptyLoop) / js.reps,
    timerRead: { ticks32: perRep(js.ticks32Loop), ticks: perRep(js.ticksLoop), c: unit(c.ticksPair) },
    timerPair: { ticks32: unit(js.ticks32Pair), ticks: unit(js.ticksPair), c: unit(c.ticksPair) },
    fillInput: js.fill.map((f) => {
      const cf = c.fill.find((x) => x.bytes === f.bytes);
      if (!cf) throw new XsinferError('RUN_FAILED', `MICRO: no C fill figure for ${f.bytes} bytes`);
      return {
        bytes: f.bytes,
        jsLoop: unit(f.loop),
        jsLut: unit(f.lut),
        jsSet: unit(f.set),
        jsHelper: f.helper === undefined ? NaN : unit(f.helper),
        cLoop: unit(cf.loop),
        cLut: unit(cf.lut),
        cMemcpy: unit(cf.memcpy),
      };
    }),
    argmax: js.argmax.map((a) => ({
      n: a.n,
      js: unit(a.js),
      c: unit(c.argmax.find((x) => x.n === a.n)?.c ?? NaN),
      jsHelper: a.helper === undefined ? NaN : unit(a.helper),
    })),
    ...(js.constructs
      ? {
          constructs: Object.fromEntries(
            MICRO_CONSTRUCTS.map((k) => [k, k === 'gc' ? unit(js.constructs![k]) : perRep(js.constructs![k])]),
          ) as Record<MicroConstruct, number>,
        }
      : {}),
  };
}

export function parseMicro(output: string): JsMicro | null {
  const line = taggedLines(output, 'MICRO').pop();
  return line ? microFromRaw(JSON.parse(line) as RawMicro) : null;
}

/** The report's MicroBench (result.ts): the fill figures it keeps are POPULATE's table
 * loop (JS vs C), the timer read is the cheap ticks32(), the span's timer cost its pair. */
export function toMicroBench(m: JsMicro): MicroBench {
  return {
    emptyCall: m.emptyCall,
    timerRead: m.timerRead.ticks32,
    timerReadC: m.timerRead.c,
    timerSpan: m.timerPair.ticks32,
    fillInput: m.fillInput.map((f) => ({
      bytes: f.bytes,
      js: f.jsLut,
      c: f.cLut,
      ...(Number.isNaN(f.jsHelper) ? {} : { helpers: f.jsHelper }),
    })),
    argmax: m.argmax.map((a) => ({
      n: a.n,
      js: a.js,
      c: a.c,
      ...(Number.isNaN(a.jsHelper) ? {} : { helpers: a.jsHelper }),
    })),
    ...(m.constructs ? { constructs: m.constructs } : {}),
  };
}

export function parseMemory(output: string): JsMemory | null {
  const line = taggedLines(output, 'MEM').pop();
  return line ? (JSON.parse(line) as JsMemory) : null;
}

export interface JsAppsResult {
  runs: JsAppRun[];
  micro: JsMicro | null;
  memory: JsMemory | null;
  exitCode: number;
  /** BENCH-JS-ERROR lines that did not stop the parse (an iteration threw). */
  notes: string[];
}

export async function runJsApps(opts: {
  target: Target;
  apps: string[];
  kernels: string[];
  iterations: number;
  warmup: number;
}): Promise<JsAppsResult> {
  const run = await runProgram({
    target: opts.target,
    program: 'xs-bench',
    args: [opts.apps.join(','), opts.kernels.join(','), String(opts.iterations), String(opts.warmup)],
    timeoutMs: 900_000,
  });
  const output = run.output.toString();
  // "iteration failed" notes accompany a run line whose wrong count says so; anything
  // else (setup, unknown app, XS start) means the run is missing: fail loudly.
  const errors = taggedLines(output, 'BENCH-JS-ERROR');
  const fatal = errors.filter((e) => !e.includes('"error":"iteration failed"'));
  if (fatal.length || (run.exitCode !== 0 && run.exitCode !== 1)) {
    throw new XsinferError(
      'RUN_FAILED',
      `xs-bench on ${opts.target} (exit ${run.exitCode}): ${fatal.join('; ') || output.slice(-2000)}`,
    );
  }
  const runs = taggedLines(output, 'BENCH-JS').map((json) => toAppRun(JSON.parse(json) as RawAppRun, 'js'));
  return { runs, micro: parseMicro(output), memory: parseMemory(output), exitCode: run.exitCode, notes: errors };
}

export interface Probe {
  name: string;
  threw: boolean;
  errorClass?: string;
  code?: string;
  message?: string;
  bytesNeeded?: number;
  value?: unknown;
}

/** `xs-bench selftest`: what each deliberate misuse of the tflm/assets bindings threw. */
export async function runBindingSelftest(
  target: Target,
): Promise<{ probes: Probe[]; exitCode: number; output: string }> {
  const run = await runProgram({ target, program: 'xs-bench', args: ['selftest'], timeoutMs: 300_000 });
  const output = run.output.toString();
  const line = taggedLines(output, 'TFLM-SELFTEST').pop();
  if (!line)
    throw new XsinferError(
      'RUN_FAILED',
      `xs-bench selftest on ${target} printed no result (exit ${run.exitCode}):\n${output.slice(-2000)}`,
    );
  return { probes: JSON.parse(line) as Probe[], exitCode: run.exitCode, output };
}
