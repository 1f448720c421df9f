// Arena size against TFLM on the M7 stand-in (mps2-an500, 32-bit, reference kernels): our
// arena_used_bytes (head + tail) must not exceed TFLM's (ANCHORS-m7-qemu.md; the audio front
// end has no M7 anchor, so its x86-32 figure from testdata/facts stands in), and the
// persistent tail alone must be smaller than TFLM's tail (its total minus its head).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir } from '../../host/data.ts';
import { planOnTarget } from '../../host/engine/device.ts';

const data = dataDir();
type Facts = { tflm_arena_x86_32: { arena_used_bytes: number; recording: { head: number } } };
const facts = (name: string) => JSON.parse(fs.readFileSync(path.join(data, 'facts', `${name}.json`), 'utf8')) as Facts;
const model = (name: string) => path.join(data, 'models', `${name}.tflite`);

/** TFLM arena_used_bytes on mps2-an500 with reference kernels, read from the anchors file
 * (-DNDEBUG table) so the test follows the data, not a copy of it. */
function m7Anchor(anchorName: string): number {
  const text = fs.readFileSync(path.join(data, 'ANCHORS-m7-qemu.md'), 'utf8');
  const section = text.slice(text.indexOf('-DNDEBUG added'));
  const row = section.split('\n').find((l) => l.startsWith(`| ${anchorName} | reference |`));
  if (!row) throw new Error(`no anchor row for ${anchorName}`);
  const cells = row.split('|').map((c) => c.trim());
  return Number(cells[8].replace(/,/g, '')); // arena_used_bytes column
}

const models: { name: string; tflm: () => number }[] = [
  { name: 'hello_world_int8', tflm: () => m7Anchor('hello_world_int8') },
  { name: 'micro_speech_quantized', tflm: () => m7Anchor('micro_speech_quantized') },
  { name: 'mnist_int8', tflm: () => m7Anchor('mnist_q_with_int8_io') },
  { name: 'person_detect', tflm: () => m7Anchor('person_detect') },
  { name: 'audio_preprocessor_int8', tflm: () => facts('audio_preprocessor_int8').tflm_arena_x86_32.arena_used_bytes },
];

describe('arena vs TFLM on mps2-an500 (reference kernels)', () => {
  it('reads the anchors it compares against', () => {
    expect(m7Anchor('hello_world_int8')).toBe(676);
    expect(m7Anchor('person_detect')).toBe(82292);
  });

  it.each(models)('$name: total ≤ TFLM, tail < TFLM tail', async ({ name, tflm }) => {
    const r = await planOnTarget('mps2-an500', model(name), 'reference');
    expect(r.error).toBeNull();
    const ours = r.arena!;
    const tflmTotal = tflm();
    const tflmTail = tflmTotal - facts(name).tflm_arena_x86_32.recording.head;
    expect(ours.pointerBytes).toBe(4);
    expect(ours.total).toBe(ours.head + ours.tail);
    expect(ours.total).toBeLessThanOrEqual(tflmTotal);
    expect(ours.tail).toBeLessThan(tflmTail);
  });

  it('the figure in "arena too small" is what the model needs (up to the alignment slack)', async () => {
    const tooSmall = await planOnTarget('mps2-an500', model('mnist_int8'), 'reference', 2048);
    const need = tooSmall.error!.bytesNeeded;
    expect(tooSmall.error!.message).toContain(`needs ${need} bytes`);
    const fits = await planOnTarget('mps2-an500', model('mnist_int8'), 'reference');
    expect(need).toBeGreaterThanOrEqual(fits.arena!.total);
    // The buffer's end alignment changes the slack by < 16 bytes.
    const enough = await planOnTarget('mps2-an500', model('mnist_int8'), 'reference', need + 15);
    expect(enough.error).toBeNull();
    const short = await planOnTarget('mps2-an500', model('mnist_int8'), 'reference', need - 16);
    expect(short.error?.status).toBe('arena too small');
  });
});
