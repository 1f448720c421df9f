// `xsinfer inspect`: what a model contains (ops with options, tensors, MACs/FLOPs) and
// the arena the C engine plans for it on a target (its pointer size and alignment),
// beside TFLM's own M7 arena figure for the models the anchors cover.
import fs from 'node:fs';
import path from 'node:path';
import type { Target } from '../targets.ts';
import { planOnTarget, type ArenaFigures, type KernelSet } from './device.ts';
import { opMacs, readModel, type OpOptions, type TensorInfo } from './tflite.ts';

/** TFLM arena_used_bytes on the M7 (QEMU mps2-an500, reference kernels), from
 * testdata/ANCHORS-m7-qemu.md ("arena_used_bytes" column, -DNDEBUG table). */
export const tflmArenaM7: Record<string, number> = {
  hello_world_int8: 676,
  micro_speech_quantized: 6788,
  mnist_int8: 11124,
  person_detect: 82292,
};

/** FLOPs the reference write-up (reference/tflm-stm32-benchmark-writeup.txt) reports;
 * they count the pre-quantization Keras models, so they are shown, never compared. */
export const writeupKerasFlops: Record<string, number> = {
  hello_world_int8: 41,
  hello_world_float: 41,
  micro_speech_quantized: 689_980,
  mnist_int8: 202_810,
};

export interface InspectOp {
  index: number;
  op: string;
  customCode?: string;
  options: OpOptions;
  inputs: number[];
  outputs: number[];
  macs: number;
  flops: number;
  flopsPlusBias: number;
}

export interface InspectResult {
  model: string;
  bytes: number;
  target: Target;
  kernels: KernelSet;
  ops: InspectOp[];
  totalMacs: number;
  flops: number;
  flopsPlusBias: number;
  tensors: (TensorInfo & { quantization: TensorInfo['quantization'] })[];
  inputs: number[];
  outputs: number[];
  constantBytes: number;
  arena: ArenaFigures | null;
  arenaError: string | null;
  missingOps: string[];
  tflmArena?: number;
  writeupKerasFlops?: number;
}

export async function inspectModel(opts: {
  model: string;
  target: Target;
  kernels: KernelSet;
  plan?: boolean;
}): Promise<InspectResult> {
  const modelPath = path.resolve(opts.model);
  const bytes = fs.readFileSync(modelPath);
  const model = readModel(bytes);
  const ops: InspectOp[] = model.ops.map((op) => {
    const { macs, biasAdds } = opMacs(model, op);
    return {
      index: op.index,
      op: op.op,
      ...(op.customCode !== undefined ? { customCode: op.customCode } : {}),
      options: op.options,
      inputs: op.inputs,
      outputs: op.outputs,
      macs,
      flops: 2 * macs,
      flopsPlusBias: 2 * macs + biasAdds,
    };
  });
  const stem = path.basename(modelPath, '.tflite');
  const totalMacs = ops.reduce((a, o) => a + o.macs, 0);
  const result: InspectResult = {
    model: path.basename(modelPath),
    bytes: bytes.length,
    target: opts.target,
    kernels: opts.kernels,
    ops,
    totalMacs,
    flops: 2 * totalMacs,
    flopsPlusBias: ops.reduce((a, o) => a + o.flopsPlusBias, 0),
    tensors: model.tensors,
    inputs: model.inputs,
    outputs: model.outputs,
    constantBytes: model.tensors.filter((t) => t.isConstant).reduce((a, t) => a + t.bytes, 0),
    arena: null,
    arenaError: null,
    missingOps: [],
    ...(tflmArenaM7[stem] !== undefined ? { tflmArena: tflmArenaM7[stem] } : {}),
    ...(writeupKerasFlops[stem] !== undefined ? { writeupKerasFlops: writeupKerasFlops[stem] } : {}),
  };
  if (opts.plan !== false) {
    const plan = await planOnTarget(opts.target, modelPath, opts.kernels);
    result.arena = plan.arena;
    result.missingOps = plan.missingOps;
    result.arenaError = plan.error ? plan.error.message : null;
  }
  return result;
}
