// The xsbug relay: XS's debugger stream travels over the wire link as `xsbug` frames
// (docs/protocol.md, "Debugging") and here meets a debugger speaking the xsbug protocol
// over TCP — Moddable's xsbug or xsbug-log, which listen on 127.0.0.1:5002 — the way
// Moddable's serial2xsbug relays a board's serial port. The relay connects to the
// debugger, as serial2xsbug does, and passes bytes through unchanged both ways: the
// firmware's XS already names TypeScript files and lines (source maps in the archive).
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { XsinferError } from '../errors.ts';
import type { DeviceRecord } from '../bridge/protocol.ts';
import { SessionError, type DeviceSession } from '../bridge/session.ts';

export interface XsbugAddress {
  host: string;
  port: number;
}

/** Where Moddable's xsbug (and xsbug-log) listen. */
export const DEFAULT_XSBUG: XsbugAddress = { host: '127.0.0.1', port: 5002 };

/** "HOST:PORT" or "PORT" (on 127.0.0.1). */
export function parseXsbugAddress(spec: string): XsbugAddress {
  const m = /^(?:(.+):)?(\d{1,5})$/.exec(spec.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535)
    throw new XsinferError('BAD_ARGUMENT', `--xsbug ${spec}: expected HOST:PORT or PORT (e.g. 127.0.0.1:5002)`);
  return { host: m[1] ?? '127.0.0.1', port };
}

/** Connects to the debugger; a one-line LINK_FAILED when nothing listens there. */
export async function connectXsbug(addr: XsbugAddress, timeoutMs = 5000): Promise<net.Socket> {
  const where = `${addr.host}:${addr.port}`;
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host: addr.host, port: addr.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new XsinferError('LINK_FAILED', `the xsbug debugger at ${where} did not answer in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        err.code === 'ECONNREFUSED'
          ? `nothing listens for xsbug on ${where}: start xsbug (or xsbug-log) first, or name its address with --xsbug HOST:PORT`
          : `cannot connect to the xsbug debugger at ${where}: ${err.message}`;
      reject(new XsinferError('LINK_FAILED', why));
    });
  });
}

/** Bytes per `xsbug` command: within the device's frame limit with room for the map. */
function chunkBytes(session: DeviceSession): number {
  return Math.max(32, Math.min(512, session.deviceMaxFrame - 32));
}

export class XsbugRelay extends EventEmitter {
  /** Bytes passed from the device to the debugger and back. */
  toDebugger = 0;
  toDevice = 0;
  /** Why the relay ended, once it has ("the debugger closed its connection", …). */
  endReason: string | undefined;
  /** Resolves with endReason. */
  readonly ended: Promise<string>;
  private finish!: (why: string) => void;
  private pending: Promise<void> = Promise.resolve();
  private readonly onRecord = (r: DeviceRecord): void => {
    if (r.kind !== 'xsbug' || this.endReason) return;
    this.toDebugger += r.data.length;
    this.socket.write(r.data);
  };

  constructor(
    readonly session: DeviceSession,
    readonly socket: net.Socket,
  ) {
    super();
    this.ended = new Promise<string>((resolve) => (this.finish = resolve));
    session.on('record', this.onRecord);
    socket.on('data', (chunk: Buffer) => this.toDeviceBytes(chunk));
    socket.once('close', () => void this.stop('the debugger closed its connection'));
    socket.on('error', () => {}); // its close follows
    session.once('end', (why: string) => void this.stop(`the device link ended (${why})`));
  }

  /** Connects XS's debugger on the device: XS logs in and waits for the debugger's answer. */
  async attach(): Promise<void> {
    await this.enqueue({ attach: true });
  }

  private toDeviceBytes(chunk: Buffer): void {
    if (this.endReason) return;
    this.toDevice += chunk.length;
    const size = chunkBytes(this.session);
    for (let at = 0; at < chunk.length; at += size) {
      void this.enqueue({ data: new Uint8Array(chunk.subarray(at, at + size)) }).catch((err: unknown) =>
        this.stop(`the device refused the debugger's bytes: ${(err as Error).message}`),
      );
    }
  }

  /** One command at a time, in order: each waits for its ack. The device reads commands
   * only between runs and in breaks, so the debugger's bytes sent while an app runs wait
   * for the run's end: the command is sent again every 5 s (the device acks a repeat
   * without taking it twice) for as long as the link lives. */
  private enqueue(fields: { data?: Uint8Array; attach?: boolean; detach?: boolean }): Promise<void> {
    const next = this.pending.then(async () => {
      await this.session.command({ kind: 'xsbug', ...fields }, { timeoutMs: 5000, retries: Number.MAX_SAFE_INTEGER });
    });
    this.pending = next.catch(() => {});
    return next;
  }

  /** Ends the relay: the device's XS is detached (it runs on without a debugger) and the
   * debugger's connection closed. */
  async stop(why: string): Promise<void> {
    if (this.endReason) return;
    this.endReason = why;
    this.session.off('record', this.onRecord);
    try {
      await this.pending;
      await this.session.command({ kind: 'xsbug', detach: true }, { timeoutMs: 2000, retries: 1 });
    } catch (err) {
      // The link is gone or the device stopped: nothing is left to detach.
      if (!(err instanceof SessionError)) throw err;
    }
    this.socket.end();
    this.finish(why);
  }
}
