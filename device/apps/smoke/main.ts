// smoke – the XS-on-the-MCU smoke app: exercises the language under XS 13.3, calls the
// native timer/board/micro modules, reads mc/config and measures the JS↔C boundary. The
// program firmware/programs/xs-smoke calls run(), drains promise jobs, then prints result().
import { ticks, toUnit, unit, num, den, hz } from 'time';
import * as board from 'board';
import { nop, scratch, scratchSum } from 'micro';
import config from 'mc/config';
import { send } from 'telemetry';
import { Checks } from '../../lib/checks.ts';

const LOOPS = 10_000;
const checks = new Checks();
const figures: Record<string, number | string> = {};

class Shape {
  static count = 0;
  #sides: number;
  static {
    Shape.count = 0;
  }
  constructor(sides: number) {
    this.#sides = sides;
    Shape.count++;
  }
  get sides(): number {
    return this.#sides;
  }
  #double(): number {
    return this.#sides * 2;
  }
  doubled(): number {
    return this.#double();
  }
}

class Square extends Shape {
  constructor(readonly size: number) {
    super(4);
  }
  area(): number {
    return this.size ** 2;
  }
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function language(): void {
  const sq = new Square(3);
  checks.expect('class private field/getter', sq.sides, 4);
  checks.expect('private method', sq.doubled(), 8);
  checks.expect('subclass', sq.area(), 9);
  checks.expect('static block/field', Shape.count, 1);
  checks.expect('generator+spread', [...range(5)].join(','), '0,1,2,3,4');
  const { a, ...rest } = { a: 1, b: 2, c: 3 };
  checks.expect('object rest', a + Object.keys(rest).length, 3);
  const m = new Map<string, number>([['x', 1]]);
  m.set('y', 2);
  checks.expect(
    'Map',
    [...m.values()].reduce((s, v) => s + v, 0),
    3,
  );
  checks.expect('Set', new Set([1, 1, 2]).size, 2);
  const maybe: { deep?: { v?: number } } = {};
  checks.expect('optional chaining/nullish', maybe.deep?.v ?? 7, 7);
  checks.expect('Array.prototype.at', [1, 2, 3].at(-1), 3);
  checks.expect('Object.hasOwn', Object.hasOwn({ k: 1 }, 'k'), true);
  checks.expect('template literal', `${fib(15)}-${unit.length > 0}`, '610-true');
  checks.expect('JSON round trip', JSON.parse(JSON.stringify({ q: [1, 'two'] })).q[1], 'two');
  checks.expect('RegExp named group', /(?<d>\d+)/.exec('ab42')?.groups?.d, '42');
  checks.expect('BigInt', (2n ** 64n).toString(), '18446744073709551616');
  const f64 = new Float64Array(64);
  for (let i = 0; i < f64.length; i++) f64[i] = i * 0.5;
  checks.expect(
    'Float64Array',
    f64.reduce((s, v) => s + v, 0),
    1008,
  );
  try {
    throw new Error('outer', { cause: 'inner' });
  } catch (e) {
    checks.expect('error cause', (e as Error).cause, 'inner');
  }
  // Moddable's mc/config: the manifest's `config`, frozen all the way down.
  const nested = Object.values(config).filter((v): v is object => typeof v === 'object' && v !== null);
  checks.expect('mc/config frozen (deep)', Object.isFrozen(config) && nested.every((v) => Object.isFrozen(v)), true);
  let configWriteFailed = false;
  try {
    (config as Record<string, unknown>).added = 1;
  } catch {
    configWriteFailed = true;
  }
  checks.expect('mc/config write throws', configWriteFailed, true);
  let evalFailed = false;
  try {
    (0, eval)('1');
  } catch {
    evalFailed = true;
  }
  checks.expect('no parser on device (eval throws)', evalFailed, true);
  sharedBuiltins();
}

// With a preparation the built-ins live in flash: every write below goes to a RAM copy of
// the instance (XS alias) and must behave exactly as on a machine built in RAM.
function sharedBuiltins(): void {
  const arrayProto = Array.prototype as unknown as Record<string, unknown>;
  arrayProto.xsSum = function (this: number[]): number {
    return this.reduce((s, v) => s + v, 0);
  };
  checks.expect('patch Array.prototype', ([1, 2, 3] as unknown as { xsSum(): number }).xsSum(), 6);
  checks.expect('aliased prototype identity', Object.getPrototypeOf([]) === Array.prototype, true);
  delete arrayProto.xsSum;
  checks.expect('delete from Array.prototype', 'xsSum' in [], false);
  const json = JSON as unknown as { stringify: (v: unknown) => string };
  const stringify = json.stringify;
  json.stringify = () => 'patched';
  checks.expect('replace a built-in method', JSON.stringify({}), 'patched');
  json.stringify = stringify;
  checks.expect('restore a built-in method', JSON.stringify({ a: 1 }), '{"a":1}');
  Object.defineProperty(String.prototype, 'xsFirst', {
    get(this: string) {
      return this[0];
    },
    configurable: true,
  });
  checks.expect('accessor on String.prototype', ('abc' as unknown as { xsFirst: string }).xsFirst, 'a');
  (globalThis as unknown as Record<string, number>).xsGlobal = 5;
  checks.expect('new global', (globalThis as unknown as Record<string, number>).xsGlobal, 5);
  checks.expect('Symbol.for registry', Symbol.for('xs') === Symbol.for('xs'), true);
  checks.expect('Math still frozen constants', Object.getOwnPropertyDescriptor(Math, 'PI')?.writable, false);
}

let asyncValue = 0;
async function later(v: number): Promise<number> {
  await null;
  return v * 2;
}

function measure(): void {
  // Each loop is timed by two ticks() calls; the empty loop cancels that cost and the
  // loop overhead, so the difference is the host call alone.
  let t0 = ticks();
  for (let i = 0; i < LOOPS; i++) {
    /* empty */
  }
  const emptyLoopTicks = ticks() - t0;
  t0 = ticks();
  for (let i = 0; i < LOOPS; i++) nop();
  const callLoopTicks = ticks() - t0;
  figures.emptyLoopTicks = emptyLoopTicks;
  figures.callLoopTicks = callLoopTicks;
  figures.emptyCallTicks = (callLoopTicks - emptyLoopTicks) / LOOPS;

  t0 = ticks();
  ticks();
  figures.timerReadTicks = ticks() - t0;

  const view = scratch();
  checks.expect('scratch view length', view.length, 1960);
  const n = view.length;
  t0 = ticks();
  for (let i = 0; i < n; i++) view[i] = (i & 127) - 64;
  figures.fillViewTicks = ticks() - t0;
  let expected = 0;
  for (let i = 0; i < n; i++) expected += (i & 127) - 64;
  checks.expect('zero-copy view (C reads JS writes)', scratchSum(), expected);
  checks.expect('same memory on second view', scratch()[5], view[5]);

  const local = new Int8Array(1960);
  t0 = ticks();
  for (let i = 0; i < n; i++) local[i] = (i & 127) - 64;
  figures.fillLocalTicks = ticks() - t0;
  // Bulk copy into C memory: what POPULATE can use instead of per-element stores.
  local[3] = 99;
  t0 = ticks();
  view.set(local);
  figures.setViewTicks = ticks() - t0;
  checks.expect('TypedArray.set into the view', scratchSum(), expected - ((3 & 127) - 64) + 99);

  t0 = ticks();
  fib(15);
  figures.fib15Ticks = ticks() - t0;
}

// xs-smoke has no telemetry link: send() must say so with an Error, not drop the value.
function telemetryWithoutLink(): void {
  try {
    send('x', 1);
    figures.telemetryWithoutLink = 'sent';
  } catch (e) {
    figures.telemetryWithoutLink = `${(e as Error).name}: ${(e as Error).message}`;
  }
}

export function run(): void {
  language();
  measure();
  telemetryWithoutLink();
  later(21).then((v) => {
    asyncValue = v;
  });
}

function recurse(n: number): number {
  return recurse(n + 1) + 1;
}

/** Failure paths the program must survive with a clear status: "stack" (JS stack
 * overflow → XS abort), "memory" (heap exhausted → XS abort), "throw" (an exception
 * reaching C). */
export function stress(kind: string): void {
  if (kind === 'stack') recurse(0);
  else if (kind === 'memory') {
    const keep: number[][] = [];
    for (;;) keep.push(new Array<number>(256).fill(keep.length));
  } else if (kind === 'throw') throw new RangeError('thrown on purpose');
  else throw new TypeError(`unknown stress kind ${kind}`);
}

// Tick figures converted to the board's unit (instructions on QEMU), per element or call.
function inUnit(): Record<string, number> {
  const t = (name: string): number => toUnit(Number(figures[name]));
  return {
    emptyCall: t('emptyCallTicks'),
    emptyLoopIteration: t('emptyLoopTicks') / LOOPS,
    timerRead: t('timerReadTicks'),
    fillView1960: t('fillViewTicks'),
    fillLocal1960: t('fillLocalTicks'),
    setView1960: t('setViewTicks'),
    fib15: t('fib15Ticks'),
  };
}

export function result(): string {
  checks.expect('promise job loop', asyncValue, 42);
  const heap = board.xsHeap();
  const mem = board.memory();
  return JSON.stringify({
    target: board.name(),
    unit,
    num,
    den,
    hz,
    ...figures,
    inUnit: inUnit(),
    heap,
    config,
    flashBytes: mem.flashBytes,
    ramBytes: mem.ramBytes,
    checksPassed: checks.passed,
    checksFailed: checks.failed,
  });
}
