// `xsinfer mlperf`: drives a device in MLPerf Tiny mode the way the MLPerf Tiny runner
// does (name, profile, then per input: db load + db HEX…, infer N W) and scores it as the
// runner does: performance = median latency over the inputs (T1 − T0 of one infer / N),
// accuracy = top-1 against the truth CSV (kws, ic, vww) or, for the anomaly task, the AUC
// of the scores over the truth labels. Writes results.txt and results.json.
import fs from 'node:fs';
import path from 'node:path';
import { existingProgram, buildFirmware } from '../build/firmware.ts';
import { MAIN_PROGRAM } from '../build/main-program.ts';
import { openLink, linkFromSocket, type Link } from '../bridge/link.ts';
import { bootQemu } from '../run/board-session.ts';
import { XsinferError } from '../errors.ts';
import { loadInputSet, modelIo, type InputSet, type ModelIo } from '../generic/input-set.ts';
import type { Target } from '../targets.ts';
import { DutLink, parseInfer } from './dut.ts';

export type MlperfTask = 'kws01' | 'ic01' | 'vww01' | 'ad01';
export const TASKS: readonly MlperfTask[] = ['kws01', 'ic01', 'vww01', 'ad01'];

export interface MlperfOptions {
  target: Target;
  port?: string;
  baud?: number;
  model: string;
  inputs: string;
  mode: 'performance' | 'accuracy';
  impl: 'js' | 'c';
  kernels: 'reference' | 'optimized';
  task?: MlperfTask;
  /** Inferences per `infer` in performance mode. */
  iterations: number;
  warmup: number;
  /** At most this many inputs (default: all). */
  cases?: number;
  outDir: string;
  onProgress?: (done: number, total: number) => void;
}

export interface MlperfResult {
  model: string;
  task: MlperfTask;
  mode: 'performance' | 'accuracy';
  impl: 'js' | 'c';
  kernels: string;
  device: string;
  /** µs of the board clock; on QEMU virtual µs (-icount shift=7: 128 ns per instruction). */
  unit: 'us';
  clock: string;
  inputs: number;
  latency: { median: number; min: number; max: number; perInput: number[] };
  accuracy?: number;
  auc?: number;
  answers: { name: string; results: number[]; truth?: number }[];
  files: { txt: string; json: string };
}

/** The task a model is for, from its input shape and output (MLPerf Tiny's four). The
 * streaming wake-word model (input 1×30×1×40) has none: MLPerf Tiny runs it by streaming
 * audio, not through the runner's db / infer commands. */
export function guessTask(io: ModelIo, kind: InputSet['kind'], model = 'the model'): MlperfTask {
  if (kind === 'anomaly') return 'ad01';
  const shape = io.input.shape.join('x');
  if (shape === '1x30x1x40')
    throw new XsinferError(
      'NOT_SUPPORTED',
      `${model} looks like MLPerf Tiny's streaming wake-word model (input 1x30x1x40), which the benchmark streams audio into rather than driving through db/infer: use \`xsinfer bench --model\` for it, or --task kws01 to run it as one-shot inferences`,
    );
  if (shape === '1x96x96x3') return 'vww01';
  if (shape === '1x32x32x3') return 'ic01';
  return 'kws01';
}

/** Area under the ROC curve of scores (higher = more anomalous) over 0/1 labels: the
 * probability that a random anomalous input scores above a random normal one (ties ½). */
export function auc(scores: number[], labels: number[]): number {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] !== 1);
  if (pos.length === 0 || neg.length === 0)
    throw new XsinferError('BAD_ARGUMENT', 'AUC needs both normal (0) and anomalous (1) inputs in the truth CSV');
  let sum = 0;
  for (const p of pos) for (const n of neg) sum += p > n ? 1 : p === n ? 0.5 : 0;
  return sum / (pos.length * neg.length);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

async function open(opts: MlperfOptions, task: MlperfTask): Promise<{ link: Link; kill: () => void; device: string }> {
  if (opts.port) {
    const link = await openLink(opts.port, opts.baud ? { baudRate: opts.baud } : {});
    return { link, kill: () => void link.close(), device: link.description };
  }
  if (opts.target !== 'mps2-an500')
    throw new XsinferError('BAD_ARGUMENT', `mlperf boots only mps2-an500 itself; for ${opts.target} give --port`);
  await buildFirmware({ target: opts.target });
  const args = [
    'mlperf',
    `impl=${opts.impl}`,
    `kernels=${opts.kernels}`,
    `task=${task}`,
    `model=${path.resolve(opts.model)}`,
  ];
  const boot = await bootQemu({ elf: existingProgram(opts.target, MAIN_PROGRAM), args });
  const link = linkFromSocket(boot.socket, `qemu mps2-an500 tcp:127.0.0.1:${boot.port}`);
  return { link, kill: () => boot.child.kill('SIGKILL'), device: link.description };
}

export async function runMlperf(opts: MlperfOptions): Promise<MlperfResult> {
  if (/^random\b/.test(opts.inputs))
    throw new XsinferError('BAD_ARGUMENT', 'mlperf needs real inputs: a directory or a golden JSON');
  const io = modelIo(opts.model);
  const set = loadInputSet(opts.inputs, io, { cases: opts.cases ?? Number.MAX_SAFE_INTEGER });
  const task = opts.task ?? guessTask(io, set.kind, path.basename(opts.model));
  // What accuracy mode scores is checked before anything boots.
  if (opts.mode === 'accuracy') {
    const labels = set.cases.filter((c) => c.truth !== undefined).map((c) => c.truth!);
    if (labels.length === 0)
      throw new XsinferError(
        'BAD_ARGUMENT',
        `accuracy mode needs a truth CSV in ${opts.inputs} (file, classes, class, …): a directory of .bin inputs with one`,
      );
    if (task === 'ad01' && (!labels.includes(1) || !labels.some((l) => l !== 1)))
      throw new XsinferError(
        'BAD_ARGUMENT',
        `AUC needs both normal (0) and anomalous (1) inputs in the truth CSV of ${opts.inputs}`,
      );
  }
  const { link, kill, device } = await open(opts, task);
  const dut = new DutLink(link.stream);
  try {
    if (!opts.port) await dut.ready(60_000, 'the boot banner');
    const name = [await dut.sync(30_000)];
    const profile = await dut.command('profile');
    const model = profile.find((l) => l.startsWith('m-model-['));
    if (model !== `m-model-[${task}]`)
      throw new XsinferError('RUN_FAILED', `the device runs ${model ?? 'no model'}, not ${task} (${name.join(' ')})`);
    const answers: MlperfResult['answers'] = [];
    const latencies: number[] = [];
    const n = opts.mode === 'performance' ? opts.iterations : 1;
    const w = opts.mode === 'performance' ? opts.warmup : 0;
    for (const [i, c] of set.cases.entries()) {
      await dut.load(c.input!);
      const lines = await dut.command(`infer ${n} ${w}`, 600_000);
      const r = parseInfer(lines, n);
      latencies.push(r.latencyUs);
      answers.push({ name: c.name, results: r.results, ...(c.truth !== undefined ? { truth: c.truth } : {}) });
      opts.onProgress?.(i + 1, set.cases.length);
    }
    const result: MlperfResult = {
      model: path.basename(opts.model),
      task,
      mode: opts.mode,
      impl: opts.impl,
      kernels: opts.kernels,
      device,
      unit: 'us',
      clock: opts.port ? 'board clock' : 'QEMU virtual time (-icount shift=7: 128 ns per instruction)',
      inputs: answers.length,
      latency: {
        median: median(latencies),
        min: Math.min(...latencies),
        max: Math.max(...latencies),
        perInput: latencies,
      },
      answers,
      files: { txt: path.join(opts.outDir, 'results.txt'), json: path.join(opts.outDir, 'results.json') },
    };
    if (opts.mode === 'accuracy') {
      const truths = answers.filter((a) => a.truth !== undefined);
      if (truths.length === 0)
        throw new XsinferError(
          'BAD_ARGUMENT',
          `accuracy mode needs a truth CSV in ${opts.inputs} (file, classes, class, …)`,
        );
      if (task === 'ad01')
        result.auc = auc(
          truths.map((a) => a.results[0]!),
          truths.map((a) => a.truth!),
        );
      else result.accuracy = truths.filter((a) => argmax(a.results) === a.truth).length / truths.length;
    }
    writeResults(result);
    return result;
  } finally {
    kill();
    await link.close().catch(() => undefined);
  }
}

function writeResults(r: MlperfResult): void {
  fs.mkdirSync(path.dirname(r.files.txt), { recursive: true });
  const lines = [
    `MLPerf Tiny ${r.task} (${r.model}), ${r.mode} mode, xsinfer impl ${r.impl}, ${r.kernels} kernels`,
    `device: ${r.device}; clock: ${r.clock}`,
    `inputs: ${r.inputs}`,
    `median latency: ${r.latency.median.toFixed(1)} us (min ${r.latency.min.toFixed(1)}, max ${r.latency.max.toFixed(1)})`,
  ];
  if (r.accuracy !== undefined) lines.push(`top-1 accuracy: ${(r.accuracy * 100).toFixed(2)} %`);
  if (r.auc !== undefined) lines.push(`AUC: ${r.auc.toFixed(4)}`);
  for (const a of r.answers)
    lines.push(`  ${a.name}: [${a.results.join(',')}]${a.truth !== undefined ? ` truth ${a.truth}` : ''}`);
  fs.writeFileSync(r.files.txt, lines.join('\n') + '\n');
  fs.writeFileSync(r.files.json, JSON.stringify(r, null, 2) + '\n');
}

export function renderMlperf(r: MlperfResult): string {
  return fs.readFileSync(r.files.txt, 'utf8').trimEnd();
}
