// XS's debugger on QEMU: `xsinfer debug` boots the debug firmware and relays its xsbug
// stream to our own xsbug-protocol client (xsbug-client.ts), which sets a breakpoint on a
// TypeScript line of device/apps/debug_probe, hits it, reads locals, steps, resumes, and
// sees trace() output and an exception with their .ts file and line. Also: release images
// carry no debugger code, a release firmware refuses the debugger, and with nothing
// listening `debug` fails with one line.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFirmware, programPath } from '../../host/build/firmware.ts';
import { connectDevice } from '../../host/bench/device.ts';
import { DeviceSession, SessionError } from '../../host/bridge/session.ts';
import { repoRoot } from '../../host/paths.ts';
import { xsinfer } from '../cli.ts';
import { XsbugServer, type XsbugConnection, type XsbugMessage } from './xsbug-client.ts';

const probe = path.join(repoRoot, 'device', 'apps', 'debug_probe', 'main.ts');
const probeLines = fs.readFileSync(probe, 'utf8').split('\n');
/** The 1-based line of the probe that contains `text`. */
const lineOf = (text: string): number => {
  const i = probeLines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`debug_probe has no line with ${text}`);
  return i + 1;
};

/** Symbols only XS's debugger (mxDebug) defines. */
/** `xsinfer debug ARGS --xsbug 127.0.0.1:PORT` (the prebuilt debug firmware on QEMU unless
 * `env` says otherwise): its output so far (stderr, and stdout too with `stdout`) and its
 * exit code. */
function debugCli(
  port: number,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; stdout?: boolean } = {},
): { output: () => string; exited: Promise<number | null> } {
  const cli = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'xsinfer.js'), 'debug', ...args, '--xsbug', `127.0.0.1:${port}`],
    { cwd: repoRoot, env: opts.env ?? { ...process.env, XSINFER_PREBUILT: 'mps2-an500+debug' } },
  );
  let output = '';
  if (opts.stdout) cli.stdout.on('data', (d: Buffer) => (output += d.toString()));
  cli.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
  return { output: () => output, exited };
}

const DEBUGGER_SYMBOL = /^(fxDebug\w*|fxConnect|fxDisconnect|fxLogin|fxLogout|fxEcho\w*|fxReceive|fxSend)$/;

function debuggerSymbols(elf: string): string[] {
  const r = spawnSync('arm-none-eabi-nm', ['--defined-only', elf], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[2] ?? '')
    .filter((s) => DEBUGGER_SYMBOL.test(s));
}

describe('release images', () => {
  it.each(['mps2-an500', 'stm32f769i-disco'] as const)('%s has no debugger code', async (target) => {
    await buildFirmware({ target });
    expect(debuggerSymbols(programPath(target, 'xsinfer'))).toEqual([]);
  });

  it('a release firmware refuses the debugger with error 4 unsupported', async () => {
    await buildFirmware({ target: 'mps2-an500' });
    const device = await connectDevice({ target: 'mps2-an500' });
    const session = new DeviceSession(device.link);
    try {
      await session.hello({ timeoutMs: 10_000 });
      const err = await session.command({ kind: 'xsbug', attach: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionError);
      expect((err as SessionError).record?.codeName).toBe('unsupported');
      expect((err as SessionError).record?.message).toMatch(/no debugger.*--debug/);
    } finally {
      await session.close();
      device.kill();
    }
  }, 60_000);
});

describe('xsinfer debug on QEMU', () => {
  let server: XsbugServer;

  beforeAll(async () => {
    // The debug flavour in its own build directory (build/mps2-an500+debug).
    const built = xsinfer('--debug', 'build', '--target', 'mps2-an500');
    expect(built.status, built.stderr).toBe(0);
    expect(
      debuggerSymbols(path.join(repoRoot, 'build', 'mps2-an500+debug', 'bin', 'xsinfer.elf')).length,
    ).toBeGreaterThan(5);
    server = await XsbugServer.listen();
  }, 900_000);

  afterAll(async () => {
    await server?.close();
  });

  it('breakpoint at a .ts line, locals, step, resume, trace() as <log>, exception with .ts file:line', async () => {
    const run = debugCli(server.port, ['--app', 'debug_probe', '--iterations', '3', '--timeout', '240000'], {
      stdout: true,
    });
    let c: XsbugConnection | undefined;
    try {
      c = await server.connection(120_000);
      const login = await c.next((m) => m.login !== undefined, 'the login');
      expect(login.login).toEqual({ name: 'xsinfer', value: 'XS' });

      const breakLine = lineOf('const doubled');
      c.send(`<set-all-breakpoints><breakpoint path="${probe}" line="${breakLine}"/></set-all-breakpoints>`);
      const hit = await c.next((m) => m.break !== undefined, 'the breakpoint');
      expect(hit.break).toEqual({ path: probe, line: breakLine, message: 'breakpoint' });
      expect(hit.locals.get('caseIndex')).toBe('0');
      expect(hit.body).toMatch(/<frames>[\s\S]*populate/);

      const after = (m: XsbugMessage) => c!.messages.indexOf(m) + 1;
      c.send('<step/>');
      const stepped = await c.next((m) => m.break !== undefined, 'the step', 60_000, after(hit));
      expect(stepped.break).toEqual({ path: probe, line: breakLine + 1, message: 'step' });
      expect(stepped.locals.get('doubled')).toBe('0');

      // Resume: case 1 stops at the breakpoint again, with its own locals.
      c.send('<go/>');
      const again = await c.next((m) => m.break !== undefined, 'the second hit', 60_000, after(stepped));
      expect(again.break?.line).toBe(breakLine);
      expect(again.locals.get('caseIndex')).toBe('1');

      c.send('<clear-all-breakpoints/>');
      c.send('<go/>');
      const thrown = await c.next(
        (m) => m.logs.some((l) => l.text.startsWith('# Exception')),
        'the exception of case 2',
        60_000,
        after(again),
      );
      const exception = thrown.logs.find((l) => l.text.startsWith('# Exception'));
      expect(exception).toMatchObject({ path: probe, line: lineOf('throw new Error') });

      const logs = c.messages.flatMap((m) => m.logs.map((l) => l.text));
      for (const k of [0, 1, 2]) expect(logs).toContain(`debug_probe: case ${k} doubled ${2 * k}\n`);

      await expect.poll(run.output, { timeout: 60_000 }).toMatch(/debug_probe: run \d+ ended with status 1/);
    } finally {
      c?.close();
    }
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/xsbug relay ended: the debugger closed its connection/);
  }, 300_000);

  it("xsbug-log's command sequence: go at login, break on exceptions, go at every break; --once ends with the run", async () => {
    const run = debugCli(server.port, ['--app', 'debug_probe', '--iterations', '3', '--once']);
    const c = await server.connection(120_000);
    await c.next((m) => m.login !== undefined, 'the login');
    // What Moddable's xsbug-log (tools/xsbug-log) writes, byte for byte in form.
    c.socket.write('\r\n<go/>\r\n');
    c.socket.write('\r\n<set-all-breakpoints><breakpoint path="exceptions" line="0"/><set-all-breakpoints/>\r\n');
    const broken = await c.next((m) => m.break !== undefined, 'the break on the exception');
    expect(broken.break).toEqual({ path: probe, line: lineOf('throw new Error'), message: 'throw' });
    c.socket.write('\r\n<go/>\r\n');
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/debug_probe: run \d+ ended with status 1\n/);
    expect(run.output()).toMatch(/xsbug relay ended: the run ended \(--once\)/);
    c.close();
  }, 300_000);

  it("the debugger's <abort/> stops the device: RUN_FAILED (5) with XS's reason", async () => {
    const run = debugCli(server.port, ['--app', 'debug_probe']);
    const c = await server.connection(120_000);
    await c.next((m) => m.login !== undefined, 'the login');
    c.send(
      `<set-all-breakpoints><breakpoint path="${probe}" line="${lineOf('const doubled')}"/></set-all-breakpoints>`,
    );
    await c.next((m) => m.break !== undefined, 'the breakpoint');
    c.send('<abort/>');
    expect(await run.exited, run.output()).toBe(5);
    expect(run.output().trim().split('\n').pop()).toBe(
      'xsinfer: the device stopped: XS aborted: debugger; the device stops (abort)',
    );
  }, 300_000);

  it('attaches to a board that keeps running (--port), and leaves it running', async () => {
    const env = { ...process.env, XSINFER_PREBUILT: 'mps2-an500+debug' };
    const kept = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'xsinfer.js'), '--debug', 'run', '--keep'], {
      cwd: repoRoot,
      env,
      encoding: 'utf8',
    });
    expect(kept.status, kept.stderr).toBe(0);
    const stateFile = path.join(repoRoot, 'build', 'mps2-an500+debug', 'board.json');
    const board = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { pid: number; serial: string };
    try {
      const hello = path.join(repoRoot, 'device', 'apps', 'hello_world', 'main.ts');
      const line =
        fs
          .readFileSync(hello, 'utf8')
          .split('\n')
          .findIndex((l) => l.includes('input[0] = quantizeI8')) + 1;
      const run = debugCli(server.port, ['--port', board.serial, '--app', 'hello_world'], { env });
      const c = await server.connection(120_000);
      await c.next((m) => m.login !== undefined, 'the login');
      c.send(`<set-all-breakpoints><breakpoint path="${hello}" line="${line}"/></set-all-breakpoints>`);
      const hit = await c.next((m) => m.break !== undefined, 'the breakpoint in hello_world');
      expect(hit.break).toMatchObject({ path: hello, line });
      expect(hit.locals.get('caseIndex')).toBe('0');
      c.send('<go/>');
      await expect.poll(run.output, { timeout: 60_000 }).toMatch(/hello_world: run \d+ ended with status 0/);
      c.close();
      expect(await run.exited, run.output()).toBe(0);
      // --port: the board was not stopped.
      expect(() => process.kill(board.pid, 0)).not.toThrow();
    } finally {
      try {
        process.kill(board.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      fs.rmSync(stateFile, { force: true });
    }
  }, 300_000);

  it('fails with one line and LINK_FAILED (8) when nothing listens for xsbug', async () => {
    const free = await XsbugServer.listen();
    const port = free.port;
    await free.close();
    const r = xsinfer('debug', '--xsbug', `127.0.0.1:${port}`);
    expect(r.status).toBe(8);
    expect(r.stderr.trim()).toBe(
      `xsinfer: nothing listens for xsbug on 127.0.0.1:${port}: start xsbug (or xsbug-log) first, or name its address with --xsbug HOST:PORT`,
    );
  });
});
