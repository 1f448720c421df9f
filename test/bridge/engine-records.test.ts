// The engine session's frames on the host side: commands encode with the keys of
// docs/protocol.md (*Engine sessions*), `tensor` records decode (output or op dump, never
// both) and print on one line.
import { describe, expect, it } from 'vitest';
import { commandPayload } from '../../host/bridge/commands.ts';
import { formatRecord } from '../../host/bridge/format.ts';
import { CommandType, RecordType } from '../../host/bridge/protocol.ts';
import { decodeRecord } from '../../host/bridge/records.ts';
import { packPayload } from '../../host/bridge/commands.ts';

const tensor = (payload: Record<string, unknown>) =>
  decodeRecord({ type: RecordType.tensor, seq: 7, payload: packPayload(payload) });

describe('engine session frames', () => {
  it('take the type codes at the start of the free ranges', () => {
    expect([CommandType.engineOpen, CommandType.engineInput, CommandType.engineInvoke]).toEqual([0x09, 0x0a, 0x0b]);
    expect(RecordType.tensor).toBe(0x49);
  });

  it('commands carry their keys, with the defaults written out', () => {
    expect(commandPayload({ kind: 'engineOpen' })).toEqual({ kernels: 'reference' });
    expect(commandPayload({ kind: 'engineOpen', model: 'upload/model', kernels: 'optimized' })).toEqual({
      model: 'upload/model',
      kernels: 'optimized',
    });
    const data = new Uint8Array([1, 2]);
    expect(commandPayload({ kind: 'engineInput', offset: 4, data })).toEqual({ index: 0, offset: 4, data });
    expect(commandPayload({ kind: 'engineInvoke', dump: true })).toEqual({ ops: false, dump: true, outputs: true });
  });

  it('a tensor record is a model output or an op dump, and prints on one line', () => {
    const data = new Uint8Array([0x80, 0x7f]);
    const out = tensor({ invoke: 2, output: 0, type: 'int8', size: 10, offset: 8, data });
    expect(out).toMatchObject({ kind: 'tensor', seq: 7, invoke: 2, output: 0, type: 'int8', size: 10, offset: 8 });
    expect(formatRecord(out)).toBe('#    7 tensor   invoke 2 output 0 (int8, 10 B): bytes 8..10');
    const dump = tensor({ invoke: 0, op: 3, k: 1, type: 'float32', size: 8, offset: 0, data });
    expect(dump).toMatchObject({ kind: 'tensor', op: 3, k: 1 });
    expect(formatRecord(dump)).toBe('#    7 tensor   invoke 0 op 3 output 1 (float32, 8 B): bytes 0..2');
  });

  it('a tensor record with both or neither of output and op, or without bin data, is invalid', () => {
    const base = { invoke: 0, type: 'int8', size: 1, offset: 0, data: new Uint8Array(1) };
    expect(tensor({ ...base, output: 0, op: 1 })).toMatchObject({ kind: 'invalid' });
    expect(tensor(base)).toMatchObject({ kind: 'invalid' });
    expect(tensor({ ...base, output: 0, data: 'ab' })).toMatchObject({
      kind: 'invalid',
      reason: 'tensor: data: expected bin',
    });
  });
});
