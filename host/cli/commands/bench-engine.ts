// `xsinfer bench-engine`: instructions per invoke per model and kernel set vs the TFLM anchors.
import type { Command } from 'commander';
import { benchEngine, benchModels, resolveModel, type EngineBenchRow, type KernelSet } from '../../bench/engine.ts';
import { openWireDevice, wireTarget, type WireTargetOptions } from '../../engine/wire-device.ts';
import { XsinferError } from '../../errors.ts';
import { isQemuTarget, targetInfo, type Target } from '../../targets.ts';
import { intOption, listOption, portOption } from '../options.ts';
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
    .option(
      '-t, --target <target>',
      'mps2-an500 | mps2-an386 | host; with --port also stm32f769i-disco | stm32f413zh-nucleo',
      'mps2-an500',
    )
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
    .option(
      '-p, --port <port>',
      'a board running the main firmware: a path, tcp:HOST:PORT or auto (models uploaded, the engine timed over the wire)',
    )
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option(
      '--via-wire',
      "time the main firmware's engine over the wire on the target booted here (as --port does on a board)",
    )
    .option('--json', 'print the rows as JSON (last line)')
    .action(
      async (opts: WireTargetOptions & { kernels: string; models?: string; model: string[]; invokes: string }) => {
        const where = wireTarget(opts, portOption);
        let target: Target = where.target;
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
        const device = where.wire
          ? await openWireDevice({ target, port: opts.port, command: 'bench-engine' })
          : undefined;
        // Over the wire the device names its target and tick unit (`info`).
        if (device) target = device.info.target as Target;
        const unit = device?.info.tick.unit ?? targetInfo[target].unit;
        if (!opts.json)
          log(
            `bench-engine on ${target}${device ? ` over the wire (${device.description})` : ''}, unit: ${unit}${isQemuTarget(target) ? ' (QEMU icount, exact)' : ''}`,
          );
        const rows = await benchEngine({
          target,
          models,
          kernels,
          invokes,
          onRow: opts.json ? undefined : (row) => printRow(row, unit),
          wire: device && { session: device.session, info: device.info },
        }).finally(() => device?.close());
        if (opts.json) printJson({ target, unit, rows });
      },
    );
}
