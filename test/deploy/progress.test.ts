// `deploy` draws its progress bar only for a person at a terminal: under a pty (util-linux
// `script`) it draws one, and with --json under the same pty it draws none and the last
// line is the JSON document. The device is the host-target firmware behind a TCP socket
// (each connection gets its own process), as a board on `--port tcp:…` is reached.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programPath } from '../../host/build/firmware.ts';
import { dataDir } from '../../host/data.ts';
import { repoRoot } from '../../host/paths.ts';

const children: ChildProcess[] = [];
let server: net.Server;
let port = 0;

beforeAll(async () => {
  server = net.createServer((socket) => {
    const child = spawn(programPath('host', 'xsinfer'), [], { stdio: ['pipe', 'pipe', 'ignore'] });
    children.push(child);
    socket.pipe(child.stdin!);
    child.stdout!.pipe(socket);
    socket.on('error', () => child.kill());
    socket.on('close', () => child.kill());
    child.stdin!.on('error', () => {});
    child.on('close', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => {
  server?.close();
  for (const c of children) c.kill('SIGKILL');
});

/** The CLI under a pseudo-terminal: stdout and stderr both arrive on the pty. Asynchronous:
 *  the relay above runs in this process. */
function underPty(...args: string[]): Promise<{ status: number | null; text: string }> {
  const cli = [process.execPath, path.join(repoRoot, 'bin', 'xsinfer.js'), ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', cli, '/dev/null'], {
      cwd: repoRoot,
      env: { ...process.env, COLUMNS: '120' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, text });
    });
  });
}

describe('deploy progress', () => {
  const model = path.join(dataDir(), 'models', 'hello_world_int8.tflite');
  const bar = /deploy model [█░]+ \d+\/2704 bytes/;

  it('draws a bar at a terminal', async () => {
    const r = await underPty('deploy', '--model', model, '--port', `tcp:127.0.0.1:${port}`);
    expect(r.status, r.text).toBe(0);
    expect(r.text).toMatch(bar);
  });

  it('draws none under --json, where the last line is the document', async () => {
    const r = await underPty('deploy', '--model', model, '--port', `tcp:127.0.0.1:${port}`, '--json');
    expect(r.status, r.text).toBe(0);
    expect(r.text).not.toMatch(/[█░]/);
    const last = r.text.trim().split(/\r?\n/).pop()!;
    expect(JSON.parse(last)).toMatchObject({ app: null, model: { bytes: 2704, asset: 'upload/model' } });
  });
});
