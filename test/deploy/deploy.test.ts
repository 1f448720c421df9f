// `xsinfer deploy` against a kept QEMU board (build/mps2-an500/board.json, as
// `xsinfer run --program xsinfer --keep` leaves it): a changed TypeScript RESPOND goes over
// the wire and the running firmware shows the new behaviour at once, with no rebuild; the
// built-in app stays as it was; archives for another XS, another firmware image, a missing
// native function, or an app that throws at start are refused and the deployed app keeps
// running; after a `reset` the device starts the deployed app again from its flash slot.
// Logs the time from deploy to the first result.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceSession } from '../../host/bridge/session.ts';
import type { IterRecord } from '../../host/bridge/protocol.ts';
import { buildDirFor } from '../../host/build/firmware.ts';
import { buildXsarc, creationValues, resolveCreation } from '../../host/build/device-archive.ts';
import { buildAppArchive } from '../../host/deploy/build-app.ts';
import { deploy, openDeployLink, sendImage } from '../../host/deploy/deploy.ts';
import { exec } from '../../host/exec.ts';
import { boardStatePath, keepBoard, type BoardState } from '../../host/run/board-session.ts';
import { appRoot, changedApp, labels, runJs, refusal, resetLogs } from './fixtures.ts';

const target = 'mps2-an500' as const;
const base = path.join(buildDirFor(target), 'gen', 'xs_archive.xsa');

describe('deploy to a running QEMU board', () => {
  let state: BoardState;
  let session: DeviceSession;
  const root = appRoot();
  // mnist with another label mapping in RESPOND: digit d is reported as (d + 1) % 10.
  const v2 = changedApp(root, 'mnist', 'mnist_v2', [
    [
      'return { label, score: scores[label], value: best };',
      'return { label: (label + 1) % CLASSES, score: scores[label], value: best };',
    ],
  ]);

  beforeAll(async () => {
    state = await keepBoard({ target, program: 'xsinfer' });
  });
  afterAll(async () => {
    await session?.close().catch(() => undefined);
    if (state) {
      try {
        process.kill(state.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      if (
        fs.existsSync(boardStatePath(target)) &&
        JSON.parse(fs.readFileSync(boardStatePath(target), 'utf8')).pid === state.pid
      )
        fs.rmSync(boardStatePath(target));
    }
  });

  it('runs a changed RESPOND without rebuilding the firmware', async () => {
    // Before: the built-in mnist, through a first connection.
    const first = new DeviceSession(await openDeployLink({ target }));
    await first.hello({ maxFrame: 4096, timeoutMs: 15_000 });
    const before = await runJs(first, 'mnist', 3);
    expect(labels(before)).toEqual([0, 1, 2]);
    const deployedBefore = await runJs(first, 'deployed', 1);
    expect(deployedBefore.status).not.toBe(0); // nothing deployed yet
    await first.close();

    const t0 = performance.now();
    const result = await deploy({ app: v2, target }); // finds the board through board.json
    const deployMs = performance.now() - t0;
    expect(result).toMatchObject({ app: 'mnist_v2', started: true, main: 'apps/mnist_v2/main' });
    expect(result.bytes).toBeGreaterThan(1000);
    expect(result.chunks).toBe(Math.ceil(result.bytes / (2048 - 7 - 32)));
    expect(result.storeTicks).toBeGreaterThan(0);

    session = new DeviceSession(await openDeployLink({ target }));
    await session.hello({ maxFrame: 4096, timeoutMs: 15_000 });
    const from = session.records.length;
    const runPromise = runJs(session, 'deployed', 3);
    await session.waitFor((r): r is IterRecord => r.kind === 'iter', 60_000, from);
    const firstResultMs = performance.now() - t0;
    const after = await runPromise;
    expect(labels(after)).toEqual([1, 2, 3]);
    expect(after.iters.every((i) => i.correct === false)).toBe(true); // the golden check sees the new mapping
    console.log(
      `deploy: ${result.bytes} B in ${result.chunks} chunks, deploy ${deployMs.toFixed(0)} ms (build ${result.buildMs.toFixed(0)}, send+verify+start ${result.sendMs.toFixed(0)}; device start ${result.startTicks} ticks, flash slot ${result.storeTicks} ticks), deploy → first result ${firstResultMs.toFixed(0)} ms`,
    );

    // The same app by its own name; the built-in mnist is untouched.
    expect(labels(await runJs(session, 'mnist_v2', 2))).toEqual([1, 2]);
    expect(labels(await runJs(session, 'mnist', 2))).toEqual([0, 1]);
  });

  it('refuses archives it cannot run and keeps the deployed app', async () => {
    const good = await buildAppArchive({ app: v2, target });
    const send = (data: Uint8Array) => sendImage(session, { kind: 'app', name: 'bad', data });

    // built for another XS (VERS patch byte)
    const otherXs = good.archive.slice();
    otherXs[18] ^= 0x7f;
    expect(await refusal(send(otherXs))).toMatchObject({
      code: 5,
      message: expect.stringMatching(/built for XS 13\.\d+\.\d+, this firmware runs XS/),
    });

    // predicted against another firmware image
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-deploy-base-'));
    const otherBase = path.join(work, 'other.xsa');
    const baseBytes = fs.readFileSync(base);
    baseBytes[8 + 12 + 8] ^= 1; // a digest byte (SIGN): same symbols, another image
    fs.writeFileSync(otherBase, baseBytes);
    const stale = await buildAppArchive({ app: v2, target, baseArchive: otherBase });
    expect(await refusal(send(stale.archive))).toMatchObject({
      code: 5,
      message: expect.stringMatching(/another firmware image/),
    });

    const creation = creationValues(resolveCreation(target)).join(',');
    const xsarc = async (js: string, extra: string[]): Promise<Uint8Array> => {
      const file = path.join(work, 'main.js');
      const xsa = path.join(work, 'out.xsa');
      fs.writeFileSync(file, js);
      const r = await exec(await buildXsarc(), [
        '--name',
        't',
        '--main',
        'apps/t/main',
        '--creation',
        creation,
        ...extra,
        '--out-xsa',
        xsa,
        `apps/t/main=${file}`,
      ]);
      expect(r.code, r.stderr).toBe(0);
      return new Uint8Array(fs.readFileSync(xsa));
    };

    // an archive that is not for deploying (no --base: no DEPL atom)
    const plain = await xsarc('export const cases = 1;\n', ['--out-c', path.join(work, 'plain.c')]);
    expect(await refusal(send(plain))).toMatchObject({ code: 2, message: expect.stringMatching(/not a deployable/) });

    // names a native function this firmware does not have
    const abi = await xsarc(
      'function missing() @ "xs_not_in_this_firmware";\nexport const cases = 1;\nexport function setup() { return missing(); }\n',
      ['--base', base],
    );
    expect(await refusal(send(abi))).toMatchObject({ code: 16, message: expect.stringMatching(/native function/) });

    // throws while starting
    const boom = changedApp(root, 'mnist', 'boom', [], "if (Math.max(1, 2) === 2) throw new Error('boom at start');\n");
    const boomArchive = await buildAppArchive({ app: boom, target });
    expect(await refusal(send(boomArchive.archive))).toMatchObject({
      code: 17,
      message: expect.stringMatching(/threw on start: Error: boom at start/),
    });

    // Still the deployed mnist_v2.
    expect(labels(await runJs(session, 'deployed', 2))).toEqual([1, 2]);
  });

  it('starts the deployed app again after a reset', async () => {
    const logs = await resetLogs(session);
    expect(logs).toContain('app slot: mnist_v2 started (apps/mnist_v2/main)');
    expect(labels(await runJs(session, 'deployed', 3))).toEqual([1, 2, 3]);
    expect(labels(await runJs(session, 'mnist', 2))).toEqual([0, 1]);
  });

  it('revokes an app that makes XS abort when it really starts, and comes back with the built-ins', async () => {
    // Its top level hogs the heap only where an interpreter can be created, which the
    // deploy trial (no arenas) cannot: it passes the trial and aborts XS at every real start
    // (the one right after the slot is written, then every boot) unless the slot is revoked.
    const hog = changedApp(
      root,
      'mnist',
      'hog',
      [],
      "let armed = true;\ntry { new Interpreter('models/hello_world_int8.tflite', { arena: 'aux' }).close(); } catch { armed = false; }\n" +
        'const hoard: number[][] = [];\nwhile (armed) hoard.push(new Array<number>(1024).fill(hoard.length));\n',
    );
    const archive = await buildAppArchive({ app: hog, target });
    const from = session.records.length;
    const sent = sendImage(session, { kind: 'app', name: 'hog', data: archive.archive }).then(
      () => null,
      (err: unknown) => err,
    );
    // The start aborts (error record), the slot is revoked and the board resets; the next
    // boot finds the slot revoked and keeps the built-in apps.
    const boot = (await session.waitFor(
      (r) => r.kind === 'log' && r.text.startsWith('app slot ignored: '),
      60_000,
      from,
    )) as { text: string };
    expect(boot.text).toBe('app slot ignored: revoked (its app made XS abort while starting)');
    const records = session.records.slice(from);
    expect(records.some((r) => r.kind === 'error' && r.code === 18)).toBe(true);
    expect(records.flatMap((r) => (r.kind === 'log' ? [r.text] : []))).toContain(
      'app slot revoked: hog made XS abort while starting; rebooting with built-in apps only',
    );
    // The deploy is answered at once by the stop, not after its timeout.
    expect(String(await sent)).toMatch(/the device stopped while uploadEnd was pending: XS aborted: memory full/);
    await session.hello({ maxFrame: 4096, timeoutMs: 15_000 });
    expect((await runJs(session, 'deployed', 1)).status).not.toBe(0);
    expect(labels(await runJs(session, 'mnist', 2))).toEqual([0, 1]);
  }, 180_000);
});
