// `xsinfer board-check`: the first thing to run on a new board. Each item is one `check`
// command to the main firmware (docs/protocol.md, "Board check") or a measurement of the
// link itself; every item passes, fails, or is skipped with the reason (ok: null) where
// it does not apply (QEMU has no clock to time, no caches). Clock, caches and the F769's
// flash driver are untested on hardware.
import crypto from 'node:crypto';
import type { AckRecord, InfoRecord } from '../bridge/protocol.ts';
import { DeviceSession } from '../bridge/session.ts';
import { connectDevice } from '../bench/device.ts';
import { uartFor } from '../run/link-settings.ts';
import type { Target } from '../targets.ts';

export interface CheckResult {
  name: string;
  /** true pass, false fail, null skipped (detail says why). */
  ok: boolean | null;
  detail: string;
  /** Host wall-clock time the item took. */
  ms: number;
}

export interface BoardCheckReport {
  target: string;
  port: string;
  build: string;
  checks: CheckResult[];
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Ticks in the target's unit, with the unit, or ms where the clock is known. */
function span(ticks: number, info: InfoRecord): string {
  const t = info.tick;
  if (t.unit === 'cycles' && t.hz) return `${fmt((ticks * 1000) / t.hz, 1)} ms`;
  if (t.unit === 'ns') return `${fmt((ticks * t.num) / t.den / 1e6, 1)} ms`;
  return `${fmt(Math.round((ticks * t.num) / t.den))} ${t.unit}`;
}

type Extra = Record<string, unknown>;
const extraOf = (ack: AckRecord): Extra => (ack.extra ?? {}) as Extra;

async function timed(name: string, body: () => Promise<{ ok: boolean | null; detail: string }>): Promise<CheckResult> {
  const t0 = performance.now();
  try {
    const r = await body();
    return { name, ...r, ms: Math.round(performance.now() - t0) };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message, ms: Math.round(performance.now() - t0) };
  }
}

export async function boardCheck(opts: {
  target: Target;
  port?: string;
  /** How long the clock item counts, ms. */
  clockMs?: number;
  onCheck?: (c: CheckResult) => void;
}): Promise<BoardCheckReport> {
  const device = await connectDevice({ target: opts.target, port: opts.port });
  const session = new DeviceSession(device.link, { timeoutMs: 3000, retries: 1 });
  const checks: CheckResult[] = [];
  const add = (c: CheckResult) => {
    checks.push(c);
    opts.onCheck?.(c);
  };
  let info: InfoRecord | undefined;
  try {
    add(
      await timed('link', async () => {
        const hello = await session.hello({ timeoutMs: 10_000 });
        info = hello.info;
        const uart = uartFor(opts.target);
        const problems: string[] = [];
        if (info.target !== opts.target) problems.push(`the device is ${info.target}, not ${opts.target}`);
        if (opts.port && uart && info.uart && info.uart.baud !== uart.baud)
          problems.push(`the firmware runs its UART at ${info.uart.baud}, the port was opened at ${uart.baud}`);
        const line = info.uart
          ? `firmware UART ${fmt(info.uart.baud)} ${info.uart.format}`
          : 'no UART (not a serial link)';
        return {
          ok: problems.length === 0,
          detail: problems.length
            ? problems.join('; ')
            : `${info.target} build ${info.build} answered a hello; ${line}`,
        };
      }),
    );
    if (!info) return { target: opts.target, port: device.description, build: '', checks };
    const board = info;

    add(
      await timed('clock', async () => {
        if (board.tick.unit === 'instr')
          return { ok: null, detail: 'skipped: QEMU counts instructions (-icount), there is no clock rate to measure' };
        const ms = opts.clockMs ?? 1000;
        const t0 = performance.now();
        const ack = await session.command({ kind: 'check', item: 'clock', ms }, { timeoutMs: ms + 5000, retries: 0 });
        const wall = performance.now() - t0;
        const e = extraOf(ack);
        const clocks = (e.clocks ?? []) as { name: string; count: number; hz: number }[];
        // The host's wall clock bounds the board's: the ack leaves after `ms` of board ticks,
        // and the link adds its latency (a few ms) on top.
        const wallOk = wall >= ms * 0.97 && wall <= ms * 1.25 + 100;
        const parts = [
          `${fmt(ms)} ms of board ticks took ${fmt(wall, 1)} ms of host wall clock${board.tick.hz ? ` (core ${fmt(board.tick.hz / 1e6, 1)} MHz expected)` : ''}`,
        ];
        let ok = wallOk;
        for (const c of clocks) {
          const measured = (c.count * 1000) / ms;
          const off = Math.abs(measured / c.hz - 1);
          if (off > 0.01) ok = false;
          parts.push(`${c.name} ${fmt(measured / 1e6, 4)} MHz (expected ${fmt(c.hz / 1e6, 4)})`);
        }
        if (!clocks.length) parts.push('no second clock on this target');
        return { ok, detail: parts.join('; ') };
      }),
    );

    add(
      await timed('uart', async () => {
        const frames = 16;
        const bytes = Math.min(896, session.deviceMaxFrame - 64);
        const before = { ...session.deframer.counters };
        const t0 = performance.now();
        for (let i = 0; i < frames; i++) {
          const data = crypto.randomBytes(bytes);
          const ack = await session.command({ kind: 'check', item: 'echo', data }, { timeoutMs: 3000, retries: 0 });
          const back = extraOf(ack).data as Uint8Array | undefined;
          if (!back || Buffer.compare(Buffer.from(back), data) !== 0)
            return { ok: false, detail: `echo ${i + 1} of ${frames} came back different` };
        }
        const wall = (performance.now() - t0) / 1000;
        const damaged =
          session.deframer.counters.badCrc - before.badCrc + (session.deframer.counters.malformed - before.malformed);
        const moved = 2 * frames * bytes;
        const uart = opts.port ? uartFor(opts.target) : null;
        const rate = uart ? ` = ${fmt((100 * moved) / wall / (uart.baud / 10))} % of ${fmt(uart.baud)} baud 8N1` : '';
        return {
          ok: damaged === 0,
          detail: `${frames} echoes of ${bytes} bytes intact, ${damaged} damaged frames; ${fmt(moved / wall / 1024, 1)} KB/s both ways${rate || ' (not a UART: no line rate)'}`,
        };
      }),
    );

    const core = await session.command({ kind: 'check', item: 'core' }).then(extraOf);
    const state = (v: unknown) => (v === 1 ? 'on' : v === 0 ? 'OFF' : 'absent');
    add(
      await timed('caches', async () =>
        core.icache === -1 && core.dcache === -1
          ? { ok: null, detail: `skipped: ${opts.target} has no caches (QEMU models none; host: not an MCU)` }
          : {
              ok: core.icache === 1 && core.dcache === 1,
              detail: `I-cache ${state(core.icache)}, D-cache ${state(core.dcache)}`,
            },
      ),
    );
    add(
      await timed('mpu', async () =>
        core.mpu === -1
          ? { ok: null, detail: `skipped: ${opts.target} has no MPU` }
          : { ok: core.mpu === 1, detail: `MPU ${state(core.mpu)}, ${String(core.mpuRegions)} regions` },
      ),
    );

    add(
      await timed('ram', async () => {
        const e = extraOf(await session.command({ kind: 'check', item: 'ram' }, { timeoutMs: 30_000, retries: 0 }));
        const bad = Number(e.badWords);
        return {
          ok: bad === 0,
          detail: `${fmt(Number(e.bytes))} bytes of inference arenas, address and inverse patterns: ${bad} bad words${bad ? ` (first at 0x${Number(e.firstBad).toString(16)})` : ''}, ${span(Number(e.ticks), board)}`,
        };
      }),
    );

    add(
      await timed('flash', async () => {
        const e = extraOf(await session.command({ kind: 'check', item: 'flash' }, { timeoutMs: 60_000, retries: 0 }));
        const ok = e.status === 0 && e.mismatch === 0;
        return {
          ok,
          detail: `${String(e.slot)} (${String(e.where)}): erase ${span(Number(e.eraseTicks), board)}, program ${fmt(Number(e.bytes))} bytes ${span(Number(e.programTicks), board)}, read back ${e.mismatch === 0 ? 'equal' : `${String(e.mismatch)} bytes differ`}${e.status === 0 ? '' : `, driver status ${String(e.status)}`}; erased again`,
        };
      }),
    );
    return { target: opts.target, port: device.description, build: board.build, checks };
  } finally {
    // A board on a port keeps running; a QEMU guest or host process booted here is stopped.
    if (!opts.port) await session.command({ kind: 'stop' }, { timeoutMs: 2000, retries: 0 }).catch(() => undefined);
    await session.close().catch(() => undefined);
    device.kill();
  }
}
