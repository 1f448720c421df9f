// Links: ST-LINK port discovery (including a missing udevadm), TCP, and a live session
// with the selftest on QEMU's Cortex-M7 through its real UART (CMSDK UART RX and TX).
import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildFirmware, programPath } from '../../host/build/firmware.ts';
import { bootQemu } from '../../host/run/board-session.ts';
import { QEMU_BINARY, qemuArgs } from '../../host/run/qemu.ts';
import { encodeFrame } from '../../host/bridge/frame.ts';
import { findStLinkPort, linkFromSocket, listPorts, openLink, LinkError } from '../../host/bridge/link.ts';
import { DeviceSession } from '../../host/bridge/session.ts';
import { Deframer } from '../../host/bridge/deframer.ts';
import { qemuPty } from '../qemu-pty.ts';

describe('ST-LINK discovery', () => {
  const ports = [
    { path: '/dev/ttyS0' },
    { path: '/dev/ttyACM0', vendorId: '0483', productId: '374B' },
    { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001' },
  ];

  it('finds the VCP by USB id (either case) and refuses ambiguity', async () => {
    expect(await findStLinkPort(async () => ports)).toBe('/dev/ttyACM0');
    expect(await findStLinkPort(async () => [{ path: '/dev/ttyACM3', vendorId: '0483', productId: '374e' }])).toBe(
      '/dev/ttyACM3',
    );
    await expect(
      findStLinkPort(async () => [...ports, { path: '/dev/ttyACM1', vendorId: '0483', productId: '374e' }]),
    ).rejects.toThrow(/several ST-LINK/);
    await expect(findStLinkPort(async () => [ports[0]!])).rejects.toThrow(/no ST-LINK .* ports seen: \/dev\/ttyS0/);
  });

  it('explains a missing udevadm instead of crashing', async () => {
    const enoent = Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' });
    const err = await listPorts(async () => Promise.reject(enoent)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect((err as LinkError).code).toBe('NO_PORT');
    expect((err as Error).message).toMatch(/udev.*--port/);
  });

  it('lists the real ports of this machine or says why not', async () => {
    const result = await listPorts().then(
      (p) => ({ ok: true as const, count: p.length }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    if (!result.ok) expect(result.e).toBeInstanceOf(LinkError);
    else expect(result.count).toBeGreaterThanOrEqual(0);
  });

  it('rejects a port spec it cannot understand', async () => {
    await expect(openLink('serial0')).rejects.toThrow(/tcp:HOST:PORT/);
  });
});

describe('TCP link', () => {
  it('carries frames both ways', async () => {
    const server = net.createServer((s) => s.pipe(s)); // echo
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const link = await openLink(`tcp:127.0.0.1:${port}`);
    const d = new Deframer();
    const got = new Promise<number[]>((resolve) => {
      const seqs: number[] = [];
      link.stream.on('data', (c: Buffer) => {
        for (const f of d.push(c)) seqs.push(f.seq);
        if (seqs.length === 3) resolve(seqs);
      });
    });
    for (let s = 0; s < 3; s++) link.stream.write(encodeFrame(0x43, s, Uint8Array.of(0x80)));
    expect(await got).toEqual([0, 1, 2]);
    await link.close();
    server.close();
    await expect(openLink(`tcp:127.0.0.1:${port}`)).rejects.toThrow(/cannot connect/);
  });
});

describe('live session with the selftest on mps2-an500 (QEMU UART over TCP)', () => {
  it('answers commands received by the guest UART and exits on reset', async () => {
    await buildFirmware({ target: 'mps2-an500' });
    const boot = await bootQemu({ elf: programPath('mps2-an500', 'wire-selftest') });
    const session = new DeviceSession(linkFromSocket(boot.socket, `tcp:127.0.0.1:${boot.port}`), { timeoutMs: 5000 });
    try {
      await session.waitFor((r) => r.kind === 'log' && r.text === 'rx ready', 30_000);
      const { info } = await session.hello({ maxFrame: 2048 });
      expect(info).toMatchObject({ target: 'mps2-an500', tick: { unit: 'instr', num: 40, den: 128 }, maxFrame: 2048 });
      await session.command({
        kind: 'run',
        app: 'micro_speech',
        impl: 'js',
        kernels: 'optimized',
        iterations: 5,
        ops: true,
      });
      const chunk = Uint8Array.from({ length: 1500 }, (_, i) => i * 13);
      await session.command({ kind: 'uploadChunk', offset: 0, data: chunk });
      await session.command({ kind: 'reset' });
      expect(await boot.exited).toBe(0);
      const echoes = session.records.flatMap((r) => (r.kind === 'user' && r.name === 'cmd' ? [r.value] : []));
      expect(echoes[1]).toEqual({
        type: 2,
        seq: 1,
        app: 'micro_speech',
        impl: 'js',
        kernels: 'optimized',
        iterations: 5,
        warmup: 0,
        ops: true,
      });
      expect(echoes[2]).toMatchObject({ type: 6, seq: 2, data: chunk });
      expect(session.deframer.counters).toMatchObject({ badCrc: 0, malformed: 0, garbageBytes: 0, seqGaps: 0 });
    } finally {
      boot.child.kill('SIGKILL');
      await session.close();
    }
  });
});

describe('live session with the selftest on mps2-an500 (QEMU UART on a pty, opened by serialport)', () => {
  it('finds the pty and talks over it', async () => {
    await buildFirmware({ target: 'mps2-an500' });
    const args = qemuArgs({ elf: programPath('mps2-an500', 'wire-selftest'), serial: 'pty' });
    const qemu = spawn(QEMU_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number>((r) => qemu.once('close', (code) => r(code ?? -1)));
    try {
      const pty = await qemuPty(qemu);
      expect(pty).toMatch(/^\/dev\/pts\/\d+$/);
      const session = new DeviceSession(await openLink(pty, { baudRate: 115200 }), { timeoutMs: 3000 });
      try {
        // Boot output may be gone before the pty was opened; a hello starts a clean session.
        const { info } = await session.hello();
        expect(info).toMatchObject({ target: 'mps2-an500', maxFrame: 1024 });
        await session.command({ kind: 'run', app: 'mnist', impl: 'c' });
        // QEMU exits on reset and the pty may drop the ack with it, and a hung-up pty is
        // not always reported to the reader: the guest's exit status is the evidence.
        const reset = session.reset({ timeoutMs: 20_000 });
        reset.catch(() => {});
        expect(await exited).toBe(0);
      } finally {
        await session.close();
      }
    } finally {
      qemu.kill('SIGKILL');
    }
  });
});
