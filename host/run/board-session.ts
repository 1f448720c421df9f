// Interactive boots for `xsinfer run`: the guest's UART reaches the host over a TCP
// socket (QEMU waits for the connection, so no early byte is lost), and the run ends
// with the guest's exit status. With --keep, QEMU stays up and its serial endpoint is
// recorded in build/<target>/board.json for monitor/deploy.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { XsinferError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { buildDirFor, programPath } from '../build/firmware.ts';
import type { QemuTarget } from '../targets.ts';
import { QEMU_BINARY, qemuArgs } from './qemu.ts';

export interface BoardState {
  target: QemuTarget;
  pid: number;
  serial: string; // e.g. tcp:127.0.0.1:4567
  elf: string;
  startedAt: string;
}

export function boardStatePath(target: string): string {
  return path.join(buildDirFor(target as QemuTarget), 'board.json');
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (for QEMU's serial server). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function connectWithRetry(port: number, child: ChildProcess, timeoutMs: number): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new XsinferError('RUN_FAILED', `QEMU exited (${child.exitCode}) before its serial port opened`);
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch {
      if (Date.now() > deadline) throw new XsinferError('TIMEOUT', `QEMU's serial port 127.0.0.1:${port} did not open`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export interface QemuBoot {
  child: ChildProcess;
  socket: net.Socket;
  port: number;
  /** Resolves with the guest's exit status once QEMU has exited. */
  exited: Promise<number>;
}

/** Boots an ELF under QEMU with the UART on a TCP socket and connects to it. */
export async function bootQemu(opts: {
  elf: string;
  /** QEMU machine; mps2-an500 unless given. */
  machine?: QemuTarget;
  args?: string[];
  stderr?: (s: string) => void;
}): Promise<QemuBoot> {
  const port = await freePort();
  const args = qemuArgs({
    elf: opts.elf,
    args: opts.args,
    serial: `tcp:127.0.0.1:${port},server=on,wait=on`,
    machine: opts.machine,
  });
  const child = spawn(QEMU_BINARY, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
    opts.stderr?.(c.toString());
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (err) => reject(new XsinferError('RUN_FAILED', `cannot start ${QEMU_BINARY}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === null && signal !== 'SIGTERM' && signal !== 'SIGKILL')
        reject(new XsinferError('RUN_FAILED', `QEMU died (${signal}): ${stderr}`));
      else resolve(code ?? 128);
    });
  });
  exited.catch(() => {});
  const socket = await connectWithRetry(port, child, 10_000);
  return { child, socket, port, exited };
}

/** Runs a program to completion, streaming its UART to `out`; returns the guest's exit status. */
export async function runStreaming(opts: {
  target: QemuTarget;
  program: string;
  args?: string[];
  out: (chunk: Buffer) => void;
  timeoutMs?: number;
}): Promise<number> {
  const boot = await bootQemu({ elf: programPath(opts.target, opts.program), args: opts.args, machine: opts.target });
  boot.socket.on('data', opts.out);
  boot.socket.on('error', () => {}); // QEMU closing the socket at exit is the normal end
  const timer = setTimeout(() => boot.child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
  try {
    const status = await boot.exited;
    // Let the socket deliver what QEMU wrote just before exiting.
    await new Promise<void>((resolve) => {
      if (boot.socket.readableEnded || boot.socket.destroyed) resolve();
      else boot.socket.once('close', () => resolve());
      setTimeout(resolve, 500);
    });
    return status;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts QEMU detached and records where its serial port is; the first client to connect starts the guest. */
export async function keepBoard(opts: { target: QemuTarget; program: string; args?: string[] }): Promise<BoardState> {
  const port = await freePort();
  const elf = programPath(opts.target, opts.program);
  const args = qemuArgs({
    elf,
    args: opts.args,
    serial: `tcp:127.0.0.1:${port},server=on,wait=on`,
    machine: opts.target,
  });
  const child = spawn(QEMU_BINARY, args, { cwd: repoRoot, stdio: 'ignore', detached: true });
  child.unref();
  const state: BoardState = {
    target: opts.target,
    pid: child.pid ?? -1,
    serial: `tcp:127.0.0.1:${port}`,
    elf,
    startedAt: new Date().toISOString(),
  };
  fs.writeFileSync(boardStatePath(opts.target), JSON.stringify(state, null, 2) + '\n');
  return state;
}
