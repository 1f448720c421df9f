// bench-engine: runs the bench-engine firmware program per model and kernel set (or, over
// the wire, the main firmware's engine on the uploaded model: --port, --via-wire) and
// compares instructions per invoke (and per op) with the TFLM anchors.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { engineInvoke, engineOpen } from '../bridge/engine.ts';
import type { InfoRecord } from '../bridge/protocol.ts';
import { SessionError, type DeviceSession } from '../bridge/session.ts';
import { buildFirmware } from '../build/firmware.ts';
import { sendImage } from '../deploy/deploy.ts';
import { dataDir } from '../data.ts';
import { opMacs, readModel } from '../engine/tflite.ts';
import { XsinferError } from '../errors.ts';
import { runProgram } from '../run/program.ts';
import type { Target } from '../targets.ts';
import { loadAnchors, type AnchorKernels } from './anchors.ts';

export type KernelSet = 'reference' | 'optimized';

export const benchModels = ['hello_world_int8', 'micro_speech_quantized', 'mnist_int8', 'person_detect'] as const;

export interface EngineBenchRow {
  model: string;
  kernels: KernelSet;
  instrPerInvoke: number; // in the target's unit (instructions on QEMU)
  invokes: number[];
  repeatable: boolean;
  macs: number;
  instrPerMac: number | null;
  anchor: number | null;
  anchorKernels: AnchorKernels;
  ratioToAnchor: number | null;
  setup: number;
  arena: { head: number; tail: number; total: number };
  tflmArena: number | null;
  ops: {
    index: number;
    op: string;
    instr: number;
    macs: number;
    anchor: number | null;
    ratioToAnchor: number | null;
  }[];
}

interface RawResult {
  unit: string;
  num: number;
  den: number;
  setupTicks: number;
  invokeTicks: number[];
  ops: { index: number; op: string; ticks: number }[];
  arena: { head: number; tail: number; total: number };
}

export function parseBenchLine(output: string): RawResult {
  const error = /BENCH-ENGINE-ERROR (\{.*\})/.exec(output);
  if (error) {
    const e = JSON.parse(error[1]) as { error: string; detail: string };
    throw new XsinferError('RUN_FAILED', `bench-engine: ${e.error}: ${e.detail}`);
  }
  const line = /BENCH-ENGINE (\{.*\})/.exec(output);
  if (!line) throw new XsinferError('RUN_FAILED', `bench-engine printed no result:\n${output.slice(-2000)}`);
  return JSON.parse(line[1]) as RawResult;
}

/** Folders whose models a bare name (`--models kws_ref_model`) refers to. */
function modelDirs(): string[] {
  return [path.join(dataDir(), 'models'), path.join(dataDir(), 'mlperf', 'models')];
}

/** A model name from the project's test data or a path to any .tflite file. */
export function resolveModel(nameOrFile: string): string {
  if (nameOrFile.endsWith('.tflite') || nameOrFile.includes('/') || nameOrFile.includes(path.sep)) {
    const file = path.resolve(nameOrFile);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      throw new XsinferError('BAD_ARGUMENT', `no model file ${nameOrFile}`);
    return file;
  }
  for (const dir of modelDirs()) {
    const file = path.join(dir, `${nameOrFile}.tflite`);
    if (fs.existsSync(file)) return file;
  }
  throw new XsinferError(
    'BAD_ARGUMENT',
    `no model '${nameOrFile}' in ${modelDirs().join(' or ')} (give a .tflite path for any other model)`,
  );
}

const md5 = (b: Uint8Array) => crypto.createHash('md5').update(b).digest('hex');

let knownByHash: Map<string, string> | undefined;

/** The anchor key of a model: the stem of the test-data model with the same bytes (so a
 * renamed copy still finds its anchors), else the file's own stem. */
function anchorKey(file: string, bytes: Uint8Array): string {
  if (!knownByHash) {
    knownByHash = new Map();
    for (const dir of modelDirs()) {
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.tflite')))
        knownByHash.set(md5(fs.readFileSync(path.join(dir, f))), path.basename(f, '.tflite'));
    }
  }
  return knownByHash.get(md5(bytes)) ?? path.basename(file, '.tflite');
}

/** The anchors' input bytes: x = x*1664525 + 1013904223 from 12345, one byte = x >> 24
 *  (the bench-engine program's fill_lcg). */
export function lcgBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A model uploaded as upload/model; a model the slots cannot take ends the command. */
async function uploadModel(session: DeviceSession, modelPath: string, bytes: Uint8Array): Promise<void> {
  const file = path.basename(modelPath);
  try {
    await sendImage(session, { kind: 'model', name: file.slice(0, 31), data: bytes });
  } catch (err) {
    if (err instanceof SessionError && err.record) {
      const r = err.record;
      throw new XsinferError(
        r.codeName === 'tooLarge' ? 'NOT_SUPPORTED' : 'RUN_FAILED',
        r.codeName === 'tooLarge'
          ? `bench-engine --port: ${file} is ${bytes.length.toLocaleString('en-US')} bytes, more than the board's model slots take (${r.message})`
          : `bench-engine --port: the device refused ${file}: ${r.message} (${r.codeName})`,
      );
    }
    throw err;
  }
}

/** The bench-engine program's measurement through an engine session: the same input
 *  before every invoke (untimed), one warm-up, `invokes` timed, one profiled. */
async function wireBench(
  session: DeviceSession,
  info: InfoRecord,
  kernels: KernelSet,
  invokes: number,
): Promise<RawResult> {
  let open;
  try {
    open = await engineOpen(session, { model: 'upload/model', kernels });
  } catch (err) {
    if (err instanceof SessionError && err.record)
      throw new XsinferError('RUN_FAILED', `bench-engine: ${err.record.message} (${err.record.codeName})`);
    throw err;
  }
  const inputs = open.inputs.map((t, k) => (k === 0 ? lcgBytes(t.bytes) : new Uint8Array(t.bytes)));
  const invokeTicks: number[] = [];
  for (let i = 0; i <= invokes; i++) {
    const r = await engineInvoke(session, inputs);
    if (i > 0) invokeTicks.push(r.ticks);
  }
  const profiled = await engineInvoke(session, inputs, { ops: true });
  const ops = profiled.ops!.ticks.map((ticks, index) => ({ index, op: profiled.ops!.names[index]!, ticks }));
  return {
    unit: info.tick.unit,
    num: info.tick.num,
    den: info.tick.den,
    setupTicks: open.setupTicks,
    invokeTicks,
    ops,
    arena: { head: open.arena.head, tail: open.arena.tail, total: open.arena.used },
  };
}

export async function benchEngine(opts: {
  target: Target;
  models: string[];
  kernels: KernelSet[];
  invokes?: number;
  onRow?: (row: EngineBenchRow) => void;
  /** The main firmware over the wire instead of the bench-engine program. */
  wire?: { session: DeviceSession; info: InfoRecord };
}): Promise<EngineBenchRow[]> {
  if (!opts.wire) await buildFirmware({ target: opts.target });
  const anchors = loadAnchors();
  const rows: EngineBenchRow[] = [];
  for (const modelArg of opts.models) {
    const modelPath = resolveModel(modelArg);
    const bytes = fs.readFileSync(modelPath);
    const info = readModel(bytes);
    // MACs from the model itself (conv, depthwise, fully connected; as the anchors count).
    const macsPerOp = info.ops.map((op) => opMacs(info, op).macs);
    const macs = macsPerOp.reduce((a, b) => a + b, 0);
    const model = path.basename(modelPath, '.tflite');
    const key = anchorKey(modelPath, bytes);
    if (opts.wire) await uploadModel(opts.wire.session, modelPath, bytes);
    for (const kernels of opts.kernels) {
      let raw: RawResult;
      if (opts.wire) raw = await wireBench(opts.wire.session, opts.wire.info, kernels, opts.invokes ?? 3);
      else {
        const run = await runProgram({
          target: opts.target,
          program: 'bench-engine',
          args: [modelPath, kernels, String(opts.invokes ?? 3)],
          timeoutMs: 600_000,
        });
        raw = parseBenchLine(run.output.toString());
        if (run.exitCode !== 0) throw new XsinferError('RUN_FAILED', `bench-engine exited ${run.exitCode}`);
      }
      const toUnit = (ticks: number) => Math.round((ticks * raw.num) / raw.den);
      const invokes = raw.invokeTicks.map(toUnit);
      const instr = Math.min(...invokes);
      const anchorKernels: AnchorKernels = kernels === 'reference' ? 'reference' : 'cmsis-nn';
      const found = anchors.get(key);
      // Same name, other bytes: the anchor's MAC count tells a different model apart.
      const anchor = found && found.macs === macs ? found : undefined;
      // Anchors are QEMU instruction counts: only comparable on mps2-an500.
      const comparable = opts.target === 'mps2-an500' && anchor !== undefined;
      const anchorInstr = comparable ? anchor!.instrPerInvoke[anchorKernels] : null;
      const row: EngineBenchRow = {
        model,
        kernels,
        instrPerInvoke: instr,
        invokes,
        repeatable: invokes.every((v) => v === invokes[0]),
        macs,
        instrPerMac: macs > 0 ? instr / macs : null,
        anchor: anchorInstr,
        anchorKernels,
        ratioToAnchor: anchorInstr ? instr / anchorInstr : null,
        setup: toUnit(raw.setupTicks),
        arena: raw.arena,
        tflmArena: comparable ? anchor!.arenaUsedBytes[anchorKernels] : null,
        ops: raw.ops.map((o) => {
          const a = comparable ? (anchor!.ops.find((x) => x.index === o.index)?.instr[anchorKernels] ?? null) : null;
          const opInstr = toUnit(o.ticks);
          return {
            index: o.index,
            op: o.op,
            instr: opInstr,
            macs: macsPerOp[o.index] ?? 0,
            anchor: a,
            ratioToAnchor: a ? opInstr / a : null,
          };
        }),
      };
      rows.push(row);
      opts.onRow?.(row);
    }
  }
  return rows;
}
