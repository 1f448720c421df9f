// bench-engine: runs the bench-engine firmware program per model and kernel set and
// compares instructions per invoke (and per op) with the TFLM anchors.
import fs from 'node:fs';
import path from 'node:path';
import { buildFirmware } from '../build/firmware.ts';
import { dataDir } from '../data.ts';
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

function modelMacs(model: string): number {
  const facts = JSON.parse(fs.readFileSync(path.join(dataDir(), 'facts', `${model}.json`), 'utf8')) as {
    total_macs: number;
    operators: { macs?: number }[];
  };
  return facts.total_macs;
}

function opMacs(model: string): number[] {
  const facts = JSON.parse(fs.readFileSync(path.join(dataDir(), 'facts', `${model}.json`), 'utf8')) as {
    operators: { macs?: number }[];
  };
  return facts.operators.map((o) => o.macs ?? 0);
}

export async function benchEngine(opts: {
  target: Target;
  models: string[];
  kernels: KernelSet[];
  invokes?: number;
  onRow?: (row: EngineBenchRow) => void;
}): Promise<EngineBenchRow[]> {
  await buildFirmware({ target: opts.target });
  const anchors = loadAnchors();
  const rows: EngineBenchRow[] = [];
  for (const model of opts.models) {
    const modelPath = path.join(dataDir(), 'models', `${model}.tflite`);
    if (!fs.existsSync(modelPath)) throw new XsinferError('BAD_ARGUMENT', `no model ${modelPath}`);
    for (const kernels of opts.kernels) {
      const run = await runProgram({
        target: opts.target,
        program: 'bench-engine',
        args: [modelPath, kernels, String(opts.invokes ?? 3)],
        timeoutMs: 600_000,
      });
      const raw = parseBenchLine(run.output.toString());
      if (run.exitCode !== 0) throw new XsinferError('RUN_FAILED', `bench-engine exited ${run.exitCode}`);
      const toUnit = (ticks: number) => Math.round((ticks * raw.num) / raw.den);
      const invokes = raw.invokeTicks.map(toUnit);
      const instr = Math.min(...invokes);
      const macs = modelMacs(model);
      const anchorKernels: AnchorKernels = kernels === 'reference' ? 'reference' : 'cmsis-nn';
      const anchor = anchors.get(model);
      // Anchors are QEMU instruction counts: only comparable on mps2-an500.
      const comparable = opts.target === 'mps2-an500' && anchor !== undefined;
      const anchorInstr = comparable ? anchor!.instrPerInvoke[anchorKernels] : null;
      const macsPerOp = opMacs(model);
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
