// The micro-benchmarks that explain the overhead table: the main firmware's `micro` run
// measures JS idioms under XS and their C equivalents in one image and sends the raw ticks
// as one `user` record "micro"; here they become per-operation figures in the target's unit.
import type { DeviceRecord, TickUnit, UserRecord } from '../bridge/protocol.ts';
import { XsinferError } from '../errors.ts';
import type { MicroBench } from './result.ts';

/** The micro-benchmarks in raw ticks, as the main firmware's `micro` run sends them (a
 * `user` record "micro": the JS half as JSON text, the C half as a map). JS loops are REPS
 * iterations whole; single shots are net of one timer-read pair, as are the C figures. */
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
    /** REPS integer / double arithmetic steps (absent in results from before they were measured). */
    intLoop?: number;
    doubleLoop?: number;
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
  /** One JS arithmetic step net of the loop: `n = (n + 7) & 1023` (int32 in XS) and
   * `x = x * 0.999 + 0.25` (a double multiply and add: software on a single-precision FPU). */
  arith?: { int: number; double: number };
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
    ...(js.intLoop !== undefined && js.doubleLoop !== undefined
      ? { arith: { int: perRep(js.intLoop), double: perRep(js.doubleLoop) } }
      : {}),
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

/** The `micro` run's user record of a session, in the target's unit (undefined: no such run). */
export function microFromRecords(records: DeviceRecord[], tick: TickUnit): JsMicro | undefined {
  const user = records.find((r): r is UserRecord => r.kind === 'user' && r.name === 'micro');
  if (!user) return undefined;
  const value = user.value as { js: string; c: RawMicro['c'] };
  return microFromRaw({
    unit: tick.unit,
    num: tick.num,
    den: tick.den,
    js: JSON.parse(value.js) as RawMicro['js'],
    c: value.c,
  });
}

/** The report's MicroBench (result.ts): the fill figures it keeps are POPULATE's table
 * loop (JS vs C), the timer read is the cheap ticks32(), the span's timer cost its pair. */
export function toMicroBench(m: JsMicro): MicroBench {
  return {
    emptyCall: m.emptyCall,
    timerRead: m.timerRead.ticks32,
    timerReadC: m.timerRead.c,
    timerSpan: m.timerPair.ticks32,
    ...(m.arith ? { arith: m.arith } : {}),
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
