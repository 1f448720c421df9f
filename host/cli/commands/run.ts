// `xsinfer run`: build, boot (QEMU or a host process), stream the device's output and
// exit with the guest's status.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { buildFirmware, programPath } from '../../build/firmware.ts';
import { MAIN_PROGRAM } from '../../build/main-program.ts';
import { formatRecord } from '../../bridge/format.ts';
import { DeviceSession } from '../../bridge/session.ts';
import { connectDevice } from '../../bench/device.ts';
import { XsinferError } from '../../errors.ts';
import { keepBoard, runStreaming } from '../../run/board-session.ts';
import { parseTarget } from '../../targets.ts';
import { log, printJson } from '../output.ts';

interface RunOptions {
  target: string;
  program: string;
  port?: string;
  keep?: boolean;
  json?: boolean;
  timeout: string;
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
async function runMainFirmware(target: 'mps2-an500' | 'host', json: boolean): Promise<number> {
  const device = await connectDevice({ target });
  const session = new DeviceSession(device.link);
  session.on('record', (r) => (json ? process.stderr : process.stdout).write(formatRecord(r) + '\n'));
  try {
    const { info } = await session.hello({ timeoutMs: 10_000 });
    await session.command({ kind: 'stop' }, { timeoutMs: 5_000, retries: 0 }).catch(() => undefined);
    const exitCode = (await Promise.race([device.exited, new Promise<null>((r) => setTimeout(() => r(null), 5_000))])) ?? 0;
    if (json) {
      const extra = (info.extra ?? {}) as { bootTicks?: number; xs?: Record<string, number> | null };
      const xs = extra.xs ?? undefined;
      printJson({
        target,
        program: MAIN_PROGRAM,
        exitCode,
        unit: info.tick.unit,
        tick: info.tick,
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
    .option('-t, --target <target>', 'mps2-an500 | stm32f769i-disco | host', 'mps2-an500')
    .option('--program <name>', 'firmware program to run (xsinfer = the main firmware; banner, verify, … print text)', MAIN_PROGRAM)
    .option('-p, --port <path>', 'serial port of a flashed board (stm32f769i-disco)')
    .option('--keep', 'leave the QEMU board running; its serial endpoint goes to build/<target>/board.json')
    .option('--timeout <ms>', 'kill the guest after this many milliseconds', '600000')
    .option('--json', 'print {target, exitCode, ...} as JSON (last line)')
    .argument('[args...]', 'arguments passed to the program')
    .action(async (args: string[], opts: RunOptions) => {
      const target = parseTarget(opts.target);
      if (target === 'stm32f769i-disco') {
        throw new XsinferError(
          'NOT_SUPPORTED',
          'running on the STM32F769I-DISCO needs the board: flash build/stm32f769i-disco/bin/<program>.elf (see README "Real hardware") and use `xsinfer monitor --port <dev>`',
        );
      }
      await buildFirmware({ target });
      // Device output goes to stdout unless JSON owns stdout.
      const out = (chunk: Buffer) => (opts.json ? process.stderr : process.stdout).write(chunk);
      if (target === 'mps2-an500' && opts.keep) {
        const state = await keepBoard({ target, program: opts.program, args });
        log(`QEMU board running (pid ${state.pid}), serial ${state.serial}; it starts when a client connects`);
        if (opts.json) printJson({ ...state, kept: true });
        return;
      }
      if (opts.program === MAIN_PROGRAM) {
        process.exitCode = await runMainFirmware(target, !!opts.json);
        return;
      }
      const exitCode =
        target === 'host'
          ? await runHost(programPath(target, opts.program), args, out)
          : await runStreaming({ target, program: opts.program, args, out, timeoutMs: Number(opts.timeout) });
      if (opts.json) printJson({ target, program: opts.program, exitCode, unit: target === 'host' ? 'ns' : 'instr' });
      else log(`${opts.program} on ${target} exited with status ${exitCode}`);
      process.exitCode = exitCode;
    });
}
