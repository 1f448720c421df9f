// Drives the main firmware through a benchmark matrix over the wire: hello, then one
// `run` command per app × impl × kernel set, waiting for each run's `done`. Everything
// received is recorded to a file as it arrives.
import path from 'node:path';
import fs from 'node:fs';
import { DeviceSession } from '../bridge/session.ts';
import { RecordingWriter } from '../bridge/recording.ts';
import { PROTOCOL_VERSION, type DeviceRecord, type DoneRecord, type ErrorRecord, type InfoRecord } from '../bridge/protocol.ts';
import { XsinferError } from '../errors.ts';
import type { Target } from '../targets.ts';
import { connectDevice, type DeviceConnection } from './device.ts';

export interface RunSpec {
  app: string;
  impl: 'js' | 'c';
  kernels: 'reference' | 'optimized';
  iterations: number;
  warmup: number;
  ops: boolean;
}

export interface SessionResult {
  info: InfoRecord;
  records: DeviceRecord[];
  recording: string;
  exitCode: number | null;
}

export async function runSession(opts: {
  target: Target;
  port?: string;
  runs: RunSpec[];
  outDir: string;
  onRunDone?: (spec: RunSpec, done: DoneRecord, index: number) => void;
  onRecord?: (record: DeviceRecord) => void;
  /** Called once the device is connected; tests use it to pull the plug. */
  onConnected?: (device: DeviceConnection) => void;
  runTimeoutMs?: number;
}): Promise<SessionResult> {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const device = await connectDevice({ target: opts.target, port: opts.port });
  const recordingPath = path.join(opts.outDir, 'recording.xsirec');
  const recording = new RecordingWriter(recordingPath, {
    createdAt: new Date().toISOString(),
    protocol: PROTOCOL_VERSION,
    target: opts.target,
    link: device.description,
  });
  const session = new DeviceSession(device.link, { recording, maxFrame: 2048 });
  opts.onConnected?.(device);
  if (opts.onRecord) session.on('record', opts.onRecord);
  try {
    const { info } = await session.hello({ timeoutMs: 10_000 });
    for (const [index, spec] of opts.runs.entries()) {
      const from = session.records.length;
      const ack = await session.command({ kind: 'run', ...spec }, { timeoutMs: 10_000 });
      const runId = (ack.extra as { run?: number } | undefined)?.run;
      const done = await session.waitFor(
        (r): r is DoneRecord | ErrorRecord => (r.kind === 'done' && (runId === undefined || r.run === runId)) || (r.kind === 'error' && r.cmd === undefined),
        opts.runTimeoutMs ?? 900_000,
        from,
      );
      if (done.kind === 'error') {
        throw new XsinferError('RUN_FAILED', `${spec.app} (${spec.impl}, ${spec.kernels}) failed on the device: ${done.message} (${done.codeName})`);
      }
      opts.onRunDone?.(spec, done, index);
    }
    await session.command({ kind: 'stop' }, { timeoutMs: 5_000, retries: 0 }).catch(() => undefined);
    const exitCode = await Promise.race([device.exited, new Promise<null>((r) => setTimeout(() => r(null), 3_000))]);
    return { info, records: session.records, recording: recordingPath, exitCode };
  } catch (err) {
    // Whatever went wrong, what arrived is on disk: say where.
    const message = err instanceof Error ? err.message : String(err);
    throw new XsinferError('RUN_FAILED', `${message}\n(${session.records.length} records received so far are kept in ${recordingPath}; \`xsinfer report\` or \`replay\` reads it)`);
  } finally {
    recording.close();
    await session.close().catch(() => undefined);
    device.kill();
  }
}
