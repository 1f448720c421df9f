// report.html: self-contained, and in headless Chromium every chart is drawn and has paint
// in its plot area. Controls prove the page's own checks can fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../host/bench/result.ts';
import { summarize } from '../../host/bench/stats.ts';
import { chartSpecs, renderHtml } from '../../host/report/html.ts';
import { writeReport } from '../../host/report/write.ts';
import { attributes, canvases, dumpDom } from './chromium.ts';
import { fixtureResult, ITERATIONS } from './fixture.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-report-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// 3 apps × 2 kernel sets of phase charts + one histogram per run (13) + one per-op chart per app (3)
const EXPECTED_CHARTS = 6 + 13 + 3;

describe('writeReport', () => {
  it('writes report.md, report.html and result.json with the derived fields', () => {
    const paths = writeReport(fixtureResult(), path.join(dir, 'full'));
    expect(paths).toEqual({
      markdown: path.join(dir, 'full', 'report.md'),
      html: path.join(dir, 'full', 'report.html'),
      json: path.join(dir, 'full', 'result.json'),
    });
    const json = JSON.parse(fs.readFileSync(paths.json, 'utf8')) as BenchResult;
    expect(json.overhead).toHaveLength(28);
    expect(json.speedups).toHaveLength(6);
    expect(json.evidence?.every((e) => e.ok)).toBe(true);
    expect(json.seed?.find((s) => s.app === 'micro_speech')?.invokeReference).toBe(413);
    expect(fs.readFileSync(paths.markdown, 'utf8')).toContain('## JS overhead');
  });

  it('makes an HTML page that needs no network', () => {
    const html = fs.readFileSync(path.join(dir, 'full', 'report.html'), 'utf8');
    expect(html.includes('Chart.js v4.6')).toBe(true); // the UMD build, inlined from node_modules
    // Everything but chart.js's own code: no external script, stylesheet, image or font.
    const start = html.indexOf('<script>/*!');
    expect(start).toBeGreaterThan(0);
    const page = html.slice(0, start) + html.slice(html.indexOf('</script>', start));
    expect(page.match(/<script[^>]*\ssrc=/i)).toBeNull();
    expect(page.match(/<link\b/i)).toBeNull();
    expect(page.match(/(src|href)="(https?:)?\/\/[^"]*"/i)).toBeNull();
    expect(page.match(/@import|url\(/i)).toBeNull();
    expect(chartSpecs(fixtureResult())).toHaveLength(EXPECTED_CHARTS);
  });
});

describe('report.html in headless Chromium', () => {
  it('draws every chart and every canvas has paint in its plot area', () => {
    const dom = dumpDom(path.join(dir, 'full', 'report.html'));
    const body = attributes(dom, 'body');
    expect(body.get('data-chart-errors')).toBeUndefined();
    expect(body.get('data-charts-expected')).toBe(String(EXPECTED_CHARTS));
    expect(body.get('data-charts-drawn')).toBe(String(EXPECTED_CHARTS));
    expect(body.get('data-charts-nonblank')).toBe(String(EXPECTED_CHARTS));
    expect(body.get('data-charts-blank')).toBe('');
    const all = canvases(dom);
    expect(all).toHaveLength(EXPECTED_CHARTS);
    for (const c of all) {
      expect(c.get('data-nonblank'), c.get('id')).toBe('true');
      expect(Number(c.get('data-bar-pixels')), c.get('id')).toBeGreaterThan(50);
    }
    // the tables are in the page too
    expect(dom).toContain('+208,450');
    expect(dom).toContain('write-up (ms, F769 — different hardware and unit)');
  });

  it('reports a chart with nothing to draw as blank, and a page without chart.js as not drawn', () => {
    const result = fixtureResult();
    const zero = summarize(new Array<number>(ITERATIONS).fill(0));
    for (const run of result.runs.filter((r) => r.app === 'hello_world' && r.kernels === 'reference')) {
      run.phases = { populate: zero, invoke: zero, respond: zero, total: zero };
    }
    const html = renderHtml(result);
    const blankFile = path.join(dir, 'blank.html');
    fs.writeFileSync(blankFile, html);
    const body = attributes(dumpDom(blankFile), 'body');
    expect(body.get('data-charts-drawn')).toBe(String(EXPECTED_CHARTS));
    expect(body.get('data-charts-nonblank')).toBe(String(EXPECTED_CHARTS - 1));
    expect(body.get('data-charts-blank')).toBe('chart-phases-hello_world-reference');

    const noChartJs = path.join(dir, 'no-chartjs.html');
    const start = html.indexOf('<script>/*!');
    expect(start).toBeGreaterThan(0);
    fs.writeFileSync(
      noChartJs,
      html.slice(0, start) + html.slice(html.indexOf('</script>', start) + '</script>'.length),
    );
    const broken = attributes(dumpDom(noChartJs), 'body');
    expect(broken.get('data-charts-drawn')).toBe('0');
    expect(broken.get('data-chart-errors')).toContain('chart.js did not load');
  });
});
