// Misusing the tflm and assets bindings from JS gives JS exceptions with clear messages,
// never a crash: bad model asset name, a model too big for its arena slot, tensor index
// out of range or of the wrong type, use of a replaced or closed interpreter and of its
// detached views, stores into flash. The probes run on the device inside the main
// firmware (app binding_selftest, device/lib/tflm-selftest.ts), which sends what each one
// threw as a telemetry record; this file checks them.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DoneRecord } from '../../host/bridge/protocol.ts';
import { resolveManifest } from '../../host/build/manifest.ts';
import { runSelftestApp } from '../deploy/fixtures.ts';

interface Probe {
  name: string;
  threw: boolean;
  errorClass?: string;
  code?: string;
  message?: string;
  bytesNeeded?: number;
  value?: unknown;
}

describe.each(['host', 'mps2-an500'] as const)('tflm binding errors on %s', (target) => {
  let probes: Map<string, Probe>;
  let done: DoneRecord;

  beforeAll(async () => {
    const run = await runSelftestApp(target, 'binding_selftest');
    done = run.done;
    const users = run.users.filter((u) => u.name === 'probe');
    probes = new Map(users.map((u) => [(u.value as Probe).name, u.value as Probe]));
  });

  const get = (name: string): Probe => {
    const p = probes.get(name);
    if (!p) throw new Error(`probe "${name}" did not report`);
    return p;
  };

  it('survives every misuse (exit 0, all probes reported)', () => {
    expect(done.status).toBe(0);
    expect(done.tx.dropped).toBe(0);
    expect(probes.size).toBeGreaterThanOrEqual(28);
  });

  it('rejects a bad model asset name with the name in the message', () => {
    expect(get('unknown model asset')).toMatchObject({ threw: true, errorClass: 'TflmError', code: 'NO_ASSET' });
    expect(get('unknown model asset').message).toContain('models/nope.tflite');
    expect(get('model name not a string')).toMatchObject({ threw: true, errorClass: 'TypeError' });
    expect(get('not a model')).toMatchObject({ threw: true, errorClass: 'TflmError', code: 'MALFORMED' });
  });

  it('reports an arena too small with the bytes needed (person_detect in the 24 KB aux arena)', () => {
    const p = get('arena too small (person_detect in aux)');
    expect(p).toMatchObject({ threw: true, errorClass: 'TflmError', code: 'ARENA' });
    expect(p.message).toMatch(/^arena too small: needs (at least )?\d+ bytes \(24576 given\)$/);
    expect(p.bytesNeeded).toBeGreaterThan(24576);
    expect(p.message).toContain(String(p.bytesNeeded));
  });

  it('checks options and tensor indices at the boundary', () => {
    expect(get('bad kernels option')).toMatchObject({ threw: true, errorClass: 'RangeError' });
    expect(get('bad arena option')).toMatchObject({ threw: true, errorClass: 'RangeError' });
    expect(get('input index out of range')).toMatchObject({
      threw: true,
      errorClass: 'RangeError',
      message: 'tflm: input index 1 out of range (model has 1)',
    });
    expect(get('output index negative')).toMatchObject({ threw: true, errorClass: 'RangeError' });
    expect(get('input index not an integer')).toMatchObject({ threw: true, errorClass: 'RangeError' });
    expect(get('input index not a number')).toMatchObject({ threw: true, errorClass: 'TypeError' });
  });

  it('gives cached zero-copy views, arena figures and a per-op profile', () => {
    // The sizes' one home: manifest.json defines.arena (per platform).
    const { defines } = resolveManifest(target);
    expect(get('arena sizes').value).toEqual([defines.MODDEF_ARENA_MAIN, defines.MODDEF_ARENA_AUX]);
    expect(get('input view is cached and zero copy')).toMatchObject({ threw: false, value: true });
    expect(get('profile lists every op').value).toBe('CONV_2D,MAX_POOL_2D,RESHAPE,FULLY_CONNECTED,SOFTMAX');
    expect(get('arena figures').value).toBeGreaterThan(10_000);
    expect(get('profile when off')).toMatchObject({ threw: true });
    expect(get('profile when off').message).toContain('profile: true');
  });

  it('invalidates a replaced or closed interpreter and detaches its views', () => {
    for (const name of [
      'invoke on a replaced interpreter',
      'invoker of a replaced interpreter',
      'invoker of a replaced interpreter, made after',
      'input on a replaced interpreter',
      'arena of a replaced interpreter',
      'invoke after close',
      'invoke on the interpreter a failed creation replaced',
      'invoke after C borrowed the arena',
    ]) {
      expect(get(name), name).toMatchObject({ threw: true, errorClass: 'TflmError', code: 'INVALIDATED' });
    }
    expect(get('old view is detached').value).toEqual([0, true]);
    expect(get('set() into a detached view')).toMatchObject({
      threw: true,
      errorClass: 'TypeError',
      message: 'detached buffer',
    });
    expect(get('invoker runs the model')).toMatchObject({ threw: false, value: ['function', true] });
    expect(get('replacement still works')).toMatchObject({ threw: false, value: 1 });
    expect(get('main slot unaffected by aux')).toMatchObject({ threw: false, value: 10 });
    expect(get('failed creation still replaces')).toMatchObject({ threw: false, value: true });
    // Only the C-side generation check saw the arena go: invoke invalidated the handle.
    expect(get('view after C borrowed the arena').value).toEqual([true, 0]);
  });

  it('keeps flash assets read-only and rejects unknown names', () => {
    expect(get('unknown asset')).toMatchObject({ threw: true, errorClass: 'RangeError' });
    expect(get('asset name not a string')).toMatchObject({ threw: true, errorClass: 'TypeError' });
    const store = get('store into a flash asset');
    expect(store.threw ? store.message : store.value).toMatch(/read-only buffer|unchanged/);
    expect(get('set() into a flash asset')).toMatchObject({
      threw: true,
      errorClass: 'TypeError',
      message: 'read-only buffer',
    });
    expect(get('asset is the same view').value).toBe(true);
  });
});
