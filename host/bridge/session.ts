// A conversation with one device over a Link: commands with acknowledgement, timeout
// and retry (the same frame, same seq, so the device can recognise the repeat), every
// received record kept in order, and optionally everything recorded to a file.
import { EventEmitter } from 'node:events';
import { CommandEncoder, type EncodedCommand } from './commands.ts';
import { Deframer } from './deframer.ts';
import type { Link } from './link.ts';
import { decodeRecord } from './records.ts';
import { Direction, type RecordingWriter } from './recording.ts';
import {
  DEFAULT_MAX_FRAME,
  type AckRecord,
  type Command,
  type DeviceRecord,
  type ErrorRecord,
  type InfoRecord,
} from './protocol.ts';
import { hostTimeNs } from './time.ts';

/** Error records after which the device runs nothing more (docs/protocol.md). */
const STOPPING_ERRORS = new Set<string>(['outOfMemory', 'stackOverflow', 'abort']);

export class SessionError extends Error {
  readonly code: 'TIMEOUT' | 'DEVICE_ERROR' | 'LINK_CLOSED' | 'DEVICE_RESET';
  readonly record?: ErrorRecord;
  constructor(code: SessionError['code'], message: string, record?: ErrorRecord) {
    super(message);
    this.name = 'SessionError';
    this.code = code;
    this.record = record;
  }
}

export interface SessionOptions {
  recording?: RecordingWriter;
  /** Frame limit the host accepts before and proposes at hello. */
  maxFrame?: number;
  timeoutMs?: number;
  retries?: number;
}

export class DeviceSession extends EventEmitter {
  readonly deframer: Deframer;
  readonly records: DeviceRecord[] = [];
  /** Numbers this session's commands; exposed for callers that frame commands themselves. */
  readonly encoder = new CommandEncoder();
  private readonly opts: Required<Omit<SessionOptions, 'recording'>> & Pick<SessionOptions, 'recording'>;
  /** Largest frame the device accepts: 1,024 until a hello negotiates. */
  deviceMaxFrame = DEFAULT_MAX_FRAME;
  private closed = false;
  /** Why the link ended, once it has. */
  closeReason: string | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly link: Link,
    opts: SessionOptions = {},
  ) {
    super();
    this.opts = { maxFrame: DEFAULT_MAX_FRAME, timeoutMs: 2000, retries: 3, ...opts };
    this.deframer = new Deframer({
      maxFrame: this.opts.maxFrame,
      onValidFrame: (f) => this.opts.recording?.writeFrame(Direction.fromDevice, f),
    });
    link.stream.on('data', (chunk: Buffer) => {
      for (const frame of this.deframer.push(chunk)) {
        const rec = decodeRecord(frame);
        this.records.push(rec);
        this.emit('record', rec);
      }
      this.wake();
    });
    const end = (why: string) => {
      if (this.closed) return;
      this.closed = true;
      this.closeReason = why;
      this.wake();
      this.emit('end', why);
    };
    link.stream.once('end', () => end('the device end closed the link'));
    // serialport reports a lost device as 'close' with an error argument, not 'error'.
    link.stream.once('close', (err?: unknown) =>
      end(err instanceof Error ? `link closed: ${err.message}` : 'the link closed'),
    );
    link.stream.on('error', (err: Error) => end(`link error: ${err.message}`));
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** The first record at index >= from satisfying pred, waiting up to timeoutMs; `what`
   *  names the awaited record in the timeout's message ("the done record of run 3"). */
  waitFor<T extends DeviceRecord>(
    pred: (r: DeviceRecord) => r is T,
    timeoutMs: number,
    from?: number,
    what?: string,
  ): Promise<T>;
  waitFor(pred: (r: DeviceRecord) => boolean, timeoutMs: number, from?: number, what?: string): Promise<DeviceRecord>;
  waitFor(pred: (r: DeviceRecord) => boolean, timeoutMs: number, from = 0, what = 'an answer'): Promise<DeviceRecord> {
    return new Promise((resolve, reject) => {
      let next = from;
      const check = (): boolean => {
        for (; next < this.records.length; next++) {
          const r = this.records[next]!;
          if (pred(r)) {
            done();
            resolve(r);
            return true;
          }
        }
        if (this.closed) {
          done();
          reject(
            new SessionError(
              'LINK_CLOSED',
              `${this.link.description} closed while waiting for the device (${this.closeReason ?? 'closed by the host'})`,
            ),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new SessionError(
            'TIMEOUT',
            `timed out after ${timeoutMs} ms waiting for ${what} from the device on ${this.link.description}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = () => void check();
      if (!check()) this.waiters.add(waiter);
    });
  }

  /** Every record from index `from` on, as it arrives, until the link closes. */
  async *stream(from = 0): AsyncGenerator<DeviceRecord> {
    let next = from;
    for (;;) {
      while (next < this.records.length) yield this.records[next++]!;
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        const waiter = () => {
          this.waiters.delete(waiter);
          resolve();
        };
        this.waiters.add(waiter);
      });
    }
  }

  private async write(enc: EncodedCommand): Promise<void> {
    this.opts.recording?.write(Direction.toDevice, enc.raw, hostTimeNs());
    await new Promise<void>((resolve, reject) =>
      this.link.stream.write(enc.wire, (err) =>
        err
          ? reject(new SessionError('LINK_CLOSED', `cannot write to ${this.link.description}: ${err.message}`))
          : resolve(),
      ),
    );
  }

  /** Send a command and wait for its ack; an error record rejects with DEVICE_ERROR, a
   *  command too large for the device's frames with FrameTooLargeError. */
  async command(cmd: Command, opts: { timeoutMs?: number; retries?: number } = {}): Promise<AckRecord> {
    const enc = this.encoder.encode(cmd, this.deviceMaxFrame);
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const retries = opts.retries ?? this.opts.retries;
    const from = this.records.length;
    const answers = (r: DeviceRecord): r is AckRecord | ErrorRecord =>
      (r.kind === 'ack' || r.kind === 'error') && r.cmd === enc.seq && r.type === enc.type;
    // The device stops (an XS abort) or boots again while the command is pending: no
    // answer will come, so say so now instead of after the timeout and its retries. A
    // boot record is expected during hello and reset themselves.
    const bootEnds = cmd.kind !== 'hello' && cmd.kind !== 'reset';
    const stopped = (r: DeviceRecord): boolean =>
      (r.kind === 'error' && r.cmd === undefined && STOPPING_ERRORS.has(r.codeName)) ||
      (bootEnds && r.kind === 'info' && r.cmd === undefined);
    for (let attempt = 0; ; attempt++) {
      await this.write(enc);
      try {
        const r = await this.waitFor(
          (x) => answers(x) || stopped(x),
          timeoutMs,
          from,
          `the answer to ${cmd.kind} (try ${attempt + 1} of ${retries + 1})`,
        );
        if (r.kind === 'info')
          throw new SessionError('DEVICE_RESET', `the device booted again while ${cmd.kind} was pending`);
        if (r.kind === 'error' && r.cmd === undefined) {
          throw new SessionError(
            'DEVICE_ERROR',
            `the device stopped while ${cmd.kind} was pending: ${r.message} (${r.codeName})`,
            r,
          );
        }
        if (r.kind === 'error')
          throw new SessionError('DEVICE_ERROR', `device refused ${cmd.kind}: ${r.message} (${r.codeName})`, r);
        if (r.kind !== 'ack') throw new Error('unreachable');
        return r;
      } catch (err) {
        if (!(err instanceof SessionError) || err.code !== 'TIMEOUT' || attempt >= retries) throw err;
      }
    }
  }

  /** Start a protocol session: sequence numbers restart, the frame limit is negotiated,
   *  and the device answers with its info. */
  async hello(opts: { maxFrame?: number; timeoutMs?: number } = {}): Promise<{ ack: AckRecord; info: InfoRecord }> {
    const maxFrame = opts.maxFrame ?? this.opts.maxFrame;
    // Accept the larger frames at once: the device may use them right after its ack.
    if (maxFrame > this.deframer.maxFrame) this.deframer.maxFrame = maxFrame;
    const from = this.records.length;
    const ack = await this.command({ kind: 'hello', maxFrame }, { timeoutMs: opts.timeoutMs });
    const info = await this.waitFor(
      (r): r is InfoRecord => r.kind === 'info' && r.cmd === ack.cmd,
      opts.timeoutMs ?? this.opts.timeoutMs,
      from,
      'the info record after hello',
    );
    this.deviceMaxFrame = ack.maxFrame ?? info.maxFrame;
    return { ack, info };
  }

  /** Ask the device to reset. Resolves on its ack, or when the link closes instead: a
   *  QEMU guest exits on reset, and a pty loses the guest's last bytes when it does. */
  async reset(opts: { timeoutMs?: number } = {}): Promise<'acked' | 'link closed'> {
    try {
      await this.command({ kind: 'reset' }, { timeoutMs: opts.timeoutMs, retries: 0 });
      return 'acked';
    } catch (err) {
      if (err instanceof SessionError && err.code === 'LINK_CLOSED') return 'link closed';
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    await this.link.close();
  }
}
