// The arena planner (native/engine/src/plan.c) on its own: test/engine/plan-harness.c is
// built with plan.c alone (host gcc, ASan + UBSan) and checks lifetimes, RESHAPE buffer
// sharing and placement on hand-built graphs and on 400 random ones. planner.test.ts
// checks the same planner inside the engine against TFLM's figures.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../host/paths.ts';
import { compileSanitized } from './signal-harness.ts';

describe('arena planner unit checks (host)', () => {
  it('lifetimes, sharing and placement hold on hand-built and random graphs', () => {
    const src = path.join(repoRoot, 'native', 'engine', 'src');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-plan-')), 'plan-harness');
    compileSanitized(
      [path.join(src, 'plan.c'), path.join(repoRoot, 'test', 'engine', 'plan-harness.c')],
      [path.join(repoRoot, 'native', 'engine', 'include'), src],
      out,
    );
    const r = spawnSync(out, [], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^PLAN OK \d+\n$/);
    expect(r.status).toBe(0);
  });
});
