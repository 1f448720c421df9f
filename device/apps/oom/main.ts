// oom – a deliberately broken app for the failure-path test: its POPULATE allocates until
// the XS heap is exhausted. The device must report "out of memory" over the wire and stop,
// never hang (test/bench/failures.test.ts).
import { Interpreter, type Kernels } from 'tflm';
import type { AppResult } from '../../lib/app.ts';

export const cases = 1;
const hoard: number[][] = [];

export function setup(kernels: Kernels): Interpreter {
  return new Interpreter('models/hello_world_int8.tflite', { kernels });
}

export function populate(_caseIndex: number): void {
  for (;;) hoard.push(new Array<number>(1024).fill(hoard.length));
}

export function respond(): AppResult {
  return { label: -1, score: 0, value: 0 };
}

export function check(): boolean {
  return false;
}
