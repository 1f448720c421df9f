// The JS bench loop, the twin of native/baseline/bench.c: setup (untimed), a garbage
// collection, then warm-up + timed iterations of POPULATE / INVOKE / RESPOND with a
// tick read around each phase. The check and the record hand-off to the native sink
// happen after the iteration's last tick (no I/O, no check inside a timed region).
// Ticks are ticks32() (an XS integer, no 64-bit → double); spans are (b − a) >>> 0.
// A run may name a model asset (`run {model}`, e.g. an uploaded "upload/model"): the app is
// set up on it instead of its own, and the golden check applies only when its bytes are
// the built-in model's (goldenApplies); otherwise iterations are recorded unchecked.
import { gc, record } from 'bench';
import { ticks32 } from 'time';
import type { Interpreter, Kernels } from 'tflm';
import { ModelMismatchError, type App, type AppResult } from './app.ts';
import { goldenApplies } from './golden.ts';

const FAILED: AppResult = { label: -1, score: 0, value: 0 };
let failure = '';

/** What run() returns when the run's model does not fit the app (lastFailure() says
 * how); the firmware reports it as error "app", as it does for the C app. */
export const MODEL_MISMATCH = -2;

/** The first exception a phase threw in the last run ("" when none), or why the model
 * does not fit. C counts a failed POPULATE/INVOKE as a wrong iteration and goes on; so
 * does this loop. */
export function lastFailure(): string {
  return failure;
}

/** The app set up on its own model or on `modelAsset`, and whether the golden check
 * applies; null (lastFailure() says why) when the model does not fit the app. */
function setupOn(
  app: App,
  kernels: Kernels,
  modelAsset: string | undefined,
): { interp: Interpreter; checked: boolean } | null {
  try {
    if (app.anyModel) {
      if (modelAsset === undefined)
        throw new ModelMismatchError('generic: a run must name the model (run/bench --model)');
      const interp = app.setup(kernels, modelAsset);
      return { interp, checked: app.checked !== undefined && app.checked() };
    }
    if (modelAsset === undefined) return { interp: app.setup(kernels, app.model!), checked: true };
    if (app.model === undefined)
      throw new ModelMismatchError(`model "${modelAsset}": this app has no model of its own that a run could replace`);
    const checked = goldenApplies(modelAsset, app.model);
    return { interp: app.setup(kernels, modelAsset), checked };
  } catch (e) {
    // By name: a deployed app throws its own copy of the class.
    if (!(e instanceof Error) || e.name !== 'ModelMismatchError') throw e;
    failure = e.message;
    return null;
  }
}

/** Runs warmup + iterations (case i % cases) on the app's model, or on `modelAsset` when
 * given; records the timed ones, returns how many iterations (warm-up included, as C
 * counts) were wrong or failed, or MODEL_MISMATCH. */
export function run(app: App, kernels: Kernels, iterations: number, warmup: number, modelAsset?: string): number {
  failure = '';
  const setup = setupOn(app, kernels, modelAsset);
  if (setup === null) return MODEL_MISMATCH;
  const checked = setup.checked;
  // Plain functions in locals: the loop calls them as C calls its function pointers.
  // invoke is the interpreter's invoke() bound natively (a host function: no method
  // lookup per call) and tick the module's ticks32 (a local read, not a closure's).
  const { populate, respond, check, cases } = app;
  const invoke = setup.interp.invoker();
  const tick = ticks32;
  gc();
  let wrong = 0;
  const count = warmup + iterations;
  for (let i = 0; i < count; i++) {
    const caseIndex = i % cases;
    let t0 = 0;
    let t1: number | undefined;
    let t2: number | undefined;
    let t3: number | undefined;
    let result = FAILED;
    let failed = false;
    // The try is entered before t0 and left after t3: it costs nothing inside the spans.
    try {
      t0 = tick();
      populate(caseIndex);
      t1 = tick();
      invoke();
      t2 = tick();
      result = respond();
      t3 = tick();
    } catch (e) {
      const now = tick();
      t1 ??= now;
      t2 ??= now;
      t3 ??= now;
      failed = true;
      if (!failure) failure = String(e);
    }
    // undefined: not checked (it ran, but the golden outputs are another model's).
    const correct = failed ? false : checked ? check(caseIndex, result) : undefined;
    if (correct === false) wrong++;
    if (i >= warmup) {
      record(
        i - warmup,
        caseIndex,
        (t1! - t0) >>> 0,
        (t2! - t1!) >>> 0,
        (t3! - t2!) >>> 0,
        (t3! - t0) >>> 0,
        result.label,
        result.score,
        correct,
        result.value,
      );
    }
  }
  return wrong;
}
