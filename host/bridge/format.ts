// One-line human views of device records for `monitor` and `replay`, and the tick
// conversion every consumer needs (ticks stay raw on the wire and in recordings).
import { commandKindOf, errorCodeName, type DeviceRecord, type TickUnit } from './protocol.ts';

/** Ticks in the target's unit (instr, cycles, ns): ticks * num / den. */
export function ticksToUnit(ticks: number, tick: TickUnit): number {
  return (ticks * tick.num) / tick.den;
}

/** Milliseconds, where the unit allows it (cycles with hz, or ns); undefined for instr. */
export function ticksToMs(ticks: number, tick: TickUnit): number | undefined {
  const v = ticksToUnit(ticks, tick);
  if (tick.unit === 'ns') return v / 1e6;
  if (tick.unit === 'cycles' && tick.hz) return (v / tick.hz) * 1e3;
  return undefined;
}

function amount(ticks: number, tick: TickUnit | undefined): string {
  if (!tick) return `${ticks} ticks`;
  const v = Math.round(ticksToUnit(ticks, tick));
  const ms = ticksToMs(ticks, tick);
  return `${v.toLocaleString('en-US')} ${tick.unit}${ms !== undefined && tick.unit !== 'ns' ? ` (${ms.toFixed(3)} ms)` : ''}`;
}

const levels = ['debug', 'info', 'warn', 'error'];

function short(v: unknown): string {
  const s = JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? `<${x.length} bytes>` : x,
  );
  return s === undefined ? String(v) : s.length > 120 ? s.slice(0, 117) + '...' : s;
}

/** A one-line description; `tick` (from the session's info) turns ticks into units. */
export function formatRecord(r: DeviceRecord, tick?: TickUnit): string {
  const head = `#${String(r.seq).padStart(5)} ${r.kind.padEnd(8)}`;
  switch (r.kind) {
    case 'info':
      return `${head} ${r.target} build ${r.build}, protocol ${r.v}, ticks in ${r.tick.unit} x${r.tick.num}/${r.tick.den}${r.tick.hz ? ` @ ${r.tick.hz} Hz` : ''}, frames <= ${r.maxFrame} B`;
    case 'ack':
      return `${head} ${commandKindOf.get(r.type) ?? `type ${r.type}`} #${r.cmd}${r.duplicate ? ' again (retry)' : ''}`;
    case 'error':
      return `${head} ${errorCodeName.get(r.code) ?? r.code}: ${r.message}${r.cmd !== undefined ? ` (${commandKindOf.get(r.type ?? 0) ?? 'command'} #${r.cmd})` : ''}`;
    case 'log':
      return `${head} [${levels[r.level] ?? r.level}] ${r.text}`;
    case 'iter': {
      const t = r.ticks;
      const phases = `populate ${amount(t.populate, tick)}, invoke ${amount(t.invoke, tick)}, respond ${amount(t.respond, tick)}, total ${amount(t.total, tick)}`;
      const io = r.io;
      const output =
        io === undefined
          ? ''
          : io.bytes.populate +
                io.bytes.invoke +
                io.bytes.respond +
                io.calls.populate +
                io.calls.invoke +
                io.calls.respond ===
              0
            ? ', no I/O'
            : `, I/O ${io.bytes.populate}/${io.bytes.invoke}/${io.bytes.respond} B, ${io.calls.populate}/${io.calls.invoke}/${io.calls.respond} calls`;
      return `${head} run ${r.run} ${r.warmup ? 'warm-up' : 'iteration'} ${r.i}: ${phases}${r.correct === undefined ? '' : r.correct ? ', correct' : ', WRONG'}${output}${r.result !== undefined ? ` -> ${short(r.result)}` : ''}`;
    }
    case 'ops':
      return `${head} run ${r.run} iteration ${r.i}: ${r.ticks.map((t, k) => `${r.names?.[k] ?? `op${r.first + k}`} ${amount(t, tick)}`).join(', ')}`;
    case 'mem':
      return `${head} ${short({ arena: r.arena, xs: r.xs, stack: r.stack })}`;
    case 'done':
      return `${head} run ${r.run} status ${r.status}, ${r.iterations} iterations; TX queue peak ${r.tx.peak}/${r.tx.cap} B, dropped ${r.tx.dropped}, oversize ${r.tx.oversize}`;
    case 'overflow':
      return `${head} TX QUEUE OVERFLOW: ${r.dropped} records (${r.droppedBytes} B) dropped, ${r.oversize} oversize since boot`;
    case 'tensor':
      return `${head} invoke ${r.invoke} ${r.op !== undefined ? `op ${r.op} output ${r.k ?? 0}` : `output ${r.output}`} (${r.type}, ${r.size} B): bytes ${r.offset}..${r.offset + r.data.length}`;
    case 'user':
      return `${head} ${r.name} = ${short(r.value)}`;
    case 'xsbug':
      return `${head} ${short(new TextDecoder().decode(r.data))}`;
    case 'profile':
      return r.at
        ? `${head} run ${r.run} iteration ${r.i}: phase marks ${r.at.join(', ')}`
        : `${head} run ${r.run} profile piece ${r.pieceSeq} (${r.data?.length ?? 0} chars)${r.last ? `, last${r.truncated ? ', TRUNCATED' : ''}` : ''}`;
    case 'invalid':
      return `${head} type 0x${r.type.toString(16)}: ${r.reason}`;
  }
}
