// Runs the firmware `verify` program (run/inspect modes) and parses its JSON lines.
import { buildFirmware } from '../build/firmware.ts';
import { XsinferError } from '../errors.ts';
import { runProgram } from '../run/program.ts';
import type { Target } from '../targets.ts';

export type KernelSet = 'reference' | 'optimized';

export interface DeviceLine {
  t: string;
  [key: string]: unknown;
}

export interface DeviceRun {
  exitCode: number;
  lines: DeviceLine[];
  raw: string;
}

export function parseLines(output: string): DeviceLine[] {
  const lines: DeviceLine[] = [];
  for (const line of output.split('\n')) {
    const s = line.trim();
    if (!s.startsWith('{')) continue;
    try {
      const v = JSON.parse(s) as DeviceLine;
      if (typeof v.t === 'string') lines.push(v);
    } catch {
      // not one of ours (a board banner); ignore
    }
  }
  return lines;
}

/** Runs the program with these arguments; the default builds (cached) and runs the
 * firmware image of the target. Injectable so tools can point at another build. */
export type VerifyRunner = (
  target: Target,
  args: string[],
  timeoutMs: number,
) => Promise<{ exitCode: number; output: Buffer; stderr: string }>;

const defaultRunner: VerifyRunner = async (target, args, timeoutMs) => {
  await buildFirmware({ target });
  return runProgram({ target, program: 'verify', args, timeoutMs });
};

export async function runVerifyProgram(
  target: Target,
  args: string[],
  timeoutMs = 600_000,
  runner: VerifyRunner = defaultRunner,
): Promise<DeviceRun> {
  const run = await runner(target, args, timeoutMs);
  const raw = run.output.toString('utf8');
  if (run.exitCode !== 0 && run.exitCode !== 3) {
    const lines = parseLines(raw);
    const err = lines.find((l) => l.t === 'error');
    throw new XsinferError(
      'RUN_FAILED',
      `verify program on ${target} exited ${run.exitCode}: ${err ? String(err.msg) : raw.slice(-500) || run.stderr.slice(-500)}`,
    );
  }
  return { exitCode: run.exitCode, lines: parseLines(raw), raw };
}

export interface ArenaFigures {
  head: number;
  tail: number;
  total: number;
  pointerBytes: number;
}

export interface PlanResult {
  arena: ArenaFigures | null;
  missingOps: string[];
  error: { code: number; status: string; op: number; bytesNeeded: number; message: string } | null;
}

/** Creates + allocates the model on the target (the target's pointer size and alignment). */
export async function planOnTarget(
  target: Target,
  modelPath: string,
  kernels: KernelSet,
  arenaBytes?: number,
  runner?: VerifyRunner,
  preserveAll = false,
): Promise<PlanResult> {
  const args = ['inspect', modelPath, kernels];
  if (arenaBytes !== undefined) args.push(String(arenaBytes));
  if (preserveAll) args.push('preserve');
  const run = await runVerifyProgram(target, args, 120_000, runner);
  const arena = run.lines.find((l) => l.t === 'arena');
  const unsupported = run.lines.find((l) => l.t === 'unsupported');
  const error = run.lines.find((l) => l.t === 'error');
  return {
    arena: arena
      ? {
          head: Number(arena.head),
          tail: Number(arena.tail),
          total: Number(arena.total),
          pointerBytes: Number(arena.pointerBytes),
        }
      : null,
    missingOps: unsupported ? String(unsupported.missing).split(',').filter(Boolean) : [],
    error: error
      ? {
          code: Number(error.code),
          status: String(error.status),
          op: Number(error.op),
          bytesNeeded: Number(error.bytesNeeded),
          message: String(error.msg),
        }
      : unsupported
        ? { code: 2, status: 'unsupported op', op: -1, bytesNeeded: 0, message: String(unsupported.msg) }
        : null,
  };
}
