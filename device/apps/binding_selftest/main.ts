// binding_selftest – the tflm/assets binding misuse probes (lib/tflm-selftest.ts) run inside
// the main firmware: setup sends what each probe threw as one telemetry `user` record
// "probe" per probe (test/xs/tflm-binding.test.ts reads them), then hands the bench loop
// hello_world's model for its single, unchecked iteration. JS only: it has no C twin.
import { send, type TelemetryValue } from 'telemetry';
import type { Interpreter, Kernels } from 'tflm';
import { run as runProbes } from '../../lib/tflm-selftest.ts';
import { loopModel } from '../../lib/selftest-app.ts';

export { cases, check, populate, respond } from '../../lib/selftest-app.ts';

export function setup(kernels: Kernels): Interpreter {
  // Through JSON, as a probe's value may be any object (an Interpreter a probe returned).
  for (const probe of runProbes()) send('probe', JSON.parse(JSON.stringify(probe)) as TelemetryValue);
  return loopModel(kernels);
}
