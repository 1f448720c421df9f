// The arena planner against TFLM's own figures (testdata facts, ANCHORS-m7-qemu.md):
// the planned head equals TFLM's for every golden model, preserve-all mode gives every
// activation its own space, and the M7 figures are what `inspect` reports.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { planOnTarget } from '../../host/engine/device.ts';

const data = dataDir();
type Facts = {
  tensors: { byte_size: number; is_constant: boolean }[];
  tflm_arena_x86_32: { recording: { head: number } };
};
const facts = (name: string) => JSON.parse(fs.readFileSync(path.join(data, 'facts', `${name}.json`), 'utf8')) as Facts;
const model = (name: string) => path.join(data, 'models', `${name}.tflite`);

const models = ['hello_world_int8', 'hello_world_float', 'micro_speech_quantized', 'mnist_int8', 'person_detect'];

describe.each(['host', 'mps2-an500'] as const)('planner on %s', (target) => {
  it.each(models)('%s: head equals TFLM head', async (name) => {
    const r = await planOnTarget(target, model(name), 'reference');
    expect(r.error).toBeNull();
    expect(r.arena!.head).toBe(facts(name).tflm_arena_x86_32.recording.head);
    expect(r.arena!.pointerBytes).toBe(target === 'host' ? 8 : 4);
  });

  it('the audio front end needs less head than TFLM', async () => {
    for (const name of ['audio_preprocessor_int8', 'audio_preprocessor_float']) {
      const r = await planOnTarget(target, model(name), 'reference');
      expect(r.arena!.head).toBeLessThanOrEqual(facts(name).tflm_arena_x86_32.recording.head);
    }
  });

  it('preserve-all gives every activation its own 16-byte aligned space', async () => {
    const f = facts('mnist_int8');
    const sum = f.tensors.filter((t) => !t.is_constant).reduce((a, t) => a + Math.ceil(t.byte_size / 16) * 16, 0);
    const r = await planOnTarget(target, model('mnist_int8'), 'reference', undefined, undefined, true);
    expect(r.arena!.head).toBe(sum);
  });
});
