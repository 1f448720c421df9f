// A short bounded fuzz run of both byte parsers under ASan/UBSan, and the replay of every
// stored regression input (`npm run fuzz -- --seconds N` runs longer).
import { describe, expect, it } from 'vitest';
import { fuzzTargets, runFuzz } from '../../host/fuzz/fuzz.ts';

describe.each(fuzzTargets.map((t) => [t.name, t] as const))('fuzzing %s', (_name, target) => {
  it('runs clean for 20 s and replays the stored inputs', async () => {
    const result = await runFuzz(target, 20);
    expect(result.crashed, result.output).toBe(false);
    expect(result.executions).toBeGreaterThan(1000);
  }, 180_000);
});
