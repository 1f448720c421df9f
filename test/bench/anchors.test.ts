// The anchor tables are read from testdata/ANCHORS-m7-qemu.md (only the -DNDEBUG figures)
// and testdata/mlperf/ANCHORS-m7-qemu.md (the MLPerf Tiny models, -DNDEBUG, whole invokes).
import { describe, expect, it } from 'vitest';
import { loadAnchors } from '../../host/bench/anchors.ts';

describe('TFLM anchors', () => {
  const anchors = loadAnchors();

  it('reads the -DNDEBUG invoke totals and arena figures for the four models', () => {
    expect(anchors.get('micro_speech_quantized')?.instrPerInvoke).toEqual({
      reference: 9_332_854,
      'cmsis-nn': 1_489_512,
    });
    expect(anchors.get('mnist_int8')?.instrPerInvoke).toEqual({ reference: 4_777_960, 'cmsis-nn': 1_020_282 });
    expect(anchors.get('person_detect')?.instrPerInvoke).toEqual({ reference: 98_643_491, 'cmsis-nn': 22_716_295 });
    expect(anchors.get('hello_world_int8')?.instrPerInvoke).toEqual({ reference: 5_493, 'cmsis-nn': 3_602 });
    expect(anchors.get('mnist_int8')?.arenaUsedBytes.reference).toBe(11_124);
    expect(anchors.get('person_detect')?.macs).toBe(7_157_888);
  });

  it('reads the MLPerf Tiny table: invoke totals, arenas and MACs by model file stem', () => {
    expect(anchors.get('vww_96_int8')).toMatchObject({
      macs: 7_489_664,
      instrPerInvoke: { reference: 103_214_635, 'cmsis-nn': 24_025_971 },
      arenaUsedBytes: { reference: 100_660, 'cmsis-nn': 100_708 },
      ops: [],
    });
    expect(anchors.get('ad01_int8')?.instrPerInvoke).toEqual({ reference: 1_962_243, 'cmsis-nn': 583_410 });
    for (const m of ['kws_ref_model', 'pretrainedResnet_quant', 'str_ww_ref_model']) expect(anchors.has(m)).toBe(true);
  });

  it('reads every per-op row with its -DNDEBUG columns', () => {
    const person = anchors.get('person_detect')!;
    expect(person.ops).toHaveLength(31);
    expect(person.ops[30]).toEqual({
      index: 30,
      op: 'SOFTMAX',
      macs: 0,
      instr: { reference: 1_577, 'cmsis-nn': 1_329 },
    });
    const speech = anchors.get('micro_speech_quantized')!;
    expect(speech.ops.map((o) => o.op)).toEqual(['RESHAPE', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX']);
    expect(speech.ops[1].instr.reference).toBe(9_216_126);
  });
});
