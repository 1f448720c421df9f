// The main firmware as an engine server for `verify` and `bench-engine` over the wire: a
// board on --port, or (--via-wire) the target's main firmware booted here (QEMU, host).
import { connectDevice } from '../bench/device.ts';
import { buildFirmware } from '../build/firmware.ts';
import type { InfoRecord } from '../bridge/protocol.ts';
import { DeviceSession, SessionError } from '../bridge/session.ts';
import { XsinferError } from '../errors.ts';
import { setBaudOverride } from '../run/link-settings.ts';
import { isBoardTarget, parseTarget, type Target } from '../targets.ts';

export interface WireDevice {
  session: DeviceSession;
  info: InfoRecord;
  description: string;
  close(): Promise<void>;
}

/** The command-line options of `verify` and `bench-engine` that say where they run. */
export interface WireTargetOptions {
  target: string;
  port?: string;
  baud?: string;
  viaWire?: boolean;
  json?: boolean;
}

/** Checks the options that say where a command runs (target, --port, --baud) and whether
 *  it goes over the wire: with --port or --via-wire, and always on a board (no semihosting
 *  there). `checkPort` is the CLI's port check, throwing on a malformed value. */
export function wireTarget(
  opts: WireTargetOptions,
  checkPort: (value: string) => unknown,
): { target: Target; wire: boolean } {
  const target = parseTarget(opts.target);
  if (opts.port !== undefined) checkPort(opts.port);
  setBaudOverride(opts.baud);
  return { target, wire: opts.port !== undefined || opts.viaWire === true || isBoardTarget(target) };
}

/** Frames the host proposes; the main firmware takes up to 2,048 bytes. */
const PROPOSED_MAX_FRAME = 4096;

export async function openWireDevice(opts: { target: Target; port?: string; command: string }): Promise<WireDevice> {
  if (opts.port === undefined && isBoardTarget(opts.target))
    throw new XsinferError(
      'BAD_ARGUMENT',
      `${opts.command} on ${opts.target}: a board needs --port (its ST-LINK serial port, or "auto")`,
    );
  if (opts.port === undefined) await buildFirmware({ target: opts.target });
  const device = await connectDevice({ target: opts.target, port: opts.port });
  const session = new DeviceSession(device.link);
  const close = async () => {
    await session.close().catch(() => undefined);
    device.kill();
  };
  try {
    const { info } = await session.hello({ maxFrame: PROPOSED_MAX_FRAME, timeoutMs: 10_000 });
    await requireEngineSessions(session, info, opts.command);
    return { session, info, description: device.description, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Before any upload: an empty engine_input is acked (in a session: it starts input 0
 *  over) or refused with badState (no session) by a firmware with engine sessions, and
 *  refused as unsupported by one built without them. */
async function requireEngineSessions(session: DeviceSession, info: InfoRecord, command: string): Promise<void> {
  try {
    await session.command({ kind: 'engineInput', offset: 0, data: new Uint8Array(0) });
  } catch (err) {
    if (!(err instanceof SessionError) || !err.record) throw err;
    if (err.record.codeName === 'badState') return;
    throw new XsinferError(
      'NOT_SUPPORTED',
      `${command} over the wire: the firmware on ${info.target} (build ${info.build}) has no engine sessions (${err.record.message}); a target whose image region is full is built without them`,
    );
  }
}
