// A minimal xsbug-protocol debugger for the tests: listens on TCP like Moddable's xsbug,
// takes the machine's `<xsbug>…</xsbug>` messages apart and sends commands framed as
// xsbug does (CR LF before and after each). No GUI, just what a test asserts on.
import net from 'node:net';

export interface XsbugMessage {
  /** The whole message between <xsbug> and </xsbug>. */
  body: string;
  login?: { name: string; value: string };
  /** A break: where XS stopped and why ("breakpoint", "step", an exception's text). */
  break?: { path: string; line: number; message: string };
  /** Console output and reports (`# Exception: …`), with the path and line XS gave. */
  logs: { path?: string; line?: number; text: string }[];
  /** The break's local variables by name (values as xsbug shows them). */
  locals: Map<string, string>;
}

function unescape(s: string): string {
  return s.replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)));
}

export function parseMessage(body: string): XsbugMessage {
  const msg: XsbugMessage = { body, logs: [], locals: new Map() };
  const login = /<login name="([^"]*)" value="([^"]*)"\/>/.exec(body);
  if (login) msg.login = { name: unescape(login[1]!), value: unescape(login[2]!) };
  const brk = /<break(?: path="([^"]*)" line="(\d+)")?># Break: ([\s\S]*?)!\n<\/break>/.exec(body);
  if (brk) msg.break = { path: unescape(brk[1] ?? ''), line: Number(brk[2] ?? 0), message: unescape(brk[3]!) };
  for (const m of body.matchAll(/<log(?: path="([^"]*)" line="(\d+)")?>([\s\S]*?)<\/log>/g)) {
    msg.logs.push({
      ...(m[1] !== undefined ? { path: unescape(m[1]), line: Number(m[2]) } : {}),
      text: unescape(m[3]!),
    });
  }
  const local = /<local\b[^>]*>([\s\S]*?)<\/local>/.exec(body);
  if (local) {
    for (const p of local[1]!.matchAll(/<property\b[^>]*? name="([^"]*)"[^>]*? value="([^"]*)"/g))
      msg.locals.set(unescape(p[1]!), unescape(p[2]!));
  }
  return msg;
}

/** One machine's connection. */
export class XsbugConnection {
  readonly messages: XsbugMessage[] = [];
  private buffer = '';
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (;;) {
        const start = this.buffer.indexOf('<xsbug>');
        const end = this.buffer.indexOf('</xsbug>', start);
        if (start < 0 || end < 0) break;
        this.messages.push(parseMessage(this.buffer.slice(start + 7, end)));
        this.buffer = this.buffer.slice(end + 8);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** The first message at index >= from matching pred; rejects after timeoutMs naming `what`. */
  next(pred: (m: XsbugMessage) => boolean, what: string, timeoutMs = 60_000, from = 0): Promise<XsbugMessage> {
    return new Promise((resolve, reject) => {
      let at = from;
      const check = (): boolean => {
        for (; at < this.messages.length; at++) {
          if (pred(this.messages[at]!)) {
            done();
            resolve(this.messages[at]!);
            return true;
          }
        }
        if (this.closed) {
          done();
          reject(new Error(`the machine closed the connection before ${what}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter = (): void => void check();
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      if (!check()) this.waiters.add(waiter);
    });
  }

  /** A command as xsbug frames it. */
  send(command: string): void {
    this.socket.write(`\r\n${command}\r\n`);
  }

  close(): void {
    this.socket.end();
  }
}

/** An xsbug-protocol debugger listening on 127.0.0.1 (an ephemeral port unless given). */
export class XsbugServer {
  private readonly pending: XsbugConnection[] = [];
  private readonly takers: ((c: XsbugConnection) => void)[] = [];

  private constructor(readonly server: net.Server) {
    server.on('connection', (socket) => {
      const c = new XsbugConnection(socket);
      const taker = this.takers.shift();
      if (taker) taker(c);
      else this.pending.push(c);
    });
  }

  static listen(port = 0): Promise<XsbugServer> {
    return new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(new XsbugServer(server)));
    });
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  connection(timeoutMs = 120_000): Promise<XsbugConnection> {
    const ready = this.pending.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no machine connected to 127.0.0.1:${this.port} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.takers.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
