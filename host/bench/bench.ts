// `xsinfer bench`: the JS-vs-C matrix in one firmware session (apps × impl × kernel sets),
// recorded as it arrives, then turned into a BenchResult (runs, JS overhead, models,
// memory) that the report renders. `benchFromRecording` rebuilds the same from a file.
import fs from 'node:fs';
import path from 'node:path';
import { buildFirmware, programPath } from '../build/firmware.ts';
import { MAIN_PROGRAM } from '../build/main-program.ts';
import { sizeReport } from '../build/size.ts';
import { resolveManifest } from '../build/manifest.ts';
import { XsinferError } from '../errors.ts';
import { readRecording, replayRecording } from '../bridge/recording.ts';
import type { DeviceRecord, InfoRecord } from '../bridge/protocol.ts';
import { microFromRecords, toMicroBench } from './micro.ts';
import { dataDir } from '../data.ts';
import { targetInfo, type Target } from '../targets.ts';
import { toolVersions, type ToolVersions } from '../versions.ts';
import { modelRows, tflmArenaBytes } from '../report/models.ts';
import { appModel } from '../report/seed.ts';
import { collectRuns, type CollectedRun } from './collect.ts';
import { currentFlavourName } from '../build/flavour.ts';
import { DEFAULT_PROFILE_INTERVAL, expectedTick, profileQuantum, writeProfiles } from '../profile/write.ts';
import type { BenchResult, BenchRun, KernelSet, MemoryReport } from './result.ts';

/** The pseudo-app that runs the micro-benchmarks. */
export const MICRO_APP = 'micro';
/** The device app with micro_speech's pure-TypeScript front end. */
export const TS_FRONTEND_APP = 'micro_speech_ts';
/** Each app with two JS variants → its device app with the pure-TypeScript front end. */
export const TS_FRONTEND_APPS: Record<string, string> = {
  micro_speech: TS_FRONTEND_APP,
  micro_speech_stream: 'micro_speech_stream_ts',
};

/** The apps with a variant on the native helpers: device app <app>_fast, impl "js-helpers". */
export const HELPERS_APPS = ['hello_world', 'mnist', 'micro_speech', 'person_detect', 'generic'];
export const helpersApp = (app: string): string => `${app}_fast`;

/** Device app + impl → the report's app and impl: micro_speech (clip and stream) has two JS
 * variants with plain loops, and every app in HELPERS_APPS one on the helpers. */
function reportIdentity(run: CollectedRun): Pick<BenchRun, 'app' | 'impl'> {
  const helped = HELPERS_APPS.find((app) => helpersApp(app) === run.app);
  if (helped && run.impl === 'js') return { app: helped, impl: 'js-helpers' };
  const base = Object.keys(TS_FRONTEND_APPS).find((app) => TS_FRONTEND_APPS[app] === run.app);
  if (base) return { app: base, impl: 'js' };
  if (TS_FRONTEND_APPS[run.app] && run.impl === 'js') return { app: run.app, impl: 'js-native-frontend' };
  return { app: run.app, impl: run.impl };
}
import { runSession, type ModelChoice, type RunSpec } from './session-runs.ts';

export interface BenchOptions {
  target: Target;
  port?: string;
  apps: string[];
  impls: ('js' | 'c')[];
  kernels: KernelSet[];
  iterations: number;
  warmup: number;
  ops: boolean;
  /** Ask the board for core event counters per phase (counted runs; QEMU has none). */
  counters?: boolean;
  outDir: string;
  /** Every app runs on this model instead of its own (`--model`: an asset, or a file
   * uploaded into the slot first). Default: each app's built-in model. */
  model?: ModelChoice;
  /** The generic app's input set (host/generic/input-set.ts), uploaded after the model. */
  inputs?: { name: string; data: Uint8Array };
  /** A user's app archive, deployed before the model (runs name it "deployed"). */
  app?: { name: string; data: Uint8Array };
  /** These runs instead of the apps × impls × kernels matrix. */
  specs?: RunSpec[];
  /** Profile every JS run on the profiling firmware (build/<target>+profile), sampling
   *  every `interval` units of the target (default 10,000 instructions on QEMU); the
   *  profiles go to <outDir>/profiles/ and into result.profiles. */
  profile?: { interval?: number };
  onRunDone?: (spec: RunSpec, index: number, total: number) => void;
}

function opMacs(model: string): number[] {
  const facts = JSON.parse(fs.readFileSync(path.join(dataDir(), 'facts', `${model}.json`), 'utf8')) as {
    operators: { macs?: number }[];
  };
  return facts.operators.map((o) => o.macs ?? 0);
}

function microOf(records: DeviceRecord[], info: InfoRecord): BenchResult['micro'] {
  const micro = microFromRecords(records, info.tick);
  return micro ? toMicroBench(micro) : undefined;
}

function memoryReport(
  runs: CollectedRun[],
  target: string,
  flash: Record<string, number>,
  bootXs?: Record<string, number>,
): MemoryReport {
  const arena: MemoryReport['arena'] = [];
  for (const run of runs) {
    const model = run.model ? undefined : appModel[run.app]; // another model: not the app's figures
    if (!model || !run.arena || arena.some((a) => a.model === model)) continue;
    const tflm = target === 'mps2-an500' ? tflmArenaBytes(model, run.kernels) : null;
    arena.push({ model, head: run.arena.head, tail: run.arena.tail, total: run.arena.used, tflm });
  }
  // XS figures are cumulative peaks since boot: the last JS run's record holds the largest;
  // without JS runs, the figures the device reported at hello (after creating XS).
  const xs = runs.filter((r) => r.xs).pop()?.xs ?? bootXs;
  return {
    arena,
    xsHeap: xs
      ? { configured: xs.arenaBytes ?? 0, peak: (xs.slotsPeak ?? 0) * (xs.slotBytes ?? 0) + (xs.chunksPeak ?? 0) }
      : { configured: 0, peak: 0 },
    jsStackPeak: Math.max(xs?.jsStackPeak ?? 0, ...runs.map((r) => r.jsStackPeak ?? 0)),
    cStackPeak: Math.max(0, ...runs.map((r) => r.cStackPeak ?? 0)),
    flash,
  };
}

/** A BenchResult from a session's records (live or replayed). */
export function resultFromRecords(records: DeviceRecord[], flash: Record<string, number> = {}): BenchResult {
  const info = records.filter((r): r is InfoRecord => r.kind === 'info').pop();
  if (!info) throw new Error('no info record in the session');
  const collected = collectRuns(records)
    .filter((r) => r.app !== MICRO_APP)
    .map((r) => ({ ...r, ...reportIdentity(r) }));
  const runs: BenchRun[] = collected.map(
    ({ run: _run, results: _results, arena: _arena, cStackPeak: _stack, jsStackPeak: _js, xs: _xs, ...rest }) => {
      const model = rest.model ? undefined : appModel[rest.app];
      if (rest.ops && model) {
        const macs = opMacs(model);
        rest.ops = rest.ops.map((o) => ({ ...o, macs: macs[o.index] ?? 0 }));
      }
      return rest;
    },
  );
  return {
    target: info.target,
    unit: info.tick.unit,
    hz: info.tick.hz,
    build: info.build,
    createdAt: new Date().toISOString(),
    runs,
    overhead: [],
    micro: microOf(records, info),
    memory: memoryReport(
      collected,
      info.target,
      flash,
      ((info.extra ?? {}) as { xs?: Record<string, number> | null }).xs ?? undefined,
    ),
    models: modelRows(
      [...new Set(runs.map((r) => (r.model ? undefined : appModel[r.app])).filter((m): m is string => !!m))],
      info.target,
    ),
  };
}

/** `profilesDir`: where the .cpuprofile files of a profiled session go (`report` writes
 * them next to its report); without it a recording's profiles are left out. */
export function benchFromRecording(file: string, profilesDir?: string): BenchResult {
  const replay = replayRecording(readRecording(file));
  if (!replay.records.some((r) => r.kind === 'info'))
    throw new XsinferError(
      'BAD_INPUT',
      `${file} holds no session: no info record among its ${replay.records.length} records (was the device ever reached?)`,
    );
  const result = resultFromRecords(replay.records);
  if (profilesDir !== undefined && replay.records.some((r) => r.kind === 'profile'))
    result.profiles = writeProfiles(replay.records, result.target as Target, profilesDir);
  // Recordings made by bench carry the tool versions in their header; the build id is the device's.
  const versions = replay.meta.versions as Omit<ToolVersions, 'build'> | undefined;
  return versions ? { ...result, versions: { ...versions, build: result.build } } : result;
}

/** Every run of a bench session, in the order the device runs them; with a model asset,
 * every app run names it (the micro-benchmarks take none). */
export function planRuns(
  opts: Pick<BenchOptions, 'apps' | 'impls' | 'kernels' | 'iterations' | 'warmup' | 'ops' | 'counters'> & {
    model?: string;
  },
  builtIn?: string[],
): RunSpec[] {
  const missing = builtIn ? opts.apps.filter((a) => !builtIn.includes(a)) : [];
  if (missing.length) {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `${missing.join(', ')} not built into this image (manifest.json apps: ${builtIn!.join(', ')})`,
    );
  }
  const specs: RunSpec[] = [];
  const model = {
    ...(opts.model !== undefined ? { model: opts.model } : {}),
    ...(opts.counters ? { counters: true } : {}),
  };
  const spec = (app: string, impl: RunSpec['impl'], kernels: KernelSet, ops: boolean): RunSpec => ({
    app,
    impl,
    kernels,
    iterations: opts.iterations,
    warmup: opts.warmup,
    ops,
    ...model,
  });
  // Each app's TypeScript with the native helpers (device app <app>_fast) runs beside its
  // plain-loop TypeScript and its C, when the image has it.
  const helped = (app: string) =>
    opts.impls.includes('js') && HELPERS_APPS.includes(app) && (!builtIn || builtIn.includes(helpersApp(app)));
  for (const app of opts.apps)
    for (const kernels of opts.kernels) {
      for (const impl of opts.impls) specs.push(spec(app, impl, kernels, opts.ops && impl === 'c'));
      if (helped(app)) specs.push(spec(helpersApp(app), 'js', kernels, false));
    }
  // micro_speech (clip and stream) in JS twice: the pure-TypeScript front end (device app
  // micro_speech[_stream]_ts, reported as impl "js") beside TS calling the native front end
  // ("js-native-frontend").
  // Images without the pure-TS front end (the F769's: it does not fit its XS heap) skip it.
  for (const app of opts.apps.filter(
    (a) => TS_FRONTEND_APPS[a] && (!builtIn || builtIn.includes(TS_FRONTEND_APPS[a])),
  )) {
    if (!opts.impls.includes('js')) break;
    for (const kernels of opts.kernels) specs.push(spec(TS_FRONTEND_APPS[app], 'js', kernels, false));
  }
  // The micro-benchmarks that explain the overhead table, in the same firmware session.
  if (opts.impls.includes('js'))
    specs.push({ app: MICRO_APP, impl: 'js', kernels: 'reference', iterations: 1, warmup: 0, ops: false });
  return specs;
}

export async function runBench(
  opts: BenchOptions,
): Promise<{ result: BenchResult; recording: string; records: DeviceRecord[] }> {
  const flavour = opts.profile ? 'profile' : currentFlavourName();
  if (opts.profile && currentFlavourName() !== 'release')
    throw new XsinferError('BAD_ARGUMENT', '--profile and --debug: profiling has its own firmware flavour; use one');
  if (!opts.port || targetInfo[opts.target].arm) await buildFirmware({ target: opts.target, flavour });
  const planned = opts.specs ?? planRuns({ ...opts, model: opts.model?.asset }, resolveManifest(opts.target).apps);
  const quantum = opts.profile
    ? profileQuantum(opts.profile.interval ?? DEFAULT_PROFILE_INTERVAL, expectedTick(opts.target))
    : 0;
  // The micro-benchmarks are no app run: they are not profiled.
  const specs = quantum
    ? planned.map((s) => (s.impl === 'js' && s.app !== MICRO_APP ? { ...s, profile: quantum } : s))
    : planned;
  const { build: _build, ...tools } = toolVersions(opts.target, null);
  const session = await runSession({
    target: opts.target,
    flavour,
    port: opts.port,
    runs: specs,
    outDir: opts.outDir,
    meta: { versions: tools },
    modelUpload: opts.model?.upload,
    inputsUpload: opts.inputs,
    appUpload: opts.app,
    onRunDone: (spec, _done, index) => opts.onRunDone?.(spec, index, specs.length),
    // A board on a port keeps running: `stop` would halt it until the next reset.
    stop: opts.port === undefined,
  });
  const elf = programPath(opts.target, MAIN_PROGRAM, flavour);
  const flash =
    fs.existsSync(elf) && targetInfo[opts.target].arm ? (await sizeReport(opts.target, elf)).components : {};
  const result = resultFromRecords(session.records, flash);
  if (opts.profile) result.profiles = writeProfiles(session.records, opts.target, opts.outDir);
  return {
    result: { ...result, versions: { ...tools, build: result.build } },
    recording: session.recording,
    records: session.records,
  };
}
