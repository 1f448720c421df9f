// A QEMU bench's result.json as the reference a board's counted runs are read against:
// the median guest instructions per phase of each run (bench/report --qemu).
import fs from 'node:fs';
import type { BenchResult, QemuReference } from '../bench/result.ts';
import { phases } from '../bench/result.ts';
import { XsinferError } from '../errors.ts';

export function loadQemuReference(file: string): QemuReference {
  let result: BenchResult;
  try {
    result = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult;
  } catch (err) {
    throw new XsinferError('BAD_ARGUMENT', `--qemu ${file}: not a readable result.json (${(err as Error).message})`);
  }
  if (result.unit !== 'instr' || !Array.isArray(result.runs))
    throw new XsinferError(
      'BAD_ARGUMENT',
      `--qemu ${file}: a QEMU bench's result.json is needed (unit instr), this one is ${result.target ?? '?'} in ${result.unit ?? '?'}`,
    );
  return {
    target: result.target,
    build: result.build,
    runs: result.runs
      .filter((r) => r.phases)
      .map((r) => ({
        app: r.app,
        impl: r.impl,
        kernels: r.kernels,
        ...(r.model !== undefined ? { model: r.model } : {}),
        instr: Object.fromEntries(phases.map((p) => [p, r.phases[p].median])) as QemuReference['runs'][number]['instr'],
      })),
  };
}
