// The shape every device app module has (device/apps/<app>/main.ts), mirroring the C apps'
// c_app_t (native/baseline/include/baseline/app.h): the bench loop in bench.ts drives it.
import type { Interpreter, Kernels } from 'tflm';

/** What RESPOND produced (C: app_result_t). */
export interface AppResult {
  label: number; // predicted class (hello_world: -1)
  score: number; // raw int8 output behind the answer
  value: number; // dequantized: y for hello_world, the label's probability otherwise
}

export interface App {
  /** Iteration i uses case i % cases. */
  readonly cases: number;
  /** Once, untimed: interpreter in slot 'main', views, tables. Returns the interpreter
   * the bench loop invokes. */
  setup(kernels: Kernels): Interpreter;
  /** Fill the model input from the case's raw data. */
  populate(caseIndex: number): void;
  respond(): AppResult;
  /** Untimed: the output bytes equal the golden bytes of the case and the label matches
   * (C: app_check, which also takes the result for the label). */
  check(caseIndex: number, result: AppResult): boolean;
}
