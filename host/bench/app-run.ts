// `xsinfer run --app A`: one app on the main firmware, JS and/or C, optionally on another
// model (an asset the device has, or a .tflite file uploaded into its model slot first);
// the per-iteration answers side by side, so JS and C can be compared on any model.
// The device is --port, else the QEMU board `run --keep` left running (where `deploy`
// sent its model), else one booted here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TickUnit } from '../bridge/protocol.ts';
import { boardStatePath, type BoardState } from '../run/board-session.ts';
import { isQemuTarget, type Target } from '../targets.ts';
import { collectRuns, sessionTick } from './collect.ts';
import type { KernelSet } from './result.ts';
import { runSession, type ModelChoice, type RunSpec } from './session-runs.ts';

export interface AppRunOptions {
  target: Target;
  port?: string;
  app: string;
  impls: ('js' | 'c')[];
  kernels: KernelSet;
  iterations: number;
  warmup: number;
  model?: ModelChoice;
  onRunDone?: (spec: RunSpec) => void;
}

export interface AppRunResult {
  target: string;
  unit: TickUnit['unit'];
  app: string;
  /** The model asset the runs named; null: the app's own. */
  model: string | null;
  /** Where the runs ran: "kept board", "port …" or "booted". */
  device: string;
  recording: string;
  runs: {
    impl: 'js' | 'c';
    kernels: KernelSet;
    iterations: number;
    /** true / false: golden check; null: not checked (another model's bytes). */
    correct: boolean | null;
    wrong: number;
    labels: number[];
    scores: number[];
    median: { populate: number; invoke: number; respond: number; total: number };
  }[];
  /** Every impl gave the same labels and scores, iteration by iteration (null: one impl). */
  implsAgree: boolean | null;
}

/** The serial endpoint of the QEMU board `run --keep` left running for the target, if any. */
export function keptBoardPort(target: Target): string | undefined {
  if (!isQemuTarget(target)) return undefined;
  const file = boardStatePath(target);
  if (!fs.existsSync(file)) return undefined;
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as BoardState;
  try {
    process.kill(state.pid, 0);
  } catch {
    return undefined;
  }
  return state.serial;
}

export async function runApp(opts: AppRunOptions): Promise<AppRunResult> {
  const kept = opts.port ? undefined : keptBoardPort(opts.target);
  const port = opts.port ?? kept;
  const specs: RunSpec[] = opts.impls.map((impl) => ({
    app: opts.app,
    impl,
    kernels: opts.kernels,
    iterations: opts.iterations,
    warmup: opts.warmup,
    ops: false,
    ...(opts.model ? { model: opts.model.asset } : {}),
  }));
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-run-'));
  const session = await runSession({
    target: opts.target,
    port,
    runs: specs,
    outDir,
    modelUpload: opts.model?.upload,
    stop: port === undefined, // a board someone else started keeps running
    onRunDone: (spec) => opts.onRunDone?.(spec),
  });
  const tick = sessionTick(session.records);
  const runs = collectRuns(session.records).map((r) => ({
    impl: r.impl as 'js' | 'c',
    kernels: r.kernels,
    iterations: r.iterations,
    correct: r.correct,
    wrong: r.wrong,
    labels: r.results.map((x) => x.label ?? NaN),
    scores: r.results.map((x) => x.score ?? NaN),
    median: {
      populate: r.phases.populate.median,
      invoke: r.phases.invoke.median,
      respond: r.phases.respond.median,
      total: r.phases.total.median,
    },
  }));
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const implsAgree =
    runs.length < 2 ? null : runs.every((r) => same(r.labels, runs[0]!.labels) && same(r.scores, runs[0]!.scores));
  return {
    target: session.info.target,
    unit: tick.unit,
    app: opts.app,
    model: opts.model?.asset ?? null,
    device: opts.port ? `port ${opts.port}` : kept ? `kept board ${kept}` : 'booted',
    recording: session.recording,
    runs,
    implsAgree,
  };
}
