// JS profiles from the profiling firmware (docs/profiling.md): the device's `profile`
// records of one run → a Chrome DevTools .cpuprofile (times in the target's unit, URLs and
// lines of the .ts sources) and the "where the JS time goes" table per phase.
//
// What XS's profiler records (xsProfile.c): one node per function (not per call path), the
// callees each function was seen calling, and per sample the running function and the
// clock time since the previous sample. So a function's self time is exact to one sample
// interval; its total is the self time of everything reachable from it in the call graph,
// exact when each of those callees has this one caller and an upper bound otherwise (the
// table marks it "≤").
import fs from 'node:fs';
import path from 'node:path';
import type { DeviceRecord, ProfileRecord, TickUnit } from '../bridge/protocol.ts';
import { XsinferError } from '../errors.ts';
import type { SourceMapper } from './sourcemap.ts';

export interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
export interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount: number;
  children?: number[];
}
/** Chrome DevTools Profiler.Profile. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export const PHASES = ['populate', 'invoke', 'respond'] as const;
export type ProfilePhase = (typeof PHASES)[number];

export interface ProfileRow {
  function: string;
  /** "device/apps/mnist/main.ts:41" (1-based line), or "" for host functions and XS's pseudo nodes. */
  where: string;
  /** Per timed iteration, in the target's unit. */
  self: number;
  total: number;
  /** total is an upper bound (a callee reachable from here has another caller). */
  totalBound: boolean;
}

export interface PhaseProfile {
  phase: ProfilePhase;
  /** The phase's length per timed iteration (mean of the marks' spans), target unit. */
  span: number;
  /** Sampled time inside the phase per iteration; equals span up to rounding. */
  sampled: number;
  rows: ProfileRow[];
}

export interface ProfileSummary {
  app: string;
  impl: string;
  kernels: string;
  run: number;
  unit: string;
  /** Sample interval in the target's unit. */
  interval: number;
  samples: number;
  iterations: number;
  truncated: boolean;
  phases: PhaseProfile[];
  /** Where the .cpuprofile was written (set by the caller). */
  file?: string;
}

export interface RunProfile {
  run: number;
  /** The device's JSON, as XS printed it (clock units = quantum ticks). */
  raw: CpuProfile;
  quantum: number;
  /** Board ticks at the clock's zero. */
  origin: number;
  truncated: boolean;
  /** Timed iterations' tick reads t0..t3 (low 32 bits), in time order. */
  marks: number[][];
}

/** The profiles in a session's records, by run id (pieces joined in order). */
export function profilesFromRecords(records: DeviceRecord[]): Map<number, RunProfile> {
  const pieces = new Map<number, ProfileRecord[]>();
  const marks = new Map<number, number[][]>();
  for (const r of records) {
    if (r.kind !== 'profile') continue;
    if (r.at) {
      if (!marks.has(r.run)) marks.set(r.run, []);
      marks.get(r.run)!.push(r.at);
    } else {
      if (!pieces.has(r.run)) pieces.set(r.run, []);
      pieces.get(r.run)!.push(r);
    }
  }
  const out = new Map<number, RunProfile>();
  for (const [run, list] of pieces) {
    list.sort((a, b) => a.pieceSeq! - b.pieceSeq!);
    const last = list[list.length - 1]!;
    if (!last.last || list.some((p, k) => p.pieceSeq !== k))
      throw new XsinferError('RUN_FAILED', `run ${run}: the profile arrived incomplete (${list.length} pieces)`);
    let raw: CpuProfile;
    try {
      raw = JSON.parse(list.map((p) => p.data).join('')) as CpuProfile;
    } catch (err) {
      throw new XsinferError('RUN_FAILED', `run ${run}: the device's profile is not JSON: ${(err as Error).message}`);
    }
    out.set(run, {
      run,
      raw,
      quantum: last.quantum ?? 1,
      origin: last.origin ?? 0,
      truncated: last.truncated ?? false,
      marks: marks.get(run) ?? [],
    });
  }
  return out;
}

/** Ticks → the target's unit (instructions on QEMU, cycles on the F769, ns on host). */
const unitsPerTick = (tick: TickUnit): number => tick.num / tick.den;

/** The module path XS printed as url → the .ts position (1-based line), via the maps. */
function sourceOf(
  frame: CallFrame,
  mapper: SourceMapper | undefined,
  repoRoot: string,
): { url: string; line: number } | undefined {
  if (!frame.url || frame.lineNumber < 0) return undefined;
  // xsarc has already followed the module's source map: XS names the absolute .ts file (or
  // the .js file where there is no map) and its line.
  if (path.isAbsolute(frame.url)) {
    const rel = path.relative(repoRoot, frame.url);
    return { url: rel.startsWith('..') ? frame.url : rel, line: frame.lineNumber + 1 };
  }
  const p = mapper?.map(frame.url, frame.lineNumber);
  if (!p) {
    // No map: the module is JS written as such, a native module's half in
    // native/bindings/<m>/<m>.js, or generated (mc/config).
    const binding = `native/bindings/${frame.url}/${frame.url}.js`;
    const url = fs.existsSync(path.join(repoRoot, binding)) ? binding : frame.url + '.js';
    return { url, line: frame.lineNumber + 1 };
  }
  const rel = p.file.startsWith(repoRoot + '/') ? p.file.slice(repoRoot.length + 1) : p.file;
  return { url: rel, line: p.line + 1 };
}

/** XS's function graph → a DevTools tree: each node keeps the first caller a breadth-first
 * walk from (host) meets; nodes no walk reaches hang under (host). Times become the
 * target's unit (integers whose running sum is exact); URLs and lines the .ts sources'. */
export function toDevtools(
  p: RunProfile,
  tick: TickUnit,
  mapper: SourceMapper | undefined,
  repoRoot: string,
): CpuProfile {
  const raw = p.raw;
  const byId = new Map(raw.nodes.map((n) => [n.id, n]));
  const root = byId.get(0);
  if (!root) throw new XsinferError('RUN_FAILED', `run ${p.run}: the profile has no (host) node`);
  const parent = new Map<number, number>();
  const order = [0];
  const seen = new Set([0]);
  for (let k = 0; k < order.length; k++) {
    for (const c of byId.get(order[k]!)!.children ?? []) {
      if (seen.has(c) || !byId.has(c)) continue;
      seen.add(c);
      parent.set(c, order[k]!);
      order.push(c);
    }
  }
  for (const n of raw.nodes)
    if (!seen.has(n.id)) {
      seen.add(n.id);
      parent.set(n.id, 0);
    }
  const children = new Map<number, number[]>();
  for (const [c, par] of parent) {
    if (!children.has(par)) children.set(par, []);
    children.get(par)!.push(c);
  }
  const scale = p.quantum * unitsPerTick(tick);
  const nodes: CpuProfileNode[] = raw.nodes.map((n) => {
    const src = sourceOf(n.callFrame, mapper, repoRoot);
    return {
      id: n.id,
      callFrame: {
        ...n.callFrame,
        url: src?.url ?? '',
        lineNumber: src ? src.line - 1 : -1,
      },
      hitCount: n.hitCount,
      children: (children.get(n.id) ?? []).sort((a, b) => a - b),
    };
  });
  const offset = p.origin / p.quantum;
  let clock = raw.startTime;
  let previous = Math.round((offset + raw.startTime) * scale);
  const timeDeltas = raw.timeDeltas.map((d) => {
    clock += d;
    const now = Math.round((offset + clock) * scale);
    const delta = now - previous;
    previous = now;
    return delta;
  });
  return {
    nodes,
    startTime: Math.round((offset + raw.startTime) * scale),
    endTime: Math.round((offset + raw.endTime) * scale),
    samples: [...raw.samples],
    timeDeltas,
  };
}

/** Every inconsistency of a .cpuprofile against the DevTools format ([] when none). */
export function checkCpuProfile(p: CpuProfile): string[] {
  const problems: string[] = [];
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas))
    return ['nodes, samples and timeDeltas must be arrays'];
  if (typeof p.startTime !== 'number' || typeof p.endTime !== 'number') problems.push('startTime/endTime missing');
  if (p.samples.length !== p.timeDeltas.length)
    problems.push(`samples (${p.samples.length}) and timeDeltas (${p.timeDeltas.length}) differ in length`);
  const ids = new Set<number>();
  for (const n of p.nodes) {
    if (ids.has(n.id)) problems.push(`node id ${n.id} twice`);
    ids.add(n.id);
  }
  const parents = new Map<number, number>();
  for (const n of p.nodes)
    for (const c of n.children ?? []) {
      if (!ids.has(c)) problems.push(`node ${n.id} has unknown child ${c}`);
      if (parents.has(c)) problems.push(`node ${c} has two parents (${parents.get(c)}, ${n.id})`);
      parents.set(c, n.id);
    }
  const roots = p.nodes.filter((n) => !parents.has(n.id));
  if (roots.length !== 1) problems.push(`${roots.length} roots (one expected)`);
  for (const s of p.samples) if (!ids.has(s)) problems.push(`sample names unknown node ${s}`);
  const hits = new Map<number, number>();
  for (const s of p.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  for (const n of p.nodes)
    if ((hits.get(n.id) ?? 0) !== n.hitCount)
      problems.push(`node ${n.id}: hitCount ${n.hitCount}, ${hits.get(n.id) ?? 0} samples`);
  if (p.timeDeltas.some((d) => d < 0)) problems.push('a negative time delta');
  return problems.slice(0, 20);
}

/** The "where the JS time goes" table of one profiled run: per phase, the top functions by
 * self time inside that phase's spans (summed over the timed iterations, then per iteration).
 * A sample covers the clock interval since the previous one; the part of it inside the phase
 * where the sample was taken counts for the sample's function, a part inside a phase that
 * ended earlier for the previous sample's function. */
export function summarize(
  p: RunProfile,
  tick: TickUnit,
  mapper: SourceMapper | undefined,
  repoRoot: string,
  identity: { app: string; impl: string; kernels: string },
  top = 8,
): ProfileSummary {
  const raw = p.raw;
  const scale = p.quantum * unitsPerTick(tick);
  // Phase intervals in clock units: each 32-bit mark widened as the first value at or after
  // the one before (marks come in time order, each less than 2^32 ticks after the last).
  let previousTick = p.origin + raw.startTime * p.quantum;
  const wide = (t32: number): number => {
    previousTick += (((t32 - previousTick) % 2 ** 32) + 2 ** 32) % 2 ** 32;
    return (previousTick - p.origin) / p.quantum;
  };
  const spans: { phase: number; from: number; to: number }[] = [];
  // A truncated profile's clock stopped at its last sample: only iterations before it count.
  const lastSample = raw.timeDeltas.reduce((a, d) => a + d, raw.startTime);
  let iterations = 0;
  for (const m of p.marks) {
    const w = m.map(wide);
    if (p.truncated && w[3]! > lastSample) continue;
    iterations++;
    for (let ph = 0; ph < 3; ph++) spans.push({ phase: ph, from: w[ph]!, to: w[ph + 1]! });
  }
  spans.sort((a, b) => a.from - b.from);
  const self = PHASES.map(() => new Map<number, number>());
  let clock = raw.startTime;
  let s0 = 0;
  let previous = raw.samples[0];
  for (let k = 0; k < raw.samples.length; k++) {
    const from = clock;
    const to = clock + raw.timeDeltas[k]!;
    const leaf = raw.samples[k]!;
    clock = to;
    while (s0 < spans.length && spans[s0]!.to <= from) s0++;
    for (let s = s0; s < spans.length && spans[s]!.from < to; s++) {
      const overlap = Math.min(to, spans[s]!.to) - Math.max(from, spans[s]!.from);
      if (overlap <= 0) continue;
      // A phase that ended before this sample was taken: its part of the interval counts for
      // the function the previous sample saw running (nearer to it in time).
      const id = spans[s]!.to >= to ? leaf : previous!;
      const m = self[spans[s]!.phase]!;
      m.set(id, (m.get(id) ?? 0) + overlap);
    }
    previous = leaf;
  }
  // Reachability in XS's call graph (cycles are already cut by XS).
  const byId = new Map(raw.nodes.map((n) => [n.id, n]));
  const callers = new Map<number, number>();
  for (const n of raw.nodes) for (const c of n.children ?? []) callers.set(c, (callers.get(c) ?? 0) + 1);
  const reach = (id: number): Set<number> => {
    const seen = new Set([id]);
    const stack = [id];
    while (stack.length)
      for (const c of byId.get(stack.pop()!)?.children ?? [])
        if (!seen.has(c) && byId.has(c)) {
          seen.add(c);
          stack.push(c);
        }
    return seen;
  };
  const per = (clockUnits: number): number => (clockUnits * scale) / Math.max(1, iterations);
  const phases: PhaseProfile[] = PHASES.map((phase, ph) => {
    const m = self[ph]!;
    const span = spans.filter((s) => s.phase === ph).reduce((a, s) => a + (s.to - s.from), 0);
    const sampled = [...m.values()].reduce((a, v) => a + v, 0);
    const rows = [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([id, v]): ProfileRow => {
        const node = byId.get(id)!;
        const r = reach(id);
        let total = 0;
        for (const g of r) total += m.get(g) ?? 0;
        const bound = [...r].some((g) => g !== id && (callers.get(g) ?? 0) > 1);
        const src = sourceOf(node.callFrame, mapper, repoRoot);
        return {
          function: node.callFrame.functionName || '(anonymous)',
          where: src ? `${src.url}:${src.line}` : '',
          self: per(v),
          total: per(total),
          totalBound: bound,
        };
      });
    return { phase, span: per(span), sampled: per(sampled), rows };
  });
  const interval = 1250 * scale;
  return {
    ...identity,
    run: p.run,
    unit: tick.unit,
    interval,
    samples: raw.samples.length,
    iterations,
    truncated: p.truncated,
    phases,
  };
}
