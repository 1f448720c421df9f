// Builds test/engine/signal-harness.c with the engine sources (host gcc, ASan + UBSan) once
// per test process and runs it; shared by the signal-* engine tests. compileSanitized is
// the build step other host C harnesses use too.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../host/paths.ts';

const engineDir = path.join(repoRoot, 'native', 'engine');
let built: string | null = null;

/** Host gcc build of a C test harness with ASan + UBSan and the engine's warning flags. */
export function compileSanitized(sources: string[], includeDirs: string[], out: string): void {
  execFileSync(
    'gcc',
    [
      '-std=c11',
      '-O1',
      '-g',
      '-fsanitize=address,undefined',
      '-fno-sanitize-recover=all',
      '-Wall',
      '-Wextra',
      '-Werror',
      ...includeDirs.map((d) => `-I${d}`),
      ...sources,
      '-lm',
      '-o',
      out,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
}

/** Every engine C source: src/ and each kernels/<set>/. */
export function engineSources(): string[] {
  const cFiles = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.c'))
      .map((f) => path.join(dir, f));
  const kernelDirs = fs
    .readdirSync(path.join(engineDir, 'kernels'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(engineDir, 'kernels', d.name));
  return [...cFiles(path.join(engineDir, 'src')), ...kernelDirs.flatMap(cFiles)];
}

export function harnessPath(): string {
  if (built) return built;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-signal-')), 'signal-harness');
  const sources = [
    ...engineSources(),
    path.join(repoRoot, 'test', 'engine', 'signal-harness.c'),
    path.join(repoRoot, 'test', 'engine', 'harness_io.c'),
  ];
  compileSanitized(
    sources,
    [path.join(engineDir, 'include'), path.join(engineDir, 'src'), path.join(engineDir, 'kernels', 'signal')],
    out,
  );
  built = out;
  return out;
}

export interface HarnessResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function spawnHarness(args: string[], input = ''): HarnessResult {
  const r = spawnSync(harnessPath(), args, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the harness and throws (with its output) unless it exits 0. */
export function runHarness(args: string[], input = ''): string {
  const r = spawnHarness(args, input);
  if (r.status !== 0) {
    throw new Error(
      `signal-harness ${args.join(' ')} exited ${r.status}:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-4000)}`,
    );
  }
  return r.stdout;
}
