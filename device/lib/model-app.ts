// The setup every model app shares (untimed): the interpreter over the run's model in arena
// 'main', input 0 and output 0 checked against the app's sizes (modelIo), their views and
// quantization, and the golden check over the output. The C apps' twin is
// native/baseline/app_common.c's app_setup_model.
import { Interpreter, type Kernels } from 'tflm';
import { modelIo } from './app.ts';
import { Golden } from './golden.ts';

/** What an app keeps of its model: views, quantization, golden check. */
export interface ModelViews {
  readonly input: Int8Array;
  readonly output: Int8Array;
  readonly inScale: number;
  readonly inZeroPoint: number;
  readonly outScale: number;
  readonly outZeroPoint: number;
  /** The check against "<data>/expected.i8" over `output`; null without `data`. */
  readonly golden: Golden | null;
}

export interface OpenedModel extends ModelViews {
  readonly interp: Interpreter;
}

/** The views before setup() (empty arrays, no check): the initial value of an app's
 * module bindings, `let { input, output, ... } = NOT_SET_UP;`. */
export const NOT_SET_UP: ModelViews = {
  input: new Int8Array(0),
  output: new Int8Array(0),
  inScale: 0,
  inZeroPoint: 0,
  outScale: 0,
  outZeroPoint: 0,
  golden: null,
};

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
  return {
    interp,
    input: input.data,
    output: output.data,
    inScale: input.scale,
    inZeroPoint: input.zeroPoint,
    outScale: output.scale,
    outZeroPoint: output.zeroPoint,
    golden: data === undefined ? null : new Golden(data, output.data),
  };
}
