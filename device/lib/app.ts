// The shape every device app module has (device/apps/<app>/main.ts), mirroring the C apps'
// c_app_t (native/baseline/include/baseline/app.h): the bench loop in bench.ts drives it.
// Also the check that a run's model fits the app and openModel(), the setup every model app
// shares (interpreter, that check, views, quantization, golden check): together the twin of
// app_setup_model in C (native/baseline/app_common.c).
import { Interpreter, type Kernels, type Tensor } from 'tflm';
import { Golden } from './golden.ts';

/** What RESPOND produced (C: app_result_t). */
export interface AppResult {
  label: number; // predicted class (hello_world: -1)
  score: number; // raw int8 output behind the answer
  value: number; // dequantized: y for hello_world, the label's probability otherwise
}

/** An app's untimed check of a case's output and answer (App.check). */
export type CaseCheck = (caseIndex: number, result: AppResult) => boolean;

/** The check before setup(), or of a model opened without golden data: no case passes. */
export const unchecked: CaseCheck = () => false;

/** A prepared phase before setup() made it: throws "<app>: setup() first". */
export function notSetUp(app: string): () => never {
  return () => {
    throw new Error(`${app}: setup() first`);
  };
}

export interface App {
  /** Iteration i uses case i % cases. */
  readonly cases: number;
  /** The model asset the app is written for; its golden outputs are this model's. An app
   * without one takes no `model` from a run request, unless it takes any model. */
  readonly model?: string;
  /** The app runs on whatever model a run names (the generic app) and checks against
   * its own data: a run must name a model, and `checked()` after setup says whether the
   * iterations are checked. */
  readonly anyModel?: boolean;
  checked?(): boolean;
  /** Once, untimed: interpreter in arena 'main' over `model` (the run's model, else the
   * app's own), views, tables. Returns the interpreter the bench loop invokes. Throws a
   * ModelMismatchError when the model's input/output do not fit the app (modelIo). */
  setup(kernels: Kernels, model: string): Interpreter;
  /** Fill the model input from the case's raw data. */
  populate(caseIndex: number): void;
  respond(): AppResult;
  /** Untimed: the output bytes equal the golden bytes of the case and the label matches
   * (C: app_check, which also takes the result for the label). */
  check(caseIndex: number, result: AppResult): boolean;
}

/** A run's model that the app cannot use (wrong input/output type or size). The bench
 * loop reports it by its name (an error record "app", as the C app's), so a deployed app
 * with its own copy of this module is recognised too. */
export class ModelMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelMismatchError';
  }
}

function fitting(
  app: string,
  name: string,
  what: 'input' | 'output',
  get: () => Tensor,
  elements: number,
): Tensor<Int8Array> {
  let tensor: Tensor;
  try {
    tensor = get();
  } catch (e) {
    // No index 0, or a type without a typed-array view (int64, float16, ...).
    throw new ModelMismatchError(
      `${app}: model "${name}" does not fit: ${what} 0: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (tensor.type !== 'int8' || tensor.data.length !== elements) {
    throw new ModelMismatchError(
      `${app}: model "${name}" does not fit: ${what} 0 is ${tensor.type}[${tensor.data.length}], the app needs int8[${elements}]`,
    );
  }
  return tensor as Tensor<Int8Array>;
}

/** Input 0 and output 0 of `model` (asset `name`), which must be int8 with `inputs` and
 * `outputs` elements; else a ModelMismatchError worded as the C apps word it. */
export function modelIo(
  app: string,
  name: string,
  model: Interpreter,
  inputs: number,
  outputs: number,
): { input: Tensor<Int8Array>; output: Tensor<Int8Array> } {
  if (model.inputCount < 1 || model.outputCount < 1)
    throw new ModelMismatchError(`${app}: model "${name}" does not fit: it has no input 0 or no output 0`);
  const input = fitting(app, name, 'input', () => model.input(0), inputs);
  const output = fitting(app, name, 'output', () => model.output(0), outputs);
  return { input, output };
}

/** An app's model as openModel() opens it: the interpreter, views, quantization, golden check. */
export interface OpenedModel {
  readonly interp: Interpreter;
  readonly input: Int8Array;
  readonly output: Int8Array;
  readonly inScale: number;
  readonly inZeroPoint: number;
  readonly outScale: number;
  readonly outZeroPoint: number;
  /** The check against "<data>/expected.i8" over `output`; `unchecked` without `data`. */
  readonly check: CaseCheck;
}

/** `app`'s model `name` with `inputs` int8 input and `outputs` int8 output elements (else a
 * ModelMismatchError), checked against the golden outputs of `data` when given. */
export function openModel(
  app: string,
  name: string,
  kernels: Kernels,
  inputs: number,
  outputs: number,
  data?: string,
): OpenedModel {
  const interp = new Interpreter(name, { kernels });
  const { input, output } = modelIo(app, name, interp, inputs, outputs);
  const golden = data === undefined ? null : new Golden(data, output.data);
  return {
    interp,
    input: input.data,
    output: output.data,
    inScale: input.scale,
    inZeroPoint: input.zeroPoint,
    outScale: output.scale,
    outZeroPoint: output.zeroPoint,
    check: golden === null ? unchecked : (caseIndex, result) => golden.check(caseIndex, result),
  };
}
