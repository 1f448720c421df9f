// The report as one self-contained HTML page (report.html): the same tables as the text views
// plus chart.js charts, with chart.js read from node_modules at report time and inlined, so the
// page needs no network when viewed. After drawing, the page records on <body> how many charts
// it drew and whether each canvas really has paint on it (the report test reads these back).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BenchResult, BenchRun } from '../bench/result.ts';
import { hasTimings, orderedRuns, appsOf, withDerived } from './overhead.ts';
import {
  buildSections,
  implLabel,
  phaseChartId,
  reportHeader,
  reportTitle,
  unitInfo,
  type Section,
  type Table,
} from './tables.ts';

/** One chart of the page: where it goes, its chart.js configuration (plain JSON), and the fill
 *  colours its bars use (the page looks for them to prove the bars were painted). */
export interface ChartSpec {
  id: string;
  section: 'phases' | 'distribution' | 'ops';
  title: string;
  width: number;
  height: number;
  colors: string[];
  config: unknown;
}

const phaseColors = { populate: '#1f77b4', invoke: '#ff7f0e', respond: '#2ca02c', other: '#7f7f7f' };
const runPalette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function runName(run: BenchRun): string {
  return `${implLabel(run.impl)} · ${run.kernels}`;
}

function axisOptions(unit: string, stacked: boolean, indexAxis: 'x' | 'y' = 'x') {
  const value = { stacked, beginAtZero: true, title: { display: true, text: unit } };
  const category = { stacked };
  return indexAxis === 'x' ? { x: category, y: value } : { x: value, y: category };
}

function baseOptions(title: string) {
  return {
    responsive: false,
    animation: false,
    devicePixelRatio: 1,
    plugins: { title: { display: true, text: title }, legend: { display: true, position: 'bottom' } },
  };
}

function phaseCharts(runs: BenchRun[], unit: string): ChartSpec[] {
  const specs: ChartSpec[] = [];
  for (const app of appsOf(runs)) {
    const kernelSets = [...new Set(runs.filter((r) => r.app === app).map((r) => r.kernels))];
    for (const kernels of kernelSets) {
      const set = runs.filter((r) => r.app === app && r.kernels === kernels && hasTimings(r));
      if (!set.length) continue;
      const other = set.map((r) =>
        Math.max(
          0,
          r.phases.total.median - r.phases.populate.median - r.phases.invoke.median - r.phases.respond.median,
        ),
      );
      const datasets = (['populate', 'invoke', 'respond'] as const).map((p) => ({
        label: p.toUpperCase(),
        data: set.map((r) => r.phases[p].median),
        backgroundColor: phaseColors[p],
      }));
      if (other.some((v) => v > 0))
        datasets.push({ label: 'rest of the iteration', data: other, backgroundColor: phaseColors.other });
      const title = `${app} · ${kernels} kernels: median per phase (${unit})`;
      specs.push({
        id: phaseChartId(app, kernels),
        section: 'phases',
        title,
        width: 440,
        height: 300,
        colors: datasets.map((d) => d.backgroundColor),
        config: {
          type: 'bar',
          data: { labels: set.map((r) => implLabel(r.impl)), datasets },
          options: { ...baseOptions(title), scales: axisOptions(unit, true) },
        },
      });
    }
  }
  return specs;
}

/** Histogram bins over [min, max]; one bin when every total is equal (QEMU counts often are). */
export function histogram(values: number[], maxBins = 20): { labels: string[]; counts: number[] } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const distinct = new Set(values).size;
  const bins = Math.max(1, Math.min(maxBins, distinct));
  if (bins === 1 || max === min) return { labels: [Math.round(min).toLocaleString('en-US')], counts: [values.length] };
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  const labels = counts.map((_, i) => `≥${Math.round(min + i * width).toLocaleString('en-US')}`);
  return { labels, counts };
}

function distributionCharts(runs: BenchRun[], unit: string): ChartSpec[] {
  return runs
    .filter((r) => hasTimings(r) && r.totals.length > 0)
    .map((run) => {
      const h = histogram(run.totals);
      const color =
        run.impl === 'c'
          ? '#555555'
          : run.impl === 'js'
            ? '#1f77b4'
            : run.impl === 'js-helpers'
              ? '#2ca02c'
              : '#9467bd';
      const title = `${run.app} · ${runName(run)}: iteration totals (${run.totals.length})`;
      return {
        id: `chart-dist-${run.app}-${run.impl}-${run.kernels}`,
        section: 'distribution' as const,
        title,
        width: 380,
        height: 240,
        colors: [color],
        config: {
          type: 'bar',
          data: {
            labels: h.labels,
            datasets: [{ label: `iterations per bin (${unit})`, data: h.counts, backgroundColor: color }],
          },
          options: {
            ...baseOptions(title),
            plugins: { title: { display: true, text: title }, legend: { display: false } },
            scales: {
              x: { title: { display: true, text: `total per iteration (${unit})` } },
              y: { beginAtZero: true, title: { display: true, text: 'iterations' }, ticks: { precision: 0 } },
            },
          },
        },
      };
    });
}

function opsCharts(runs: BenchRun[], unit: string): ChartSpec[] {
  const specs: ChartSpec[] = [];
  for (const app of appsOf(runs)) {
    const withOps = runs.filter((r) => r.app === app && r.ops && r.ops.length);
    if (!withOps.length) continue;
    const indices = [...new Set(withOps.flatMap((r) => r.ops!.map((o) => o.index)))].sort((a, b) => a - b);
    const labels = indices.map((i) => {
      const op = withOps.flatMap((r) => r.ops!).find((o) => o.index === i);
      return `#${i} ${op?.op ?? '?'}`;
    });
    const datasets = withOps.map((run, k) => ({
      label: runName(run),
      data: indices.map((i) => run.ops!.find((o) => o.index === i)?.time ?? 0),
      backgroundColor: runPalette[k % runPalette.length],
    }));
    const title = `${app}: INVOKE per op (${unit})`;
    specs.push({
      id: `chart-ops-${app}`,
      section: 'ops',
      title,
      width: 590,
      height: Math.max(240, 90 + indices.length * withOps.length * 18),
      colors: datasets.map((d) => d.backgroundColor),
      config: {
        type: 'bar',
        data: { labels, datasets },
        options: { ...baseOptions(title), indexAxis: 'y', scales: axisOptions(unit, false, 'y') },
      },
    });
  }
  return specs;
}

/** Every chart the page draws, in page order. */
export function chartSpecs(input: BenchResult): ChartSpec[] {
  const runs = orderedRuns(input.runs);
  const unit = unitInfo(input).unit;
  return [...phaseCharts(runs, unit), ...distributionCharts(runs, unit), ...opsCharts(runs, unit)];
}

// ---------- page ----------

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside a <script> element: nothing in it may close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function htmlTable(table: Table): string {
  const parts: string[] = [];
  if (table.title) parts.push(`<h3>${esc(table.title)}</h3>`);
  for (const note of table.notes ?? []) parts.push(`<p class="note">${esc(note)}</p>`);
  const cls = (i: number) => (table.align[i] === 'r' ? ' class="num"' : '');
  parts.push('<div class="scroll"><table>');
  parts.push(`<thead><tr>${table.head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr></thead>`);
  parts.push('<tbody>');
  table.rows.forEach((row, r) => {
    const group = table.breaks?.includes(r) ? ' class="group"' : '';
    parts.push(`<tr${group}>${row.map((c, i) => `<td${cls(i)}>${esc(c)}</td>`).join('')}</tr>`);
  });
  parts.push('</tbody></table></div>');
  return parts.join('\n');
}

function figure(s: ChartSpec): string {
  return `<figure><canvas id="${esc(s.id)}" width="${s.width}" height="${s.height}" role="img" aria-label="${esc(s.title)}"></canvas></figure>`;
}

function chartGrid(specs: ChartSpec[]): string {
  if (!specs.length) return '';
  return `<div class="charts">\n${specs.map(figure).join('\n')}\n</div>`;
}

let chartJsSource: string | undefined;

/** chart.js's UMD build from node_modules, made safe to inline in a <script> element. */
export function chartJs(): string {
  if (chartJsSource === undefined) {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
    chartJsSource = fs.readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return chartJsSource;
}

// Runs in the page: draw every chart, then prove each canvas has paint and the bars' own colours.
const driver = `
(function () {
  var specs = JSON.parse(document.getElementById('xsinfer-charts').textContent);
  var body = document.body;
  var drawn = 0, nonblank = 0, blank = [], errors = [];
  function rgb(hex) { return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)]; }
  specs.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    var chart;
    try {
      if (typeof Chart === 'undefined') throw new Error('chart.js did not load');
      chart = new Chart(canvas, spec.config);
      drawn++;
    } catch (e) { errors.push(spec.id + ': ' + (e && e.message ? e.message : e)); return; }
    // Bar colours are looked for inside the plot area only: the legend uses them too.
    var a = chart.chartArea;
    var px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    var inPlot = function (i) { var x = (i / 4) % canvas.width, y = Math.floor(i / 4 / canvas.width); return x >= a.left && x < a.right && y >= a.top && y < a.bottom; };
    var painted = 0, bars = 0, colors = spec.colors.map(rgb);
    for (var i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) continue;
      painted++;
      if (!inPlot(i)) continue;
      for (var k = 0; k < colors.length; k++) {
        if (px[i] === colors[k][0] && px[i + 1] === colors[k][1] && px[i + 2] === colors[k][2]) { bars++; break; }
      }
    }
    var ok = painted > 0 && bars > 0;
    canvas.dataset.nonblank = String(ok);
    canvas.dataset.paintedPixels = String(painted);
    canvas.dataset.barPixels = String(bars);
    if (ok) nonblank++; else blank.push(spec.id);
  });
  body.dataset.chartsExpected = String(specs.length);
  body.dataset.chartsDrawn = String(drawn);
  body.dataset.chartsNonblank = String(nonblank);
  body.dataset.chartsBlank = blank.join(' ');
  if (errors.length) body.dataset.chartErrors = errors.join('; ');
})();
`;

const css = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 0; background: #fafafa; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 6px; padding-top: 8px; border-top: 2px solid #ddd; }
h3 { font-size: 15px; margin: 18px 0 4px; }
ul.meta { list-style: none; padding: 0; margin: 0 0 8px; color: #444; display: flex; flex-wrap: wrap; gap: 4px 20px; }
nav { font-size: 13px; margin: 6px 0 10px; }
nav a { margin-right: 14px; color: #1f5fa8; text-decoration: none; }
p.note { margin: 2px 0 6px; color: #444; max-width: 1000px; }
table { border-collapse: collapse; margin: 6px 0 12px; background: #fff; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d6d6d6; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
th { max-width: 190px; }
.scroll { overflow-x: auto; max-width: 100%; }
tr.group td { border-top: 2px solid #999; }
tbody tr:nth-child(even) td { background: #f7f8fa; }
.tiles { display: flex; flex-wrap: wrap; gap: 0 28px; align-items: flex-start; }
.pair { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.pair figure { margin-top: 18px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 14px; }
figure { margin: 0; background: #fff; border: 1px solid #ddd; padding: 6px; }
canvas { display: block; }
`;

/** The report as a single self-contained HTML page. */
export function renderHtml(input: BenchResult): string {
  const result = withDerived(input);
  const specs = chartSpecs(result);
  const sections = buildSections(result);
  // The distribution charts get their own section right after the phase tables.
  const phasesAt = sections.findIndex((s) => s.id === 'phases');
  const distribution: Section = {
    id: 'distribution',
    title: 'Distribution of iteration totals',
    notes: [
      `Histogram of every timed iteration's total per run (${unitInfo(result).unit}). QEMU instruction counts repeat exactly for equal inputs, so spread comes from the inputs.`,
    ],
    tables: [],
  };
  if (specs.some((s) => s.section === 'distribution')) sections.splice(phasesAt + 1, 0, distribution);
  const title = reportTitle(result);
  const body: string[] = [];
  body.push(`<h1>${esc(title)}</h1>`);
  body.push(
    `<ul class="meta">${reportHeader(result)
      .map((l) => `<li>${esc(l)}</li>`)
      .join('')}</ul>`,
  );
  body.push(`<nav>${sections.map((s) => `<a href="#${s.id}">${esc(s.title)}</a>`).join('')}</nav>`);
  for (const section of sections) {
    body.push(`<section id="${esc(section.id)}">`, `<h2>${esc(section.title)}</h2>`);
    for (const note of section.notes ?? []) body.push(`<p class="note">${esc(note)}</p>`);
    // Charts that belong to a table sit beside it; the section's other charts form a grid.
    const beside = new Set(section.tables.map((t) => t.chart).filter((id) => specs.some((s) => s.id === id)));
    body.push(chartGrid(specs.filter((s) => s.section === section.id && !beside.has(s.id))));
    if (section.tile) body.push('<div class="tiles">');
    for (const table of section.tables) {
      const spec = specs.find((s) => s.id === table.chart);
      body.push(
        spec
          ? `<div class="pair"><div>${htmlTable(table)}</div>${figure(spec)}</div>`
          : section.tile
            ? `<div>${htmlTable(table)}</div>`
            : htmlTable(table),
      );
    }
    if (section.tile) body.push('</div>');
    body.push('</section>');
  }
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    `<script type="application/json" id="xsinfer-result">${scriptJson(result)}</script>`,
    `<script type="application/json" id="xsinfer-charts">${scriptJson(specs)}</script>`,
    `<script>${chartJs()}</script>`,
    `<script>${driver}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
