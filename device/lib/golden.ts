// The apps' untimed check, as native/baseline/app_common.c's app_check: the model's output
// bytes equal the golden bytes of the case ("<app>/expected.i8"), and the label matches
// "<app>/labels.u8" when the image has it.
import { asset, has, int8 } from 'assets';
import type { AppResult } from './app.ts';

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
