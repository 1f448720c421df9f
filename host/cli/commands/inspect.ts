// `xsinfer inspect MODEL.tflite`: ops, options, tensors, MACs/FLOPs and the arena the
// engine plans on the target, beside TFLM's M7 figure.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { KernelSet } from '../../engine/device.ts';
import { inspectModel, type InspectResult } from '../../engine/inspect.ts';
import { exitCodes, XsinferError } from '../../errors.ts';
import { parseTarget } from '../../targets.ts';
import { readModel } from '../../engine/tflite.ts';
import { enumOption, inputFile } from '../options.ts';
import { log, printJson } from '../output.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

function printHuman(r: InspectResult): void {
  console.log(
    `${r.model} (${fmt(r.bytes)} bytes, ${fmt(r.constantBytes)} B constants), target ${r.target}, ${r.kernels} kernels`,
  );
  console.log('ops:');
  for (const op of r.ops) {
    const opts = Object.entries(op.options)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : v}`)
      .join(' ');
    const name = op.customCode !== undefined ? `CUSTOM:${op.customCode}` : op.op;
    console.log(
      `  ${String(op.index).padStart(3)} ${name.padEnd(36)} in [${op.inputs.join(',')}] out [${op.outputs.join(',')}]${op.macs ? `  MACs ${fmt(op.macs)}` : ''}${opts ? `  ${opts}` : ''}`,
    );
  }
  console.log('tensors:');
  for (const t of r.tensors) {
    const q = t.quantization
      ? t.quantization.scale.length > 1
        ? ` per-channel(${t.quantization.scale.length}, dim ${t.quantization.quantizedDimension})`
        : ` s=${t.quantization.scale[0]!.toPrecision(9)} zp=${t.quantization.zeroPoint[0] ?? 0}`
      : '';
    console.log(
      `  ${String(t.index).padStart(3)} ${t.type.padEnd(8)} [${t.shape.join(',')}] ${fmt(t.bytes)} B${t.isConstant ? ' const' : ''}${t.isVariable ? ' variable' : ''}${q}  ${t.name}`,
    );
  }
  console.log(
    `MACs ${fmt(r.totalMacs)}, FLOPs (2×MAC) ${fmt(r.flops)}, FLOPs + bias ${fmt(r.flopsPlusBias)}` +
      (r.writeupKerasFlops !== undefined
        ? `   (write-up, Keras model: ${fmt(r.writeupKerasFlops)} FLOPs — not comparable)`
        : ''),
  );
  if (r.arena) {
    console.log(
      `arena on ${r.target} (${r.arena.pointerBytes * 8}-bit): head ${fmt(r.arena.head)} + tail ${fmt(r.arena.tail)} = ${fmt(r.arena.total)} bytes` +
        (r.tflmArena !== undefined ? `   TFLM (M7, reference, arena_used_bytes): ${fmt(r.tflmArena)}` : ''),
    );
  } else if (r.missingOps.length) {
    console.log(`arena: not planned, the engine lacks ${r.missingOps.join(', ')}`);
  } else if (r.arenaError) {
    console.log(`arena: ${r.arenaError}`);
  }
}

export function register(program: Command): void {
  program
    .command('inspect')
    .argument('<model>', '.tflite file')
    .description('ops, options, tensors, MACs/FLOPs and the planned arena of a model')
    .option('-t, --target <target>', 'plan the arena for this target (mps2-an500 | mps2-an386 | host)', 'mps2-an500')
    .option('-k, --kernels <set>', 'reference | optimized', 'reference')
    .option('--json', 'print the result as JSON (last line)')
    .action(async (model: string, opts: { target: string; kernels: string; json?: boolean }) => {
      const target = parseTarget(opts.target);
      enumOption('-k, --kernels', opts.kernels, ['reference', 'optimized'] as const);
      // The file is read and parsed here first: a hostile file is refused before any build.
      const bytes = fs.readFileSync(inputFile('model', model));
      if (bytes.length === 0) throw new XsinferError('BAD_INPUT', `${model} is empty, not a .tflite model`);
      try {
        readModel(bytes);
      } catch (err) {
        throw new XsinferError('BAD_INPUT', `${model} is not a usable .tflite model: ${(err as Error).message}`);
      }
      const r = await inspectModel({ model, target, kernels: opts.kernels as KernelSet });
      if (opts.json) printJson(r);
      else printHuman(r);
      if (!r.arena) {
        const why = r.missingOps.length ? `the engine lacks ${r.missingOps.join(', ')}` : (r.arenaError ?? 'no plan');
        log(`xsinfer: ${model}: the arena cannot be planned on ${target}: ${why}`);
        process.exitCode = exitCodes.CHECK_FAILED;
      }
    });
}
