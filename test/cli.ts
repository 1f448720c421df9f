// Runs the `xsinfer` command line as a user does (node bin/xsinfer.js, repo root as cwd):
// the CLI tests read its exit status, stderr and the last stdout line (the --json document).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { BenchResult } from '../host/bench/result.ts';
import type { SizeReport } from '../host/build/size.ts';
import { repoRoot } from '../host/paths.ts';
import type { Target } from '../host/targets.ts';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The last stdout line: with --json, the result document. */
  last: string;
}

export function xsinfer(...args: string[]): CliResult {
  return xsinferIn(repoRoot, ...args);
}

/** Arguments written as a command line: the template's text splits at white space, each
 * `${value}` is one argument as it is (a path with spaces stays whole). */
export function argv(text: TemplateStringsArray, ...values: string[]): string[] {
  const args: string[] = [];
  text.forEach((part, i) => {
    if ((i < values.length && /\S$/.test(part)) || (i > 0 && /^\S/.test(part)))
      throw new Error(`argv: a \${…} must stand alone, not inside "${part}"`);
    args.push(...part.split(/\s+/).filter((w) => w.length > 0));
    if (i < values.length) args.push(values[i]!);
  });
  return args;
}

/** `xsinfer` with its arguments written as a command line (argv). */
export function xsinferCmd(text: TemplateStringsArray, ...values: string[]): CliResult {
  return xsinfer(...argv(text, ...values));
}

/** The --json document on the last stdout line; undefined when that line is no JSON (a run
 * that failed before writing it). */
export function lastJson<T>(r: CliResult): T | undefined {
  try {
    return JSON.parse(r.last) as T;
  } catch {
    return undefined;
  }
}

/** The same from another working directory (where `./results` goes, relative paths). */
export function xsinferIn(cwd: string, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'xsinfer.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = r.stdout.trim().split('\n');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, last: lines[lines.length - 1] ?? '' };
}

/** `xsinfer build --target T --json`: the image's size report; throws with stderr on failure. */
export function buildSize(target: Target): SizeReport {
  const r = xsinfer('build', '--target', target, '--json');
  if (r.status !== 0) throw new Error(`xsinfer build --target ${target} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.last) as SizeReport;
}

/** One quick bench (1 iteration, no warm-up, no per-op times) of an image built with another
 * target's manifest settings (`--manifest-platform`) on a QEMU target, results in outDir;
 * throws with stderr on failure. */
export function benchWithPlatform(platform: Target, target: Target, outDir: string): BenchResult {
  const r = xsinferCmd`--manifest-platform ${platform} bench --target ${target} -n 1 -w 0 --no-ops --json
    -o ${outDir}`;
  if (r.status !== 0)
    throw new Error(`xsinfer bench on ${target} with ${platform}'s settings exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.last) as BenchResult;
}
