// Errors the CLI maps to exit statuses and one-line messages that say what to do.
export type XsinferErrorCode =
  | 'TOOLCHAIN_MISSING'
  | 'BUILD_FAILED'
  | 'RUN_FAILED'
  | 'TIMEOUT'
  | 'BAD_ARGUMENT'
  | 'NOT_SUPPORTED'
  /** The programmer found no debug probe or could not reach the chip through it. */
  | 'NO_PROBE'
  /** Flash content differs from the image after programming. */
  | 'VERIFY_FAILED'
  /** The programmer failed in another way (its own message is quoted). */
  | 'FLASH_FAILED'
  /** A board check failed (board-check). */
  | 'CHECK_FAILED';

export class XsinferError extends Error {
  readonly code: XsinferErrorCode;
  constructor(code: XsinferErrorCode, message: string) {
    super(message);
    this.name = 'XsinferError';
    this.code = code;
  }
}
