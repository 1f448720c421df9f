// The reference write-up's figures (reference/tflm-stm32-benchmark-writeup.txt): its STM32F769
// milliseconds per phase and its Keras FLOPs. Shown beside our numbers, always labelled as a
// different board, unit and method; never used as a target.
import type { SeedRow } from '../bench/result.ts';

/** F769 @ 216 MHz, ms, "averaging over ~1 minute", serial output inside the timed region. */
export const seedF769: SeedRow[] = [
  {
    app: 'hello_world',
    populate: 0,
    invokeCmsis: 0,
    invokeReference: 1,
    respond: 0,
    approx: ['populate', 'invokeCmsis', 'invokeReference', 'respond'],
  },
  { app: 'micro_speech', populate: 11, invokeCmsis: 52, invokeReference: 413, respond: 0, approx: ['respond'] },
  { app: 'mnist', populate: 88, invokeCmsis: 13, invokeReference: 52, respond: 93 },
];

/** FLOPs the write-up counted on the pre-quantization Keras models (not the .tflite graphs). */
export const kerasFlops: Record<string, number> = {
  hello_world_int8: 41,
  micro_speech_quantized: 689_980,
  mnist_int8: 202_810,
};

/** Which model file each app runs. */
export const appModel: Record<string, string> = {
  hello_world: 'hello_world_int8',
  micro_speech: 'micro_speech_quantized',
  micro_speech_stream: 'micro_speech_quantized',
  mnist: 'mnist_int8',
  person_detect: 'person_detect',
};
