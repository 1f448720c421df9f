// The static half of the model table, for producers of a BenchResult: ops, MACs and FLOPs from
// testdata/facts, the write-up's Keras FLOPs, and the TFLM anchors (instructions per invoke and
// M7 arena bytes) where they are comparable (mps2-an500 only). Runtime figures (instr/MAC,
// speed-up) are filled from the runs by overhead.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { KernelSet, ModelRow } from '../bench/result.ts';
import { loadAnchors } from '../bench/anchors.ts';
import { dataDir } from '../data.ts';
import { appModel, kerasFlops } from './seed.ts';

interface Facts {
  operators: unknown[];
  total_macs: number;
  total_flops_2mac: number;
  total_flops_2mac_plus_bias: number;
}

function readFacts(model: string): Facts {
  const file = path.join(dataDir(), 'facts', `${model}.json`);
  if (!fs.existsSync(file)) throw new Error(`no facts for model ${model}: expected ${file}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Facts;
}

/** Model rows for the given model file stems (e.g. mnist_int8). */
export function modelRows(models: string[], target: string): ModelRow[] {
  const anchors = target === 'mps2-an500' ? loadAnchors() : undefined;
  return models.map((model) => {
    const facts = readFacts(model);
    const anchor = anchors?.get(model);
    const app = Object.keys(appModel).find((a) => appModel[a] === model);
    return {
      model,
      ...(app ? { app } : {}),
      ops: facts.operators.length,
      macs: facts.total_macs,
      flops: facts.total_flops_2mac,
      flopsPlusBias: facts.total_flops_2mac_plus_bias,
      ...(kerasFlops[model] !== undefined ? { kerasFlops: kerasFlops[model] } : {}),
      instrPerMac: {},
      ...(anchor
        ? { tflm: { reference: anchor.instrPerInvoke.reference, optimized: anchor.instrPerInvoke['cmsis-nn'] } }
        : {}),
    };
  });
}

/** TFLM's arena_used_bytes on the M7 for a model and kernel set (the like-for-like figure), or null. */
export function tflmArenaBytes(model: string, kernels: KernelSet): number | null {
  const anchor = loadAnchors().get(model);
  if (!anchor) return null;
  return anchor.arenaUsedBytes[kernels === 'reference' ? 'reference' : 'cmsis-nn'] || null;
}
