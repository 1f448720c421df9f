// One build of a build directory at a time across processes. Two xsinfer commands (or two
// test files) building build/<name> together would run two Ninjas over the same outputs, and
// one of them could boot an image the other is still writing. The lock is the file
// build/<name>.lock holding its owner's pid, created atomically (a hard link of a complete
// temporary file, which fails when the lock exists); a lock whose owner is no longer running
// is taken over.
import fs from 'node:fs';
import path from 'node:path';
import { XsinferError } from '../errors.ts';

export interface BuildLockOptions {
  /** How long to wait for another process's build before giving up (ms). */
  timeoutMs?: number;
  /** How often to look at the lock while waiting (ms). */
  pollMs?: number;
}

const defaultTimeoutMs = 30 * 60_000;

/** Whether a process with this pid is running (EPERM: it runs, as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(lock: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Creates the lock for this process; false when another holds it. */
function tryAcquire(lock: string): boolean {
  const temp = `${lock}.${process.pid}.tmp`;
  fs.writeFileSync(temp, String(process.pid));
  try {
    fs.linkSync(temp, lock);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Runs `work` holding build/<name>.lock for `buildDir`, waiting while another running
 * process holds it; a TIMEOUT error names the directory and the holder. */
export async function withBuildLock<T>(
  buildDir: string,
  work: () => Promise<T>,
  opts: BuildLockOptions = {},
): Promise<T> {
  const lock = `${buildDir}.lock`;
  const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
  const pollMs = opts.pollMs ?? 250;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (!tryAcquire(lock)) {
    const owner = ownerOf(lock);
    // No owner that runs: a build that was killed. Its lock goes; the loop takes a new one.
    if (owner !== null && !running(owner)) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const shown = path.relative(process.cwd(), buildDir) || buildDir;
      throw new XsinferError(
        'TIMEOUT',
        `waited ${Math.round(timeoutMs / 1000)} s for another build of ${shown} (pid ${owner ?? 'unknown'}, lock ${shown}.lock) to finish`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await work();
  } finally {
    if (ownerOf(lock) === process.pid) fs.rmSync(lock, { force: true });
  }
}
