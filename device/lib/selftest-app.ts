// What a self-test app (apps/binding_selftest, apps/helpers_selftest) hands the bench loop
// once its setup() has run and reported its self-test: hello_world's model for a single,
// unchecked iteration with nothing to fill or answer.
import { Interpreter, type Kernels } from 'tflm';
import type { AppResult } from './app.ts';

export const cases = 1;

/** The interpreter setup() returns: hello_world's model. */
export function loopModel(kernels: Kernels): Interpreter {
  return new Interpreter('models/hello_world_int8.tflite', { kernels });
}

export function populate(_caseIndex: number): void {}

export function respond(): AppResult {
  return { label: -1, score: 0, value: 0 };
}

export function check(): boolean {
  return true;
}
