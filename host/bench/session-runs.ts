// Drives the main firmware through a benchmark matrix over the wire: hello, optionally a
// model upload, then one `run` command per app × impl × kernel set, waiting for each
// run's `done`. Everything received is recorded to a file as it arrives.
import path from 'node:path';
import fs from 'node:fs';
import { DeviceSession, SessionError } from '../bridge/session.ts';
import { RecordingWriter } from '../bridge/recording.ts';
import {
  PROTOCOL_VERSION,
  type DeviceRecord,
  type DoneRecord,
  type ErrorRecord,
  type InfoRecord,
} from '../bridge/protocol.ts';
import { toXsinferError, XsinferError } from '../errors.ts';
import type { Target } from '../targets.ts';
import { sendImage } from '../deploy/deploy.ts';
import { connectDevice, type DeviceConnection } from './device.ts';
import type { Flavour } from '../build/firmware.ts';

export interface RunSpec {
  app: string;
  impl: 'js' | 'c';
  kernels: 'reference' | 'optimized';
  iterations: number;
  warmup: number;
  ops: boolean;
  /** Model asset the app runs on instead of its own (e.g. "upload/model"). */
  model?: string;
  /** Core event counters per phase (boards that have them). */
  counters?: boolean;
  /** Profiling firmware: profile this JS run, the sample clock being ticks / profile. */
  profile?: number;
}

/** A `--model` value: a .tflite file to upload into the model slot first, or the name
 * of an asset the device already has. */
export interface ModelChoice {
  /** The asset the runs name. */
  asset: string;
  /** Upload this first (published by the device as `asset`, "upload/model"). */
  upload?: { name: string; data: Uint8Array };
}

/** The asset a model upload is published as (docs/protocol.md, Uploads). */
export const UPLOADED_MODEL_ASSET = 'upload/model';

/** `--model X`: an existing file is uploaded into the slot, anything else names an asset. */
export function modelChoice(value: string): ModelChoice {
  if (fs.existsSync(value) && fs.statSync(value).isFile()) {
    return {
      asset: UPLOADED_MODEL_ASSET,
      upload: { name: path.basename(value).slice(0, 31), data: new Uint8Array(fs.readFileSync(value)) },
    };
  }
  // Image model assets are models/<name>.tflite: any other .tflite name meant a file.
  if (value.endsWith('.tflite') && !value.startsWith('models/')) {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `--model ${value}: no such file (give a .tflite path to upload, or an asset name such as upload/model or models/mnist_int8.tflite)`,
    );
  }
  return { asset: value };
}

/** Errors that are the device's refusal of an upload or a run (bad input, not a broken session). */
const refusals = new WeakSet<Error>();
function refusal(err: XsinferError): XsinferError {
  refusals.add(err);
  return err;
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
  /** Uploaded after the hello, before the first run. */
  modelUpload?: { name: string; data: Uint8Array };
  /** A TypeScript app archive deployed first (the device runs it as app "deployed"). */
  appUpload?: { name: string; data: Uint8Array };
  /** The generic app's input set, uploaded after the model (asset upload/inputs). */
  inputsUpload?: { name: string; data: Uint8Array };
  /** Send `stop` at the end (default); false leaves a running board running. */
  stop?: boolean;
  /** More fields for the recording's header (bench: the tool versions). */
  meta?: Record<string, unknown>;
  /** The firmware flavour to boot (default release). */
  flavour?: Flavour;
}): Promise<SessionResult> {
  // Connected first: a link that cannot be opened leaves no empty results directory behind.
  const device = await connectDevice({ target: opts.target, port: opts.port, flavour: opts.flavour });
  try {
    fs.mkdirSync(opts.outDir, { recursive: true });
  } catch (err) {
    device.kill();
    throw err;
  }
  const recordingPath = path.join(opts.outDir, 'recording.xsirec');
  const recording = new RecordingWriter(recordingPath, {
    createdAt: new Date().toISOString(),
    protocol: PROTOCOL_VERSION,
    target: opts.target,
    link: device.description,
    ...opts.meta,
  });
  const session = new DeviceSession(device.link, { recording, maxFrame: 2048 });
  opts.onConnected?.(device);
  if (opts.onRecord) session.on('record', opts.onRecord);
  try {
    const { info } = await session.hello({ timeoutMs: 10_000 });
    // Uploads before the runs, in this order: app, model, input set.
    const uploads = [
      { kind: 'app', what: 'the app', upload: opts.appUpload },
      { kind: 'model', what: 'the model', upload: opts.modelUpload },
      { kind: 'inputs', what: 'the input set', upload: opts.inputsUpload },
    ] as const;
    for (const { kind, what, upload } of uploads) {
      if (!upload) continue;
      try {
        await sendImage(session, { kind, name: upload.name, data: upload.data });
      } catch (err) {
        if (err instanceof SessionError && err.record)
          throw refusal(
            new XsinferError(
              'RUN_FAILED',
              `the device refused ${what} ${upload.name}: ${err.record.message} (${err.record.codeName})`,
            ),
          );
        throw err;
      }
    }
    for (const [index, spec] of opts.runs.entries()) {
      const from = session.records.length;
      const what = `${spec.app} (${spec.impl}, ${spec.kernels}${spec.model ? `, model ${spec.model}` : ''})`;
      let ack;
      try {
        ack = await session.command({ kind: 'run', ...spec }, { timeoutMs: 10_000 });
      } catch (err) {
        // A refused run (no such model asset, ...): the device's reason, not a session error.
        if (err instanceof SessionError && err.record)
          throw refusal(
            new XsinferError(
              'RUN_FAILED',
              `${what} refused by the device: ${err.record.message} (${err.record.codeName})`,
            ),
          );
        throw err;
      }
      const runId = (ack.extra as { run?: number } | undefined)?.run;
      const done = await session.waitFor(
        (r): r is DoneRecord | ErrorRecord =>
          (r.kind === 'done' && (runId === undefined || r.run === runId)) ||
          (r.kind === 'error' && r.cmd === undefined),
        opts.runTimeoutMs ?? 900_000,
        from,
        `the end (done record) of ${what}`,
      );
      if (done.kind === 'error') {
        const failed = new XsinferError(
          'RUN_FAILED',
          `${what} failed on the device: ${done.message} (${done.codeName})`,
        );
        // An app's refusal (the model or the inputs do not fit it) is bad input: its reason says it all.
        throw done.codeName === 'app' ? refusal(failed) : failed;
      }
      opts.onRunDone?.(spec, done, index);
    }
    if (opts.stop === false) return { info, records: session.records, recording: recordingPath, exitCode: null };
    await session.command({ kind: 'stop' }, { timeoutMs: 5_000, retries: 0 }).catch(() => undefined);
    const exitCode = await Promise.race([device.exited, new Promise<null>((r) => setTimeout(() => r(null), 3_000))]);
    return { info, records: session.records, recording: recordingPath, exitCode };
  } catch (err) {
    // The device refused what the host sent before any run: its one-line reason says it all.
    if (err instanceof Error && refusals.has(err)) throw err;
    // Whatever went wrong, what arrived is on disk: say where.
    // A timeout stays a timeout; a link that closes mid-session is the device failing.
    const e = toXsinferError(err);
    const closed = err instanceof SessionError && err.code === 'LINK_CLOSED';
    throw new XsinferError(
      closed || e.code === 'INTERNAL' ? 'RUN_FAILED' : e.code,
      `${e.message.replace(/^internal error: /, '')}\n(${session.records.length} records received so far are kept in ${recordingPath}; \`xsinfer report\` or \`replay\` reads it)`,
    );
  } finally {
    // The link first: a frame still arriving must not meet a closed recording.
    await session.close().catch(() => undefined);
    device.kill();
    recording.close();
  }
}
