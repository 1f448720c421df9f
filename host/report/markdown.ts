// The report as GitHub-flavoured markdown (report.md): the same tables as the terminal view.
import type { BenchResult } from '../bench/result.ts';
import { withDerived } from './overhead.ts';
import { buildSections, reportHeader, reportTitle, type Table } from './tables.ts';

function escapeCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(table: Table): string[] {
  const out: string[] = [];
  if (table.title) out.push(`### ${table.title}`, '');
  for (const note of table.notes ?? []) out.push(note, '');
  out.push(`| ${table.head.map(escapeCell).join(' | ')} |`);
  out.push(`|${table.align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`);
  for (const row of table.rows) out.push(`| ${row.map(escapeCell).join(' | ')} |`);
  out.push('');
  return out;
}

export function renderMarkdown(input: BenchResult): string {
  const result = withDerived(input);
  const out: string[] = [`# ${reportTitle(result)}`, '', ...reportHeader(result).map((l) => `- ${l}`), ''];
  for (const section of buildSections(result)) {
    out.push(`## ${section.title}`, '');
    for (const note of section.notes ?? []) out.push(note, '');
    for (const table of section.tables) out.push(...markdownTable(table));
  }
  return out.join('\n');
}
