// Opens a wire link to a device running the main firmware: a QEMU guest booted here
// (UART on a TCP socket), the host-target process (stdin/stdout), or a board on a serial port.
import { existingProgram, type Flavour } from '../build/firmware.ts';
import { currentFlavourName } from '../build/flavour.ts';
import { openProcessLink, linkFromSocket, type Link } from '../bridge/link.ts';
import { openBoardLink } from '../run/link-settings.ts';
import { bootQemu } from '../run/board-session.ts';
import { XsinferError } from '../errors.ts';
import { isQemuTarget, type Target } from '../targets.ts';
import { MAIN_PROGRAM } from '../build/main-program.ts';

export interface DeviceConnection {
  link: Link;
  /** Where the device is, for messages and recordings. */
  description: string;
  /** Resolves with the device's exit status where it has one (QEMU, host), else null. */
  exited: Promise<number | null>;
  kill(): void;
}

export async function connectDevice(opts: {
  target: Target;
  port?: string;
  program?: string;
  /** The firmware flavour booted on QEMU or run on host (default: this process's, `--debug`). */
  flavour?: Flavour;
}): Promise<DeviceConnection> {
  const program = opts.program ?? MAIN_PROGRAM;
  const flavour = opts.flavour ?? currentFlavourName();
  if (opts.port) {
    const link = await openBoardLink(opts.port, opts.target);
    return { link, description: link.description, exited: new Promise(() => {}), kill: () => void link.close() };
  }
  if (isQemuTarget(opts.target)) {
    const boot = await bootQemu({ elf: existingProgram(opts.target, program, flavour), machine: opts.target });
    const link = linkFromSocket(boot.socket, `qemu ${opts.target} tcp:127.0.0.1:${boot.port}`);
    return { link, description: link.description, exited: boot.exited, kill: () => boot.child.kill('SIGKILL') };
  }
  if (opts.target === 'host') {
    const link = openProcessLink(existingProgram('host', program, flavour));
    return { link, description: link.description, exited: link.exited, kill: () => link.child.kill('SIGKILL') };
  }
  throw new XsinferError(
    'BAD_ARGUMENT',
    `${opts.target} is a board: it needs --port (its ST-LINK serial port, or "auto")`,
  );
}
