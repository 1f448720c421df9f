// Which firmware program each command boots by default.
/** The main firmware: serves the host over the wire protocol (bench, monitor, deploy). */
export const MAIN_PROGRAM = 'xsinfer';
/** What `xsinfer run` boots by default: prints its banner and tick self-test as text. */
export const RUN_PROGRAM = 'banner';
