// The main firmware as an engine server for `verify` and `bench-engine` over the wire: a
// board on --port, or (--via-wire) the target's main firmware booted here (QEMU, host).
import { connectDevice } from '../bench/device.ts';
import { buildFirmware } from '../build/firmware.ts';
import type { InfoRecord } from '../bridge/protocol.ts';
import { DeviceSession, SessionError } from '../bridge/session.ts';
import { XsinferError } from '../errors.ts';
import { isBoardTarget, type Target } from '../targets.ts';

export interface WireDevice {
  session: DeviceSession;
  info: InfoRecord;
  description: string;
  close(): Promise<void>;
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
