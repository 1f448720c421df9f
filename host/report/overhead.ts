// What the report derives from the runs alone: JS-minus-C overhead per phase, the
// reference→optimized INVOKE speed-up, and the evidence that no timed region did I/O.
// Pure functions of a BenchResult; `withDerived` recomputes every derived field.
import type { BenchResult, BenchRun, IoEvidence, JsImpl, ModelRow, Overhead, Speedup } from '../bench/result.ts';
import { phases } from '../bench/result.ts';
import { appModel, kerasFlops, seedF769 } from './seed.ts';

/** A run that produced at least one timed iteration (collect.ts leaves `phases` unset otherwise). */
export function hasTimings(run: BenchRun): boolean {
  return run.iterations > 0 && run.phases !== undefined;
}

/** Apps in the order they first appear in the runs. */
export function appsOf(runs: BenchRun[]): string[] {
  return [...new Set(runs.map((r) => r.app))];
}

const kernelOrder = ['reference', 'optimized'];
const implOrder = ['js', 'js-native-frontend', 'js-helpers', 'c'];

/** Runs sorted the way every table lists them: app (first appearance), kernels, impl. */
export function orderedRuns(runs: BenchRun[]): BenchRun[] {
  const apps = appsOf(runs);
  const rank = (list: string[], v: string) => (list.includes(v) ? list.indexOf(v) : list.length);
  return [...runs].sort(
    (a, b) =>
      apps.indexOf(a.app) - apps.indexOf(b.app) ||
      rank(kernelOrder, a.kernels) - rank(kernelOrder, b.kernels) ||
      rank(implOrder, a.impl) - rank(implOrder, b.impl),
  );
}

function find(runs: BenchRun[], app: string, kernels: string, impl: string): BenchRun | undefined {
  return runs.find((r) => r.app === app && r.kernels === kernels && r.impl === impl && hasTimings(r));
}

/**
 * Per app × kernel set × JS variant × phase: median JS − median C, and that difference as a
 * percentage of the C run's median total iteration. JS runs without a C counterpart are left out.
 */
export function deriveOverhead(runs: BenchRun[]): Overhead[] {
  const out: Overhead[] = [];
  for (const js of orderedRuns(runs)) {
    if (js.impl === 'c' || !hasTimings(js)) continue;
    const c = find(runs, js.app, js.kernels, 'c');
    if (!c) continue;
    const cTotal = c.phases.total.median;
    for (const phase of phases) {
      const jsMedian = js.phases[phase].median;
      const cMedian = c.phases[phase].median;
      const jsMinusC = jsMedian - cMedian;
      out.push({
        app: js.app,
        kernels: js.kernels,
        phase,
        jsMinusC,
        pctOfC: cTotal > 0 ? (100 * jsMinusC) / cTotal : NaN,
        impl: js.impl as JsImpl,
        js: jsMedian,
        c: cMedian,
        cTotal,
      });
    }
  }
  return out;
}

/** Reference → optimized INVOKE (medians) per app and impl, where both kernel sets ran. */
export function deriveSpeedups(runs: BenchRun[]): Speedup[] {
  const out: Speedup[] = [];
  const seen = new Set<string>();
  for (const run of orderedRuns(runs)) {
    const key = `${run.app}\u0000${run.impl}`;
    if (seen.has(key)) continue;
    const ref = find(runs, run.app, 'reference', run.impl);
    const opt = find(runs, run.app, 'optimized', run.impl);
    if (!ref || !opt) continue;
    seen.add(key);
    const reference = ref.phases.invoke.median;
    const optimized = opt.phases.invoke.median;
    out.push({
      app: run.app,
      impl: run.impl,
      reference,
      optimized,
      ratio: optimized > 0 ? reference / optimized : NaN,
      changePct: reference > 0 ? (100 * (optimized - reference)) / reference : NaN,
    });
  }
  return out;
}

/** Per run: the board's output counters read 0 inside every timed phase of every timed
 *  iteration (`iter.io`), and every timed iteration reached the host (so none is missing
 *  from the count). */
export function deriveEvidence(runs: BenchRun[]): IoEvidence[] {
  return orderedRuns(runs).map((run) => {
    const iterationsDevice = run.iterationsDevice ?? null;
    const drained = iterationsDevice === null ? null : run.iterations === iterationsDevice;
    const io = run.io;
    const sum = (c: { populate: number; invoke: number; respond: number } | undefined) =>
      c ? c.populate + c.invoke + c.respond : 0;
    const bytes = sum(io?.bytes);
    const calls = sum(io?.calls);
    const counted = io?.counted ?? 0;
    const phasesWithIo = (['populate', 'invoke', 'respond'] as const).filter(
      (p) => io !== undefined && io.bytes[p] + io.calls[p] > 0,
    );
    return {
      app: run.app,
      impl: run.impl,
      kernels: run.kernels,
      txOverflow: run.txOverflow,
      iterations: run.iterations,
      iterationsDevice,
      drained,
      counted,
      bytes,
      calls,
      phasesWithIo,
      ok:
        run.iterations > 0 &&
        counted === run.iterations &&
        bytes === 0 &&
        calls === 0 &&
        run.txOverflow === 0 &&
        drained === true,
    };
  });
}

/** The model table, completed from the runs where the producer left figures out. */
export function completeModels(models: ModelRow[], runs: BenchRun[]): ModelRow[] {
  return models.map((m) => {
    const app = m.app ?? Object.keys(appModel).find((a) => appModel[a] === m.model);
    const row: ModelRow = { ...m, instrPerMac: { ...m.instrPerMac } };
    if (app) row.app = app;
    if (row.kerasFlops === undefined && kerasFlops[m.model] !== undefined) row.kerasFlops = kerasFlops[m.model];
    // INVOKE is native C for every impl; prefer the C run's figure, else any run of the app.
    const invoke = (kernels: 'reference' | 'optimized') => {
      if (!app) return undefined;
      const run =
        find(runs, app, kernels, 'c') ?? runs.find((r) => r.app === app && r.kernels === kernels && hasTimings(r));
      return run?.phases.invoke.median;
    };
    for (const k of ['reference', 'optimized'] as const) {
      const inv = invoke(k);
      if (row.instrPerMac[k] === undefined && inv !== undefined && m.macs > 0) row.instrPerMac[k] = inv / m.macs;
    }
    const ref = invoke('reference');
    const opt = invoke('optimized');
    if (row.speedup === undefined && ref !== undefined && opt !== undefined && opt > 0) row.speedup = ref / opt;
    return row;
  });
}

/** The result with every derived field recomputed from its runs (and the write-up's seed filled in). */
export function withDerived(result: BenchResult): BenchResult {
  return {
    ...result,
    overhead: deriveOverhead(result.runs),
    speedups: deriveSpeedups(result.runs),
    evidence: deriveEvidence(result.runs),
    models: completeModels(result.models ?? [], result.runs),
    seed: result.seed ?? seedF769,
  };
}
