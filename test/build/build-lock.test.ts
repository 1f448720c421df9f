// The build lock (host/build/build-lock.ts): processes building one build directory take
// turns; a lock left by a process that is gone is taken over; waiting ends in a TIMEOUT
// that names the directory and the holder.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withBuildLock } from '../../host/build/build-lock.ts';
import { XsinferError } from '../../host/errors.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function holder(buildDir: string, log: string, holdMs: number): Promise<number | null> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'lock-holder.ts'), buildDir, log, String(holdMs)],
    {
      stdio: 'inherit',
    },
  );
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('build lock', () => {
  it('lets one process at a time build a directory', async () => {
    const buildDir = path.join(dir, 'build', 'target');
    const log = path.join(dir, 'turns.log');
    const codes = await Promise.all([0, 1, 2, 3].map(() => holder(buildDir, log, 150)));
    expect(codes).toEqual([0, 0, 0, 0]);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(8);
    // Turns never interleave: each enter is followed by the same process's exit.
    for (let i = 0; i < lines.length; i += 2) {
      const [what, pid] = lines[i].split(' ');
      expect(what).toBe('enter');
      expect(lines[i + 1]).toBe(`exit ${pid}`);
    }
    expect(new Set(lines.map((l) => l.split(' ')[1])).size).toBe(4);
    expect(fs.existsSync(`${buildDir}.lock`)).toBe(false);
  }, 60_000);

  it('takes over a lock whose process is gone', async () => {
    const buildDir = path.join(dir, 'build', 'stale');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.mkdirSync(path.dirname(buildDir), { recursive: true });
    fs.writeFileSync(`${buildDir}.lock`, gone.stdout);
    await expect(withBuildLock(buildDir, async () => 'built', { timeoutMs: 5_000 })).resolves.toBe('built');
    expect(fs.existsSync(`${buildDir}.lock`)).toBe(false);
  });

  it('gives up after the timeout, naming the directory and the process that holds it', async () => {
    const buildDir = path.join(dir, 'build', 'held');
    fs.writeFileSync(`${buildDir}.lock`, String(process.ppid));
    const waited = withBuildLock(buildDir, async () => 'built', { timeoutMs: 300, pollMs: 50 });
    await expect(waited).rejects.toThrow(XsinferError);
    await expect(waited).rejects.toThrow(
      `another build of ${path.relative(process.cwd(), buildDir)} (pid ${process.ppid}`,
    );
    expect(fs.readFileSync(`${buildDir}.lock`, 'utf8')).toBe(String(process.ppid));
  });
});
