// Engine sessions over the wire (docs/protocol.md, *Engine sessions*): the main firmware's
// engine on an uploaded model, inputs sent in chunks, outputs back as `tensor` records.
// `verify --port` and `bench-engine --port` are built on these three calls.
import { FRAME_OVERHEAD_BYTES, type AckRecord, type DeviceRecord, type TensorRecord } from './protocol.ts';
import type { DeviceSession } from './session.ts';

export interface TensorSpec {
  type: string;
  bytes: number;
  shape: number[];
}

export interface EngineOpenResult {
  session: number;
  model: string;
  kernels: 'reference' | 'optimized';
  ops: number;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  arena: { head: number; tail: number; used: number; size: number };
  /** Ticks of create + allocate (the bench-engine program's `setup`). */
  setupTicks: number;
}

export interface EngineInvokeResult {
  invoke: number;
  /** Ticks of the invoke alone, read around it as the bench-engine program does. */
  ticks: number;
  outputs: Uint8Array[];
  /** Per-op ticks and names (invoke with ops). */
  ops?: { ticks: number[]; names: string[] };
  /** Every op's outputs as the op left them (invoke with dump): dumps[op][k]. */
  dumps?: Uint8Array[][];
}

/** How long one invoke may take: person_detect with the reference kernels is ≈0.1 s on
 * QEMU and on the F769; a dump of every op's outputs at 115,200 baud takes seconds. */
export const ENGINE_INVOKE_TIMEOUT_MS = 120_000;

/** msgpack bytes of an engine_input around its data: map, keys index/offset (u32 each), bin32 header. */
const INPUT_ENVELOPE_BYTES = 1 + 6 + 5 + 7 + 5 + 5 + 5;

export class EngineProtocolError extends Error {}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new EngineProtocolError(`engine_open ack: ${what} is not a number`);
  return v;
}

function specs(v: unknown, what: string): TensorSpec[] {
  if (!Array.isArray(v)) throw new EngineProtocolError(`engine_open ack: ${what} is not an array`);
  return v.map((t: unknown) => {
    const o = t as Record<string, unknown>;
    return {
      type: String(o.type),
      bytes: num(o.bytes, `${what}.bytes`),
      shape: Array.isArray(o.shape) ? o.shape.map(Number) : [],
    };
  });
}

export async function engineOpen(
  session: DeviceSession,
  opts: { model?: string; kernels: 'reference' | 'optimized' },
): Promise<EngineOpenResult> {
  const ack = await session.command({ kind: 'engineOpen', model: opts.model, kernels: opts.kernels });
  const x = ack.extra ?? {};
  const arena = (x.arena ?? {}) as Record<string, unknown>;
  return {
    session: num(x.session, 'session'),
    model: String(x.model),
    kernels: x.kernels === 'optimized' ? 'optimized' : 'reference',
    ops: num(x.ops, 'ops'),
    inputs: specs(x.inputs, 'inputs'),
    outputs: specs(x.outputs, 'outputs'),
    arena: {
      head: num(arena.head, 'arena.head'),
      tail: num(arena.tail, 'arena.tail'),
      used: num(arena.used, 'arena.used'),
      size: num(arena.size, 'arena.size'),
    },
    setupTicks: num(x.setupTicks, 'setupTicks'),
  };
}

/** Sends one input tensor's bytes in chunks sized to the negotiated frame. */
export async function engineInput(session: DeviceSession, index: number, data: Uint8Array): Promise<void> {
  const chunk = session.deviceMaxFrame - FRAME_OVERHEAD_BYTES - INPUT_ENVELOPE_BYTES;
  let offset = 0;
  do {
    await session.command({ kind: 'engineInput', index, offset, data: data.subarray(offset, offset + chunk) });
    offset += chunk;
  } while (offset < data.length);
}

/** Puts chunks of one tensor together; throws when a byte is missing. */
function assemble(chunks: TensorRecord[], what: string): Uint8Array {
  const size = chunks[0]!.size;
  const out = new Uint8Array(size);
  let covered = 0;
  for (const c of chunks.sort((a, b) => a.offset - b.offset)) {
    if (c.offset !== covered || c.size !== size)
      throw new EngineProtocolError(`${what}: bytes ${covered}..${c.offset} missing`);
    out.set(c.data, c.offset);
    covered += c.data.length;
  }
  if (covered !== size) throw new EngineProtocolError(`${what}: ${covered} of ${size} bytes arrived`);
  return out;
}

/** Sends every input (each inputs[k] complete) and runs one invoke; resolves with the
 *  invoke's ticks and outputs once its ack arrived (the records come before it). */
export async function engineInvoke(
  session: DeviceSession,
  inputs: Uint8Array[],
  opts: { ops?: boolean; dump?: boolean } = {},
): Promise<EngineInvokeResult> {
  for (let k = 0; k < inputs.length; k++) await engineInput(session, k, inputs[k]!);
  const from = session.records.length;
  const ack: AckRecord = await session.command(
    { kind: 'engineInvoke', ops: opts.ops ?? false, dump: opts.dump ?? false },
    { timeoutMs: ENGINE_INVOKE_TIMEOUT_MS, retries: 1 },
  );
  const x = ack.extra ?? {};
  const invoke = num(x.invoke, 'invoke');
  const records = session.records.slice(from).filter((r: DeviceRecord) => r.kind === 'tensor' || r.kind === 'ops');
  const tensors = records.filter((r): r is TensorRecord => r.kind === 'tensor' && r.invoke === invoke);
  if (tensors.length !== num(x.tensors, 'tensors'))
    throw new EngineProtocolError(
      `engine_invoke: ${tensors.length} of ${String(x.tensors)} tensor records arrived (records lost on the link)`,
    );
  const byOutput = new Map<number, TensorRecord[]>();
  const byOp = new Map<number, Map<number, TensorRecord[]>>();
  for (const t of tensors) {
    if (t.output !== undefined) byOutput.set(t.output, [...(byOutput.get(t.output) ?? []), t]);
    else {
      const m = byOp.get(t.op!) ?? new Map<number, TensorRecord[]>();
      m.set(t.k ?? 0, [...(m.get(t.k ?? 0) ?? []), t]);
      byOp.set(t.op!, m);
    }
  }
  const outputs: Uint8Array[] = [];
  for (let o = 0; byOutput.has(o); o++) outputs.push(assemble(byOutput.get(o)!, `output ${o}`));
  const result: EngineInvokeResult = { invoke, ticks: num(x.ticks, 'ticks'), outputs };
  if (opts.dump) {
    result.dumps = [];
    for (const [op, ks] of byOp) {
      const outs: Uint8Array[] = [];
      for (let k = 0; ks.has(k); k++) outs.push(assemble(ks.get(k)!, `op ${op} output ${k}`));
      result.dumps[op] = outs;
    }
  }
  if (opts.ops) {
    const ticks: number[] = [];
    const names: string[] = [];
    for (const r of records) {
      if (r.kind !== 'ops' || r.i !== invoke) continue;
      r.ticks.forEach((t, k) => {
        ticks[r.first + k] = t;
        names[r.first + k] = r.names?.[k] ?? `op${r.first + k}`;
      });
    }
    result.ops = { ticks, names };
  }
  return result;
}
