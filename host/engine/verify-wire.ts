// Validation on target: the golden cases of one model through the main firmware's engine
// over the wire (engine sessions, docs/protocol.md), for `verify --port` and
// `verify --via-wire`. The model is uploaded as upload/model (host/deploy's upload), every
// case runs on a fresh interpreter, and the answers come back as the lines the
// semihosting verify program prints, so host/engine/verify.ts compares both the same way.
import path from 'node:path';
import { engineInvoke, engineOpen, EngineProtocolError, type EngineOpenResult } from '../bridge/engine.ts';
import { SessionError, type DeviceSession } from '../bridge/session.ts';
import { sendImage } from '../deploy/deploy.ts';
import { XsinferError } from '../errors.ts';
import type { DeviceLine, KernelSet } from './device.ts';
import type { GoldenModel } from './pack.ts';

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');

/** The device's refusal of a command, or null for any other failure. */
function refusal(err: unknown): { message: string; code: string; extra: Record<string, unknown> } | null {
  if (err instanceof SessionError && err.code === 'DEVICE_ERROR' && err.record)
    return { message: err.record.message, code: err.record.codeName, extra: err.record.extra ?? {} };
  return null;
}

/** The op the engine's message names ("unsupported op TRANSPOSE (op 0)"), else the message. */
function unsupportedOp(message: string): string {
  return /unsupported op (\S+)/.exec(message)?.[1] ?? message;
}

/** Uploads the model; a model the slots cannot take ends the command (exit 7). Returns
 *  the ops the engine lacks when the device refuses the model for them. */
async function upload(session: DeviceSession, golden: GoldenModel, bytes: Uint8Array): Promise<string[] | null> {
  const file = path.basename(golden.modelPath);
  try {
    await sendImage(session, { kind: 'model', name: file.slice(0, 31), data: bytes });
    return null;
  } catch (err) {
    const r = refusal(err);
    if (r?.code === 'tooLarge')
      throw new XsinferError(
        'NOT_SUPPORTED',
        `verify --port: ${file} is ${bytes.length.toLocaleString('en-US')} bytes, more than the board's model slots take (${r.message})`,
      );
    if (r?.code === 'unsupportedOp') return [unsupportedOp(r.message)];
    if (r) throw new XsinferError('RUN_FAILED', `verify --port: the device refused ${file}: ${r.message} (${r.code})`);
    throw err;
  }
}

/** One golden model on the device: the verify program's lines (arena, case, op,
 *  unsupported, error). */
export async function wireVerifyLines(
  session: DeviceSession,
  golden: GoldenModel,
  kernels: KernelSet,
  modelBytes: Uint8Array,
): Promise<DeviceLine[]> {
  const missing = await upload(session, golden, modelBytes);
  if (missing) return [{ t: 'unsupported', missing: missing.join(','), msg: `unsupported op ${missing.join(',')}` }];
  const lines: DeviceLine[] = [];
  const perOp = golden.perOp.length > 0;
  for (let i = 0; i < golden.cases.length; i++) {
    const c = golden.cases[i]!;
    let open: EngineOpenResult;
    try {
      open = await engineOpen(session, { model: 'upload/model', kernels });
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      if (r.code === 'unsupportedOp') return [{ t: 'unsupported', missing: unsupportedOp(r.message), msg: r.message }];
      // The model does not prepare (arena, types): every case fails with the reason.
      return [...lines, { t: 'error', what: 'create', msg: r.message }];
    }
    if (i === 0) lines.push({ t: 'arena', head: open.arena.head, tail: open.arena.tail, total: open.arena.used });
    const bad = c.steps[0]?.length !== open.inputs.length;
    const sizes = c.steps.some((step) => step.some((b, k) => b.length !== open.inputs[k]?.bytes));
    if (bad || sizes) {
      lines.push({
        t: 'case',
        i,
        ok: 0,
        msg: bad
          ? 'case has a different number of inputs than the model'
          : "input size does not match the model's input tensor",
      });
      continue;
    }
    const outs: string[] = open.outputs.map(() => '');
    let ticks = 0;
    let failure: DeviceLine | null = null;
    for (let s = 0; s < c.steps.length && !failure; s++) {
      const dump = perOp && i === 0 && s === 0;
      try {
        const r = await engineInvoke(session, c.steps[s]!, { dump });
        ticks += r.ticks;
        r.outputs.forEach((o, k) => (outs[k] += hex(o)));
        if (dump)
          r.dumps!.forEach((d, op) => {
            if (d) lines.push({ t: 'op', i: op, outs: d.map(hex) });
          });
      } catch (err) {
        const r = refusal(err);
        if (!r && !(err instanceof EngineProtocolError)) throw err;
        failure = {
          t: 'case',
          i,
          ok: 0,
          msg: 'invoke failed',
          detail: r ? `${r.message} (${r.code})` : (err as Error).message,
        };
      }
    }
    lines.push(failure ?? { t: 'case', i, ok: 1, steps: c.steps.length, ticks, outs });
  }
  return lines;
}
