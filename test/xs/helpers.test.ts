// The device module "helpers" (native/bindings/helpers) against the pure-TypeScript loops
// it replaces (device/lib/pure-helpers.ts, quantize.ts), on the device: the main firmware's
// app helpers_selftest runs device/lib/helpers-selftest.ts, which feeds both the same random data, edge values
// (quantize halves, clamping, NaN, ±∞) and the apps' own data and reports any element that
// differs; and every misuse must be the documented JS exception, never a crash.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSelftestApp } from '../deploy/fixtures.ts';

interface Selftest {
  checked: Record<string, { comparisons: number; elements: number }>;
  failed: { name: string; detail: string }[];
  refusals: { name: string; errorClass: string; message: string }[];
}

const HELPERS = [
  'mapBytes',
  'quantize',
  'dequantize',
  'copy',
  'copyRing',
  'argmax',
  'topK',
  'image',
  'meanSquaredError',
  'prepareQuantize',
  'prepareMapBytes',
  'prepareCopy',
  'prepareResult',
  'prepareMeanSquaredError',
  'prepareTopK',
];

describe.each(['host', 'mps2-an500'] as const)('helpers on %s', (target) => {
  let result: Selftest;
  let exitCode: number;

  beforeAll(async () => {
    const { done, users } = await runSelftestApp(target, 'helpers_selftest');
    exitCode = done.status === 0 && done.tx.dropped === 0 ? 0 : 1;
    const checked = users.find((u) => u.name === 'helpers-checked');
    if (!checked) throw new Error(`helpers_selftest sent no result (done status ${done.status})`);
    result = {
      checked: checked.value as Selftest['checked'],
      failed: users.filter((u) => u.name === 'helpers-failed').map((u) => u.value as Selftest['failed'][number]),
      refusals: users.filter((u) => u.name === 'helpers-refusal').map((u) => u.value as Selftest['refusals'][number]),
    };
  }, 320_000);

  it('gives exactly the bytes of the pure-TypeScript loops', () => {
    expect(exitCode).toBe(0);
    expect(result.failed).toEqual([]);
    for (const helper of HELPERS) expect(result.checked[helper]?.elements ?? 0, helper).toBeGreaterThan(50);
    // The apps' own data went through too (image built with every app, as on mps2-an500).
    expect(result.checked.mapBytes.elements).toBeGreaterThanOrEqual(7840); // 10 mnist digits
  });

  it('refuses misuse with a TypeError or RangeError naming the argument', () => {
    const refusals = new Map(result.refusals.map((r) => [r.name, r]));
    const expectRefusal = (name: string, errorClass: string, message: string | RegExp): void => {
      const r = refusals.get(name);
      expect(r, name).toBeDefined();
      expect(r!.errorClass, name).toBe(errorClass);
      expect(r!.message, name).toMatch(message);
    };
    expectRefusal('mapBytes dst not a typed array', 'TypeError', 'helpers: mapBytes: dst must be a typed array');
    expectRefusal('mapBytes count past dst', 'RangeError', 'helpers: mapBytes: dst [5, 11) outside its 10 elements');
    expectRefusal('mapBytes table of 255', 'TypeError', /table must be an Int8Array or Uint8Array of 256/);
    expectRefusal('mapBytes negative offset', 'RangeError', /dstOffset -1 out of range/);
    expectRefusal('mapBytes fractional count', 'RangeError', 'helpers: mapBytes: count must be an integer');
    expectRefusal('mapBytes missing table', 'TypeError', 'helpers: mapBytes: table missing');
    expectRefusal('mapBytes into flash', 'TypeError', 'helpers: mapBytes: dst is read only');
    expectRefusal('quantize src not float32', 'TypeError', /src must be a Float32Array/);
    expectRefusal('quantize scale zero', 'RangeError', /scale must be finite and non-zero/);
    expectRefusal('quantize scale NaN', 'RangeError', /scale must be finite and non-zero/);
    expectRefusal('quantize count past src', 'RangeError', /src \[5, 11\) outside its 10 elements/);
    expectRefusal('dequantize dst not float32', 'TypeError', /dst must be a Float32Array/);
    expectRefusal('copy different types', 'TypeError', /same element type/);
    expectRefusal('copyRing overlap', 'RangeError', /dst overlaps the ring/);
    expectRefusal('copyRing start past ring', 'RangeError', /start 4 out of range \[0, 3\]/);
    expectRefusal('argmax empty', 'RangeError', /no scores/);
    expectRefusal('argmax count 0', 'RangeError', /count 0 out of range/);
    expectRefusal('topK k past scores', 'RangeError', /k 4 is more than the 3 scores/);
    expectRefusal('topK k 33', 'RangeError', /k 33 out of range \[1, 32\]/);
    expectRefusal('image crop past src', 'RangeError', /crop ends past the 10 source pixels/);
    expectRefusal('image crop wider than stride', 'RangeError', /width 5 out of range \[1, 4\]/);
    expectRefusal('detached dst', 'TypeError', 'helpers: mapBytes: dst is detached');
    expectRefusal(
      'prepared quantize index past src',
      'RangeError',
      'helpers: prepared quantize: src [10, 15) outside its 10 elements',
    );
    expectRefusal('prepareCopy count past src', 'RangeError', /count 5 is more than dst or src holds/);
    expectRefusal(
      'prepared copy past dst',
      'RangeError',
      'helpers: prepared copy: dst [8, 12) outside its 10 elements',
    );
    expectRefusal('prepareResult result not an object', 'TypeError', /result must be an object/);
    expectRefusal(
      'meanSquaredError a not a typed array',
      'TypeError',
      'helpers: meanSquaredError: a must be a typed array',
    );
    expectRefusal('meanSquaredError b Int16Array', 'TypeError', /b must be an Int8Array, Uint8Array or Float32Array/);
    expectRefusal('meanSquaredError count 0', 'RangeError', /count 0 out of range \[1, /);
    expectRefusal(
      'meanSquaredError count past b',
      'RangeError',
      'helpers: meanSquaredError: b [4, 11) outside its 10 elements',
    );
    expectRefusal('meanSquaredError scale zero', 'RangeError', /scale must be finite and non-zero/);
    expectRefusal('meanSquaredError b scale missing', 'TypeError', 'helpers: meanSquaredError: scale missing');
    expectRefusal(
      'prepared meanSquaredError index past b',
      'RangeError',
      'helpers: prepared meanSquaredError: b [8, 12) outside its 10 elements',
    );
    expectRefusal('prepareMeanSquaredError result not an object', 'TypeError', /result must be an object/);
    expectRefusal('prepared mapBytes detached dst', 'TypeError', 'helpers: prepared mapBytes: dst is detached');
    expectRefusal('prepareTopK result a number', 'TypeError', 'helpers: prepareTopK: result must be an object or null');
    expectRefusal(
      'prepareTopK scores int16',
      'TypeError',
      'helpers: prepareTopK: scores must be an Int8Array, Uint8Array or Float32Array',
    );
    expectRefusal('prepareTopK k past scores', 'RangeError', /k 4 out of range \[1, 3\]/);
    expectRefusal('prepareTopK k 0', 'RangeError', /k 0 out of range \[1, 10\]/);
    expectRefusal('prepareTopK outIndex Uint32Array', 'TypeError', /outIndex must be an Int32Array/);
    expectRefusal('prepareTopK outValue shorter than k', 'RangeError', /outIndex and outValue must hold k 5/);
    expectRefusal('prepareTopK scale zero', 'RangeError', /scale must be finite and non-zero/);
    expectRefusal('prepareTopK all shorter than scores', 'RangeError', /all must hold the 10 scores/);
    expectRefusal('prepared topK detached outIndex', 'TypeError', 'helpers: prepared topK: outIndex is detached');
  });
});
