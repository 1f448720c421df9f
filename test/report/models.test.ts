// The static model rows come from the project's testdata facts and the TFLM anchors.
import { describe, expect, it } from 'vitest';
import { modelRows, tflmArenaBytes } from '../../host/report/models.ts';

describe('modelRows', () => {
  it('reads ops, MACs and FLOPs from the facts and labels the write-up’s Keras FLOPs', () => {
    const rows = modelRows(['hello_world_int8', 'micro_speech_quantized', 'mnist_int8'], 'mps2-an500');
    // app, ops, MACs, FLOPs, FLOPs with bias, the write-up's Keras FLOPs, TFLM's reference and optimized INVOKE
    const expected: [string, number, number, number, number, number, number, number][] = [
      ['hello_world', 3, 288, 576, 609, 41, 5_493, 3_602],
      ['micro_speech', 4, 336_000, 672_000, 676_004, 689_980, 9_332_854, 1_489_512],
      ['mnist', 5, 93_288, 186_576, 194_698, 202_810, 4_777_960, 1_020_282],
    ];
    expect(rows).toHaveLength(expected.length);
    expected.forEach(([app, ops, macs, flops, flopsPlusBias, kerasFlops, reference, optimized], i) =>
      expect(rows[i]).toMatchObject({
        app,
        ops,
        macs,
        flops,
        flopsPlusBias,
        kerasFlops,
        tflm: { reference, optimized },
      }),
    );
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
