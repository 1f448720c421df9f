// Errors the CLI maps to exit statuses and one-line messages that say what to do.
// Every failure the host can meet ends as one of these codes (docs/errors.md lists the
// table and the bad-input cases behind it); `toXsinferError` turns the errors of the
// bridge (link, session, recording), of Node's file system and of commander into them.
export type XsinferErrorCode =
  | 'CHECK_FAILED'
  | 'BAD_ARGUMENT'
  | 'TOOLCHAIN_MISSING'
  | 'BUILD_FAILED'
  | 'RUN_FAILED'
  | 'TIMEOUT'
  | 'NOT_SUPPORTED'
  | 'LINK_FAILED'
  | 'FILE_ERROR'
  | 'BAD_INPUT'
  | 'REGRESSION'
  /** The programmer found no debug probe or could not reach the chip through it. */
  | 'NO_PROBE'
  /** Flash content differs from the image after programming. */
  | 'VERIFY_FAILED'
  /** The programmer failed in another way (its own message is quoted). */
  | 'FLASH_FAILED'
  | 'INTERNAL';

/** The exit status of each code (README "Exit codes", docs/errors.md). */
export const exitCodes: Record<XsinferErrorCode, number> = {
  CHECK_FAILED: 1,
  BAD_ARGUMENT: 2,
  TOOLCHAIN_MISSING: 3,
  BUILD_FAILED: 4,
  RUN_FAILED: 5,
  TIMEOUT: 6,
  NOT_SUPPORTED: 7,
  LINK_FAILED: 8,
  FILE_ERROR: 9,
  BAD_INPUT: 10,
  REGRESSION: 11,
  NO_PROBE: 12,
  VERIFY_FAILED: 13,
  FLASH_FAILED: 14,
  INTERNAL: 70,
};

export class XsinferError extends Error {
  readonly code: XsinferErrorCode;
  constructor(code: XsinferErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XsinferError';
    this.code = code;
  }
}

/** What Node's errno codes mean to a user, for file and device errors. */
const errnoText: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
  EEXIST: 'already exists',
};

interface ErrnoLike {
  code?: unknown;
  path?: unknown;
  syscall?: unknown;
  message?: unknown;
}

/** A Node system error (fs, spawn) as a sentence: "cannot open /x: no such file or directory". */
function errnoError(err: ErrnoLike): XsinferError | null {
  if (typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return null;
  const what = errnoText[err.code] ?? err.code;
  const file = typeof err.path === 'string' ? err.path : undefined;
  const syscall = typeof err.syscall === 'string' ? err.syscall : 'access';
  if (syscall.startsWith('spawn')) {
    return new XsinferError(
      'TOOLCHAIN_MISSING',
      `cannot run ${file ?? 'a program'}: ${what} (run \`npx xsinfer bootstrap\`)`,
    );
  }
  const verb = syscall === 'open' || syscall === 'read' ? 'read' : syscall === 'scandir' ? 'list' : syscall;
  return new XsinferError('FILE_ERROR', `cannot ${verb}${file ? ` ${file}` : ''}: ${what}`);
}

/** Codes the bridge's own error classes carry (link.ts, session.ts, recording.ts), by name
 *  so this module imports none of them. */
const bridgeCodes: Record<string, XsinferErrorCode> = {
  LINK_FAILED: 'LINK_FAILED',
  NO_PORT: 'LINK_FAILED',
  LINK_CLOSED: 'LINK_FAILED',
  TIMEOUT: 'TIMEOUT',
  DEVICE_ERROR: 'RUN_FAILED',
  DEVICE_RESET: 'RUN_FAILED',
  BAD_RECORDING: 'BAD_INPUT',
};

/** Any thrown value as an XsinferError; an error nobody anticipated is INTERNAL. */
export function toXsinferError(err: unknown): XsinferError {
  if (err instanceof XsinferError) return err;
  if (err instanceof Error) {
    const e = err as Error & ErrnoLike;
    if (err.name === 'CommanderError' && typeof e.code === 'string') {
      // One line: commander puts its "(Did you mean …?)" on a line of its own.
      const text = err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      return new XsinferError('BAD_ARGUMENT', text, { cause: err });
    }
    if (typeof e.code === 'string' && bridgeCodes[e.code]) {
      return new XsinferError(bridgeCodes[e.code]!, err.message, { cause: err });
    }
    if (err.name === 'FrameTooLargeError') return new XsinferError('BAD_ARGUMENT', err.message, { cause: err });
    const errno = errnoError(e);
    if (errno) return new XsinferError(errno.code, errno.message, { cause: err });
    return new XsinferError('INTERNAL', `internal error: ${err.message || err.name}`, { cause: err });
  }
  return new XsinferError('INTERNAL', `internal error: ${String(err)}`);
}
