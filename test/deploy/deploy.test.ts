// `xsinfer deploy` against a kept QEMU board (build/mps2-an500/board.json, as
// `xsinfer run --program xsinfer --keep` leaves it): a changed TypeScript RESPOND goes over
// the wire and the running firmware shows the new behaviour at once, with no rebuild; the
// built-in app stays as it was; archives for another XS, another firmware image, a missing
// native function, or an app that throws at start are refused and the deployed app keeps
// running. Logs the time from deploy to the first result.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceSession, SessionError } from '../../host/bridge/session.ts';
import type { IterRecord } from '../../host/bridge/protocol.ts';
import { buildDirFor } from '../../host/build/firmware.ts';
import { buildXsarc, resolveCreation } from '../../host/build/device-archive.ts';
import { buildAppArchive } from '../../host/deploy/build-app.ts';
import { deploy, openDeployLink, sendImage } from '../../host/deploy/deploy.ts';
import { exec } from '../../host/exec.ts';
import { boardStatePath, keepBoard, type BoardState } from '../../host/run/board-session.ts';
import { appRoot, changedApp, labels, runJs } from './fixtures.ts';

const target = 'mps2-an500' as const;
const base = path.join(buildDirFor(target), 'gen', 'xs_archive.xsa');

async function refusal(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SessionError && err.record) return { code: err.record.code, message: err.record.message };
    throw err;
  }
  throw new Error('the device accepted it');
}

describe('deploy to a running QEMU board', () => {
  let state: BoardState;
  let session: DeviceSession;
  const root = appRoot();
  // mnist with another label mapping in RESPOND: digit d is reported as (d + 1) % 10.
  const v2 = changedApp(root, 'mnist', 'mnist_v2', [['return { label, score: scores[label], value: best };', 'return { label: (label + 1) % CLASSES, score: scores[label], value: best };']]);

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
      if (fs.existsSync(boardStatePath(target)) && JSON.parse(fs.readFileSync(boardStatePath(target), 'utf8')).pid === state.pid) fs.rmSync(boardStatePath(target));
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

    session = new DeviceSession(await openDeployLink({ target }));
    await session.hello({ maxFrame: 4096, timeoutMs: 15_000 });
    const from = session.records.length;
    const runPromise = runJs(session, 'deployed', 3);
    await session.waitFor((r): r is IterRecord => r.kind === 'iter', 60_000, from);
    const firstResultMs = performance.now() - t0;
    const after = await runPromise;
    expect(labels(after)).toEqual([1, 2, 3]);
    expect(after.iters.every((i) => i.ok === false)).toBe(true); // the golden check sees the new mapping
    console.log(`deploy: ${result.bytes} B in ${result.chunks} chunks, deploy ${deployMs.toFixed(0)} ms (build ${result.buildMs.toFixed(0)}, send+verify+start ${result.sendMs.toFixed(0)}; device start ${result.startTicks} ticks), deploy → first result ${firstResultMs.toFixed(0)} ms`);

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
    expect(await refusal(send(otherXs))).toMatchObject({ code: 5, message: expect.stringMatching(/built for XS 13\.\d+\.\d+, this firmware runs XS/) });

    // predicted against another firmware image
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-deploy-base-'));
    const otherBase = path.join(work, 'other.xsa');
    const baseBytes = fs.readFileSync(base);
    baseBytes[8 + 12 + 8] ^= 1; // a digest byte (SIGN): same symbols, another image
    fs.writeFileSync(otherBase, baseBytes);
    const stale = await buildAppArchive({ app: v2, target, baseArchive: otherBase });
    expect(await refusal(send(stale.archive))).toMatchObject({ code: 5, message: expect.stringMatching(/another firmware image/) });

    const c = resolveCreation(target);
    const creation = [c.chunk.initial, c.chunk.incremental, c.heap.initial, c.heap.incremental, c.stack, c.keys.initial, c.keys.incremental, c.keys.name, c.keys.symbol, c.parser.buffer, c.parser.table, c.static].join(',');
    const xsarc = async (js: string, extra: string[]): Promise<Uint8Array> => {
      const file = path.join(work, 'main.js');
      const xsa = path.join(work, 'out.xsa');
      fs.writeFileSync(file, js);
      const r = await exec(await buildXsarc(), ['--name', 't', '--main', 'apps/t/main', '--creation', creation, ...extra, '--out-xsa', xsa, `apps/t/main=${file}`]);
      expect(r.code, r.stderr).toBe(0);
      return new Uint8Array(fs.readFileSync(xsa));
    };

    // an archive that is not for deploying (no --base: no DEPL atom)
    const plain = await xsarc('export const cases = 1;\n', ['--out-c', path.join(work, 'plain.c')]);
    expect(await refusal(send(plain))).toMatchObject({ code: 2, message: expect.stringMatching(/not a deployable/) });

    // names a native function this firmware does not have
    const abi = await xsarc('function missing() @ "xs_not_in_this_firmware";\nexport const cases = 1;\nexport function setup() { return missing(); }\n', ['--base', base]);
    expect(await refusal(send(abi))).toMatchObject({ code: 16, message: expect.stringMatching(/native function/) });

    // throws while starting
    const boom = changedApp(root, 'mnist', 'boom', [], "if (Math.max(1, 2) === 2) throw new Error('boom at start');\n");
    const boomArchive = await buildAppArchive({ app: boom, target });
    expect(await refusal(send(boomArchive.archive))).toMatchObject({ code: 17, message: expect.stringMatching(/threw on start: Error: boom at start/) });

    // Still the deployed mnist_v2.
    expect(labels(await runJs(session, 'deployed', 2))).toEqual([1, 2]);
  });
});
