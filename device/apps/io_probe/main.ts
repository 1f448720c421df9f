// io_probe – a test app that breaks the bench's rule on purpose: hello_world with a line
// of text written inside POPULATE (board.write on even cases, XS's trace() on odd ones).
// The bench must report its timing as not I/O-free (test/bench/io-count.test.ts); its C
// twin is native/baseline/io_probe.c.
import { write } from 'board';
import * as hello from '../hello_world/main.ts';

export { cases, check, model, respond, setup } from '../hello_world/main.ts';

export function populate(caseIndex: number): void {
  if (caseIndex % 2 === 0) write(`io_probe: case ${caseIndex}\n`);
  else trace(`io_probe: case ${caseIndex}\n`);
  hello.populate(caseIndex);
}
