// The apps' untimed check, as native/baseline/app_common.c's app_check: the model's output
// bytes equal the golden bytes of the case ("<app>/expected.i8"), and the label matches
// "<app>/labels.u8" when the image has it. The golden bytes are the built-in model's, so
// they apply to a run on another model only when its bytes are the same (goldenApplies).
import { asset, has, int8 } from 'assets';
import type { AppResult } from './app.ts';

/** Whether golden outputs made with the `builtin` model asset apply to a run on `model`:
 * the same asset, or the same bytes (the built-in model uploaded into a slot). C:
 * app_golden_applies. Untimed; at most one pass over the bytes. */
export function goldenApplies(model: string, builtin: string): boolean {
  if (model === builtin) return true;
  if (!has(builtin)) return false;
  const a = asset(model);
  const b = asset(builtin);
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Golden {
  readonly #output: Int8Array;
  readonly #expected: Int8Array;
  readonly #labels: Uint8Array | null;

  constructor(app: string, output: Int8Array) {
    this.#output = output;
    this.#expected = int8(`${app}/expected.i8`);
    this.#labels = has(`${app}/labels.u8`) ? asset(`${app}/labels.u8`) : null;
  }

  check(caseIndex: number, result: AppResult): boolean {
    const output = this.#output;
    const expected = this.#expected;
    const n = output.length;
    const base = caseIndex * n;
    if (n === 0 || base + n > expected.length) return false;
    for (let i = 0; i < n; i++) if (output[i] !== expected[base + i]) return false;
    return this.#labels === null || result.label === this.#labels[caseIndex];
  }
}
