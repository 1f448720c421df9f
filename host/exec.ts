// Running external tools (cmake, ninja, compilers) with captured output and clear failures.
// Every run has a timeout (default 30 minutes: a cold firmware build on two busy cores takes
// a few) whose error names the command.
import { spawn } from 'node:child_process';
import { XsinferError } from './errors.ts';

const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new XsinferError(
          'TIMEOUT',
          `\`${[command, ...args.slice(0, 3)].join(' ')}${args.length > 3 ? ' …' : ''}\` did not finish in ${Math.round(timeoutMs / 1000)} s`,
        ),
      );
    }, timeoutMs);
    timer.unref();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
