// The device module "telemetry" end to end, on QEMU mps2-an500 and the host target: a
// deployed app (hello_world plus telemetry calls) sends a nested value from its setup and
// the host's msgpackr decodes exactly that value; every refusal is a JS exception with
// its message and leaves nothing on the wire; records sent inside a timed region (RESPOND)
// wait in the held TX queue, and what does not fit is dropped, counted and reported; and
// the cost of send() for a small record, in the target's unit. (A program without a
// telemetry link refuses send() with an Error: test/xs/xs-smoke.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRecord, DoneRecord, InfoRecord, OverflowRecord, UserRecord } from '../../host/bridge/protocol.ts';
import { buildFirmware } from '../../host/build/firmware.ts';
import { deploy } from '../../host/deploy/deploy.ts';
import { appRoot, bootBoard, changedApp, closeBoard, type Board } from '../deploy/fixtures.ts';

// One source for the value the device sends and the value the host expects.
const VALUE_SRC = String.raw`{
  int: 42, neg: -7, minInt: -2147483648, big: 4294967296, safe: 9007199254740991,
  unsafe: 9007199254740992, float: 0.1, negFloat: -1.5, huge: 1e300, negZero: -0,
  nan: NaN, inf: Infinity, ninf: -Infinity,
  yes: true, no: false, nothing: null, undef: undefined,
  str: 'héllo ✓ 😀', empty: '', withNul: 'a\u0000b\u0000', long: 'x'.repeat(40),
  arr: [1, 'two', [3, [4, [5]]], null, { deep: { er: [true] } }],
  hole: [1, , 3],
  i8: new Int8Array([-128, -1, 0, 127]), u8: new Uint8Array([0, 255]),
  u8c: new Uint8ClampedArray([300, -5, 7]), i16: new Int16Array([-32768, 32767]),
  u16: new Uint16Array([65535]), i32: new Int32Array([-2147483648, 2147483647]),
  u32: new Uint32Array([4294967295, 0]), f32: new Float32Array([0.1, -2.5, 3]),
  f64: new Float64Array([Math.PI, -0, 1e300, 2]),
  view: new Int16Array(new Int16Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer, 4, 3),
  bytes: new Uint8Array([1, 2, 3]).buffer,
  dataView: new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2),
  nullProto: Object.assign(Object.create(null), { x: 1 }),
  '1': 'index key', 'with space': Object.fromEntries([['', 0]]),
  depth8: [[[[[[[1]]]]]]],
}`;

/** What the host decodes for a JS value (telemetry.h's mapping). */
function wireForm(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof DataView) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (Array.isArray(v)) return Array.from(v, wireForm);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wireForm(x)]));
  return v;
}

// Each case: the exception's "Name: message" the app must catch, exactly.
const FRAME_PAYLOAD = 2048 - 7; // the main firmware's frame after a hello for ≥ 2,048, minus header and CRC
const REFUSALS: Record<string, { code: string; message: string }> = {
  nameType: {
    code: 'send(42 as unknown as string, 1)',
    message: 'TypeError: telemetry: send(name, value): name must be a string',
  },
  nameEmpty: { code: "send('', 1)", message: 'RangeError: telemetry: name must be 1 to 64 bytes of UTF-8, not 0' },
  nameLong: {
    code: "send('n'.repeat(65), 1)",
    message: 'RangeError: telemetry: name must be 1 to 64 bytes of UTF-8, not 65',
  },
  nameNul: { code: "send('a\\u0000', 1)", message: 'RangeError: telemetry: name must not contain U+0000' },
  func: {
    code: "send('x', { a: [1, 2, (() => 0) as unknown as number] })",
    message: 'TypeError: telemetry: value.a[2]: a function cannot be sent (JSON-like values and typed arrays only)',
  },
  symbol: {
    code: "send('x', [Symbol('s') as unknown as string])",
    message: 'TypeError: telemetry: value[0]: a symbol cannot be sent (JSON-like values and typed arrays only)',
  },
  bigint: {
    code: "send('x', { n: 10n as unknown as number })",
    message: 'TypeError: telemetry: value.n: a bigint cannot be sent (JSON-like values and typed arrays only)',
  },
  map: {
    code: "send('x', new Map() as unknown as TelemetryValue)",
    message: 'TypeError: telemetry: value: a Map object cannot be sent (JSON-like values and typed arrays only)',
  },
  classInstance: {
    code: "send('x', { p: new Point() as unknown as TelemetryValue })",
    message: 'TypeError: telemetry: value.p: a Point object cannot be sent (JSON-like values and typed arrays only)',
  },
  bigint64: {
    code: "send('x', new BigInt64Array(2) as unknown as TelemetryValue)",
    message: 'TypeError: telemetry: value: a BigInt64Array cannot be sent (JSON-like values and typed arrays only)',
  },
  cycle: {
    code: "send('x', cyclic())",
    message: 'RangeError: telemetry: value.a.back.a.back.a.back.a.back: a cycle (the value contains itself)',
  },
  deep: {
    code: "send('x', [[[[[[[[[1]]]]]]]]])",
    message: 'RangeError: telemetry: value[0][0][0][0][0][0][0][0]: nested deeper than 8 arrays/objects',
  },
  bigString: {
    code: "send('big', 'x'.repeat(3000))",
    message: `RangeError: telemetry: record "big" is larger than one wire frame: ${FRAME_PAYLOAD} bytes of msgpack at most`,
  },
  bigTyped: {
    code: "send('big', new Float64Array(300).fill(0.5))",
    message: `RangeError: telemetry: record "big" is larger than one wire frame: ${FRAME_PAYLOAD} bytes of msgpack at most`,
  },
  bigCount: {
    code: "send('big', new Array(100000))",
    message: `RangeError: telemetry: record "big" is larger than one wire frame: ${FRAME_PAYLOAD} bytes of msgpack at most`,
  },
  getterThrows: {
    code: "send('x', { get a(): number { throw new RangeError('boom'); } })",
    message: 'RangeError: boom',
  },
  reentered: {
    code: "send('x', { get a(): number { send('inner', 1); return 1; } })",
    message: 'Error: telemetry: send() called by a getter or proxy trap of the value another send() is reading',
  },
};

const BURST = 10; // records of ~1 KB in one RESPOND: more than the 8 KB held queue takes
const BURST_PAD = 1000;

const APP_HEADER = `import { send, type TelemetryValue } from 'telemetry';
import { ticks32 } from 'time';

class Point {
  x = 1;
}

function cyclic(): TelemetryValue {
  const c: Record<string, unknown> = { a: {} };
  (c.a as Record<string, unknown>).back = c;
  return c as TelemetryValue;
}

function refusals(): void {
${Object.entries(REFUSALS)
  .map(
    ([label, { code }]) => `  try {
    ${code};
    send('unexpected', '${label}');
  } catch (e) {
    send('refused', ['${label}', e instanceof Error ? e.name + ': ' + e.message : String(e)]);
  }`,
  )
  .join('\n')}
}

function span(f: () => void): number {
  const a = ticks32();
  f();
  const b = ticks32();
  return (b - a) >>> 0;
}

// Each probe is measured once (QEMU counts repeat exactly); values are built beforehand.
function costs(): void {
  const small = { a: 1, b: [1, 2, 3] };
  const scores = new Int8Array([-128, 5, 90, -3]);
  const probes: [string, TelemetryValue][] = [
    ['scalar', 1], ['string', 'hello'], ['emptyArray', []], ['array3', [1, 2, 3]], ['emptyObject', {}],
    ['oneKey', { a: 1 }], ['small', small], ['int8x4', scores], ['result', { label: 2, score: 90, scores }],
  ];
  send('probe', small); // the first call looks the built-in keys up once
  const figures: Record<string, number> = { none: span(() => {}), json: span(() => JSON.stringify(small)) };
  for (const [name, value] of probes) figures[name] = span(() => send('probe', value));
  send('cost', figures);
}

let burstDone = false;
function burst(): void {
  if (burstDone) return;
  burstDone = true;
  const pad = 'p'.repeat(${BURST_PAD});
  for (let i = 0; i < ${BURST}; i++) send('burst', { i, pad });
}

function telemetryChecks(): void {
  const value: TelemetryValue = ${VALUE_SRC};
  send('value', value);
  refusals();
  send('after', { ok: true });
  costs();
}
`;

for (const target of ['mps2-an500', 'host'] as const) {
  describe(`telemetry on ${target}`, () => {
    let board: Board;
    let recs: DeviceRecord[] = [];
    let info: InfoRecord | undefined;
    const users = (name: string): UserRecord[] =>
      recs.filter((r): r is UserRecord => r.kind === 'user' && r.name === name);

    beforeAll(async () => {
      await buildFirmware({ target });
      board = await bootBoard(target);
      info = board.session.records.filter((r): r is InfoRecord => r.kind === 'info').at(-1);
      const app = changedApp(
        appRoot(),
        'hello_world',
        'telemetry_check',
        [
          ['  return m.interp;\n}', '  telemetryChecks();\n  return m.interp;\n}'],
          ['  const q = output[0];', '  burst();\n  const q = output[0];'],
        ],
        APP_HEADER,
      );
      const r = await deploy({ app, target, session: board.session });
      expect(r.started).toBe(true);
      const from = board.session.records.length;
      await board.session.command(
        { kind: 'run', app: 'deployed', impl: 'js', iterations: 2, warmup: 0 },
        { timeoutMs: 10_000 },
      );
      await board.session.waitFor((x) => x.kind === 'done', 120_000, from);
      recs = board.session.records.slice(from);
    });
    afterAll(async () => {
      if (board) await closeBoard(board);
    });

    it('runs, every record well-formed, and only the sends that succeed arrive', () => {
      const done = recs.find((r): r is DoneRecord => r.kind === 'done')!;
      expect(recs.filter((r) => r.kind === 'error' || r.kind === 'invalid')).toEqual([]);
      expect(done.status).toBe(0);
      const names = recs.flatMap((r) => (r.kind === 'user' ? [r.name] : []));
      // Order of the sends; 'unexpected', 'inner', 'x' and 'big' never reach the wire.
      const refusedCount = Object.keys(REFUSALS).length;
      const burstCount = users('burst').length;
      expect(names).toEqual([
        'value',
        ...Array(refusedCount).fill('refused'),
        'after',
        ...Array(10).fill('probe'),
        'cost',
        ...Array(burstCount).fill('burst'),
      ]);
    });

    it('decodes on the host to exactly the value the app sent', () => {
      const expected = wireForm(new Function(`return (${VALUE_SRC});`)());
      const [value] = users('value');
      expect(value.value).toStrictEqual(expected);
      // Spot checks of the encoding choices: -0 and fractions stay float64, U+0000 survives.
      const v = value.value as Record<string, unknown>;
      expect(Object.is(v.negZero, -0)).toBe(true);
      expect(v.withNul).toBe('a\u0000b\u0000');
      expect(v.f32).toEqual([Math.fround(0.1), -2.5, 3]);
      expect(users('after').map((u) => u.value)).toEqual([{ ok: true }]);
    });

    it('refuses each bad send with a JS exception and its message', () => {
      const got = Object.fromEntries(users('refused').map((u) => u.value as [string, string]));
      const want = Object.fromEntries(Object.entries(REFUSALS).map(([label, r]) => [label, r.message]));
      expect(got).toEqual(want);
    });

    it('holds records sent inside a timed region in the queue and reports what it drops', () => {
      const burst = users('burst');
      const overflow = recs.find((r): r is OverflowRecord => r.kind === 'overflow');
      const done = recs.find((r): r is DoneRecord => r.kind === 'done')!;
      // Had send() written to the UART inside RESPOND, nothing would have been dropped.
      expect(burst.length).toBeGreaterThan(0);
      expect(burst.length).toBeLessThan(BURST);
      expect(burst.map((b) => (b.value as { i: number }).i)).toEqual([...Array(burst.length).keys()]);
      expect(overflow?.dropped).toBe(BURST - burst.length);
      expect(done.tx.dropped).toBe(BURST - burst.length);
      // The burst waited for the end of iteration 0: it comes before that iteration's record.
      const firstIter = recs.findIndex((r) => r.kind === 'iter');
      expect(recs.indexOf(burst.at(-1)!)).toBeLessThan(firstIter);
      expect(recs.indexOf(overflow!)).toBeGreaterThan(firstIter);
    });

    it('costs (send() of a small record)', () => {
      const c = users('cost')[0].value as Record<string, number>;
      const tick = info!.tick;
      // In the target's unit, minus the span of an empty closure.
      const unit = (t: number): number => Math.round(((t - c.none) * tick.num) / tick.den);
      const figures = Object.fromEntries(
        Object.entries(c)
          .filter(([k]) => k !== 'none')
          .map(([k, t]) => [k, unit(t)]),
      );
      console.log(`telemetry on ${target}, send() per value (${tick.unit}): ${JSON.stringify(figures)}`);
      expect(Object.values(figures).every(Number.isFinite)).toBe(true);
      // Orderings of exactly repeatable instruction counts only: on the host target these
      // are wall-clock nanoseconds of a shared machine.
      if (target === 'mps2-an500') {
        expect(figures.small).toBeGreaterThan(figures.scalar);
        expect(figures.array3).toBeGreaterThan(figures.emptyArray);
        expect(figures.small).toBeLessThan(20_000);
      }
    });
  });
}
