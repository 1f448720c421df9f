// The test data directory: the project's own copy (testdata/), falling back to ../shared/testdata
// only for data that has not been copied in (a user's clone has no ../shared).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.ts';

export function dataDir(): string {
  const own = path.join(repoRoot, 'testdata');
  if (fs.existsSync(own)) return own;
  const shared = path.resolve(repoRoot, '..', 'shared', 'testdata');
  if (fs.existsSync(shared)) return shared;
  throw new Error(`no test data: expected ${own}`);
}
