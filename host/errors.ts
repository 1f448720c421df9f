// Errors the CLI maps to exit statuses and one-line messages that say what to do.
export type XsinferErrorCode =
  'TOOLCHAIN_MISSING' | 'BUILD_FAILED' | 'RUN_FAILED' | 'TIMEOUT' | 'BAD_ARGUMENT' | 'NOT_SUPPORTED';

export class XsinferError extends Error {
  readonly code: XsinferErrorCode;
  constructor(code: XsinferErrorCode, message: string) {
    super(message);
    this.name = 'XsinferError';
    this.code = code;
  }
}
