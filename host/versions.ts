// The versions a measurement depends on: this package, XS (from its sources), the
// firmware build id, and the tools that turn the same source into other instruction
// counts (the compiler, newlib, QEMU) and the Node that ran the host. `--version` prints
// the first three; bench writes all of them into result.json so `compare` can say why
// two runs differ.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.ts';
import { targetInfo, type Target } from './targets.ts';

export interface ToolVersions {
  /** The C compiler that built the firmware: arm-none-eabi-gcc for the Cortex-M7, cc for host. */
  gcc: string | null;
  /** newlib's _NEWLIB_VERSION (Cortex-M7 targets only). */
  newlib: string | null;
  /** qemu-system-arm (mps2-an500 only). */
  qemu: string | null;
  xs: string | null;
  node: string;
  /** The firmware's build id (`git describe` of the tree it was built from). */
  build: string | null;
}

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** XS's version from the sources it is compiled from (xsCommon.h). */
export function xsVersion(): string | null {
  const header = path.join(repoRoot, 'node_modules', '@agoric', 'xsnap', 'moddable', 'xs', 'sources', 'xsCommon.h');
  if (!fs.existsSync(header)) return null;
  const text = fs.readFileSync(header, 'utf8');
  const part = (name: string) => new RegExp(`#define XS_${name}_VERSION (\\d+)`).exec(text)?.[1];
  const [major, minor, patch] = [part('MAJOR'), part('MINOR'), part('PATCH')];
  return major && minor && patch ? `${major}.${minor}.${patch}` : null;
}

/** The id the next firmware build gets (host/build/firmware.ts uses the same command). */
export function sourceBuildId(): string {
  const r = spawnSync('git', ['describe', '--always', '--dirty', '--abbrev=10'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return r.status === 0 ? r.stdout.trim() : 'dev';
}

/** The build id compiled into a target's firmware, if it was built (build/<name>/gen/build_id.c). */
export function builtFirmwareId(buildDir: string): string | null {
  const file = path.join(buildDir, 'gen', 'build_id.c');
  if (!fs.existsSync(file)) return null;
  return /xsinfer_build_id\[\] = "([^"]*)"/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? null;
}

function firstLine(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  return r.stdout.split('\n')[0]!.trim() || null;
}

function newlibVersion(): string | null {
  const header = firstLine('arm-none-eabi-gcc', ['-print-file-name=include/_newlib_version.h']);
  const candidates = [header, '/usr/lib/arm-none-eabi/include/_newlib_version.h'].filter(
    (f): f is string => !!f && path.isAbsolute(f),
  );
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    const v = /#define _NEWLIB_VERSION "([^"]+)"/.exec(fs.readFileSync(file, 'utf8'))?.[1];
    if (v) return v;
  }
  return null;
}

/** The versions behind a target's counts; `build` is the device's own id when known. */
export function toolVersions(target: Target, build: string | null): ToolVersions {
  const arm = targetInfo[target].arm;
  const qemu = target === 'mps2-an500' ? firstLine('qemu-system-arm', ['--version']) : null;
  return {
    gcc: arm ? firstLine('arm-none-eabi-gcc', ['-dumpversion']) : firstLine('cc', ['-dumpfullversion']),
    newlib: arm ? newlibVersion() : null,
    qemu: qemu ? (/version (\S+)/.exec(qemu)?.[1] ?? qemu) : null,
    xs: xsVersion(),
    node: process.version,
    build,
  };
}
