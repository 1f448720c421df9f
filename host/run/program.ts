// Runs one firmware program to completion and returns its exit status and UART output:
// a QEMU guest (mps2-an500/-an386, UART on stdio) or a host executable (stdout).
import { spawn } from 'node:child_process';
import { XsinferError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { isQemuTarget, targetInfo, type Target } from '../targets.ts';
import { existingProgram } from '../build/firmware.ts';
import { QEMU_BINARY, qemuArgs } from './qemu.ts';

export interface ProgramRun {
  exitCode: number;
  output: Buffer;
  stderr: string;
}

export interface ProgramRunOptions {
  target: Target;
  program: string;
  args?: string[];
  timeoutMs?: number;
  cwd?: string;
  onOutput?: (chunk: Buffer) => void;
}

export function programCommand(opts: Pick<ProgramRunOptions, 'target' | 'program' | 'args'>): {
  command: string;
  args: string[];
} {
  const binary = existingProgram(opts.target, opts.program);
  if (opts.target === 'host') return { command: binary, args: opts.args ?? [] };
  if (isQemuTarget(opts.target)) {
    return {
      command: QEMU_BINARY,
      args: qemuArgs({ elf: binary, args: opts.args, serial: 'stdio', machine: opts.target }),
    };
  }
  throw new XsinferError('NOT_SUPPORTED', `${opts.target} cannot run here: flash a board and use --port`);
}

export function runProgram(opts: ProgramRunOptions): Promise<ProgramRun> {
  if (!targetInfo[opts.target].runsHere) {
    return Promise.reject(
      new XsinferError('NOT_SUPPORTED', `${opts.target} cannot run here: flash a board and use --port`),
    );
  }
  const { command, args } = programCommand(opts);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd ?? repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      opts.onOutput?.(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new XsinferError('RUN_FAILED', `cannot start ${command}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks);
      if (timedOut) {
        reject(
          new XsinferError(
            'TIMEOUT',
            `${opts.program} on ${opts.target} did not finish in ${opts.timeoutMs ?? 120_000} ms; output so far:\n${output.toString().slice(-2000)}`,
          ),
        );
        return;
      }
      resolve({ exitCode: code ?? (signal ? 128 : -1), output, stderr });
    });
  });
}
