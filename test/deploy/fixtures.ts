// Test apps for deploy: copies of the repo's device apps, changed in one place, in a
// temporary <root>/apps/<name>/ tree next to a copy of device/lib (as an app outside the
// firmware's tree would be), plus a QEMU main-firmware session.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../../host/paths.ts';
import { connectDevice, type DeviceConnection } from '../../host/bench/device.ts';
import { DeviceSession, SessionError } from '../../host/bridge/session.ts';
import type { DeviceRecord, DoneRecord, IterRecord, UserRecord } from '../../host/bridge/protocol.ts';

export function appRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-deploy-test-'));
  fs.cpSync(path.join(repoRoot, 'device', 'lib'), path.join(root, 'lib'), { recursive: true });
  return root;
}

/** apps/<name>/main.ts = the repo's apps/<from>/main.ts with each [search, replace] applied (each must match). */
export function changedApp(root: string, from: string, name: string, edits: [string, string][], prepend = ''): string {
  let text = fs.readFileSync(path.join(repoRoot, 'device', 'apps', from, 'main.ts'), 'utf8');
  for (const [a, b] of edits) {
    if (!text.includes(a)) throw new Error(`fixture: "${a}" not in apps/${from}/main.ts`);
    text = text.split(a).join(b);
  }
  const dir = path.join(root, 'apps', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.ts'), prepend + text);
  return dir;
}

export interface Board {
  device: DeviceConnection;
  session: DeviceSession;
}

export async function bootBoard(target: 'mps2-an500' | 'host' = 'mps2-an500'): Promise<Board> {
  const device = await connectDevice({ target });
  const session = new DeviceSession(device.link);
  await session.hello({ maxFrame: 4096, timeoutMs: 15_000 });
  return { device, session };
}

export async function closeBoard(b: Board): Promise<void> {
  await b.session.close().catch(() => undefined);
  b.device.kill();
}

export interface RunOutcome {
  iters: IterRecord[];
  errors: string[];
  status: number;
}

/** run {app, impl: js} and collect its records up to `done`. */
export async function runJs(session: DeviceSession, app: string, iterations: number): Promise<RunOutcome> {
  const from = session.records.length;
  await session.command({ kind: 'run', app, impl: 'js', iterations, warmup: 0 }, { timeoutMs: 10_000 });
  const done = await session.waitFor((r: DeviceRecord) => r.kind === 'done', 120_000, from);
  const recs = session.records.slice(from);
  return {
    iters: recs.filter((r): r is IterRecord => r.kind === 'iter'),
    errors: recs.flatMap((r) => (r.kind === 'error' ? [r.message] : r.kind === 'log' && r.level >= 3 ? [r.text] : [])),
    status: done.kind === 'done' ? done.status : -1,
  };
}

/** A self-test app (one JS iteration) on a freshly booted board: its `done` record and the
 * `user` records it sent (what each probe or comparison found); the board is closed after. */
export async function runSelftestApp(
  target: 'mps2-an500' | 'host',
  app: string,
): Promise<{ done: DoneRecord; users: UserRecord[] }> {
  const board = await bootBoard(target);
  try {
    const { session } = board;
    const from = session.records.length;
    await session.command({ kind: 'run', app, impl: 'js', iterations: 1, warmup: 0 }, { timeoutMs: 10_000 });
    const done = (await session.waitFor((r: DeviceRecord) => r.kind === 'done', 300_000, from)) as DoneRecord;
    const users = session.records.slice(from).filter((r): r is UserRecord => r.kind === 'user');
    return { done, users };
  } finally {
    await closeBoard(board);
  }
}

/** Resets the board (the reset acked, the new boot's info record seen) and says hello again:
 * the device's log lines from the reset on. */
export async function resetLogs(session: DeviceSession): Promise<string[]> {
  const from = session.records.length;
  expect(await session.reset({ timeoutMs: 10_000 })).toBe('acked');
  const boot = await session.waitFor((r) => r.kind === 'info' && r.cmd === undefined, 30_000, from);
  expect(boot.kind).toBe('info');
  await session.hello({ maxFrame: 4096, timeoutMs: 15_000 });
  return session.records.slice(from).flatMap((r) => (r.kind === 'log' ? [r.text] : []));
}

export const labels = (o: RunOutcome): number[] => o.iters.map((i) => (i.result as { label: number }).label);

/** The device's error code and message for a command it refused; fails when it accepted. */
export async function refusal(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SessionError && err.record) return { code: err.record.code, message: err.record.message };
    throw err;
  }
  throw new Error('the device accepted it');
}
