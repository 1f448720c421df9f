// Typings of the device module "bench" (native/bindings/bench): records of the JS bench
// loop go to a sink the firmware program chose; never called inside a timed region.
declare module 'bench' {
  /** One timed iteration: raw tick spans (< 2^32), the app's answer, the untimed check
   * (undefined: not checked, the golden outputs do not apply to the run's model) and
   * RESPOND's dequantized value (optional; sent when finite). */
  export function record(
    index: number,
    caseIndex: number,
    populate: number,
    invoke: number,
    respond: number,
    total: number,
    label: number,
    score: number,
    correct: boolean | undefined,
    value?: number,
  ): void;
  /** A full garbage collection (xsCollectGarbage). */
  export function gc(): void;
  /** micro_speech_stream's per-step reference, built once per kernel set by the C app
   * (12 bytes a step: CRC-32 of the features, int8[4] scores, command, isNew, average;
   * native/baseline/include/baseline/micro_speech_stream.h). Read-only view over C memory.
   * Borrows both tflm slot arenas: call it before creating the run's interpreters. */
  export function streamReference(kernels: 'reference' | 'optimized'): Uint8Array;
}
