// The host side of the MLPerf Tiny runner's serial protocol (docs/mlperf.md): a command is
// its text and '%', the answer is "\r\n"-ended lines up to "m-ready"; lines starting
// "e-[" are errors. Works over any Link (QEMU's TCP serial, a pty, a board's UART).
import type { Duplex } from 'node:stream';
import { XsinferError } from '../errors.ts';

/** The device answered a command with an "e-[...]" line (its other lines in `lines`). */
export class DutError extends XsinferError {
  constructor(
    message: string,
    readonly lines: string[],
  ) {
    super('RUN_FAILED', message);
    this.name = 'DutError';
  }
}

export class DutLink {
  #text = '';
  #lines: string[] = [];
  #waiter: (() => void) | null = null;
  #closed = false;

  constructor(private readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      this.#text += chunk.toString('latin1');
      const parts = this.#text.split('\n');
      this.#text = parts.pop()!;
      for (const part of parts) {
        const line = part.replace(/[\r\0]/g, '').trim();
        if (line) this.#lines.push(line);
      }
      this.#waiter?.();
    });
    stream.on('close', () => {
      this.#closed = true;
      this.#waiter?.();
    });
    stream.on('error', () => {
      this.#closed = true;
      this.#waiter?.();
    });
  }

  /** Lines up to and including the next "m-ready" (which is not returned). */
  async ready(timeoutMs: number, what: string): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.#lines.indexOf('m-ready');
      if (at >= 0) return this.#lines.splice(0, at + 1).slice(0, at);
      if (this.#closed) throw new XsinferError('RUN_FAILED', `the device closed the link while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new XsinferError(
          'TIMEOUT',
          `no m-ready from the device within ${Math.round(timeoutMs / 1000)} s after ${what} (got: ${this.#lines.slice(-3).join(' | ') || 'nothing'})`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = null;
    }
  }

  /** Drops whatever came before (a boot banner, half an answer) and finds the start of
   * an answer: sends `name%` until a name line and its m-ready arrive. */
  async sync(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.stream.write('name%');
      const left = Math.min(5_000, deadline - Date.now());
      try {
        for (;;) {
          const lines = await this.ready(left, 'name');
          const name = lines.find((l) => l.startsWith('m-name-dut-['));
          if (name) return name;
        }
      } catch (err) {
        if (Date.now() >= deadline) throw err;
      }
    }
  }

  /** Sends `command%` and returns its answer lines; an "e-[...]" line throws a DutError. */
  async command(command: string, timeoutMs = 30_000): Promise<string[]> {
    this.stream.write(`${command}%`);
    const lines = await this.ready(timeoutMs, `"${command}"`);
    const error = lines.find((l) => l.startsWith('e-['));
    if (error) throw new DutError(`${command.split(' ').slice(0, 2).join(' ')}: the device answered ${error}`, lines);
    return lines;
  }

  /** db load N, then the bytes as hex in commands of at most 31 bytes (as the runner sends). */
  async load(bytes: Uint8Array): Promise<void> {
    await this.command(`db load ${bytes.length}`);
    let done = false;
    for (let i = 0; i < bytes.length; i += 31) {
      const lines = await this.command(`db ${Buffer.from(bytes.subarray(i, i + 31)).toString('hex')}`);
      done = lines.includes('m-load-done');
    }
    if (!done) throw new XsinferError('RUN_FAILED', `the device did not say m-load-done after ${bytes.length} bytes`);
  }
}

/** The value of a "m-lap-us-N" line. */
export function lapMicros(line: string): number {
  const m = /^m-lap-us-(\d+)$/.exec(line);
  if (!m) throw new XsinferError('RUN_FAILED', `not a timestamp line: ${line}`);
  return Number(m[1]);
}

/** The numbers of a "m-results-[a,b,...]" line. */
export function resultValues(line: string): number[] {
  const m = /^m-results-\[(.*)\]$/.exec(line);
  if (!m) throw new XsinferError('RUN_FAILED', `not a results line: ${line}`);
  return m[1]!.split(',').map(Number);
}

/** One `infer N W` answer: the per-inference latency in µs and the results. */
export function parseInfer(lines: string[], n: number): { latencyUs: number; results: number[] } {
  const start = lines.indexOf(`m-infer-start-${n}`);
  if (start < 0 || !lines[start + 1] || !lines[start + 2])
    throw new XsinferError(
      'RUN_FAILED',
      `infer answer without m-infer-start-${n} and two timestamps: ${lines.join(' | ')}`,
    );
  const t0 = lapMicros(lines[start + 1]!);
  const t1 = lapMicros(lines[start + 2]!);
  const results = lines.find((l) => l.startsWith('m-results-['));
  if (!results) throw new XsinferError('RUN_FAILED', `infer answer without m-results: ${lines.join(' | ')}`);
  return { latencyUs: (t1 - t0) / n, results: resultValues(results) };
}
