// Where things live in the repository, resolved once from this file's location.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const buildRoot = path.join(repoRoot, 'build');
