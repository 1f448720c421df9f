// `xsinfer bench-engine`: instructions per invoke per model and kernel set vs the TFLM anchors.
import type { Command } from 'commander';
import { benchEngine, benchModels, resolveModel, type EngineBenchRow, type KernelSet } from '../../bench/engine.ts';
import { XsinferError } from '../../errors.ts';
import { isQemuTarget, parseTarget, targetInfo } from '../../targets.ts';
import { intOption, listOption, refuseBoardPort } from '../options.ts';
import { log, printJson } from '../output.ts';

const fmt = (n: number) => n.toLocaleString('en-US');
const ratio = (r: number | null) => (r === null ? '–' : `${r.toFixed(2)}x`);

function printRow(row: EngineBenchRow, unit: string): void {
  console.log(
    `${row.model.padEnd(24)} ${row.kernels.padEnd(9)} ${fmt(row.instrPerInvoke).padStart(12)} ${unit}` +
      `  ${row.instrPerMac === null ? '' : `${row.instrPerMac.toFixed(2)} ${unit}/MAC`}` +
      `  anchor (TFLM ${row.anchorKernels}, -DNDEBUG) ${row.anchor === null ? '–' : fmt(row.anchor)}  ratio ${ratio(row.ratioToAnchor)}` +
      `  arena ${fmt(row.arena.total)} B (TFLM ${row.tflmArena === null ? '–' : fmt(row.tflmArena)})` +
      (row.repeatable ? '' : '  (invokes differ!)'),
  );
  for (const op of row.ops) {
    console.log(
      `    ${String(op.index).padStart(2)} ${op.op.padEnd(20)} ${fmt(op.instr).padStart(12)}  anchor ${op.anchor === null ? '–' : fmt(op.anchor)}  ${ratio(op.ratioToAnchor)}`,
    );
  }
}

export function register(program: Command): void {
  program
    .command('bench-engine')
    .description('instructions (QEMU) / cycles / ns per invoke per model and kernel set, vs the TFLM anchors')
    .option('-t, --target <target>', 'mps2-an500 | mps2-an386 | host', 'mps2-an500')
    .option('-k, --kernels <sets>', 'comma-separated: reference,optimized', 'reference,optimized')
    .option(
      '-m, --models <models>',
      'comma-separated model names (testdata/models, testdata/mlperf/models) or .tflite paths',
    )
    .option(
      '--model <file>',
      'a .tflite file to bench (repeatable; with --model only these run unless --models is given too)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('-n, --invokes <n>', 'timed invokes after one warm-up', '3')
    .option('-p, --port <port>', 'a board on a serial port: not yet (see the error)')
    .option('--json', 'print the rows as JSON (last line)')
    .action(
      async (opts: {
        target: string;
        kernels: string;
        models?: string;
        model: string[];
        invokes: string;
        json?: boolean;
        port?: string;
      }) => {
        const target = parseTarget(opts.target);
        refuseBoardPort('bench-engine', opts.port);
        const kernels: KernelSet[] = listOption('-k, --kernels', opts.kernels, ['reference', 'optimized'] as const);
        const invokes = intOption('-n, --invokes', opts.invokes, 1, 1000);
        const models = [
          ...(opts.models !== undefined
            ? opts.models
                .split(',')
                .map((m) => m.trim())
                .filter(Boolean)
            : opts.model.length > 0
              ? []
              : [...benchModels]),
          ...opts.model,
        ];
        if (models.length === 0) throw new XsinferError('BAD_ARGUMENT', `-m, --models: no model named`);
        // Names and files are checked before the firmware build, so a typo fails at once.
        for (const m of models) resolveModel(m);
        const unit = targetInfo[target].unit;
        if (!opts.json)
          log(`bench-engine on ${target}, unit: ${unit}${isQemuTarget(target) ? ' (QEMU icount, exact)' : ''}`);
        const rows = await benchEngine({
          target,
          models,
          kernels,
          invokes,
          onRow: opts.json ? undefined : (row) => printRow(row, unit),
        });
        if (opts.json) printJson({ target, unit, rows });
      },
    );
}
