// helpers_selftest – the helpers module against its pure-TypeScript twins
// (lib/helpers-selftest.ts) run inside the main firmware: setup sends the result as
// telemetry `user` records (test/xs/helpers.test.ts reads them) — "helpers-checked" once,
// one "helpers-failed" per differing element and one "helpers-refusal" per misuse — then
// hands the bench loop hello_world's model for its single, unchecked iteration. JS only.
import { send, type TelemetryValue } from 'telemetry';
import { Interpreter, type Kernels } from 'tflm';
import type { AppResult } from '../../lib/app.ts';
import { run as runSelftest } from '../../lib/helpers-selftest.ts';

export const cases = 1;

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
  return new Interpreter('models/hello_world_int8.tflite', { kernels });
}

export function populate(_caseIndex: number): void {}

export function respond(): AppResult {
  return { label: -1, score: 0, value: 0 };
}

export function check(): boolean {
  return true;
}
