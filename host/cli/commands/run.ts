// `xsinfer run`: build, boot (QEMU or a host process), stream the device's output and
// exit with the guest's status.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { buildFirmware, programPath } from '../../build/firmware.ts';
import { RUN_PROGRAM } from '../../build/main-program.ts';
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

export function register(program: Command): void {
  program
    .command('run')
    .description('build, boot the firmware (QEMU / host process / flashed board) and stream its output')
    .option('-t, --target <target>', 'mps2-an500 | stm32f769i-disco | host', 'mps2-an500')
    .option('--program <name>', 'firmware program to run', RUN_PROGRAM)
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
      const exitCode =
        target === 'host'
          ? await runHost(programPath(target, opts.program), args, out)
          : await runStreaming({ target, program: opts.program, args, out, timeoutMs: Number(opts.timeout) });
      if (opts.json) printJson({ target, program: opts.program, exitCode, unit: target === 'host' ? 'ns' : 'instr' });
      else log(`${opts.program} on ${target} exited with status ${exitCode}`);
      process.exitCode = exitCode;
    });
}
