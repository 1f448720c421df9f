// The pty a QEMU started with `-serial pty` put the board's UART on, for the tests that
// open it as a serial port (the way a board's ST-LINK VCP is opened).
import type { ChildProcess } from 'node:child_process';
import { parseQemuPty } from '../host/bridge/link.ts';

/** Resolves with the pty path from QEMU's output (QEMU 7.2 with -nographic prints it on
 * stdout, not stderr: both are read); rejects with that output if QEMU exits first. */
export function qemuPty(qemu: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    const look = (d: Buffer) => {
      text += d.toString();
      const p = parseQemuPty(text);
      if (p) resolve(p);
    };
    qemu.stdout!.on('data', look);
    qemu.stderr!.on('data', look);
    qemu.once('close', () => reject(new Error(`QEMU exited: ${text}`)));
  });
}
