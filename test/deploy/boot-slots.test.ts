// What the main firmware does at boot with slots it finds already in flash (QEMU
// mps2-an500: the slot bytes are preloaded at 0x340000 (app), 0x380000/0x3C0000 (model
// A/B) with QEMU's generic loader, as a board would hold them after an earlier deploy): the
// newest valid model is published as upload/model and a valid app started; an app deployed
// for another firmware image (a reflash since) and a slot whose write was interrupted are
// logged and ignored, and the built-in apps keep working.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../host/bridge/crc32.ts';
import { openTcpLink } from '../../host/bridge/link.ts';
import { DeviceSession } from '../../host/bridge/session.ts';
import { buildDirFor, programPath } from '../../host/build/firmware.ts';
import { dataDir } from '../../host/data.ts';
import { buildAppArchive } from '../../host/deploy/build-app.ts';
import { freePort } from '../../host/run/board-session.ts';
import { QEMU_BINARY, qemuArgs } from '../../host/run/qemu.ts';
import { appRoot, changedApp, labels, runJs } from './fixtures.ts';

const target = 'mps2-an500' as const;
const APP_SLOT = 0x340000;
const MODEL_A = 0x380000;
const MODEL_B = 0x3c0000;

/** A slot as firmware/programs/xsinfer/flash_slot.h lays it out: 64-byte header, image. */
function slotBytes(opts: {
  kind: 'app' | 'model';
  name: string;
  image: Uint8Array;
  baseCrc?: number;
  sequence?: number;
  commit?: boolean;
}): Uint8Array {
  const out = new Uint8Array(64 + opts.image.length).fill(0xff);
  const header = new DataView(out.buffer, 0, 64);
  header.setUint16(4, 2, true); // format
  header.setUint16(6, opts.kind === 'app' ? 1 : 2, true);
  header.setUint32(8, opts.image.length, true);
  header.setUint32(12, crc32(opts.image), true);
  header.setUint32(16, opts.baseCrc ?? 0, true);
  out.fill(0, 20, 52);
  out.set(new TextEncoder().encode(opts.name), 20);
  header.setUint32(52, opts.sequence ?? (opts.kind === 'model' ? 1 : 0), true);
  header.setUint32(0, 0x544f4c53, true); // magic: the CRC covers it as committed
  header.setUint32(56, crc32(out.subarray(0, 56)), true);
  out.fill(0, 60, 64);
  if (opts.commit === false) header.setUint32(0, 0xffffffff, true); // cut off before the magic
  out.set(opts.image, 64);
  return out;
}

interface Booted {
  session: DeviceSession;
  logs: string[];
  stop: () => Promise<void>;
}

/** Boots the main firmware with `slots` (address → bytes) already in memory. */
async function bootWithSlots(slots: Array<[number, Uint8Array]>): Promise<Booted> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-boot-slots-'));
  const port = await freePort();
  const loaders = slots.flatMap(([addr, bytes], i) => {
    const file = path.join(work, `slot${i}.bin`);
    fs.writeFileSync(file, bytes);
    return ['-device', `loader,file=${file},addr=0x${addr.toString(16)},force-raw=on`];
  });
  const args = [
    ...qemuArgs({ elf: programPath(target, 'xsinfer'), serial: `tcp:127.0.0.1:${port},server=on,wait=on` }),
    ...loaders,
  ];
  const child = spawn(QEMU_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const deadline = Date.now() + 10_000;
  let link;
  for (;;) {
    try {
      link = await openTcpLink('127.0.0.1', port, 1000);
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`QEMU did not open its serial port: ${stderr || String(err)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const session = new DeviceSession(link);
  await session.waitFor((r) => r.kind === 'info' && r.cmd === undefined, 30_000);
  const logs = session.records.flatMap((r) => (r.kind === 'log' ? [r.text] : []));
  await session.hello({ maxFrame: 4096, timeoutMs: 15_000 });
  return {
    session,
    logs,
    stop: async () => {
      await session.close().catch(() => undefined);
      child.kill('SIGKILL');
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

describe('slots found in flash at boot (QEMU mps2-an500)', () => {
  let app: Uint8Array;
  let baseCrc: number;
  const model = new Uint8Array(fs.readFileSync(path.join(dataDir(), 'models', 'hello_world_int8.tflite')));
  let booted: Booted | undefined;

  beforeAll(async () => {
    const root = appRoot();
    // mnist with another label mapping in RESPOND: digit d is reported as (d + 1) % 10.
    const v2 = changedApp(root, 'mnist', 'mnist_v2', [
      [
        'return { label, score: scores[label], value: best };',
        'return { label: (label + 1) % CLASSES, score: scores[label], value: best };',
      ],
    ]);
    app = (await buildAppArchive({ app: v2, target })).archive;
    baseCrc = crc32(fs.readFileSync(path.join(buildDirFor(target), 'gen', 'xs_archive.xsa')));
  });
  afterEach(async () => {
    await booted?.stop();
    booted = undefined;
  });

  it('publishes the model and starts the app deployed for this firmware', async () => {
    booted = await bootWithSlots([
      [APP_SLOT, slotBytes({ kind: 'app', name: 'mnist_v2', image: app, baseCrc })],
      [MODEL_B, slotBytes({ kind: 'model', name: 'hello_world_int8', image: model })],
    ]);
    expect(booted.logs).toContain(
      `model slot: hello_world_int8 (${model.length} bytes) published as upload/model (slot B, sequence 1)`,
    );
    expect(booted.logs).toContain('app slot: mnist_v2 started (apps/mnist_v2/main)');
    expect(labels(await runJs(booted.session, 'deployed', 3))).toEqual([1, 2, 3]);
    expect(labels(await runJs(booted.session, 'mnist', 2))).toEqual([0, 1]);
  });

  it('ignores an app deployed for another firmware image (reflashed since) and runs the built-ins', async () => {
    booted = await bootWithSlots([
      [APP_SLOT, slotBytes({ kind: 'app', name: 'mnist_v2', image: app, baseCrc: baseCrc ^ 1 })],
    ]);
    expect(booted.logs.join('\n')).toMatch(
      /app slot ignored: mnist_v2 was deployed for another firmware image \(base archive CRC [0-9a-f]{8}, this one [0-9a-f]{8}\); built-in apps only/,
    );
    expect(booted.logs.some((l) => l.startsWith('app slot: '))).toBe(false);
    expect((await runJs(booted.session, 'deployed', 1)).status).not.toBe(0);
    expect(labels(await runJs(booted.session, 'mnist', 2))).toEqual([0, 1]);
  });

  it('ignores slots whose write was cut short or whose image is damaged', async () => {
    const damaged = slotBytes({ kind: 'model', name: 'hello_world_int8', image: model });
    damaged[64 + 1000] ^= 0x10;
    booted = await bootWithSlots([
      [APP_SLOT, slotBytes({ kind: 'app', name: 'mnist_v2', image: app, baseCrc, commit: false })],
      [MODEL_A, damaged],
    ]);
    expect(booted.logs).toContain('app slot ignored: incomplete (a write was interrupted)');
    expect(booted.logs).toContain('model slot A ignored: image size or CRC-32 wrong');
    expect(booted.logs.some((l) => l.startsWith('model slot: '))).toBe(false);
    expect((await runJs(booted.session, 'deployed', 1)).status).not.toBe(0);
    expect(labels(await runJs(booted.session, 'mnist', 2))).toEqual([0, 1]);
  });

  it('publishes the newer of two valid model slots, and the valid one when the newer was cut short', async () => {
    const mnist = new Uint8Array(fs.readFileSync(path.join(dataDir(), 'models', 'mnist_int8.tflite')));
    // Slot A holds mnist at sequence 7, slot B hello_world as `b` says; returns the boot log.
    const bootBoth = async (b: { sequence: number; commit?: boolean }): Promise<string[]> => {
      await booted?.stop();
      booted = await bootWithSlots([
        [MODEL_A, slotBytes({ kind: 'model', name: 'mnist_int8', image: mnist, sequence: 7 })],
        [MODEL_B, slotBytes({ kind: 'model', name: 'hello_world_int8', image: model, ...b })],
      ]);
      return booted.logs;
    };
    const publishedA = `model slot: mnist_int8 (${mnist.length} bytes) published as upload/model (slot A, sequence 7)`;
    // A power cut after a commit leaves both slots valid: the higher sequence number wins,
    // whichever slot it is in.
    expect(await bootBoth({ sequence: 6 })).toContain(publishedA);
    expect(await bootBoth({ sequence: 8 })).toContain(
      `model slot: hello_world_int8 (${model.length} bytes) published as upload/model (slot B, sequence 8)`,
    );
    // The newer upload's header never got its magic: the older one stays in use.
    const logs = await bootBoth({ sequence: 8, commit: false });
    expect(logs).toContain('model slot B ignored: incomplete (a write was interrupted)');
    expect(logs).toContain(publishedA);
  });
});
