// `xsinfer debug`: boots (or attaches to) the debug firmware and relays XS's debugger to
// an xsbug-protocol debugger on TCP (Moddable's xsbug or xsbug-log, default
// 127.0.0.1:5002), like Moddable's serial2xsbug. With --app it then runs that app so its
// breakpoints are hit. It ends when the debugger closes its connection, the device link
// ends, --timeout passes or on Ctrl-C; the device's XS is detached first. docs/debugging.md.
import type { Command } from 'commander';
import { buildFirmware } from '../../build/firmware.ts';
import { formatRecord } from '../../bridge/format.ts';
import {
  CommandType,
  type AckRecord,
  type DeviceRecord,
  type DoneRecord,
  type ErrorRecord,
} from '../../bridge/protocol.ts';
import { DeviceSession, SessionError } from '../../bridge/session.ts';
import { connectDevice } from '../../bench/device.ts';
import { DEFAULT_XSBUG, XsbugRelay, connectXsbug, parseXsbugAddress } from '../../debug/relay.ts';
import { XsinferError } from '../../errors.ts';
import { setBaudOverride } from '../../run/link-settings.ts';
import { isBoardTarget, parseTarget, targetList } from '../../targets.ts';
import { enumOption, intOption, portOption } from '../options.ts';
import { log } from '../output.ts';

/** Error records after which the device runs nothing more (XS aborted). */
const STOP_CODES = new Set<string>(['abort', 'outOfMemory', 'stackOverflow']);

interface DebugOptions {
  target: string;
  port?: string;
  baud?: string;
  app?: string;
  kernels: string;
  iterations: string;
  xsbug: string;
  timeout: string;
  once?: boolean;
}

/** `run` is refused (badState) while XS waits for the debugger (the login): try again. */
async function startRun(
  session: DeviceSession,
  cmd: { app: string; kernels: 'reference' | 'optimized'; iterations: number },
  timeoutMs: number,
): Promise<AckRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await session.command({ kind: 'run', impl: 'js', ...cmd }, { timeoutMs: 5000 });
    } catch (err) {
      const busy = err instanceof SessionError && err.record?.codeName === 'badState';
      if (!busy || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export function register(program: Command): void {
  program
    .command('debug')
    .description(
      "relay XS's debugger on the debug firmware to xsbug (Moddable's xsbug or xsbug-log listening on TCP), like serial2xsbug",
    )
    .option('-t, --target <target>', targetList(), 'mps2-an500')
    .option('-p, --port <path>', 'serial port of a board running the debug firmware, or tcp:HOST:PORT')
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option('-a, --app <app>', 'run this app (TypeScript) once attached, so its breakpoints are hit')
    .option('-k, --kernels <set>', 'with --app: reference | optimized', 'reference')
    .option('-n, --iterations <n>', 'with --app: iterations', '1')
    .option('--xsbug <host:port>', 'where the xsbug debugger listens', `${DEFAULT_XSBUG.host}:${DEFAULT_XSBUG.port}`)
    .option('--timeout <ms>', 'end the session after this many milliseconds', '1800000')
    .option('--once', "with --app: end the session when the app's run has ended (xsbug-log never closes on its own)")
    .action(async (opts: DebugOptions) => {
      if (opts.once && !opts.app) throw new XsinferError('BAD_ARGUMENT', '--once needs --app (it ends with the run)');
      // Only the debug flavour has a debugger: this command always uses it.
      process.env.XSINFER_FLAVOUR = 'debug';
      const target = parseTarget(opts.target);
      const port = opts.port !== undefined ? portOption(opts.port) : undefined;
      setBaudOverride(opts.baud);
      const kernels = enumOption('-k, --kernels', opts.kernels, ['reference', 'optimized'] as const);
      const iterations = intOption('-n, --iterations', opts.iterations, 1, 10_000);
      const timeoutMs = intOption('--timeout', opts.timeout, 1000, 24 * 3600 * 1000);
      const address = parseXsbugAddress(opts.xsbug);
      if (isBoardTarget(target) && !port)
        throw new XsinferError(
          'BAD_ARGUMENT',
          `${target} is a board: it needs --port (its ST-LINK serial port, or "auto")`,
        );
      // The debugger first: without one there is nothing to relay to.
      const socket = await connectXsbug(address);
      let device;
      try {
        if (!port) await buildFirmware({ target });
        device = await connectDevice({ target, port });
      } catch (err) {
        socket.destroy();
        throw err;
      }
      const session = new DeviceSession(device.link);
      session.on('record', (r: DeviceRecord) => {
        if (r.kind === 'xsbug' || r.kind === 'ack') return;
        // A run refused while XS waits for the debugger is retried (startRun), not a failure.
        if (r.kind === 'error' && r.codeName === 'badState' && r.type === CommandType.run) return;
        process.stdout.write(formatRecord(r) + '\n');
      });
      const relay = new XsbugRelay(session, socket);
      const interrupt = () => void relay.stop('interrupted');
      process.once('SIGINT', interrupt);
      const timer = setTimeout(() => void relay.stop(`--timeout ${timeoutMs} ms passed`), timeoutMs);
      try {
        const { info } = await session.hello({ timeoutMs: 10_000 });
        try {
          await relay.attach();
        } catch (err) {
          if (err instanceof SessionError && err.record?.codeName === 'unsupported')
            throw new XsinferError(
              'NOT_SUPPORTED',
              `the firmware on ${device.description} has no debugger (build ${info.build}): flash or boot the debug flavour (--debug)`,
            );
          throw err;
        }
        log(`xsbug attached: ${info.target} (${device.description}) <-> ${address.host}:${address.port}`);
        if (opts.app) {
          const ack = await startRun(session, { app: opts.app, kernels, iterations }, timeoutMs);
          const run = (ack.extra as { run?: number } | undefined)?.run;
          const done = await Promise.race([
            session.waitFor(
              (r): r is DoneRecord => r.kind === 'done' && (run === undefined || r.run === run),
              timeoutMs,
              0,
              `the end of the ${opts.app} run`,
            ),
            relay.ended.then(() => null),
          ]);
          if (done && opts.once) {
            log(`${opts.app}: run ${done.run} ended with status ${done.status}`);
            await relay.stop('the run ended (--once)');
          } else if (done)
            log(`${opts.app}: run ${done.run} ended with status ${done.status}; the debugger stays attached`);
        }
        const why = await relay.ended;
        log(`xsbug relay ended: ${why} (${relay.toDebugger} bytes to the debugger, ${relay.toDevice} to the device)`);
      } catch (err) {
        // The device stopped (e.g. the debugger's <abort/>: XS aborts): say why, not only
        // that the link closed.
        const stop = [...session.records]
          .reverse()
          .find((r): r is ErrorRecord => r.kind === 'error' && r.cmd === undefined && STOP_CODES.has(r.codeName));
        if (stop && err instanceof SessionError && err.code === 'LINK_CLOSED')
          throw new XsinferError('RUN_FAILED', `the device stopped: ${stop.message} (${stop.codeName})`);
        throw err;
      } finally {
        clearTimeout(timer);
        process.off('SIGINT', interrupt);
        await relay.stop('the session ended');
        if (!port) await session.command({ kind: 'stop' }, { timeoutMs: 2000, retries: 0 }).catch(() => undefined);
        await session.close().catch(() => undefined);
        device.kill();
      }
    });
}
