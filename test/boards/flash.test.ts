// `xsinfer flash` against stand-in programmers: shell scripts named openocd, st-flash and
// pyocd on PATH that log their arguments and answer like the real tools (success, no
// probe, verify failure). The board's reset is stood in for by a TCP endpoint that sends a
// boot `info` frame, as the firmware does after a reset.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPayload } from '../../host/bridge/commands.ts';
import { encodeFrame } from '../../host/bridge/frame.ts';
import { buildDirFor, programPath } from '../../host/build/firmware.ts';
import { repoRoot } from '../../host/paths.ts';

const F769 = 'stm32f769i-disco';
let dir: string;
let fakeBin: string;

const OPENOCD = `#!/bin/sh
echo "openocd $*" >> "$XSI_PROBE_LOG"
case "$XSI_PROBE_MODE" in
  noprobe) echo "Error: open failed" >&2; exit 1 ;;
  verifyfail) echo "** Programming Finished **"; echo "** Verify Failed **" >&2; exit 1 ;;
esac
echo "** Programming Started **"; echo "** Programming Finished **"; echo "** Verified OK **"; echo "** Resetting Target **"
`;
const ST_FLASH = `#!/bin/sh
echo "st-flash $*" >> "$XSI_PROBE_LOG"
case "$XSI_PROBE_MODE" in
  noprobe) echo "Found 0 stlink programmers" >&2; exit 255 ;;
  verifyfail) echo "Verification of flash failed at offset: 0x400" >&2; exit 255 ;;
esac
echo "Flash written and verified! jolly good!"
`;
// load remembers the ELF; cmd's savemem writes what the "flash" holds: the ELF's raw image
// (a byte flipped at offset 100 in verifyfail mode).
const PYOCD = `#!/bin/sh
echo "pyocd $*" >> "$XSI_PROBE_LOG"
[ "$XSI_PROBE_MODE" = noprobe ] && { echo "0000812 C No available debug probes are connected [__main__]" >&2; exit 1; }
case "$1" in
  load) for a in "$@"; do last="$a"; done; echo "$last" > "$XSI_PROBE_LOG.elf" ;;
  cmd) set -- $5; arm-none-eabi-objcopy -O binary "$(cat "$XSI_PROBE_LOG.elf")" "$4.full"
       head -c "$3" "$4.full" > "$4"
       [ "$XSI_PROBE_MODE" = verifyfail ] && printf 'Z' | dd of="$4" bs=1 seek=100 conv=notrunc 2>/dev/null
       true ;;
  reset) ;;
esac
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-flash-test-'));
  fakeBin = path.join(dir, 'bin');
  fs.mkdirSync(fakeBin);
  for (const [name, text] of [
    ['openocd', OPENOCD],
    ['st-flash', ST_FLASH],
    ['pyocd', PYOCD],
  ] as const)
    fs.writeFileSync(path.join(fakeBin, name), text, { mode: 0o755 });
  // Only the stand-ins and the tools they and the flash step use are on PATH.
  const tools = path.join(dir, 'tools');
  fs.mkdirSync(tools);
  for (const tool of ['arm-none-eabi-objcopy', 'sh', 'head', 'dd', 'cat', 'printf'])
    for (const d of ['/usr/bin', '/bin'])
      if (fs.existsSync(path.join(d, tool)) && !fs.existsSync(path.join(tools, tool)))
        fs.symlinkSync(path.join(d, tool), path.join(tools, tool));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  /** The CLI's error lines (the steps it ran are logged as "$ command" lines). */
  errors: string[];
  stdout: string;
  stderr: string;
  last: string;
  log: string[];
}

/** The CLI, asynchronously (a stand-in board in this process must answer meanwhile). */
function flashCli(args: string[], env: { mode?: string; path?: string } = {}): Promise<Run> {
  const log = path.join(dir, `log-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(log, '');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'xsinfer.js'), 'flash', '--no-build', ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PATH: env.path ?? `${fakeBin}:${path.join(dir, 'tools')}`,
        XSI_PROBE_LOG: log,
        XSI_PROBE_MODE: env.mode ?? 'ok',
        XSINFER_NO_INSTALL: '1',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => {
      const lines = stdout.trim().split('\n');
      resolve({
        status,
        errors: stderr.split('\n').filter((l) => l.startsWith('xsinfer: ')),
        stdout,
        stderr,
        last: lines[lines.length - 1] ?? '',
        log: fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean),
      });
    });
  });
}

function builtId(): string {
  const text = fs.readFileSync(path.join(buildDirFor(F769), 'gen', 'build_id.c'), 'utf8');
  return /"([^"]*)"/.exec(text)![1]!;
}

/** A serial endpoint that, once connected, sends what a freshly reset F769 sends: its info. */
async function standInBoard(info: Record<string, unknown> | null): Promise<{ port: number; close: () => void }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    if (info) setTimeout(() => socket.write(encodeFrame(0x40, 0, packPayload(info))), 200);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

function f769Info(target = F769): Record<string, unknown> {
  return {
    v: 1,
    build: builtId(),
    target,
    tick: { unit: 'cycles', num: 1, den: 1, hz: 216000000 },
    mem: { flash: 2097152, ram: 524288, stackBottom: 0x20000000, stackTop: 0x20004000 },
    maxFrame: 1024,
    uart: { baud: 921600, format: '8N1' },
  };
}

describe('xsinfer flash (stand-in programmers)', () => {
  const elf = () => programPath(F769, 'xsinfer');

  it("openocd: program + verify + reset in one command line, then the board's info", async () => {
    const board = await standInBoard(f769Info());
    try {
      const r = await flashCli(['--probe', 'openocd', '--port', `tcp:127.0.0.1:${board.port}`, '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.log).toEqual([`openocd -f board/stm32f769i-disco.cfg -c program ${elf()} verify reset exit`]);
      const out = JSON.parse(r.last);
      expect(out).toMatchObject({ target: F769, probe: 'openocd', verified: true, image: elf() });
      expect(out.info).toEqual({ target: F769, build: builtId(), uart: { baud: 921600, format: '8N1' } });
    } finally {
      board.close();
    }
  });

  it('st-flash: a raw image written at the flash base (board.json), with --reset', async () => {
    const r = await flashCli(['--probe', 'st-flash', '--no-wait', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.log).toHaveLength(1);
    expect(r.log[0]).toMatch(/^st-flash --reset write \/\S+\/image\.bin 0x08000000$/);
    expect(JSON.parse(r.last).commands[0]).toMatch(/^arm-none-eabi-objcopy -O binary \S+xsinfer\.elf \S+image\.bin$/);
  });

  it('pyocd: load, read the flash back and compare here, reset', async () => {
    const r = await flashCli(['--probe', 'pyocd', '--no-wait', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.log[0]).toBe(`pyocd load -t stm32f769nihx --no-reset --format elf ${elf()}`);
    expect(r.log[1]).toMatch(/^pyocd cmd -t stm32f769nihx -c savemem 0x08000000 \d+ \S+readback\.bin$/);
    expect(r.log[2]).toBe('pyocd reset -t stm32f769nihx');
  });

  it('pyocd: a read-back that differs is a verify failure (exit 13) naming the offset', async () => {
    const r = await flashCli(['--probe', 'pyocd', '--no-wait'], { mode: 'verifyfail' });
    expect(r.status).toBe(13);
    expect(r.errors.join('\n')).toMatch(
      /^xsinfer: pyocd: the flash read back differs from the image at offset 100 \(0x8000064\)/,
    );
    expect(r.log.some((l) => l.startsWith('pyocd reset'))).toBe(false);
  });

  it.each([
    ['openocd', 'verifyfail', 13, /openocd: the flash read back differs from the image \(.*Verify Failed/],
    ['st-flash', 'verifyfail', 13, /st-flash: the flash read back differs .*Verification of flash failed/],
    ['openocd', 'noprobe', 12, /openocd found no debug probe or no chip behind it \(Error: open failed\)/],
    ['st-flash', 'noprobe', 12, /st-flash found no debug probe .*Found 0 stlink programmers/],
    ['pyocd', 'noprobe', 12, /pyocd found no debug probe .*No available debug probes/],
  ])('%s %s: exit %i with one line', async (probe, mode, status, message) => {
    const r = await flashCli(['--probe', probe, '--no-wait'], { mode });
    expect(r.status).toBe(status);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(message);
  });

  it('a missing programmer: exit 3 and the Debian package that provides it', async () => {
    const only = path.join(dir, 'only-openocd');
    fs.mkdirSync(only, { recursive: true });
    fs.copyFileSync(path.join(fakeBin, 'openocd'), path.join(only, 'openocd'));
    const r = await flashCli(['--probe', 'st-flash', '--no-wait'], { path: `${only}:${path.join(dir, 'tools')}` });
    expect(r.status).toBe(3);
    expect(r.stderr.trim()).toBe(
      'xsinfer: st-flash is not installed; install it with: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends stlink-tools',
    );
  });

  it('no info after the reset: exit 6 naming the port and what it waited for', async () => {
    const board = await standInBoard(null);
    try {
      const r = await flashCli(['--probe', 'openocd', '--port', `tcp:127.0.0.1:${board.port}`, '--timeout', '2500']);
      expect(r.status).toBe(6);
      expect(r.errors.join('\n')).toMatch(
        new RegExp(
          `^xsinfer: no info record from the board on tcp:127.0.0.1:${board.port} within 2.5 s of its reset \\(waited for the boot info, then a hello's answer`,
        ),
      );
    } finally {
      board.close();
    }
  });

  it('another board on the port: exit 5', async () => {
    const board = await standInBoard(f769Info('mps2-an500'));
    try {
      const r = await flashCli(['--probe', 'openocd', '--port', `tcp:127.0.0.1:${board.port}`]);
      expect(r.status).toBe(5);
      expect(r.stderr).toMatch(/says it is mps2-an500, not stm32f769i-disco/);
    } finally {
      board.close();
    }
  });

  it('QEMU and host targets have nothing to flash (exit 7); an unknown probe is exit 2', async () => {
    const qemu = await flashCli(['--target', 'mps2-an500', '--no-wait']);
    expect(qemu.status).toBe(7);
    expect(qemu.stderr).toMatch(/mps2-an500 runs here .* nothing to flash/);
    const bad = await flashCli(['--probe', 'jlink']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown probe 'jlink': use one of openocd, st-flash, pyocd/);
  });
});
