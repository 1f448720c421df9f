// `xsinfer run`: build, boot (QEMU or a host process), stream the device's output and
// exit with the guest's status. With --app: run one app on the main firmware, JS and/or
// C, on its own model or --model, and print the answers side by side.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { buildFirmware, programPath } from '../../build/firmware.ts';
import { MAIN_PROGRAM } from '../../build/main-program.ts';
import { formatRecord } from '../../bridge/format.ts';
import { DeviceSession } from '../../bridge/session.ts';
import { connectDevice } from '../../bench/device.ts';
import { keptBoardPort, runApp } from '../../bench/app-run.ts';
import { modelChoice } from '../../bench/session-runs.ts';
import { XsinferError } from '../../errors.ts';
import { keepBoard, runStreaming } from '../../run/board-session.ts';
import { setBaudOverride } from '../../run/link-settings.ts';
import { isBoardTarget, isQemuTarget, parseTarget, targetList, type Target } from '../../targets.ts';
import { enumOption, intOption, listOption, portOption, programOption } from '../options.ts';
import { log, printJson } from '../output.ts';

interface RunOptions {
  target: string;
  program: string;
  port?: string;
  baud?: string;
  keep?: boolean;
  json?: boolean;
  timeout: string;
  app?: string;
  impl: string;
  kernels: string;
  iterations: string;
  warmup: string;
  model?: string;
}

/** `run --app`: the app's runs and whether JS and C agree; exit 1 on a wrong answer or a disagreement. */
async function runOneApp(target: Target, opts: RunOptions & { app: string }): Promise<number> {
  const impls = listOption('--impl', opts.impl, ['js', 'c'] as const);
  const kernels = enumOption('-k, --kernels', opts.kernels, ['reference', 'optimized'] as const);
  const iterations = intOption('-n, --iterations', opts.iterations, 1, 10_000);
  const warmup = intOption('-w, --warmup', opts.warmup, 0, 10_000);
  if (isBoardTarget(target) && !opts.port)
    throw new XsinferError(
      'BAD_ARGUMENT',
      `${target} is a board: it needs --port (its ST-LINK serial port, or "auto")`,
    );
  const model = opts.model !== undefined ? modelChoice(opts.model) : undefined;
  if (!opts.port && !keptBoardPort(target)) await buildFirmware({ target });
  const r = await runApp({
    target,
    port: opts.port,
    app: opts.app,
    impls: impls as ('js' | 'c')[],
    kernels,
    iterations,
    warmup,
    model,
    onRunDone: (spec) =>
      !opts.json && log(`  done: ${spec.app} ${spec.impl} ${spec.kernels}${spec.model ? ` on ${spec.model}` : ''}`),
  });
  if (opts.json) {
    printJson(r);
  } else {
    log(
      `${r.app} on ${r.target} (${r.device}), model ${r.model ?? 'built-in'}; medians in ${r.unit}; recording ${r.recording}`,
    );
    for (const run of r.runs) {
      const verdict =
        run.correct === null ? 'unchecked (not the built-in model)' : run.correct ? 'correct' : `WRONG (${run.wrong})`;
      process.stdout.write(
        `${run.impl.padEnd(2)} ${run.kernels}: ${verdict}; populate ${run.median.populate}, invoke ${run.median.invoke}, respond ${run.median.respond}, total ${run.median.total}
` +
          `   labels ${run.labels.join(' ')}
   scores ${run.scores.join(' ')}
`,
      );
    }
    if (r.implsAgree !== null)
      process.stdout.write(`JS and C answers ${r.implsAgree ? 'agree' : 'DIFFER'} on every iteration
`);
  }
  return r.runs.some((x) => x.correct === false) || r.implsAgree === false ? 1 : 0;
}

function runHost(executable: string, args: string[], out: (c: Buffer) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ['inherit', 'pipe', 'inherit'] });
    child.stdout.on('data', out);
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 128));
  });
}

/** The main firmware speaks the wire protocol: boot it, say hello, show its records
 * (boot info, XS figures), stop it, and report its exit status. */
async function runMainFirmware(target: Target, json: boolean, port?: string): Promise<number> {
  const device = await connectDevice({ target, port });
  const session = new DeviceSession(device.link);
  session.on('record', (r) => (json ? process.stderr : process.stdout).write(formatRecord(r) + '\n'));
  try {
    const { info } = await session.hello({ timeoutMs: 10_000 });
    // A board on a port keeps running (`stop` would halt it until the next reset).
    if (!port) await session.command({ kind: 'stop' }, { timeoutMs: 5_000, retries: 0 }).catch(() => undefined);
    const exitCode = port
      ? 0
      : ((await Promise.race([device.exited, new Promise<null>((r) => setTimeout(() => r(null), 5_000))])) ?? 0);
    if (json) {
      const extra = (info.extra ?? {}) as { bootTicks?: number; xs?: Record<string, number> | null };
      const xs = extra.xs ?? undefined;
      printJson({
        target,
        program: MAIN_PROGRAM,
        exitCode,
        unit: info.tick.unit,
        tick: info.tick,
        uart: info.uart ?? null,
        bootTicks: extra.bootTicks ?? null,
        bootUnits: extra.bootTicks !== undefined ? Math.round((extra.bootTicks * info.tick.num) / info.tick.den) : null,
        xsHeap: xs ? { configured: xs.arenaBytes, peak: xs.slotsPeak * xs.slotBytes + xs.chunksPeak } : null,
        jsStackPeak: xs ? xs.jsStackPeak : null,
        build: info.build,
      });
    }
    return exitCode;
  } finally {
    await session.close().catch(() => undefined);
    device.kill();
  }
}

export function register(program: Command): void {
  program
    .command('run')
    .description('build, boot the firmware (QEMU / host process / flashed board) and stream its output')
    .option('-t, --target <target>', targetList(), 'mps2-an500')
    .option(
      '--program <name>',
      'firmware program to run (xsinfer = the main firmware; banner, verify, … print text)',
      MAIN_PROGRAM,
    )
    .option(
      '-p, --port <path>',
      'serial port of a running board: a flashed stm32f769i-disco or stm32f413zh-nucleo (used with --app), or tcp:HOST:PORT',
    )
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option('--keep', 'leave the QEMU board running; its serial endpoint goes to build/<target>/board.json')
    .option('--timeout <ms>', 'kill the guest after this many milliseconds', '600000')
    .option(
      '--json',
      'print {target, exitCode, ...} as JSON (last line); with --app {app, model, unit, runs, implsAgree}',
    )
    .option(
      '-a, --app <app>',
      'run this app on the main firmware (on --port, the board `--keep` left running, or one booted here) and print its answers',
    )
    .option('--impl <impls>', 'with --app: js,c', 'js,c')
    .option('-k, --kernels <set>', 'with --app: reference | optimized', 'reference')
    .option('-n, --iterations <n>', 'with --app: timed iterations per impl', '10')
    .option('-w, --warmup <n>', 'with --app: warm-up iterations', '0')
    .option(
      '-m, --model <asset|file>',
      "with --app: run on this model instead of the app's own: a .tflite file is uploaded into the model slot first; else an asset the device has (upload/model after `deploy --model`). Golden checks apply only to the built-in model's bytes",
    )
    .argument('[args...]', 'arguments passed to the program')
    .action(async (args: string[], opts: RunOptions) => {
      const target = parseTarget(opts.target);
      setBaudOverride(opts.baud);
      const timeoutMs = intOption('--timeout', opts.timeout, 1, 86_400_000);
      if (opts.port !== undefined) portOption(opts.port);
      programOption(opts.program);
      if (opts.app !== undefined) {
        process.exitCode = await runOneApp(target, { ...opts, app: opts.app });
        return;
      }
      if (opts.model !== undefined)
        throw new XsinferError('BAD_ARGUMENT', '--model needs --app (the app to run on it)');
      if (opts.port !== undefined) {
        if (opts.program !== MAIN_PROGRAM)
          throw new XsinferError(
            'BAD_ARGUMENT',
            '--port talks to the main firmware only (its info); other programs print text: use `xsinfer monitor`',
          );
        process.exitCode = await runMainFirmware(target, !!opts.json, opts.port);
        return;
      }
      if (isBoardTarget(target)) {
        throw new XsinferError(
          'NOT_SUPPORTED',
          `running on ${target} needs the board: \`xsinfer flash --target ${target}\`, then \`xsinfer run --target ${target} --port auto\` (see README "Real hardware")`,
        );
      }
      await buildFirmware({ target });
      // Device output goes to stdout unless JSON owns stdout.
      const out = (chunk: Buffer) => (opts.json ? process.stderr : process.stdout).write(chunk);
      if (isQemuTarget(target) && opts.keep) {
        const state = await keepBoard({ target, program: opts.program, args });
        log(`QEMU board running (pid ${state.pid}), serial ${state.serial}; it starts when a client connects`);
        if (opts.json) printJson({ ...state, kept: true });
        return;
      }
      if (opts.program === MAIN_PROGRAM) {
        process.exitCode = await runMainFirmware(target, !!opts.json);
        return;
      }
      const exitCode = isQemuTarget(target)
        ? await runStreaming({ target, program: opts.program, args, out, timeoutMs })
        : await runHost(programPath(target, opts.program), args, out);
      if (opts.json) printJson({ target, program: opts.program, exitCode, unit: target === 'host' ? 'ns' : 'instr' });
      else log(`${opts.program} on ${target} exited with status ${exitCode}`);
      process.exitCode = exitCode;
    });
}
