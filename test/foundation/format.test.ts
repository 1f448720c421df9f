// The tree is formatted: C by clang-format (.clang-format), TypeScript and JavaScript by
// prettier (.prettierrc.json, .prettierignore). A failure names the files; fix them with
//   clang-format -i <files>      npx prettier --write <files>
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../host/paths.ts';

function trackedFiles(...patterns: string[]): string[] {
  const r = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...patterns], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((f) => f.length > 0);
}

describe('format', () => {
  it('every C file is as clang-format writes it', () => {
    const files = trackedFiles('*.c', '*.h');
    expect(files.length).toBeGreaterThan(50);
    const r = spawnSync('clang-format', ['--dry-run', '--Werror', ...files], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.error, 'clang-format is not installed (npm test bootstraps it)').toBeUndefined();
    const unformatted = [...new Set([...r.stderr.matchAll(/^(\S+?):\d+:\d+: (?:error|warning)/gm)].map((m) => m[1]))];
    expect(unformatted, `run: clang-format -i ${unformatted.join(' ')}`).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('every TypeScript and JavaScript file is as prettier writes it', () => {
    const files = trackedFiles('*.ts', '*.js', '*.mjs');
    expect(files.length).toBeGreaterThan(50);
    const prettier = path.join(repoRoot, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
    const r = spawnSync(process.execPath, [prettier, '--list-different', ...files], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const unformatted = r.stdout.split('\n').filter((f) => f.length > 0);
    expect(unformatted, `run: npx prettier --write ${unformatted.join(' ')}`).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
  });
});
