// The TFLM anchors: real TFLM + CMSIS-NN on mps2-an500, instructions per invoke (and per
// op where measured). testdata/ANCHORS-m7-qemu.md covers the demo models: only its
// -DNDEBUG figures are anchors; the base table without NDEBUG is up to 5x easier to beat
// and is never used here. testdata/mlperf/ANCHORS-m7-qemu.md covers the MLPerf Tiny
// models (-O2 -DNDEBUG, whole invokes only).
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../data.ts';

export type AnchorKernels = 'reference' | 'cmsis-nn';

export interface ModelAnchor {
  model: string; // our model file stem, e.g. mnist_int8
  instrPerInvoke: Record<AnchorKernels, number>;
  arenaUsedBytes: Record<AnchorKernels, number>;
  macs: number;
  ops: { index: number; op: string; macs: number; instr: Record<AnchorKernels, number> }[];
}

/** The anchor file calls the TVM mnist model by its original name. */
const modelAliases: Record<string, string> = { mnist_q_with_int8_io: 'mnist_int8' };

const num = (s: string) => Number(s.replace(/,/g, '').trim());

export function parseAnchors(markdown: string): Map<string, ModelAnchor> {
  const anchors = new Map<string, ModelAnchor>();
  const ndebugStart = markdown.indexOf('## Same with -DNDEBUG added');
  if (ndebugStart < 0) throw new Error('anchor file has no -DNDEBUG table');
  const ndebugEnd = markdown.indexOf('\n## ', ndebugStart + 5);
  for (const line of markdown.slice(ndebugStart, ndebugEnd).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 12 || !/^\d/.test(cells[3] ?? '')) continue;
    const model = modelAliases[cells[1]] ?? cells[1];
    const kernels: AnchorKernels = cells[2] === 'CMSIS-NN' ? 'cmsis-nn' : 'reference';
    const entry = anchors.get(model) ?? {
      model,
      instrPerInvoke: { reference: 0, 'cmsis-nn': 0 },
      arenaUsedBytes: { reference: 0, 'cmsis-nn': 0 },
      macs: num(cells[11]),
      ops: [],
    };
    entry.instrPerInvoke[kernels] = num(cells[3]);
    entry.arenaUsedBytes[kernels] = num(cells[8]);
    anchors.set(model, entry);
  }
  // Per-op tables: "### <model>" then rows | # | op | MACs | ref | cmsis | ref NDEBUG | cmsis NDEBUG |
  const sections = markdown.split('\n### ').slice(1);
  for (const section of sections) {
    const name = section.split('\n')[0].trim();
    const entry = anchors.get(modelAliases[name] ?? name);
    if (!entry) continue;
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells.length < 8 || !/^\d+$/.test(cells[1])) continue;
      entry.ops.push({
        index: Number(cells[1]),
        op: cells[2],
        macs: num(cells[3]),
        instr: { reference: num(cells[6]), 'cmsis-nn': num(cells[7]) },
      });
    }
  }
  return anchors;
}

/** The MLPerf anchor table: | model.tflite | MACs | ref instr | CMSIS-NN instr | instr/MAC |
 * arena ref / CMSIS-NN | matches |. */
export function parseMlperfAnchors(markdown: string): Map<string, ModelAnchor> {
  const anchors = new Map<string, ModelAnchor>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 8 || !cells[1]!.endsWith('.tflite') || !/^\d/.test(cells[2] ?? '')) continue;
    const arena = cells[6]!.split('/').map(num);
    anchors.set(cells[1]!.replace(/\.tflite$/, ''), {
      model: cells[1]!.replace(/\.tflite$/, ''),
      instrPerInvoke: { reference: num(cells[3]!), 'cmsis-nn': num(cells[4]!) },
      arenaUsedBytes: { reference: arena[0] ?? 0, 'cmsis-nn': arena[1] ?? 0 },
      macs: num(cells[2]!),
      ops: [],
    });
  }
  return anchors;
}

let cached: Map<string, ModelAnchor> | undefined;

/** Every anchor by model file stem (both files). */
export function loadAnchors(): Map<string, ModelAnchor> {
  if (cached) return cached;
  const all = parseAnchors(fs.readFileSync(path.join(dataDir(), 'ANCHORS-m7-qemu.md'), 'utf8'));
  const mlperf = path.join(dataDir(), 'mlperf', 'ANCHORS-m7-qemu.md');
  if (fs.existsSync(mlperf)) for (const [k, v] of parseMlperfAnchors(fs.readFileSync(mlperf, 'utf8'))) all.set(k, v);
  cached = all;
  return cached;
}
