// How commands talk: human text on stderr/stdout, and with --json exactly one JSON
// document as the last stdout line (CLI.md).
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export function log(line: string): void {
  process.stderr.write(line + '\n');
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}
