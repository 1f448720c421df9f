// Frame payloads -> typed device records (msgpackr), checked against docs/protocol.md.
// A payload that does not match its type becomes an `invalid` record, never an exception,
// so one bad record cannot stop a session or a replay.
import { Unpackr } from 'msgpackr';
import type { Frame } from './frame.ts';
import {
  errorCodeName,
  recordKindOf,
  type AckRecord,
  type DeviceRecord,
  type ErrorRecord,
  type InfoRecord,
  type InvalidRecord,
  type IterIo,
  type IterRecord,
  type MemRecord,
  type OpsRecord,
  type PhaseCounters,
  type PhaseCounts,
  type PhaseTicks,
  type ProfileRecord,
  type TensorRecord,
  COUNTER_FIELDS,
  type TickUnit,
} from './protocol.ts';

// int64AsType 'auto': 64-bit integers become numbers when exact, BigInt beyond 2^53.
// (msgpackr 1.12 implements 'auto' but its typings list only number/bigint/string.)
export const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto' as 'bigint' });

/** Decode any msgpack payload the way the bridge does. */
export function unpackPayload(payload: Uint8Array): unknown {
  // msgpackr hands out bin values of the source's class; a plain Uint8Array view keeps
  // live frames (Uint8Array) and recordings (Buffer) decoding to identical values.
  const plain = Buffer.isBuffer(payload) ? new Uint8Array(payload.buffer, payload.byteOffset, payload.length) : payload;
  return unpackr.unpack(plain);
}

class Invalid extends Error {}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function toNum(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // Ticks beyond 2^53 (months of ns) lose precision as numbers; they are accepted.
  if (typeof v === 'bigint') return Number(v);
  throw new Invalid(`${what}: expected a number, got ${typeof v}`);
}
function num(o: Obj, key: string): number {
  return toNum(o[key], key);
}
function str(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new Invalid(`${key}: expected a string, got ${typeof v}`);
  return v;
}
function bool(o: Obj, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new Invalid(`${key}: expected a boolean, got ${typeof v}`);
  return v;
}
function obj(o: Obj, key: string): Obj {
  const v = o[key];
  if (!isObj(v)) throw new Invalid(`${key}: expected a map`);
  return v;
}
function optObj(o: Obj, key: string): Obj | undefined {
  return o[key] === undefined ? undefined : obj(o, key);
}
function numbers(o: Obj, key: string): number[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new Invalid(`${key}: expected an array`);
  return v.map((x: unknown, i) => toNum(x, `${key}[${i}]`));
}
/** [populate, invoke, respond] counts as a map. */
function phaseCounts(o: Obj, key: string): PhaseCounts {
  const v = numbers(o, key);
  if (v.length !== 3) throw new Invalid(`${key}: expected 3 counts (populate, invoke, respond), got ${v.length}`);
  return { populate: v[0], invoke: v[1], respond: v[2] };
}
function optIo(o: Obj): IterIo | undefined {
  const io = optObj(o, 'io');
  return io === undefined ? undefined : { bytes: phaseCounts(io, 'bytes'), calls: phaseCounts(io, 'calls') };
}
function numberMap(o: Obj): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(o)) out[k] = num(o, k);
  return out;
}

/** Keys of o not listed in known, or undefined when there are none. */
function extraKeys(o: Obj, known: readonly string[]): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) (extra ??= {})[k] = o[k];
  }
  return extra;
}

/** Each of `keys` that `o` has, read by `read`, set on `rec` (an absent key stays absent). */
function setPresent<T extends object, K extends keyof T & string>(
  rec: T,
  o: Obj,
  keys: readonly K[],
  read: (o: Obj, key: string) => T[K],
): void {
  for (const k of keys) if (o[k] !== undefined) rec[k] = read(o, k);
}
/** A map with the four per-phase numbers (ticks or instructions). */
function phaseTotals(o: Obj): PhaseTicks {
  return { populate: num(o, 'populate'), invoke: num(o, 'invoke'), respond: num(o, 'respond'), total: num(o, 'total') };
}

function withExtra<T extends object>(rec: T, o: Obj, known: readonly string[]): T {
  const extra = extraKeys(o, known);
  return extra ? { ...rec, extra } : rec;
}

function decodeKnown(kind: string, seq: number, o: Obj): DeviceRecord {
  switch (kind) {
    case 'info': {
      const t = obj(o, 'tick');
      const m = obj(o, 'mem');
      const tick: TickUnit = { unit: str(t, 'unit'), num: num(t, 'num'), den: num(t, 'den') };
      setPresent(tick, t, ['hz'], num);
      const rec: InfoRecord = {
        kind: 'info',
        seq,
        v: num(o, 'v'),
        build: str(o, 'build'),
        target: str(o, 'target'),
        tick,
        mem: {
          flash: num(m, 'flash'),
          ram: num(m, 'ram'),
          stackBottom: num(m, 'stackBottom'),
          stackTop: num(m, 'stackTop'),
        },
        maxFrame: num(o, 'maxFrame'),
      };
      setPresent(rec, o, ['cmd'], num);
      if (o.uart !== undefined) {
        const u = obj(o, 'uart');
        rec.uart = { baud: num(u, 'baud'), format: str(u, 'format') };
      }
      return withExtra(rec, o, ['v', 'build', 'target', 'tick', 'mem', 'maxFrame', 'cmd', 'uart']);
    }
    case 'ack': {
      const rec: AckRecord = { kind: 'ack', seq, cmd: num(o, 'cmd'), type: num(o, 'type') };
      setPresent(rec, o, ['duplicate'], bool);
      setPresent(rec, o, ['v', 'maxFrame'], num);
      return withExtra(rec, o, ['cmd', 'type', 'duplicate', 'v', 'maxFrame']);
    }
    case 'error': {
      const code = num(o, 'code');
      const rec: ErrorRecord = {
        kind: 'error',
        seq,
        code,
        codeName: errorCodeName.get(code) ?? 'unknown',
        message: str(o, 'message'),
      };
      setPresent(rec, o, ['cmd', 'type'], num);
      return withExtra(rec, o, ['code', 'message', 'cmd', 'type']);
    }
    case 'log':
      return withExtra({ kind: 'log', seq, level: num(o, 'level'), text: str(o, 'text') }, o, ['level', 'text']);
    case 'iter': {
      const rec: IterRecord = {
        kind: 'iter',
        seq,
        run: num(o, 'run'),
        i: num(o, 'i'),
        warmup: bool(o, 'warmup'),
        ticks: phaseTotals(obj(o, 'ticks')),
      };
      setPresent(rec, o, ['correct'], bool);
      if (o.result !== undefined) rec.result = o.result;
      if (o.counters !== undefined) {
        const c = obj(o, 'counters');
        const phase = (name: keyof PhaseTicks): PhaseCounters => {
          const v = numbers(c, name);
          if (v.length !== COUNTER_FIELDS.length)
            throw new Invalid(`iter.counters.${name}: ${COUNTER_FIELDS.length} numbers expected`);
          return Object.fromEntries(COUNTER_FIELDS.map((f, k) => [f, v[k]!])) as unknown as PhaseCounters;
        };
        rec.counters = {
          populate: phase('populate'),
          invoke: phase('invoke'),
          respond: phase('respond'),
          total: phase('total'),
        };
      }
      if (o.instr !== undefined) rec.instr = phaseTotals(obj(o, 'instr'));
      const io = optIo(o);
      if (io !== undefined) rec.io = io;
      return withExtra(rec, o, ['run', 'i', 'warmup', 'ticks', 'correct', 'result', 'counters', 'instr', 'io']);
    }
    case 'ops': {
      const rec: OpsRecord = {
        kind: 'ops',
        seq,
        run: num(o, 'run'),
        i: num(o, 'i'),
        first: num(o, 'first'),
        ticks: numbers(o, 'ticks'),
      };
      if (o.names !== undefined) {
        if (!Array.isArray(o.names) || !o.names.every((n) => typeof n === 'string'))
          throw new Invalid('names: expected strings');
        if (o.names.length !== rec.ticks.length) throw new Invalid('names: length differs from ticks');
        rec.names = o.names as string[];
      }
      return withExtra(rec, o, ['run', 'i', 'first', 'ticks', 'names']);
    }
    case 'mem': {
      const rec: MemRecord = { kind: 'mem', seq };
      const arena = optObj(o, 'arena');
      if (arena) rec.arena = numberMap(arena);
      const xs = optObj(o, 'xs');
      if (xs) rec.xs = numberMap(xs);
      const stack = optObj(o, 'stack');
      if (stack) rec.stack = numberMap(stack);
      return withExtra(rec, o, ['arena', 'xs', 'stack']);
    }
    case 'done': {
      const tx = obj(o, 'tx');
      return withExtra(
        {
          kind: 'done',
          seq,
          run: num(o, 'run'),
          status: num(o, 'status'),
          iterations: num(o, 'iterations'),
          tx: {
            peak: num(tx, 'peak'),
            cap: num(tx, 'cap'),
            dropped: num(tx, 'dropped'),
            oversize: num(tx, 'oversize'),
          },
        },
        o,
        ['run', 'status', 'iterations', 'tx'],
      );
    }
    case 'overflow':
      return withExtra(
        {
          kind: 'overflow',
          seq,
          dropped: num(o, 'dropped'),
          droppedBytes: num(o, 'droppedBytes'),
          oversize: num(o, 'oversize'),
        },
        o,
        ['dropped', 'droppedBytes', 'oversize'],
      );
    case 'tensor': {
      const data = o.data;
      if (!(data instanceof Uint8Array)) throw new Invalid('data: expected bin');
      const rec: TensorRecord = {
        kind: 'tensor',
        seq,
        invoke: num(o, 'invoke'),
        type: str(o, 'type'),
        size: num(o, 'size'),
        offset: num(o, 'offset'),
        data,
      };
      setPresent(rec, o, ['output', 'op', 'k'], num);
      if ((rec.output === undefined) === (rec.op === undefined))
        throw new Invalid('exactly one of output and op expected');
      return withExtra(rec, o, ['invoke', 'output', 'op', 'k', 'type', 'size', 'offset', 'data']);
    }
    case 'user':
      return withExtra({ kind: 'user', seq, name: str(o, 'name'), value: o.value }, o, ['name', 'value']);
    case 'xsbug': {
      if (!(o.data instanceof Uint8Array)) throw new Invalid('data: expected bin');
      return withExtra({ kind: 'xsbug', seq, data: o.data }, o, ['data']);
    }
    case 'profile': {
      const rec: ProfileRecord = { kind: 'profile', seq, run: num(o, 'run') };
      if (o.at !== undefined) {
        rec.i = num(o, 'i');
        rec.at = numbers(o, 'at');
        if (rec.at.length !== 4) throw new Invalid('at: 4 tick reads expected');
      } else {
        rec.pieceSeq = num(o, 'seq');
        rec.data = str(o, 'data');
        rec.last = bool(o, 'last');
        setPresent(rec, o, ['truncated'], bool);
        setPresent(rec, o, ['quantum', 'origin', 'poolBytes', 'poolPeak'], num);
      }
      return withExtra(rec, o, [
        'run',
        'i',
        'at',
        'seq',
        'data',
        'last',
        'truncated',
        'quantum',
        'origin',
        'poolBytes',
        'poolPeak',
      ]);
    }
  }
  throw new Invalid(`no decoder for ${kind}`);
}

/** Decode a frame's payload into a typed record. */
export function decodeRecord(frame: Pick<Frame, 'type' | 'seq' | 'payload'>): DeviceRecord {
  let value: unknown;
  const invalid = (reason: string): InvalidRecord => ({
    kind: 'invalid',
    seq: frame.seq,
    type: frame.type,
    reason,
    value,
  });
  try {
    value = unpackPayload(frame.payload);
  } catch (err) {
    return invalid(`msgpack: ${(err as Error).message}`);
  }
  const kind = recordKindOf.get(frame.type);
  if (!kind) return invalid(`unknown record type 0x${frame.type.toString(16)}`);
  if (!isObj(value)) return invalid(`${kind}: payload is not a map`);
  try {
    return decodeKnown(kind, frame.seq, value);
  } catch (err) {
    if (err instanceof Invalid) return invalid(`${kind}: ${err.message}`);
    throw err;
  }
}
