// Small file helpers for generated build inputs.
import fs from 'node:fs';
import path from 'node:path';

/** Writes a file only when its content changes, so Ninja does not rebuild needlessly. */
export function writeIfChanged(file: string, content: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}
