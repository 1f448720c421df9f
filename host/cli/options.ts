// Option values checked before any work starts: each refusal names the option, what it
// accepts and what it was given (exit 2, BAD_ARGUMENT).
import fs from 'node:fs';
import path from 'node:path';
import { XsinferError } from '../errors.ts';
import { repoRoot } from '../paths.ts';

/** An integer option in [min, max]: "-n, --iterations takes an integer from 1 to 10000, not 'abc'". */
export function intOption(flag: string, value: string | number, min: number, max: number): number {
  const text = String(value).trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new XsinferError('BAD_ARGUMENT', `${flag} takes an integer from ${min} to ${max}, not '${value}'`);
  }
  return n;
}

/** A number option (seconds, …) in (0, max]. */
export function positiveNumberOption(flag: string, value: string | number, max: number): number {
  const text = String(value).trim();
  const n = /^\+?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    throw new XsinferError('BAD_ARGUMENT', `${flag} takes a number greater than 0 and at most ${max}, not '${value}'`);
  }
  return n;
}

/** One value out of a fixed set. */
export function enumOption<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new XsinferError('BAD_ARGUMENT', `${flag} takes one of ${allowed.join(', ')}, not '${value}'`);
}

/** A comma-separated list of values out of a fixed set, at least one. */
export function listOption<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new XsinferError(
      'BAD_ARGUMENT',
      `${flag} takes a comma-separated list of ${allowed.join(', ')}, not '${value}'`,
    );
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item))
      throw new XsinferError('BAD_ARGUMENT', `${flag}: unknown value '${item}': use ${allowed.join(', ')}`);
  }
  return items as T[];
}

/** A --port value, checked before a build so a typo fails at once: tcp:HOST:PORT, auto, or
 *  a device path that exists. Opening it is the link's job (host/bridge/link.ts). */
export function portOption(value: string): string {
  if (value === 'auto') return value;
  const tcp = /^tcp:([^:]+):(\d+)$/.exec(value);
  if (tcp) {
    intOption(`--port ${value}: the TCP port`, tcp[2]!, 1, 65535);
    return value;
  }
  if (value.startsWith('/')) {
    if (!fs.existsSync(value))
      throw new XsinferError('LINK_FAILED', `cannot open ${value}: no such device (is the board plugged in?)`);
    if (fs.statSync(value).isDirectory())
      throw new XsinferError('LINK_FAILED', `cannot open ${value}: it is a directory, not a serial device`);
    return value;
  }
  if (/^COM\d+$/i.test(value)) return value;
  throw new XsinferError(
    'BAD_ARGUMENT',
    `--port takes a device path (/dev/ttyACM0, /dev/pts/3), tcp:HOST:PORT or auto, not '${value}'`,
  );
}

/** What is at `where`; FILE_ERROR "no such <noun>" when nothing is. */
function statOf(what: string, where: string, noun: 'file' | 'directory'): fs.Stats {
  try {
    return fs.statSync(where);
  } catch {
    throw new XsinferError('FILE_ERROR', `${what} ${where}: no such ${noun}`);
  }
}

/** An input file that must exist and be a regular file: FILE_ERROR naming it otherwise. */
export function inputFile(what: string, file: string): string {
  const stat = statOf(what, file, 'file');
  if (stat.isDirectory()) throw new XsinferError('FILE_ERROR', `${what} ${file}: is a directory, not a file`);
  if (!stat.isFile()) throw new XsinferError('FILE_ERROR', `${what} ${file}: not a regular file`);
  return file;
}

/** An input directory that must exist. */
export function inputDir(what: string, dir: string): string {
  if (!statOf(what, dir, 'directory').isDirectory())
    throw new XsinferError('FILE_ERROR', `${what} ${dir}: is a file, not a directory`);
  return dir;
}

/** A firmware program: one of firmware/programs/. */
export function programOption(value: string): string {
  const dir = path.join(repoRoot, 'firmware', 'programs');
  const programs = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  return enumOption('--program', value, programs);
}
