// Plain aligned text of the report for a terminal or a pipe: no colour, ASCII only (so
// columns line up whatever the terminal thinks of ambiguous-width characters).
import type { BenchResult } from '../bench/result.ts';
import { withDerived } from './overhead.ts';
import { buildSections, reportHeader, reportTitle, type Table } from './tables.ts';

const ascii: Record<string, string> = {
  '−': '-',
  '×': 'x',
  '·': '/',
  '—': '-',
  '–': '-',
  '’': "'",
  '→': '->',
  '~': '~',
};

export function toAscii(s: string): string {
  return s.replace(/[^\x20-\x7e\n]/g, (ch) => ascii[ch] ?? '?');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderTable(table: Table, width = 100): string[] {
  const head = table.head.map(toAscii);
  const rows = table.rows.map((r) => r.map(toAscii));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) =>
    table.align[i] === 'r' ? text.padStart(widths[i]) : text.padEnd(widths[i]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => cell(c ?? '', i))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out: string[] = [];
  if (table.title) out.push(toAscii(table.title));
  for (const note of table.notes ?? []) out.push(...wrap(toAscii(note), width));
  out.push(line(head), rule);
  rows.forEach((r, i) => {
    if (table.breaks?.includes(i)) out.push(rule);
    out.push(line(r));
  });
  return out;
}

/** The whole report as terminal text (derived fields are recomputed from the runs). */
export function renderTerminal(input: BenchResult, opts: { width?: number } = {}): string {
  const width = opts.width ?? 100;
  const result = withDerived(input);
  const out: string[] = [toAscii(reportTitle(result)), ...reportHeader(result).map(toAscii)];
  for (const section of buildSections(result)) {
    out.push('', `== ${toAscii(section.title)} ==`);
    for (const note of section.notes ?? []) out.push(...wrap(toAscii(note), width));
    for (const table of section.tables) out.push('', ...renderTable(table, width));
  }
  return out.join('\n') + '\n';
}
