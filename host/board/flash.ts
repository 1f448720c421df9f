// `xsinfer flash`: writes a built image into a real board's flash with one of three
// Debian-packaged programmers, verifies it, resets the board and waits for the firmware's
// `info` record on the serial port. Untested on hardware: the command lines and the
// recognised messages follow each tool's documentation and are exercised against a
// stand-in programmer (test/boards/flash.test.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InfoRecord } from '../bridge/protocol.ts';
import { DeviceSession } from '../bridge/session.ts';
import { buildDirFor, existingProgram } from '../build/firmware.ts';
import { XsinferError } from '../errors.ts';
import { openBoardLink, readBoardJson } from '../run/link-settings.ts';
import { targetInfo, type Target } from '../targets.ts';
import { ensureProbeTool } from '../toolchain/bootstrap.ts';

export const probes = ['openocd', 'st-flash', 'pyocd'] as const;
export type Probe = (typeof probes)[number];

/** Per board: the names each programmer knows it by (openocd board script, pyOCD target). */
interface ProbeNames {
  openocdBoard: string;
  pyocdTarget: string;
}
const boardNames: Partial<Record<Target, ProbeNames>> = {
  'stm32f769i-disco': { openocdBoard: 'board/stm32f769i-disco.cfg', pyocdTarget: 'stm32f769nihx' },
};

export interface ToolRun {
  command: string;
  args: string[];
  code: number;
  output: string;
}

/** Runs one programmer command; a tool that hangs is killed after timeoutMs. */
function runTool(command: string, args: string[], timeoutMs: number): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new XsinferError('TOOLCHAIN_MISSING', `cannot start ${command}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL')
        reject(
          new XsinferError('TIMEOUT', `${command} did not finish within ${timeoutMs / 1000} s (${args.join(' ')})`),
        );
      else resolve({ command, args, code: code ?? -1, output });
    });
  });
}

/** The tool's own words that say no probe or no chip answered. */
const NO_PROBE =
  /open failed|no device found|Found 0 stlink programmers|Couldn't find any ST-Link|No connected debug probes|No available debug probes|unable to find|Failed to connect to target|LIBUSB_ERROR|init mode failed/i;
const VERIFY_BAD = /Verify Failed|verification of flash failed|checksum mismatch|contents differ/i;

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

/** Turns a failed tool run into the one-line error the CLI prints. */
function failure(run: ToolRun, step: string): XsinferError {
  const said = lastLines(run.output);
  if (NO_PROBE.test(run.output))
    return new XsinferError(
      'NO_PROBE',
      `${run.command} found no debug probe or no chip behind it (${said}): is the board's ST-LINK USB connected?`,
    );
  if (VERIFY_BAD.test(run.output))
    return new XsinferError('VERIFY_FAILED', `${run.command}: the flash read back differs from the image (${said})`);
  if (/not recognized|Target type .* not/i.test(run.output))
    return new XsinferError(
      'FLASH_FAILED',
      `${run.command} does not know the target (${said}); pyOCD needs the part's pack: pyocd pack install stm32f769nihx`,
    );
  return new XsinferError('FLASH_FAILED', `${run.command} failed to ${step} (exit ${run.code}): ${said}`);
}

export interface FlashPlan {
  probe: Probe;
  /** The command lines, in order; {BIN} and {READBACK} are files the flash step creates. */
  steps: { command: string; args: string[]; what: string }[];
}

/** The exact command lines for a probe (also what README shows). */
export function flashPlan(opts: {
  probe: Probe;
  target: Target;
  elf: string;
  bin: string;
  readback: string;
  base: number;
  bytes: number;
}): FlashPlan {
  const names = boardNames[opts.target];
  if (!names) throw new XsinferError('NOT_SUPPORTED', `no programmer settings for ${opts.target}`);
  const hex = `0x${opts.base.toString(16).padStart(8, '0')}`;
  switch (opts.probe) {
    case 'openocd':
      // program = erase + write + (verify: CRC on the chip, else read back) + reset.
      return {
        probe: 'openocd',
        steps: [
          {
            command: 'openocd',
            args: ['-f', names.openocdBoard, '-c', `program ${opts.elf} verify reset exit`],
            what: 'program, verify and reset',
          },
        ],
      };
    case 'st-flash':
      // st-flash takes a raw binary at an address; `write` reads every page back.
      return {
        probe: 'st-flash',
        steps: [
          { command: 'arm-none-eabi-objcopy', args: ['-O', 'binary', opts.elf, opts.bin], what: 'make the raw image' },
          { command: 'st-flash', args: ['--reset', 'write', opts.bin, hex], what: 'write, verify and reset' },
        ],
      };
    case 'pyocd':
      // pyOCD's load does not read back: the flash is saved to a file and compared here.
      return {
        probe: 'pyocd',
        steps: [
          { command: 'arm-none-eabi-objcopy', args: ['-O', 'binary', opts.elf, opts.bin], what: 'make the raw image' },
          {
            command: 'pyocd',
            args: ['load', '-t', names.pyocdTarget, '--no-reset', '--format', 'elf', opts.elf],
            what: 'load',
          },
          {
            command: 'pyocd',
            args: ['cmd', '-t', names.pyocdTarget, '-c', `savemem ${hex} ${opts.bytes} ${opts.readback}`],
            what: 'read back',
          },
          { command: 'pyocd', args: ['reset', '-t', names.pyocdTarget], what: 'reset' },
        ],
      };
  }
}

/** The first probe tool on PATH, in the order openocd, st-flash, pyocd. */
function probeOnPath(): Probe | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  return probes.find((p) => dirs.some((d) => d && fs.existsSync(path.join(d, p))));
}

export interface FlashResult {
  target: Target;
  probe: Probe;
  image: string;
  bytes: number;
  verified: true;
  commands: string[];
  port: string | null;
  info: { target: string; build: string; uart: InfoRecord['uart'] | null } | null;
  ms: number;
}

function builtId(target: Target): string | null {
  const file = path.join(buildDirFor(target), 'gen', 'build_id.c');
  if (!fs.existsSync(file)) return null;
  return /xsinfer_build_id\[\] = "([^"]*)"/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? null;
}

/** Waits for the firmware's info: the boot one if it comes, else a hello's answer. */
async function waitForInfo(session: DeviceSession, timeoutMs: number): Promise<InfoRecord> {
  const deadline = Date.now() + timeoutMs;
  const boot = await session
    .waitFor((r): r is InfoRecord => r.kind === 'info', Math.min(2000, timeoutMs))
    .catch(() => undefined);
  if (boot) return boot;
  const left = Math.max(500, deadline - Date.now());
  try {
    const { info } = await session.hello({ timeoutMs: left });
    return info;
  } catch (err) {
    throw new XsinferError(
      'TIMEOUT',
      `no info record from the board on ${session.link.description} within ${timeoutMs / 1000} s of its reset (waited for the boot info, then a hello's answer: ${(err as Error).message}); is it the board's port, at the firmware's baud rate?`,
    );
  }
}

export async function flash(opts: {
  target: Target;
  probe?: Probe;
  program: string;
  /** Serial port to wait on for the info record; null: do not wait. */
  port: string | null;
  toolTimeoutMs?: number;
  infoTimeoutMs?: number;
  log?: (line: string) => void;
}): Promise<FlashResult> {
  const t0 = performance.now();
  const { target } = opts;
  if (targetInfo[target].runsHere)
    throw new XsinferError(
      'NOT_SUPPORTED',
      `${target} runs here (QEMU or a process): nothing to flash; use \`xsinfer run --target ${target}\``,
    );
  const elf = existingProgram(target, opts.program);
  const board = readBoardJson(target);
  if (!board || board.flashBase === null)
    throw new XsinferError(
      'BUILD_FAILED',
      `no flash base for ${target} in its build's bin/board.json: rebuild with \`npx xsinfer build --target ${target}\``,
    );
  const probe = opts.probe ?? probeOnPath() ?? 'openocd';
  ensureProbeTool(probe);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-flash-'));
  // Open the port before the reset so the boot info cannot be missed.
  const link = opts.port ? await openBoardLink(opts.port, target) : null;
  const session = link ? new DeviceSession(link, { timeoutMs: 1000, retries: 2 }) : null;
  try {
    const bin = path.join(work, 'image.bin');
    const readback = path.join(work, 'readback.bin');
    // The raw image's size is what the read-back compares; objcopy makes it in the plan.
    let plan = flashPlan({ probe, target, elf, bin, readback, base: board.flashBase, bytes: 0 });
    const commands: string[] = [];
    for (let i = 0; i < plan.steps.length; i++) {
      const step = plan.steps[i]!;
      commands.push([step.command, ...step.args].join(' '));
      opts.log?.(`$ ${commands[commands.length - 1]}`);
      const run = await runTool(step.command, step.args, opts.toolTimeoutMs ?? 180_000);
      if (run.code !== 0) throw failure(run, step.what);
      if (step.command === 'arm-none-eabi-objcopy') {
        const bytes = fs.statSync(bin).size;
        plan = flashPlan({ probe, target, elf, bin, readback, base: board.flashBase, bytes });
      }
      // Compared before the reset: a board whose flash differs is not started.
      if (step.what === 'read back') compareReadback(bin, readback, board.flashBase);
    }
    const bytes = fs.statSync(elf).size;
    let info: FlashResult['info'] = null;
    if (session) {
      const rec = await waitForInfo(session, opts.infoTimeoutMs ?? 15_000);
      if (rec.target !== target)
        throw new XsinferError(
          'RUN_FAILED',
          `the device on ${link!.description} says it is ${rec.target}, not ${target}: another board on that port?`,
        );
      const id = builtId(target);
      if (id !== null && rec.build !== id)
        throw new XsinferError(
          'RUN_FAILED',
          `the board runs build ${rec.build}, not the flashed ${id}: did the reset happen?`,
        );
      info = { target: rec.target, build: rec.build, uart: rec.uart ?? null };
    }
    return {
      target,
      probe,
      image: elf,
      bytes,
      verified: true,
      commands,
      port: link?.description ?? null,
      info,
      ms: Math.round(performance.now() - t0),
    };
  } finally {
    await session?.close().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function compareReadback(bin: string, readback: string, base: number): void {
  const want = fs.readFileSync(bin);
  const got = fs.existsSync(readback) ? fs.readFileSync(readback) : Buffer.alloc(0);
  const at = firstDifference(want, got);
  if (at >= 0)
    throw new XsinferError(
      'VERIFY_FAILED',
      `pyocd: the flash read back differs from the image at offset ${at} (0x${(base + at).toString(16)}) of ${want.length} bytes`,
    );
}
