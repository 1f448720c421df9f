// helpers_selftest – the helpers module against its pure-TypeScript twins
// (lib/helpers-selftest.ts) run inside the main firmware: setup sends the result as
// telemetry `user` records (test/xs/helpers.test.ts reads them) — "helpers-checked" once,
// one "helpers-failed" per differing element and one "helpers-refusal" per misuse — then
// hands the bench loop hello_world's model for its single, unchecked iteration. JS only.
import { send, type TelemetryValue } from 'telemetry';
import type { Interpreter, Kernels } from 'tflm';
import { run as runSelftest } from '../../lib/helpers-selftest.ts';
import { loopModel } from '../../lib/selftest-app.ts';

export { cases, check, populate, respond } from '../../lib/selftest-app.ts';

export function setup(kernels: Kernels): Interpreter {
  // Through JSON, as the telemetry encoder takes plain values only.
  const result = JSON.parse(JSON.stringify(runSelftest())) as {
    checked: TelemetryValue;
    failed: TelemetryValue[];
    refusals: TelemetryValue[];
  };
  send('helpers-checked', result.checked);
  for (const f of result.failed) send('helpers-failed', f);
  for (const r of result.refusals) send('helpers-refusal', r);
  return loopModel(kernels);
}
