// Record formatting and tick conversion for monitor/replay.
import { describe, expect, it } from 'vitest';
import { formatRecord, ticksToMs, ticksToUnit } from '../../host/bridge/format.ts';
import type { DeviceRecord } from '../../host/bridge/protocol.ts';

describe('ticks', () => {
  it('convert with num/den and hz', () => {
    expect(ticksToUnit(6_400_006, { unit: 'instr', num: 40, den: 128 })).toBeCloseTo(2_000_001.875);
    expect(ticksToMs(6_400_006, { unit: 'instr', num: 40, den: 128 })).toBeUndefined();
    expect(ticksToMs(216_000, { unit: 'cycles', num: 1, den: 1, hz: 216_000_000 })).toBe(1);
    expect(ticksToMs(2_500_000, { unit: 'ns', num: 1, den: 1 })).toBe(2.5);
  });
});

describe('formatRecord', () => {
  it('names every kind on one line', () => {
    const tick = { unit: 'cycles', num: 1, den: 1, hz: 216_000_000 };
    const recs: DeviceRecord[] = [
      {
        kind: 'iter',
        seq: 3,
        run: 1,
        i: 0,
        warmup: false,
        correct: true,
        ticks: { populate: 216_000, invoke: 2, respond: 3, total: 216_005 },
        result: { digit: 7 },
      },
      { kind: 'overflow', seq: 4, dropped: 3, droppedBytes: 300, oversize: 0 },
      { kind: 'error', seq: 5, code: 33, codeName: 'unsupportedOp', message: 'op LSTM at 4', cmd: 2, type: 2 },
      { kind: 'user', seq: 6, name: 'blob', value: new Uint8Array(3) },
      { kind: 'invalid', seq: 7, type: 0x60, reason: 'unknown record type 0x60', value: null },
      { kind: 'ack', seq: 8, cmd: 9, type: 4, duplicate: true },
    ];
    const lines = recs.map((r) => formatRecord(r, tick));
    expect(lines[0]).toContain('populate 216,000 cycles (1.000 ms)');
    expect(lines[0]).toContain('correct -> {"digit":7}');
    expect(lines[1]).toContain('OVERFLOW: 3 records');
    expect(lines[2]).toContain('unsupportedOp: op LSTM at 4 (run #2)');
    expect(lines[3]).toContain('<3 bytes>');
    expect(lines[4]).toContain('type 0x60');
    expect(lines[5]).toContain('reset #9 again (retry)');
    for (const l of lines) expect(l).not.toContain('\n');
  });
});
