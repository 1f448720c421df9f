// The MLPerf Tiny mode's TypeScript side (firmware/programs/xsinfer/mlperf_mode.c calls
// these): th_load_tensor is the generic app's POPULATE of the one-case input set the
// `db` bytes were loaded into, th_infer one invoke from JS, th_results its RESPOND.
import type { Interpreter, Kernels } from 'tflm';
import * as generic from '../apps/generic/main.ts';

const MODEL = 'upload/model';
let model: Interpreter | null = null;

/** Untimed: the generic app on the uploaded model and the current input set. */
export function setup(kernels: Kernels): void {
  model = generic.setup(kernels, MODEL);
}

export function load(): void {
  generic.populate(0);
}

export function infer(): void {
  model!.invoke();
}

/** RESPOND; the values C prints: the dequantized output, or the anomaly score alone. */
export function results(): Float32Array {
  const answer = generic.respond();
  return generic.values.length > 0 ? generic.values : Float32Array.of(answer.value);
}
