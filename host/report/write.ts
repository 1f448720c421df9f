// Writes a benchmark's report files into a directory: report.md, report.html and result.json
// (the result with every derived field recomputed from its runs), and result.csv on request.
import fs from 'node:fs';
import path from 'node:path';
import type { BenchResult } from '../bench/result.ts';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { withDerived } from './overhead.ts';

export interface ReportPaths {
  markdown: string;
  html: string;
  json: string;
  /** Written only with `csv: true`. */
  csv?: string;
}

export function writeReport(result: BenchResult, outDir: string, opts: { csv?: boolean } = {}): ReportPaths {
  fs.mkdirSync(outDir, { recursive: true });
  const full = withDerived(result);
  const paths: ReportPaths = {
    markdown: path.join(outDir, 'report.md'),
    html: path.join(outDir, 'report.html'),
    json: path.join(outDir, 'result.json'),
  };
  fs.writeFileSync(paths.markdown, renderMarkdown(full));
  fs.writeFileSync(paths.html, renderHtml(full));
  fs.writeFileSync(paths.json, JSON.stringify(full, null, 2) + '\n');
  if (opts.csv) {
    paths.csv = path.join(outDir, 'result.csv');
    fs.writeFileSync(paths.csv, renderCsv(full));
  }
  return paths;
}
