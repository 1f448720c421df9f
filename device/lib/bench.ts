// The JS bench loop, the twin of native/baseline/bench.c: setup (untimed), a garbage
// collection, then warm-up + timed iterations of POPULATE / INVOKE / RESPOND with a
// tick read around each phase. The check and the record hand-off to the native sink
// happen after the iteration's last tick (no I/O, no check inside a timed region).
// Ticks are ticks32() (an XS integer, no 64-bit → double); spans are (b − a) >>> 0.
import { gc, record } from 'bench';
import { ticks32 } from 'timer';
import type { Kernels } from 'tflm';
import type { App, AppResult } from './app.ts';

const FAILED: AppResult = { label: -1, score: 0, value: 0 };
let failure = '';

/** The first exception a phase threw in the last run ("" when none). C counts a failed
 * POPULATE/INVOKE as a wrong iteration and goes on; so does this loop. */
export function lastFailure(): string {
  return failure;
}

/** Runs warmup + iterations (case i % cases), records the timed ones, returns how many
 * iterations (warm-up included, as C counts) were wrong or failed. */
export function run(app: App, kernels: Kernels, iterations: number, warmup: number): number {
  const model = app.setup(kernels);
  // Plain functions in locals: the loop calls them as C calls its function pointers.
  const { populate, respond, check, cases } = app;
  failure = '';
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
      t0 = ticks32();
      populate(caseIndex);
      t1 = ticks32();
      model.invoke();
      t2 = ticks32();
      result = respond();
      t3 = ticks32();
    } catch (e) {
      const now = ticks32();
      t1 ??= now;
      t2 ??= now;
      t3 ??= now;
      failed = true;
      if (!failure) failure = String(e);
    }
    const correct = !failed && check(caseIndex, result);
    if (!correct) wrong++;
    if (i >= warmup) {
      record(i - warmup, caseIndex, (t1! - t0) >>> 0, (t2! - t1!) >>> 0, (t3! - t2!) >>> 0, (t3! - t0) >>> 0,
        result.label, result.score, correct);
    }
  }
  return wrong;
}
