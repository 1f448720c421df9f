// debug_probe – the debugger's test app, built into the debug flavour only
// (host/build/flavour.ts; test/debug/xsbug.test.ts names its lines by their text):
// hello_world whose POPULATE has a local to read, lines to step over, trace() output and,
// on case 2, an exception the app does not catch.
import * as hello from '../hello_world/main.ts';

export { cases, check, model, respond, setup } from '../hello_world/main.ts';

export function populate(caseIndex: number): void {
  const doubled = caseIndex * 2;
  const label = `debug_probe: case ${caseIndex} doubled ${doubled}`;
  trace(`${label}\n`);
  if (caseIndex === 2) throw new Error(`debug_probe: case ${caseIndex} throws`);
  hello.populate(caseIndex);
}
