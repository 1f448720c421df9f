// Named self-checks for device apps: each app reports which checks failed instead of throwing.
export class Checks {
  #passed = 0;
  readonly failed: string[] = [];

  expect(name: string, actual: unknown, expected: unknown): void {
    if (actual === expected) this.#passed++;
    else this.failed.push(`${name}: got ${String(actual)}, want ${String(expected)}`);
  }

  get passed(): number {
    return this.#passed;
  }
}
