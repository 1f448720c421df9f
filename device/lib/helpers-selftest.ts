// The native module "helpers" against its pure-TypeScript twins (lib/pure-helpers.ts,
// lib/quantize.ts) on the device: every helper on random data, edge values and the apps'
// own data must give exactly the twin's bytes; every misuse must throw the documented
// error class. Run by the app apps/helpers_selftest; checked by test/xs/helpers.test.ts.
import { asset, float32, has } from 'assets';
import { gc } from 'bench';
import * as native from 'helpers';
import * as pure from './pure-helpers.ts';

/** Per helper: how many comparisons and elements were checked; the ones that differed. */
export interface Comparisons {
  checked: Record<string, { comparisons: number; elements: number }>;
  failed: { name: string; detail: string }[];
}

export interface Refusal {
  name: string;
  errorClass: string;
  message: string;
}

let seed = 0x2545f491;
function random(): number {
  // xorshift32: the same sequence on every target.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = random() & 255;
  return out;
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) return `[${i}]: native ${a[i]}, pure ${b[i]}`;
  }
  return undefined;
}

/** Float inputs that exercise quantize: halves either side of zero, clamping, NaN, ±0, ±∞. */
function floatInputs(scale: number, zeroPoint: number): Float32Array {
  const values: number[] = [0, -0, NaN, Infinity, -Infinity, 1e30, -1e30, 3.4e38, 1e-40];
  for (let q = -140; q <= 140; q++) {
    const x = (q - zeroPoint) * scale;
    values.push(x, x + scale / 2, x - scale / 2, x + scale * 0.4999, x - scale * 0.5001);
  }
  for (let i = 0; i < 100; i++) values.push(((random() / 4294967296) * 2 - 1) * 300 * scale);
  return Float32Array.from(values);
}

export function run(): Comparisons & { refusals: Refusal[] } {
  const checked: Comparisons['checked'] = {};
  const failed: Comparisons['failed'] = [];
  const note = (name: string, cases: number, detail: string | undefined): void => {
    const helper = name.split(' ')[0];
    const entry = (checked[helper] ??= { comparisons: 0, elements: 0 });
    entry.comparisons++;
    entry.elements += cases;
    if (detail !== undefined) failed.push({ name, detail });
  };
  const compare = (name: string, cases: number, a: ArrayLike<number>, b: ArrayLike<number>): void =>
    note(name, cases, firstDifference(a, b));

  // mapBytes: random tables and offsets; the apps' tables over their own pixels.
  {
    let cases = 0;
    let detail: string | undefined;
    for (let r = 0; r < 20 && detail === undefined; r++) {
      const src = randomBytes(300);
      const table = new Int8Array(randomBytes(256).buffer);
      const a = new Int8Array(320);
      const b = new Int8Array(320);
      const count = random() % 280;
      const so = random() % (300 - count + 1);
      const d = random() % (320 - count + 1);
      native.mapBytes(a, d, src, so, count, table);
      pure.mapBytes(b, d, src, so, count, table);
      detail = firstDifference(a, b);
      cases++;
    }
    note('mapBytes random', cases, detail);
  }
  if (has('mnist/digits.u8')) {
    const digits = asset('mnist/digits.u8');
    const lut = new Int8Array(256);
    const scale = 0.003921568859368563; // mnist_int8's input scale (1/255 in float32)
    for (let p = 0; p < 256; p++) {
      const one = new Int8Array(1);
      pure.quantize(one, 0, Float32Array.of(Math.fround(p / 255)), 0, 1, scale, -128);
      lut[p] = one[0];
    }
    const a = new Int8Array(digits.length);
    const b = new Int8Array(digits.length);
    native.mapBytes(a, 0, digits, 0, digits.length, lut);
    pure.mapBytes(b, 0, digits, 0, digits.length, lut);
    compare('mapBytes mnist digits', digits.length, a, b);
  }

  // quantize / dequantize, int8 and uint8, several scales and zero points.
  const params: [number, number][] = [
    [0.024574, -128],
    [0.003921568859368563, -128],
    [1, 0],
    [0.5, 3],
    [0.1, 127],
    [7.5, -5],
    [-0.25, 10],
  ];
  for (const [scale, zeroPoint] of params) {
    const src = floatInputs(scale, zeroPoint);
    for (const Dst of [Int8Array, Uint8Array]) {
      const a = new Dst(src.length + 4);
      const b = new Dst(src.length + 4);
      native.quantize(a, 2, src, 0, src.length, scale, zeroPoint);
      pure.quantize(b, 2, src, 0, src.length, scale, zeroPoint);
      compare(`quantize ${Dst.name} scale ${scale} zp ${zeroPoint}`, src.length, a, b);
    }
    for (const Src of [Int8Array, Uint8Array]) {
      const q = Src === Int8Array ? new Int8Array(randomBytes(256)) : randomBytes(256);
      const a = new Float32Array(260);
      const b = new Float32Array(260);
      native.dequantize(a, 3, q, 0, 256, scale, zeroPoint);
      pure.dequantize(b, 3, q, 0, 256, scale, zeroPoint);
      compare(`dequantize ${Src.name} scale ${scale} zp ${zeroPoint}`, 256, a, b);
    }
  }
  if (has('hello_world/x.f32')) {
    const xs = float32('hello_world/x.f32');
    const a = new Int8Array(xs.length);
    const b = new Int8Array(xs.length);
    native.quantize(a, 0, xs, 0, xs.length, 0.024574, -128);
    pure.quantize(b, 0, xs, 0, xs.length, 0.024574, -128);
    compare('quantize hello_world x', xs.length, a, b);
  }

  // copy and copyRing against set()/subarray() and the modulo loop.
  {
    const src = new Int16Array(randomBytes(400).buffer);
    const a = new Int16Array(300);
    const b = new Int16Array(300);
    native.copy(a, 7, src, 13, 150);
    b.set(src.subarray(13, 163), 7);
    compare('copy Int16Array = set(subarray)', 150, a, b);
    const c = new Int8Array(randomBytes(100).buffer);
    const d = c.slice();
    native.copy(c, 10, c, 0, 60); // overlapping, as set() copies
    d.set(d.subarray(0, 60), 10);
    compare('copy overlapping = set(subarray)', 60, c, d);
    const ring = new Int8Array(randomBytes(97).buffer);
    for (const start of [0, 1, 50, 96]) {
      const e = new Int8Array(97);
      const f = new Int8Array(97);
      native.copyRing(e, 0, ring, start, 97);
      pure.copyRing(f, 0, ring, start, 97);
      compare(`copyRing start ${start}`, 97, e, f);
    }
  }

  // argmax / topK: raw and dequantized, with ties.
  for (let r = 0; r < 40; r++) {
    const n = 1 + (random() % 40);
    const scores = new Int8Array(n);
    for (let i = 0; i < n; i++) scores[i] = (random() % 7) - 3; // many ties
    const u = new Uint8Array(scores.buffer);
    const k = 1 + (random() % Math.min(n, 5));
    const scale = r % 2 ? 0.00390625 : -0.5;
    compare(`argmax raw #${r}`, n, [native.argmax(scores)], [pure.argmax(scores)]);
    compare(`argmax uint8 #${r}`, n, [native.argmax(u, n)], [pure.argmax(u, n)]);
    compare(`argmax dequantized #${r}`, n, [native.argmax(scores, n, scale, -2)], [pure.argmax(scores, n, scale, -2)]);
    compare(`topK raw #${r}`, n, native.topK(scores, k), pure.topK(scores, k));
    compare(`topK dequantized #${r}`, n, native.topK(scores, k, scale, 1), pure.topK(scores, k, scale, 1));
  }

  // meanSquaredError: int8, uint8 and float32 operands in every pairing, offsets, scales
  // and zero points; bit for bit (Object.is) against the float32 loop.
  {
    const n = 700;
    const i8 = new Int8Array(randomBytes(n).buffer);
    const u8 = randomBytes(n);
    const f32 = new Float32Array(n);
    for (let i = 0; i < n; i++) f32[i] = Math.fround(((random() / 4294967296) * 2 - 1) * 8);
    const operands: [string, Int8Array | Uint8Array | Float32Array, number, number][] = [
      ['int8', i8, 0.0390625, -3],
      ['uint8', u8, 0.0123456789, 128],
      ['float32', f32, 1, 0],
    ];
    for (const [an, a, as, az] of operands)
      for (const [bn, b, bs, bz] of operands)
        for (const [ao, bo, count] of [
          [0, 0, 640],
          [3, 17, 1],
          [60, 1, 599],
        ]) {
          const x = native.meanSquaredError(a, ao, b, bo, count, as, az, bs, bz);
          const y = pure.meanSquaredError(a, ao, b, bo, count, as, az, bs, bz);
          compare(`meanSquaredError ${an} − ${bn} @${ao},${bo} ×${count}`, count, [x, Math.fround(x)], [y, y]);
        }
  }

  // image: crops, up- and down-scaling, identity.
  {
    const w = 37;
    const h = 29;
    const src = randomBytes(5 + w * h);
    const table = new Int8Array(256);
    for (let p = 0; p < 256; p++) table[p] = p - 128;
    const shapes: [number, number, number, number, number, number][] = [
      [w, h, 0, 0, w, h],
      [16, 16, 3, 2, 20, 25],
      [50, 40, 10, 5, 12, 9],
      [7, 3, 36, 28, 1, 1],
    ];
    for (const [dw, dh, x, y, cw, ch] of shapes) {
      const a = new Int8Array(dw * dh + 2);
      const b = new Int8Array(dw * dh + 2);
      native.image(a, 1, dw, dh, src, 5, w, x, y, cw, ch, table);
      pure.image(b, 1, dw, dh, src, 5, w, x, y, cw, ch, table);
      compare(`image ${cw}x${ch}@${x},${y} → ${dw}x${dh}`, dw * dh, a, b);
    }
  }

  // Prepared helpers: the bytes of the helper they prepare, call after call, across a
  // collection that may move the JS-allocated arrays they are bound to.
  const churn = (): void => {
    for (let g = 0; g < 200; g++) void new Uint8Array(64);
    gc();
  };
  {
    const src = floatInputs(0.024574, -128);
    const count = 5;
    const dst = new Int8Array(count + 3);
    const ref = new Int8Array(count + 3);
    const run = native.prepareQuantize(dst, 3, src, count, 0.024574, -128, count);
    let cases = 0;
    let detail: string | undefined;
    for (let index = 0; (index + 1) * count <= src.length && detail === undefined; index++) {
      if (index === 10) churn();
      run(index);
      native.quantize(ref, 3, src, index * count, count, 0.024574, -128);
      detail = firstDifference(dst, ref);
      cases += count;
    }
    note('prepareQuantize', cases, detail);
    const one = new Uint8Array(1);
    const oneRef = new Uint8Array(1);
    const byIndex = native.prepareQuantize(one, 0, src, 1, 0.5, 3);
    detail = undefined;
    for (let index = 0; index < 100 && detail === undefined; index++) {
      byIndex(index);
      native.quantize(oneRef, 0, src, index, 1, 0.5, 3);
      detail = firstDifference(one, oneRef);
    }
    note('prepareQuantize uint8 stride 1', 100, detail);
  }
  {
    const src = randomBytes(300);
    const table = new Int8Array(randomBytes(256).buffer);
    const count = 20;
    const dst = new Uint8Array(count + 1);
    const ref = new Uint8Array(count + 1);
    const run = native.prepareMapBytes(dst, 1, src, count, table, count);
    let detail: string | undefined;
    for (let index = 0; index < 15 && detail === undefined; index++) {
      if (index === 7) churn();
      run(index);
      pure.mapBytes(ref, 1, src, index * count, count, table);
      detail = firstDifference(dst, ref);
    }
    note('prepareMapBytes', 15 * count, detail);
  }
  {
    const src = new Int16Array(randomBytes(400).buffer);
    const dst = new Int16Array(100);
    const ref = new Int16Array(100);
    const count = 30;
    const run = native.prepareCopy(dst, src, count);
    let detail: string | undefined;
    for (let k = 0; k < 8 && detail === undefined; k++) {
      if (k === 4) churn();
      const d = (k * 9) % (100 - count + 1);
      const o = (k * 23) % (200 - count + 1);
      run(d, o);
      ref.set(src.subarray(o, o + count), d);
      detail = firstDifference(dst, ref);
    }
    note('prepareCopy = set(subarray)', 8 * count, detail);
  }
  for (let r = 0; r < 40; r++) {
    const n = 1 + (random() % 12);
    const scores = new Int8Array(n);
    for (let i = 0; i < n; i++) scores[i] = (random() % 7) - 3; // many ties
    const scale = r % 2 ? 0.00390625 : -0.5;
    const zeroPoint = (r % 5) - 2;
    const ranked = r % 3 === 0;
    const result = { label: -7, score: 0, value: 0 };
    const respond = native.prepareResult(result, scores, n, scale, zeroPoint, ranked);
    if (r === 20) churn();
    const returned = respond();
    const label = ranked ? pure.argmax(scores, n, scale, zeroPoint) : pure.argmax(scores, n);
    const expected = [n > 1 ? label : -7, scores[label], Math.fround((scores[label] - zeroPoint) * scale), 1];
    compare(
      `prepareResult #${r}`,
      n,
      [result.label, result.score, result.value, returned === result ? 1 : 0],
      expected,
    );
  }

  {
    // The generic app's use: a fixed output against case `index` of a set of cases.
    const cases = new Int8Array(randomBytes(5 * 64).buffer);
    const out = new Int8Array(randomBytes(64).buffer);
    const result = { label: -1, score: 0, value: 0 };
    const score = native.prepareMeanSquaredError(result, out, 0, cases, 0, 64, 64, 0.25, 1, 0.125, -2);
    const got: number[] = [];
    const want: number[] = [];
    for (let index = 0; index < 5; index++) {
      if (index === 2) churn();
      const returned = score(index);
      got.push(result.value, returned === result ? 1 : 0);
      want.push(pure.meanSquaredError(out, 0, cases, index * 64, 64, 0.25, 1, 0.125, -2), 1);
    }
    got.push(result.label, result.score);
    want.push(-1, 0);
    compare('prepareMeanSquaredError', 5 * 64, got, want);
  }

  /** What a prepared top-k leaves: its arrays and the result's three fields. */
  const topKState = (
    index: Int32Array,
    value: Float32Array,
    all: Float32Array | undefined,
    r: { label: number; score: number; value: number },
  ): number[] => [...index, ...value, ...(all ?? []), r.label, r.score, r.value];

  for (let r = 0; r < 40; r++) {
    // Random lengths, k and quantizations, many ties; each prepared top-k called three times
    // on changing scores (a forced GC between two calls) against its pure twin and topK().
    const n = 1 + (random() % 40);
    const k = 1 + (random() % Math.min(n, 16));
    const scores = r % 2 ? new Int8Array(n) : new Uint8Array(n);
    const scale = r % 4 === 1 ? -0.5 : r % 4 === 3 ? 0.1234567 : 0.00390625;
    const zeroPoint = (r % 7) - 3 + (r % 2 ? -100 : 100);
    const withAll = r % 3 !== 0;
    const index = new Int32Array(k + 1).fill(-5);
    const value = new Float32Array(k + 1).fill(-5);
    const all = withAll ? new Float32Array(n + 1).fill(-5) : undefined;
    const refIndex = index.slice();
    const refValue = value.slice();
    const refAll = all?.slice();
    const result = { label: -7, score: 0, value: 0 };
    const refResult = { label: -7, score: 0, value: 0 };
    const nullResult = r % 5 === 4;
    const run: () => unknown = nullResult
      ? native.prepareTopK(null, scores, k, index, value, scale, zeroPoint, all)
      : native.prepareTopK(result, scores, k, index, value, scale, zeroPoint, all);
    const ref = pure.prepareTopK(
      nullResult ? null : refResult,
      scores,
      k,
      refIndex,
      refValue,
      scale,
      zeroPoint,
      refAll,
    );
    for (let call = 0; call < 3; call++) {
      for (let i = 0; i < n; i++) scores[i] = r % 2 ? (random() % 9) - 4 : 120 + (random() % 9);
      if (call === 1) churn();
      const returned = run();
      const refReturned = ref();
      const ranked = pure.topK(scores, k, scale, zeroPoint);
      const got = topKState(index, value, all, result);
      const want = topKState(refIndex, refValue, refAll, refResult);
      got.push(returned === (nullResult ? undefined : result) ? 1 : 0, ...index.subarray(0, k));
      want.push(refReturned === (nullResult ? undefined : refResult) ? 1 : 0, ...ranked);
      compare(`prepareTopK #${r}.${call}`, n, got, want);
    }
  }

  for (let r = 0; r < 20; r++) {
    // Float32 scores (a float model's output), ranked as they are: many ties, -0 against 0,
    // and every fourth set with a NaN; scale and zeroPoint must not be applied.
    const n = 1 + (random() % 40);
    const k = 1 + (random() % Math.min(n, 16));
    const scores = new Float32Array(n);
    const index = new Int32Array(k).fill(-5);
    const value = new Float32Array(k).fill(-5);
    const all = r % 2 ? new Float32Array(n).fill(-5) : undefined;
    const refIndex = index.slice();
    const refValue = value.slice();
    const refAll = all?.slice();
    const result = { label: -7, score: 0, value: 0 };
    const refResult = { label: -7, score: 0, value: 0 };
    const run = native.prepareTopK(result, scores, k, index, value, 0.5, 3, all);
    const ref = pure.prepareTopK(refResult, scores, k, refIndex, refValue, 1, 0, refAll);
    for (let call = 0; call < 2; call++) {
      for (let i = 0; i < n; i++) scores[i] = ((random() % 9) - 4) * 0.375;
      if (n > 2) scores[random() % n] = -0;
      if (r % 4 === 3) scores[random() % n] = NaN;
      if (call === 1) churn();
      run();
      ref();
      const got = topKState(index, value, all, result);
      const want = topKState(refIndex, refValue, refAll, refResult);
      if (r % 4 !== 3) {
        // Without a NaN the ranking is a stable sort's, highest first.
        const order = Array.from(scores, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
        got.push(...index);
        want.push(...order.slice(0, k));
      }
      compare(`prepareTopK float32 #${r}.${call}`, n, got, want);
    }
  }

  const refusals: Refusal[] = [];
  const refuse = (name: string, action: () => unknown): void => {
    try {
      action();
      refusals.push({ name, errorClass: 'none', message: '' });
    } catch (e) {
      const error = e as Error;
      refusals.push({ name, errorClass: error?.constructor?.name ?? typeof e, message: String(error?.message ?? e) });
    }
  };
  const i8 = new Int8Array(10);
  const u8 = new Uint8Array(10);
  const f32 = new Float32Array(10);
  const table = new Int8Array(256);
  refuse('mapBytes dst not a typed array', () => native.mapBytes([] as unknown as Int8Array, 0, u8, 0, 1, table));
  refuse('mapBytes count past dst', () => native.mapBytes(i8, 5, u8, 0, 6, table));
  refuse('mapBytes table of 255', () => native.mapBytes(i8, 0, u8, 0, 1, new Int8Array(255)));
  refuse('mapBytes negative offset', () => native.mapBytes(i8, -1, u8, 0, 1, table));
  refuse('mapBytes fractional count', () => native.mapBytes(i8, 0, u8, 0, 1.5, table));
  refuse('mapBytes missing table', () => (native.mapBytes as unknown as (...a: unknown[]) => void)(i8, 0, u8, 0, 1));
  if (has('mnist/digits.u8')) {
    const flash = asset('mnist/digits.u8');
    refuse('mapBytes into flash', () => native.mapBytes(flash as unknown as Uint8Array, 0, u8, 0, 1, table));
  }
  refuse('quantize src not float32', () => native.quantize(i8, 0, i8 as unknown as Float32Array, 0, 1, 1, 0));
  refuse('quantize scale zero', () => native.quantize(i8, 0, f32, 0, 1, 0, 0));
  refuse('quantize scale NaN', () => native.quantize(i8, 0, f32, 0, 1, NaN, 0));
  refuse('quantize count past src', () => native.quantize(i8, 0, f32, 5, 6, 1, 0));
  refuse('dequantize dst not float32', () => native.dequantize(i8 as unknown as Float32Array, 0, i8, 0, 1, 1, 0));
  refuse('copy different types', () => native.copy(f32 as unknown as Int8Array, 0, i8, 0, 1));
  refuse('copyRing overlap', () => native.copyRing(i8, 0, i8, 0, 1));
  refuse('copyRing start past ring', () => native.copyRing(u8, 0, new Uint8Array(4), 4, 1));
  refuse('argmax empty', () => native.argmax(new Int8Array(0)));
  refuse('argmax count 0', () => native.argmax(i8, 0));
  refuse('topK k past scores', () => native.topK(new Int8Array(3), 4));
  refuse('topK k 33', () => native.topK(new Int8Array(40), 33));
  refuse('image crop past src', () => native.image(i8, 0, 2, 2, u8, 0, 5, 0, 1, 5, 2, table));
  refuse('image crop wider than stride', () => native.image(i8, 0, 2, 2, u8, 0, 5, 1, 0, 5, 1, table));
  refuse('meanSquaredError a not a typed array', () =>
    native.meanSquaredError([] as unknown as Int8Array, 0, i8, 0, 1, 1, 0, 1, 0),
  );
  refuse('meanSquaredError b Int16Array', () =>
    native.meanSquaredError(i8, 0, new Int16Array(10) as unknown as Int8Array, 0, 1, 1, 0, 1, 0),
  );
  refuse('meanSquaredError count 0', () => native.meanSquaredError(i8, 0, u8, 0, 0, 1, 0, 1, 0));
  refuse('meanSquaredError count past b', () => native.meanSquaredError(i8, 0, u8, 4, 7, 1, 0, 1, 0));
  refuse('meanSquaredError scale zero', () => native.meanSquaredError(i8, 0, u8, 0, 1, 0, 0, 1, 0));
  refuse('meanSquaredError b scale missing', () => native.meanSquaredError(i8, 0, u8, 0, 1, 1, 0));
  refuse('prepared meanSquaredError index past b', () =>
    native.prepareMeanSquaredError({ label: 0, score: 0, value: 0 }, i8, 0, u8, 0, 4, 4, 1, 0, 1, 0)(2),
  );
  refuse('prepareMeanSquaredError result not an object', () =>
    native.prepareMeanSquaredError(
      null as unknown as { label: number; score: number; value: number },
      f32,
      0,
      f32,
      0,
      1,
      1,
      1,
      0,
    ),
  );
  const detachedView = new Int8Array(new ArrayBuffer(4));
  // ArrayBuffer.prototype.transfer is ES2024 (XS 13.3 has it): it detaches the old buffer.
  const detached = (detachedView.buffer as unknown as { transfer?: () => ArrayBuffer }).transfer?.();
  if (detached !== undefined) refuse('detached dst', () => native.mapBytes(detachedView, 0, u8, 0, 1, table));
  refuse('prepared quantize index past src', () => native.prepareQuantize(i8, 0, f32, 5, 1, 0, 5)(2));
  refuse('prepareCopy count past src', () => native.prepareCopy(i8, new Int8Array(3), 5));
  refuse('prepared copy past dst', () => native.prepareCopy(i8, new Int8Array(10), 4)(8, 0));
  refuse('prepareResult result not an object', () =>
    native.prepareResult(5 as unknown as { label: number; score: number; value: number }, i8, 1, 1, 0),
  );
  const i32 = new Int32Array(4);
  const top = { label: 0, score: 0, value: 0 };
  refuse('prepareTopK result a number', () => native.prepareTopK(3 as unknown as null, i8, 1, i32, f32, 1, 0));
  refuse('prepareTopK scores int16', () =>
    native.prepareTopK(top, new Int16Array(4) as unknown as Int8Array, 1, i32, f32, 1, 0),
  );
  refuse('prepareTopK k past scores', () => native.prepareTopK(top, new Int8Array(3), 4, i32, f32, 1, 0));
  refuse('prepareTopK k 0', () => native.prepareTopK(top, i8, 0, i32, f32, 1, 0));
  refuse('prepareTopK outIndex Uint32Array', () =>
    native.prepareTopK(top, i8, 2, new Uint32Array(4) as unknown as Int32Array, f32, 1, 0),
  );
  refuse('prepareTopK outValue shorter than k', () =>
    native.prepareTopK(top, i8, 5, new Int32Array(8), f32.subarray(0, 4), 1, 0),
  );
  refuse('prepareTopK scale zero', () => native.prepareTopK(top, i8, 1, i32, f32, 0, 0));
  refuse('prepareTopK all shorter than scores', () =>
    native.prepareTopK(top, i8, 1, i32, f32, 1, 0, new Float32Array(9)),
  );
  const topView = new Int32Array(new ArrayBuffer(16));
  const topRun = native.prepareTopK(top, i8, 2, topView, f32, 1, 0);
  const topMoved = (topView.buffer as unknown as { transfer?: () => ArrayBuffer }).transfer?.();
  if (topMoved !== undefined) refuse('prepared topK detached outIndex', () => topRun());
  const movedView = new Uint8Array(new ArrayBuffer(4));
  const movedRun = native.prepareMapBytes(movedView, 0, u8, 1, table);
  const moved = (movedView.buffer as unknown as { transfer?: () => ArrayBuffer }).transfer?.();
  if (moved !== undefined) refuse('prepared mapBytes detached dst', () => movedRun(0));
  return { checked, failed, refusals };
}

export function runJson(): string {
  return JSON.stringify(run());
}
