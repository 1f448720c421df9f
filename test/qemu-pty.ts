// The pty a QEMU started with `-serial pty` put the board's UART on, for the tests that
// open it as a serial port (the way a board's ST-LINK VCP is opened).
import { spawn, type ChildProcess } from 'node:child_process';
import { parseQemuPty } from '../host/bridge/link.ts';
import { programPath } from '../host/build/firmware.ts';
import { QEMU_BINARY, qemuArgs } from '../host/run/qemu.ts';

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

/** QEMU running the main firmware of mps2-an500 (already built) with its UART on a pty,
 * as a board on its ST-LINK port: the process and the pty's path; `onClose` runs when QEMU
 * exits. */
export async function mainFirmwareOnPty(onClose: () => void): Promise<{ qemu: ChildProcess; pty: string }> {
  const qemu = spawn(QEMU_BINARY, qemuArgs({ elf: programPath('mps2-an500', 'xsinfer'), serial: 'pty' }), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  qemu.once('close', onClose);
  return { qemu, pty: await qemuPty(qemu) };
}
