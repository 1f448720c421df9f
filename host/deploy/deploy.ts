// `xsinfer deploy`: sends a model and/or an app archive to a running main firmware over
// the wire (upload_begin, CRC-checked chunks with acks, upload_end) and reports whether
// the device verified, stored (in its flash slot) and started it. The device keeps its
// previous model or app when it refuses an image.
import fs from 'node:fs';
import path from 'node:path';
import { openLink, type Link } from '../bridge/link.ts';
import { openBoardLink } from '../run/link-settings.ts';
import { uploadImage } from '../bridge/upload.ts';
import { DeviceSession, SessionError } from '../bridge/session.ts';
import type { AckRecord, InfoRecord } from '../bridge/protocol.ts';
import { XsinferError } from '../errors.ts';
import { boardStatePath, type BoardState } from '../run/board-session.ts';
import { isQemuTarget, type Target } from '../targets.ts';
import type { AppArchive } from './build-app.ts';

export interface SendResult {
  bytes: number;
  chunks: number;
  ms: number;
  /** The device's answer to upload_end (its extra keys: asset, ops, main, started, startTicks). */
  ack: AckRecord;
}

/** One image to the device (uploadImage), upload_end retried once. */
export async function sendImage(
  session: DeviceSession,
  opts: {
    kind: 'model' | 'app' | 'inputs';
    name: string;
    data: Uint8Array;
    chunkBytes?: number;
    onProgress?: (sent: number, total: number) => void;
  },
): Promise<SendResult> {
  const { kind, ...rest } = opts;
  const { bytes, chunks, ms, ack } = await uploadImage(session, { ...rest, what: kind, endRetries: 1 });
  return { bytes, chunks, ms, ack };
}

/** Where the device is: --port, else the QEMU board `xsinfer run --keep` recorded. */
export async function openDeployLink(opts: { target: Target; port?: string }): Promise<Link> {
  if (opts.port) return openBoardLink(opts.port, opts.target);
  if (isQemuTarget(opts.target)) {
    const file = boardStatePath(opts.target);
    if (!fs.existsSync(file)) {
      throw new XsinferError(
        'RUN_FAILED',
        `no running QEMU board (${path.relative(process.cwd(), file)} is missing): start one with \`npx xsinfer run --program xsinfer --keep\`, or pass --port`,
      );
    }
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as BoardState;
    try {
      process.kill(state.pid, 0);
    } catch {
      throw new XsinferError(
        'RUN_FAILED',
        `the QEMU board recorded in ${file} (pid ${state.pid}) is no longer running: start a new one with \`npx xsinfer run --program xsinfer --keep\``,
      );
    }
    // A board started a moment ago may not listen yet.
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        return await openLink(state.serial);
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  throw new XsinferError(
    'BAD_ARGUMENT',
    `deploy to ${opts.target} needs --port (its serial port; "auto" finds the ST-LINK)`,
  );
}

export interface DeployOptions {
  /** App directory or manifest; omit to upload only a model. */
  app?: string;
  model?: string;
  target: Target;
  port?: string;
  /** An open session (tests); otherwise the link is opened and closed here. */
  session?: DeviceSession;
  /** The built-in archive the device runs (default build/<target>/gen/xs_archive.xsa). */
  baseArchive?: string;
  onProgress?: (what: 'model' | 'app', sent: number, total: number) => void;
  log?: (line: string) => void;
}

export interface DeployResult {
  app: string | null;
  bytes: number;
  chunks: number;
  ms: number;
  /** Of ms: compiling the archive on the host, and sending + verifying + starting it. */
  buildMs: number;
  sendMs: number;
  started: boolean;
  /** Device ticks for trial + restart (two machine creations, maps and imports). */
  startTicks?: number;
  /** Device ticks to erase, program and read back the app's flash slot. */
  storeTicks?: number;
  /** Archive path of the deployed entry module ("run {app: 'deployed'}" runs it). */
  main?: string;
  model?: { name: string; bytes: number; chunks: number; ms: number; asset: string; storeTicks?: number };
  info?: InfoRecord;
}

export function describeDeviceError(err: unknown): never {
  if (err instanceof SessionError && err.code === 'DEVICE_ERROR' && err.record) {
    throw new XsinferError(
      'RUN_FAILED',
      `the device refused the upload: ${err.record.message} (error ${err.record.code} ${err.record.codeName})`,
    );
  }
  throw err;
}

export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  if (!opts.app && !opts.model)
    throw new XsinferError('BAD_ARGUMENT', 'nothing to deploy: give an app directory/manifest and/or --model');
  const t0 = performance.now();
  // Build before touching the device: a compile error leaves it alone.
  let archive: AppArchive | undefined;
  if (opts.app) {
    // The TypeScript compiler loads only when an app is compiled (it costs every CLI start ≈1 s).
    const { buildAppArchive } = await import('./build-app.ts');
    archive = await buildAppArchive({ app: opts.app, target: opts.target, baseArchive: opts.baseArchive });
  }
  const buildMs = performance.now() - t0;
  const modelBytes = opts.model ? new Uint8Array(fs.readFileSync(opts.model)) : undefined;

  const own = !opts.session;
  const session = opts.session ?? new DeviceSession(await openDeployLink(opts));
  try {
    let info: InfoRecord | undefined;
    if (own) info = (await session.hello({ maxFrame: 4096, timeoutMs: 10_000 })).info;
    const result: DeployResult = {
      app: archive?.name ?? null,
      bytes: 0,
      chunks: 0,
      ms: 0,
      buildMs,
      sendMs: 0,
      started: false,
      info,
    };
    try {
      if (modelBytes) {
        const name = path.basename(opts.model!).slice(0, 31);
        const sent = await sendImage(session, {
          kind: 'model',
          name,
          data: modelBytes,
          onProgress: (s, t) => opts.onProgress?.('model', s, t),
        });
        result.model = {
          name,
          bytes: sent.bytes,
          chunks: sent.chunks,
          ms: sent.ms,
          asset: String(sent.ack.extra?.asset ?? 'upload/model'),
        };
        if (typeof sent.ack.extra?.storeTicks === 'number') result.model.storeTicks = sent.ack.extra.storeTicks;
        opts.log?.(
          `model ${name}: ${sent.bytes} bytes in ${sent.chunks} chunks, verified (${String(sent.ack.extra?.ops ?? '?')} ops) → ${result.model.asset}`,
        );
      }
      if (archive) {
        const sent = await sendImage(session, {
          kind: 'app',
          name: archive.name,
          data: archive.archive,
          onProgress: (s, t) => opts.onProgress?.('app', s, t),
        });
        result.bytes = sent.bytes;
        result.chunks = sent.chunks;
        result.sendMs = sent.ms;
        if (typeof sent.ack.extra?.startTicks === 'number') result.startTicks = sent.ack.extra.startTicks;
        if (typeof sent.ack.extra?.storeTicks === 'number') result.storeTicks = sent.ack.extra.storeTicks;
        result.started = sent.ack.extra?.started === true;
        result.main = typeof sent.ack.extra?.main === 'string' ? sent.ack.extra.main : undefined;
        opts.log?.(
          `app ${archive.name}: ${sent.bytes} bytes in ${sent.chunks} chunks, ${result.started ? `started (${result.main}); run it as app "deployed" or "${archive.name}"` : 'not started'}`,
        );
      }
    } catch (err) {
      describeDeviceError(err);
    }
    result.ms = performance.now() - t0;
    return result;
  } finally {
    if (own) await session.close().catch(() => undefined);
  }
}
