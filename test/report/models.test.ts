// The static model rows come from the project's testdata facts and the TFLM anchors.
import { describe, expect, it } from 'vitest';
import { modelRows, tflmArenaBytes } from '../../host/report/models.ts';

describe('modelRows', () => {
  it('reads ops, MACs and FLOPs from the facts and labels the write-up’s Keras FLOPs', () => {
    const [hello, micro, mnist] = modelRows(['hello_world_int8', 'micro_speech_quantized', 'mnist_int8'], 'mps2-an500');
    expect(hello).toMatchObject({
      app: 'hello_world',
      ops: 3,
      macs: 288,
      flops: 576,
      flopsPlusBias: 609,
      kerasFlops: 41,
      tflm: { reference: 5_493, optimized: 3_602 },
    });
    expect(micro).toMatchObject({
      app: 'micro_speech',
      ops: 4,
      macs: 336_000,
      flops: 672_000,
      flopsPlusBias: 676_004,
      kerasFlops: 689_980,
      tflm: { reference: 9_332_854, optimized: 1_489_512 },
    });
    expect(mnist).toMatchObject({
      app: 'mnist',
      ops: 5,
      macs: 93_288,
      flops: 186_576,
      flopsPlusBias: 194_698,
      kerasFlops: 202_810,
      tflm: { reference: 4_777_960, optimized: 1_020_282 },
    });
  });

  it('leaves the QEMU anchors out on other targets', () => {
    expect(modelRows(['mnist_int8'], 'stm32f769i-disco')[0].tflm).toBeUndefined();
  });

  it('gives TFLM’s M7 arena per kernel set', () => {
    expect(tflmArenaBytes('mnist_int8', 'reference')).toBe(11_124);
    expect(tflmArenaBytes('mnist_int8', 'optimized')).toBe(11_172);
    expect(tflmArenaBytes('no_such_model', 'optimized')).toBeNull();
  });
});
