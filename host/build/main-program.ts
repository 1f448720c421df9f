// Which firmware program each command boots by default.
/** The main firmware: serves the host over the wire protocol (bench, monitor, deploy). */
export const MAIN_PROGRAM = 'xsinfer';
