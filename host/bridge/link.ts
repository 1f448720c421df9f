// Links to a device: a serial port (the F769's ST-LINK VCP, or a QEMU pty), a TCP
// socket (QEMU -serial tcp:...), or a child process's stdio (the host target). Every
// link is a Node Duplex carrying raw wire bytes.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Duplex } from 'node:stream';

export class LinkError extends Error {
  readonly code: 'LINK_FAILED' | 'NO_PORT';
  constructor(code: 'LINK_FAILED' | 'NO_PORT', message: string) {
    super(message);
    this.name = 'LinkError';
    this.code = code;
  }
}

export interface Link {
  /** How the user would name this link: "/dev/ttyACM0", "tcp:127.0.0.1:4567", "spawn:path". */
  readonly description: string;
  readonly stream: Duplex;
  close(): Promise<void>;
}

/** ST-LINK/V2-1 and STLINK-V3 virtual COM ports (the F769 Discovery has a V2-1). */
export const ST_LINK_IDS: ReadonlyArray<{ vendorId: string; productId: string }> = [
  { vendorId: '0483', productId: '374b' },
  { vendorId: '0483', productId: '374e' },
];

export interface PortInfo {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
}

type Lister = () => Promise<PortInfo[]>;

async function serialportList(): Promise<PortInfo[]> {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

/** Serial ports, or a LinkError explaining why they cannot be listed. SerialPort.list()
 *  spawns udevadm on Linux and rejects with ENOENT where it is not installed. */
export async function listPorts(lister: Lister = serialportList): Promise<PortInfo[]> {
  try {
    return await lister();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || /udevadm/.test(e.message ?? '')) {
      throw new LinkError(
        'NO_PORT',
        'cannot list serial ports: udevadm is missing (install the Debian package `udev`), or pass --port /dev/ttyACM0',
      );
    }
    throw new LinkError('NO_PORT', `cannot list serial ports (${e.message}); pass --port explicitly`);
  }
}

/** The ST-LINK VCP's path, if exactly one is attached. */
export async function findStLinkPort(lister: Lister = serialportList): Promise<string> {
  const ports = await listPorts(lister);
  const hits = ports.filter((p) =>
    ST_LINK_IDS.some((id) => id.vendorId === p.vendorId?.toLowerCase() && id.productId === p.productId?.toLowerCase()),
  );
  if (hits.length === 1) return hits[0]!.path;
  if (hits.length === 0) {
    throw new LinkError(
      'NO_PORT',
      `no ST-LINK virtual COM port (USB 0483:374b/374e) found${ports.length ? `; ports seen: ${ports.map((p) => p.path).join(', ')}` : ''}; plug the board in or pass --port`,
    );
  }
  throw new LinkError(
    'NO_PORT',
    `several ST-LINK ports found (${hits.map((p) => p.path).join(', ')}); choose one with --port`,
  );
}

/** serialport's open error without its repetitions ("Error: No such file or directory, cannot open /dev/x"). */
function serialReason(err: Error, path: string): string {
  const text = err.message
    .replace(/^Error: /, '')
    .replace(`, cannot open ${path}`, '')
    .trim();
  return text ? text[0]!.toLowerCase() + text.slice(1) : 'unknown error';
}

/** A serial device or pty by path, 8N1 at baudRate (the target's rate: host/run/link-settings.ts). */
export async function openSerialLink(path: string, baudRate: number): Promise<Link> {
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) =>
      err ? reject(new LinkError('LINK_FAILED', `cannot open ${path}: ${serialReason(err, path)}`)) : resolve(),
    ),
  );
  return {
    description: path,
    stream: port,
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}

/** A TCP endpoint such as QEMU's `-serial tcp:127.0.0.1:PORT,server=on`. */
export async function openTcpLink(host: string, port: number, timeoutMs = 5000): Promise<Link> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new LinkError('LINK_FAILED', `tcp:${host}:${port} did not answer in ${timeoutMs} ms`));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      reject(new LinkError('LINK_FAILED', `cannot connect to tcp:${host}:${port}: ${err.message}`));
    });
  });
  return linkFromSocket(socket, `tcp:${host}:${port}`);
}

/** Wrap a connected socket (e.g. from the QEMU launcher) as a Link. */
export function linkFromSocket(socket: net.Socket, description: string): Link {
  socket.setNoDelay(true);
  return {
    description,
    stream: socket,
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 500).unref();
      }),
  };
}

export interface ProcessLink extends Link {
  readonly child: ChildProcess;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number>;
}

/** A program's stdin/stdout as the link (the host target's UART). stderr is passed to onStderr. */
export function openProcessLink(
  command: string,
  args: string[] = [],
  opts: { cwd?: string; onStderr?: (s: string) => void } = {},
): ProcessLink {
  const child = spawn(command, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => opts.onStderr?.(d.toString()));
  const exited = new Promise<number>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : -1)));
  });
  // Writes after the child exited would raise EPIPE; the session sees the end of stdout instead.
  child.stdin!.on('error', () => {});
  const stream = Duplex.from({ readable: child.stdout!, writable: child.stdin! });
  return {
    description: `spawn:${command}`,
    stream,
    child,
    exited,
    close: async () => {
      child.stdin!.end();
      if (child.exitCode === null && child.signalCode === null) {
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** The pty QEMU opened for `-serial pty`, from its console output
 *  ("char device redirected to /dev/pts/N (label serial0)"; QEMU 7.2 with -nographic
 *  prints it on stdout). */
export function parseQemuPty(stderr: string): string | undefined {
  return /char device redirected to (\/dev\/pts\/\d+) \(label serial0\)/.exec(stderr)?.[1];
}

/** Open a link from the CLI's --port syntax: "tcp:HOST:PORT", a device or pty path,
 *  or "auto" (the single attached ST-LINK). A serial port needs the firmware's baud rate:
 *  there is no default that could silently differ from the image's. */
export async function openLink(spec: string, opts: { baudRate?: number } = {}): Promise<Link> {
  const tcp = /^tcp:([^:]+):(\d+)$/.exec(spec);
  if (tcp) return openTcpLink(tcp[1]!, Number(tcp[2]));
  const serial = spec === 'auto' || spec.startsWith('/') || spec.startsWith('COM');
  if (serial && opts.baudRate === undefined)
    throw new LinkError(
      'LINK_FAILED',
      `no baud rate for ${spec}: the target's firmware sets it (bin/board.json), or pass --baud`,
    );
  if (spec === 'auto') return openSerialLink(await findStLinkPort(), opts.baudRate!);
  if (spec.startsWith('/') || spec.startsWith('COM')) return openSerialLink(spec, opts.baudRate!);
  throw new LinkError(
    'LINK_FAILED',
    `cannot understand port "${spec}": use a device path (/dev/ttyACM0, /dev/pts/3), tcp:HOST:PORT or auto`,
  );
}
