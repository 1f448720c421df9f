// The report's content as plain tables (title, notes, header, rows of text), built once from a
// BenchResult and rendered by terminal.ts, markdown.ts and html.ts alike, so the three views
// can never disagree about a number.
import type { BenchResult, BenchRun, Impl, IoEvidence, Phase } from '../bench/result.ts';
import { phases } from '../bench/result.ts';
import { hasTimings, orderedRuns, appsOf } from './overhead.ts';
import { appModel } from './seed.ts';
import { profileSection } from './profile-section.ts';

export type Align = 'l' | 'r';

export interface Table {
  title?: string;
  notes?: string[];
  head: string[];
  align: Align[];
  rows: string[][];
  /** Row indices before which the terminal view draws a rule (groups of rows). */
  breaks?: number[];
  /** Id of the chart the HTML view shows beside this table. */
  chart?: string;
}

export function phaseChartId(app: string, kernels: string): string {
  return `chart-phases-${app}-${kernels}`;
}

export interface Section {
  id: string;
  title: string;
  notes?: string[];
  tables: Table[];
  /** The HTML view may lay the tables out side by side (they are small and independent). */
  tile?: boolean;
}

// ---------- formatting ----------

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const threeDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** A timing or count: whole numbers with separators; fractions keep one decimal below 100. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (Number.isInteger(v) || Math.abs(v) >= 100) return intFormat.format(Math.round(v)).replace('-', '−');
  return oneDecimal.format(v).replace('-', '−');
}

export function fmtSigned(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  return v > 0 ? `+${fmt(v)}` : fmt(v);
}

export function fmtPct(v: number | null | undefined, signed = false): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  const s = (v !== 0 && Math.abs(v) < 1 ? twoDecimals : oneDecimal).format(v).replace('-', '−');
  return `${signed && v > 0 ? '+' : ''}${s} %`;
}

export function fmtRatio(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return `${(v >= 10 ? oneDecimal : twoDecimals).format(v)}×`;
}

export function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  if (a === 0) return '0';
  // three significant digits below 1 ms, so a 46-cycle phase does not read as 0.000
  if (a < 1) return Number(v.toPrecision(3)).toString().replace('-', '−');
  return (a >= 100 ? oneDecimal : a >= 10 ? twoDecimals : threeDecimals).format(v);
}

/** How the write-up's figures differ from ours on this target. */
export function seedCaveat(result: Pick<BenchResult, 'target'>): string {
  return result.target === 'stm32f769i-disco' ? 'same board, different method' : 'different hardware and unit';
}

export function fmtBytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return intFormat.format(v);
}

// ---------- units ----------

export interface UnitInfo {
  /** Short unit name for column headers: instr, cycles, ns. */
  unit: string;
  /** One sentence saying what a unit is on this target. */
  long: string;
  /** Milliseconds for a value, when the clock rate is known (F769). */
  ms?: (v: number) => number;
  hz?: number;
}

/** Appends the right-aligned ms columns `names` when the unit converts to ms. */
function msColumns(u: UnitInfo, head: string[], align: Align[], ...names: string[]): void {
  if (!u.ms) return;
  head.push(...names);
  align.push(...names.map((): Align => 'r'));
}

export function unitInfo(result: Pick<BenchResult, 'unit' | 'hz' | 'target'>): UnitInfo {
  const hz = result.hz && result.hz > 0 ? result.hz : undefined;
  const ms = hz ? (v: number) => (v * 1000) / hz : undefined;
  const mhz = hz ? `${fmt(hz / 1e6)} MHz` : 'unknown clock';
  switch (result.unit) {
    case 'instr':
      return {
        unit: 'instr',
        long: `instr = guest instructions retired on ${result.target} (QEMU -icount shift=7): exactly repeatable, not Cortex-M7 cycles`,
        ms,
        hz,
      };
    case 'cycles':
      return { unit: 'cycles', long: `cycles = DWT CYCCNT on ${result.target} @ ${mhz}; ms = cycles / clock`, ms, hz };
    case 'ns':
      return {
        unit: 'ns',
        long: `ns = CLOCK_MONOTONIC nanoseconds on ${result.target} (a Linux process, not the MCU)`,
        ms,
        hz,
      };
    default:
      return { unit: result.unit, long: `${result.unit} on ${result.target}`, ms, hz };
  }
}

// ---------- labels ----------

export const phaseLabel: Record<Phase, string> = {
  populate: 'POPULATE',
  invoke: 'INVOKE',
  respond: 'RESPOND',
  total: 'total',
};

export function implLabel(impl: Impl | string): string {
  return impl === 'js'
    ? 'JS'
    : impl === 'c'
      ? 'C'
      : impl === 'js-native-frontend'
        ? 'JS + C front end'
        : impl === 'js-helpers'
          ? 'JS + helpers'
          : impl;
}

const stats = ['min', 'median', 'avg', 'p95', 'max'] as const;

// ---------- sections ----------

/** The I/O-free column: what the board's output counters said about the run's timed phases. */
function ioVerdict(ev: IoEvidence | undefined): string {
  if (!ev) return 'n/a';
  if (ev.ok) return 'yes (0 B, 0 calls)';
  if (ev.bytes + ev.calls > 0)
    return `NO: ${fmt(ev.bytes)} B, ${fmt(ev.calls)} calls in ${ev.phasesWithIo.map((p) => phaseLabel[p]).join(', ')}`;
  if (ev.counted < ev.iterations)
    return ev.counted === 0 ? 'not counted' : `unproven (${ev.counted}/${ev.iterations} counted)`;
  return 'unproven (records lost)';
}

function runsSection(result: BenchResult, u: UnitInfo): Section {
  const evidence = result.evidence ?? [];
  const rows = orderedRuns(result.runs).map((run) => {
    const ev = evidence.find((e) => e.app === run.app && e.impl === run.impl && e.kernels === run.kernels);
    const drained =
      run.iterationsDevice === undefined ? `${run.iterations}/?` : `${run.iterations}/${run.iterationsDevice}`;
    const verdict = ioVerdict(ev);
    return [
      run.app,
      run.kernels,
      implLabel(run.impl),
      fmt(run.iterations),
      fmt(run.warmup),
      run.correct === null
        ? `unchecked (${run.model ?? 'model'})`
        : run.correct
          ? correctLabel(run)
          : `NO (${run.wrong} wrong)`,
      fmt(run.txOverflow),
      run.tx ? `${run.tx.peak}/${run.tx.cap}` : 'n/a',
      drained,
      verdict,
    ];
  });
  return {
    id: 'runs',
    title: 'Runs',
    notes: [
      u.long + '.',
      'Each run: warm-up iterations, then timed iterations. Telemetry records are buffered while timing and sent between iterations. ' +
        'I/O-free timing is counted, not inferred: the board counts every byte handed to the UART and every text output call (console, trace(), board.write), ' +
        'each iteration reports the counts inside POPULATE, INVOKE and RESPOND, and a run is I/O-free when every timed iteration reported 0 and 0 ' +
        'and every one reached the host (received/device; TX overflow 0). Reading the counters does no I/O and sits inside the spans: ' +
        "C reads two words after each tick read, JS's ticks32() latches them (on mps2-an500 about 5–8 and 14 instructions per phase).",
      ...modelNote(result.runs),
      ...checkNotes(result.runs),
    ],
    tables: [
      {
        head: [
          'app',
          'kernels',
          'impl',
          'iterations',
          'warm-up',
          'correct',
          'TX overflow',
          'TX peak/cap',
          'received/device',
          'I/O-free timing',
        ],
        align: ['l', 'l', 'l', 'r', 'r', 'l', 'r', 'r', 'r', 'l'],
        rows,
      },
    ],
  };
}

function phaseTable(runs: BenchRun[], app: string, kernels: string, u: UnitInfo): Table {
  const set = runs.filter((r) => r.app === app && r.kernels === kernels);
  const head = ['phase', 'impl', ...stats.map((s) => `${s} (${u.unit})`)];
  const align: Align[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r'];
  msColumns(u, head, align, 'median ms', 'avg ms');
  const rows: string[][] = [];
  const breaks: number[] = [];
  for (const phase of phases) {
    breaks.push(rows.length);
    for (const run of set) {
      if (!hasTimings(run)) {
        rows.push([
          phaseLabel[phase],
          implLabel(run.impl),
          ...stats.map(() => 'no iterations'),
          ...(u.ms ? ['', ''] : []),
        ]);
        continue;
      }
      const s = run.phases[phase];
      const row = [phaseLabel[phase], implLabel(run.impl), ...stats.map((k) => fmt(s[k]))];
      if (u.ms) row.push(fmtMs(u.ms(s.median)), fmtMs(u.ms(s.avg)));
      rows.push(row);
    }
  }
  const n = set
    .filter(hasTimings)
    .map((r) => `${implLabel(r.impl)} ${r.iterations}`)
    .join(', ');
  return {
    title: `${app} · ${kernels} kernels`,
    notes: [`Timed iterations: ${n || 'none'}.`],
    head,
    align,
    rows,
    breaks: breaks.slice(1),
    chart: phaseChartId(app, kernels),
  };
}

function phasesSection(result: BenchResult, u: UnitInfo): Section {
  const runs = orderedRuns(result.runs);
  const tables: Table[] = [];
  for (const app of appsOf(runs)) {
    for (const kernels of [...new Set(runs.filter((r) => r.app === app).map((r) => r.kernels))]) {
      tables.push(phaseTable(runs, app, kernels, u));
    }
  }
  return {
    id: 'phases',
    title: `Phases per app and kernel set (${u.unit})`,
    notes: [
      `The write-up's POPULATE / INVOKE / RESPOND split, JS and C side by side; total = one whole iteration. Unit: ${u.unit}.`,
    ],
    tables,
  };
}

function seedSection(result: BenchResult, u: UnitInfo): Section {
  const seed = result.seed ?? [];
  const runs = result.runs;
  const rows: string[][] = [];
  const breaks: number[] = [];
  const get = (app: string, impl: string, phase: Phase) => {
    const run = runs.find((r) => r.app === app && r.impl === impl && r.kernels === 'optimized' && hasTimings(r));
    return run ? run.phases[phase].median : undefined;
  };
  const apps = [...new Set([...seed.map((s) => s.app), ...appsOf(runs)])];
  for (const app of apps) {
    const s = seed.find((x) => x.app === app);
    breaks.push(rows.length);
    for (const phase of ['populate', 'invoke', 'respond'] as const) {
      const key = phase === 'invoke' ? 'invokeCmsis' : phase;
      const v = s ? s[key] : null;
      const seedText = v === null || v === undefined ? '–' : `${s?.approx?.includes(key) ? '~' : ''}${fmt(v)}`;
      const js = get(app, 'js', phase);
      const c = get(app, 'c', phase);
      const row = [app, phaseLabel[phase], seedText, fmt(js), fmt(c)];
      if (u.ms) row.push(js === undefined ? 'n/a' : fmtMs(u.ms(js)), c === undefined ? 'n/a' : fmtMs(u.ms(c)));
      rows.push(row);
    }
  }
  const head = [
    'app',
    'phase',
    `write-up F769 ms (${seedCaveat(result)})`,
    `ours JS median (${u.unit})`,
    `ours C median (${u.unit})`,
  ];
  const align: Align[] = ['l', 'l', 'r', 'r', 'r'];
  msColumns(u, head, align, 'ours JS ms', 'ours C ms');
  return {
    id: 'seed',
    title: "Beside the write-up's F769 table",
    notes: [
      `The write-up's column is its STM32F769 figure in ms with CMSIS-NN on: averages over ~1 minute with serial output inside the timed region — ${seedCaveat(result)}; shown for orientation only, not as a target.`,
      `Ours: optimized kernels (our CMSIS-NN-style set), medians, unit ${u.unit} on ${result.target}.`,
    ],
    tables: [{ head, align, rows, breaks: breaks.slice(1) }],
  };
}

function overheadSection(result: BenchResult, u: UnitInfo): Section {
  const rows: string[][] = [];
  const breaks: number[] = [];
  let last = '';
  for (const o of result.overhead) {
    const group = `${o.app}/${o.kernels}/${o.impl}`;
    if (group !== last) breaks.push(rows.length);
    last = group;
    const row = [
      o.app,
      o.kernels,
      implLabel(o.impl),
      phaseLabel[o.phase],
      fmt(o.js),
      fmt(o.c),
      fmtSigned(o.jsMinusC),
      fmtPct(o.pctOfC, true),
    ];
    if (u.ms) row.push(fmtMs(u.ms(o.jsMinusC)));
    rows.push(row);
  }
  const head = [
    'app',
    'kernels',
    'JS variant',
    'phase',
    `JS median (${u.unit})`,
    `C median (${u.unit})`,
    `JS − C (${u.unit})`,
    '% of C iteration',
  ];
  const align: Align[] = ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r'];
  msColumns(u, head, align, 'JS − C ms');
  return {
    id: 'overhead',
    title: 'JS overhead',
    notes: [
      'JS − C = median of the JS run − median of the C run, per phase; % of C iteration = that difference / the C run’s median total × 100. ' +
        'INVOKE is native C in both loops, so its difference is the cost of calling it from JS.',
      ...timerNote(result, u),
    ],
    tables: [{ head, align, rows, breaks: breaks.slice(1) }],
  };
}

/** How much of each JS − C figure is the loops' own timer reads: measured apart (the
 * micro-benchmarks' back-to-back reads), stated, never subtracted from the spans. */
function timerNote(result: BenchResult, u: UnitInfo): string[] {
  const m = result.micro as BenchResult['micro'] | undefined;
  if (m?.timerSpan === undefined) return [];
  return [
    `Timer: every span includes the reads that bound it — ${fmt(m.timerSpan)} ${u.unit} for two back-to-back ticks32() from JS, ${fmt(m.timerReadC)} for two board_ticks() from C — ` +
      `so ≈${fmt(m.timerSpan - m.timerReadC)} ${u.unit} of each phase’s JS − C is the timer, not the app. The figures above are as measured, not corrected for it.`,
  ];
}

function speedupSection(result: BenchResult, u: UnitInfo): Section {
  const rows: string[][] = [];
  for (const s of result.speedups ?? []) {
    rows.push([
      `ours (${u.unit}, ${result.target})`,
      s.app,
      implLabel(s.impl),
      fmt(s.reference),
      fmt(s.optimized),
      fmtRatio(s.ratio),
      fmtPct(s.changePct, true),
    ]);
  }
  const seedRows = (result.seed ?? []).filter((s) => s.invokeReference !== null && s.invokeCmsis !== null);
  const breaks = rows.length && seedRows.length ? [rows.length] : [];
  for (const s of seedRows) {
    const approx = (k: 'invokeReference' | 'invokeCmsis') => (s.approx?.includes(k) ? '~' : '');
    const ref = s.invokeReference as number;
    const opt = s.invokeCmsis as number;
    const exact = !s.approx?.includes('invokeReference') && !s.approx?.includes('invokeCmsis') && opt > 0;
    rows.push([
      `write-up (ms, F769 — ${seedCaveat(result)})`,
      s.app,
      'TFLM C++',
      `${approx('invokeReference')}${fmt(ref)} ms`,
      `${approx('invokeCmsis')}${fmt(opt)} ms`,
      exact ? fmtRatio(ref / opt) : 'n/a',
      exact ? fmtPct((100 * (opt - ref)) / ref, true) : 'n/a',
    ]);
  }
  return {
    id: 'speedup',
    title: 'INVOKE speed-up: reference → optimized kernels',
    notes: [
      `Median INVOKE with the reference kernels and with the optimized (CMSIS-NN-style) kernels. The write-up's rows are CMSIS_NN=OFF → ON on its F769 in ms (${seedCaveat(result)}), for orientation only.`,
    ],
    tables: [
      {
        head: ['source', 'app', 'impl', 'reference', 'optimized', 'speed-up', 'change'],
        align: ['l', 'l', 'l', 'r', 'r', 'r', 'r'],
        rows,
        breaks,
      },
    ],
  };
}

function notMeasured(id: string, title: string): Section {
  return { id, title, notes: ['Not measured in this result.'], tables: [] };
}

function microSection(result: BenchResult, u: UnitInfo): Section {
  const m = result.micro as BenchResult['micro'] | undefined;
  if (!m) return notMeasured('micro', 'Micro-benchmarks');
  const basics: Table = {
    title: 'Calls and timer',
    head: ['what', `cost (${u.unit})`],
    align: ['l', 'r'],
    rows: [
      ['empty JS → C call (net)', fmt(m.emptyCall)],
      ['timer read from JS', fmt(m.timerRead)],
      ['timer read from C', fmt(m.timerReadC)],
      ...(m.timerSpan === undefined
        ? []
        : [['timer cost inside each timed span, JS − C (not subtracted)', fmtSigned(m.timerSpan - m.timerReadC)]]),
      ...(m.arith
        ? [
            ['JS integer step (n + 7) & 1023 (net)', fmt(m.arith.int)],
            ['JS double step x * 0.999 + 0.25 (net)', fmt(m.arith.double)],
          ]
        : []),
    ],
  };
  const per = (v: number, n: number) => (n > 0 ? fmt(v / n) : 'n/a');
  /** A building block over `n` elements: JS, C, their difference and ratio, each per element, JS + helpers. */
  const block = (what: string, size: string, n: number, js: number, c: number, helpers: number | undefined) => [
    what,
    size,
    fmt(js),
    fmt(c),
    fmtSigned(js - c),
    fmtRatio(c > 0 ? js / c : NaN),
    per(js, n),
    per(c, n),
    ...(helpers === undefined ? ['n/a', 'n/a'] : [fmt(helpers), per(helpers, n)]),
  ];
  const rows: string[][] = m.fillInput.map((f) =>
    block('fill input tensor', `${fmt(f.bytes)} byte${f.bytes === 1 ? '' : 's'}`, f.bytes, f.js, f.c, f.helpers),
  );
  const breaks = m.fillInput.length && m.argmax.length ? [rows.length] : [];
  for (const a of m.argmax) rows.push(block('arg-max', `${fmt(a.n)} values`, a.n, a.js, a.c, a.helpers));
  const constructLabel: Record<string, string> = {
    jsCall: 'call of an empty JS function',
    closureCall: 'call of a closure returning a captured local',
    propGet: 'property read (o.b)',
    globalGet: 'global read (Math)',
    elementGet: 'typed-array element read (a[i])',
    elementSet: 'typed-array element write (a[i] = v)',
    alloc: 'allocate a small object ({ a: i })',
    gc: 'one garbage collection (the heap as the bench left it)',
  };
  const constructs: Table[] = m.constructs
    ? [
        {
          title: 'JS constructs (per operation, net of the loop)',
          head: ['construct', `cost (${u.unit})`],
          align: ['l', 'r'],
          rows: Object.entries(m.constructs).map(([k, v]) => [constructLabel[k] ?? k, fmt(v)]),
        },
      ]
    : [];
  return {
    id: 'micro',
    title: 'Micro-benchmarks',
    tile: true,
    notes: [
      `Building blocks of POPULATE and RESPOND, JS against C, in ${u.unit}. "JS + helpers": the same work as one call of the native helpers module (mapBytes, argmax).`,
    ],
    tables: [
      basics,
      {
        title: 'Per element',
        head: [
          'benchmark',
          'size',
          `JS (${u.unit})`,
          `C (${u.unit})`,
          'JS − C',
          'JS / C',
          'JS per element',
          'C per element',
          `JS + helpers (${u.unit})`,
          'JS + helpers per element',
        ],
        align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        rows,
        breaks,
      },
      ...constructs,
    ],
  };
}

function memorySection(result: BenchResult): Section {
  const mem = result.memory as BenchResult['memory'] | undefined;
  if (!mem) return notMeasured('memory', 'Memory');
  const arena: Table = {
    title: 'Tensor arena (bytes)',
    notes: [
      "TFLM = TFLM's arena_used_bytes on the M7 (ANCHORS-m7-qemu.md), the like-for-like figure; the write-up rounded its arenas to 1 / 7 / 11 kB.",
    ],
    head: ['model', 'head', 'tail', 'total', 'TFLM (M7)', 'ours − TFLM'],
    align: ['l', 'r', 'r', 'r', 'r', 'r'],
    rows: mem.arena.map((a) => [
      a.model,
      fmtBytes(a.head),
      fmtBytes(a.tail),
      fmtBytes(a.total),
      fmtBytes(a.tflm),
      a.tflm === null ? 'n/a' : fmtSigned(a.total - a.tflm),
    ]),
  };
  const runtime: Table = {
    title: 'Runtime memory (bytes)',
    head: ['what', 'bytes'],
    align: ['l', 'r'],
    rows: [
      ['XS heap configured', fmtBytes(mem.xsHeap.configured)],
      ['XS heap peak', fmtBytes(mem.xsHeap.peak)],
      ['JS stack peak', fmtBytes(mem.jsStackPeak)],
      ['C stack peak', fmtBytes(mem.cStackPeak)],
    ],
  };
  const flashEntries = Object.entries(mem.flash);
  const flashTotal = flashEntries.reduce((a, [, v]) => a + v, 0);
  const flash: Table = {
    title: 'Flash by component (bytes)',
    head: ['component', 'bytes', 'KB', 'share'],
    align: ['l', 'r', 'r', 'r'],
    rows: [
      ...flashEntries.map(([k, v]) => [
        k,
        fmtBytes(v),
        oneDecimal.format(v / 1024),
        fmtPct(flashTotal > 0 ? (100 * v) / flashTotal : NaN),
      ]),
      ['total', fmtBytes(flashTotal), oneDecimal.format(flashTotal / 1024), flashTotal > 0 ? '100.0 %' : 'n/a'],
    ],
    breaks: flashEntries.length ? [flashEntries.length] : [],
  };
  return { id: 'memory', title: 'Memory', tables: [arena, runtime, flash], tile: true };
}

function modelSection(result: BenchResult, u: UnitInfo): Section {
  if (!result.models?.length) return notMeasured('models', 'Models');
  const hasTflm = result.models.some(
    (m) => m.tflm && (m.tflm.reference !== undefined || m.tflm.optimized !== undefined),
  );
  const head = [
    'model',
    'ops',
    'MACs',
    'FLOPs (2×MAC)',
    'FLOPs + bias',
    'Keras FLOPs (write-up, pre-quant.)',
    `${u.unit}/MAC ref`,
    `${u.unit}/MAC opt`,
    'speed-up',
  ];
  const align: Align[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  if (hasTflm) {
    head.push('TFLM ref (instr)', 'TFLM CMSIS-NN (instr)');
    align.push('r', 'r');
  }
  const perMac = (v: number | undefined) => (v === undefined ? 'n/a' : v >= 100 ? fmt(v) : oneDecimal.format(v));
  const rows = result.models.map((m) => {
    const row = [
      m.model,
      fmt(m.ops),
      fmt(m.macs),
      fmt(m.flops),
      fmt(m.flopsPlusBias),
      m.kerasFlops === undefined ? '–' : fmt(m.kerasFlops),
      perMac(m.instrPerMac.reference),
      perMac(m.instrPerMac.optimized),
      fmtRatio(m.speedup),
    ];
    if (hasTflm) row.push(fmt(m.tflm?.reference), fmt(m.tflm?.optimized));
    return row;
  });
  return {
    id: 'models',
    title: 'Models',
    notes: [
      "MACs and FLOPs are counted on the .tflite graphs we run (FLOPs = 2 × MACs; + bias adds one per output of biased layers). The write-up's Keras FLOPs were counted on the pre-quantization Keras models: shown for reference, not comparable.",
      `${u.unit}/MAC = median INVOKE / MACs.` +
        (hasTflm
          ? ' TFLM columns: real TFLM (+ CMSIS-NN) instructions per invoke on mps2-an500, -DNDEBUG (the anchors).'
          : ''),
    ],
    tables: [{ head, align, rows }],
  };
}

function opsSection(result: BenchResult, u: UnitInfo): Section | undefined {
  const withOps = orderedRuns(result.runs).filter((r) => r.ops && r.ops.length);
  if (!withOps.length) return undefined;
  const tables = withOps.map((run): Table => {
    const ops = run.ops!;
    const sum = ops.reduce((a, o) => a + o.time, 0);
    const rows = ops.map((o) => [
      String(o.index),
      o.op,
      fmt(o.macs),
      fmt(o.time),
      o.macs > 0 ? oneDecimal.format(o.time / o.macs) : '–',
      fmtPct(sum > 0 ? (100 * o.time) / sum : NaN),
    ]);
    rows.push(['', 'sum of ops', fmt(ops.reduce((a, o) => a + o.macs, 0)), fmt(sum), '', sum > 0 ? '100.0 %' : 'n/a']);
    return {
      title: `${run.app} · ${run.kernels} kernels · ${implLabel(run.impl)}`,
      head: ['#', 'op', 'MACs', u.unit, `${u.unit}/MAC`, 'share'],
      align: ['r', 'l', 'r', 'r', 'r', 'r'],
      rows,
      breaks: [ops.length],
    };
  });
  return {
    id: 'ops',
    title: 'Per-op breakdown of INVOKE',
    notes: [`One profiled invoke per run, ${u.unit}.`],
    tables,
    tile: true,
  };
}

/** Counted runs: the core's cycles, the instructions derived from the DWT counters and
 *  CPI, beside QEMU's instruction count of the same run in the same build (--qemu). */
function countersSection(result: BenchResult, u: UnitInfo): Section | undefined {
  const counted = orderedRuns(result.runs).filter((r) => r.counters);
  if (!counted.length) return undefined;
  const qemu = result.qemu;
  const rows: string[][] = [];
  const breaks: number[] = [];
  for (const run of counted) {
    const ref = qemu?.runs.find(
      (q) => q.app === run.app && q.impl === run.impl && q.kernels === run.kernels && q.model === run.model,
    );
    if (rows.length) breaks.push(rows.length);
    for (const p of phases) {
      const c = run.counters![p];
      const q = ref?.instr[p];
      rows.push([
        run.app,
        run.kernels,
        implLabel(run.impl),
        phaseLabel[p],
        fmt(c.cycles),
        fmt(c.instr),
        Number.isFinite(c.cpi) ? twoDecimals.format(c.cpi) : '–',
        fmt(c.stalls.cpi),
        fmt(c.stalls.lsu),
        fmt(c.stalls.exc),
        fmt(c.stalls.sleep),
        fmt(c.stalls.fold),
        fmt(c.samples),
        q === undefined ? '–' : fmt(q),
        q ? fmtRatio(c.instr / q) : '–',
      ]);
    }
  }
  const notes = [
    ...(result.target === 'host'
      ? [
          'host: a software stand-in for the counters (fixed fractions of the ns clock, firmware/targets/host/board.c) that tests the counted path; its figures describe no core.',
        ]
      : []),
    `Medians per phase of the counted runs on ${result.target}: ${u.unit} from DWT CYCCNT, instructions derived as CYCCNT − CPICNT − EXCCNT − SLEEPCNT − LSUCNT + FOLDCNT, CPI = cycles / instructions.`,
    'The 8-bit counters are read by a SysTick interrupt every 200 cycles while a run is counted, so they never wrap unseen; those interrupts (the "samples" column) cost cycles and their own instructions are inside the derived count. Counted runs are for instruction counts; take cycle timings from runs without --counters.',
    qemu
      ? `QEMU column: median instructions of the same run on ${qemu.target} (QEMU -icount, build ${qemu.build}${qemu.build === result.build ? ', the same build' : `; this report is build ${result.build}`}).`
      : 'No QEMU reference given (bench/report --qemu RESULT.json of a mps2-an500 bench of the same build).',
  ];
  return {
    id: 'counters',
    title: 'Cycles and instructions on the core (DWT) beside QEMU',
    notes,
    tables: [
      {
        head: [
          'app',
          'kernels',
          'impl',
          'phase',
          u.unit,
          'instr (derived)',
          'CPI',
          'CPI stall',
          'LSU stall',
          'EXC',
          'sleep',
          'folded',
          'samples',
          'QEMU instr',
          'instr / QEMU',
        ],
        align: ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        rows,
        breaks,
      },
    ],
  };
}

/** Apps whose every step is checked against the project's own C app, only partly against TFLM data. */
const STREAM_APPS = ['micro_speech_stream'];

/** What a correct run was checked against: TFLM's golden outputs byte for byte (every
 *  shipped model is int8), or, for the stream, partly the project's own C engine. */
function correctLabel(run: BenchRun): string {
  return STREAM_APPS.includes(run.app) ? 'yes (TFLM data + own C, see note)' : 'yes (bit-exact)';
}

function checkNotes(runs: BenchRun[]): string[] {
  const notes = [
    '"bit-exact": every iteration\'s output bytes equal the golden output produced by real TFLM (int8 models; `xsinfer verify` compares float32 models within 1e-5 instead).',
  ];
  if (runs.some((r) => STREAM_APPS.includes(r.app)))
    notes.push(
      "micro_speech_stream: steps 0–48 (the first clip, yes_1000ms, from a fresh state) are checked against TFLM data — each new frame's features, and at step 48 the model's scores; " +
        "every step (0–198) is checked against the project's own C app (native/baseline/micro_speech_stream.c on our engine): features, scores and the RecognizeCommands decision. " +
        'Steps 49–198 and every decision are therefore checked against our C engine only, not against TFLM.',
    );
  return notes;
}

/** Runs on another model than the app's own say so: their timings are that model's. */
function modelNote(runs: BenchRun[]): string[] {
  const onModel = runs.filter((r) => r.model);
  const quoted = (list: BenchRun[]) => [...new Set(list.map((r) => `"${r.model}"`))].join(', ');
  const builtIn = onModel.filter((r) => appModel[r.app]);
  const own = onModel.filter((r) => !appModel[r.app]);
  const notes: string[] = [];
  if (builtIn.length)
    notes.push(
      `Model: ${quoted(builtIn)} instead of the apps' built-in models. "correct" is checked only where that model's bytes equal the built-in model's ` +
        '(the golden outputs are the built-in model\'s); otherwise the run is "unchecked" and JS and C are compared with each other, not with golden data.',
    );
  if (own.length)
    notes.push(
      `Model: ${quoted(own)} with the uploaded input set (apps without a model of their own: the generic app, a deployed app). "correct" checks the set's golden outputs ` +
        'when it has them; otherwise the run is "unchecked" and JS and C are compared with each other, not with golden data.',
    );
  return notes;
}

function summarySection(result: BenchResult, u: UnitInfo): Section {
  const evidence = result.evidence ?? [];
  const correct = result.runs.filter((r) => r.correct).length;
  const unchecked = result.runs.filter((r) => r.correct === null).length;
  const ioFree = evidence.filter((e) => e.ok).length;
  const rows = result.overhead
    .filter((o) => o.phase === 'total')
    .map((o) => {
      const row = [
        o.app,
        o.kernels,
        implLabel(o.impl),
        fmt(o.c),
        fmt(o.js),
        fmtSigned(o.jsMinusC),
        fmtPct(o.pctOfC, true),
      ];
      if (u.ms) row.push(fmtMs(u.ms(o.c)), fmtMs(u.ms(o.js)));
      return row;
    });
  const head = [
    'app',
    'kernels',
    'JS variant',
    `C iteration (${u.unit})`,
    `JS iteration (${u.unit})`,
    'JS − C',
    'JS overhead',
  ];
  const align: Align[] = ['l', 'l', 'l', 'r', 'r', 'r', 'r'];
  msColumns(u, head, align, 'C ms', 'JS ms');
  return {
    id: 'summary',
    title: 'Summary',
    notes: [
      `${correct} of ${result.runs.length} runs correct on every iteration${unchecked ? ` (${unchecked} unchecked: their model is not the app's built-in one, so its golden outputs do not apply)` : ''}; ${ioFree} of ${evidence.length} runs proven free of I/O in timed regions.`,
      `Median whole iteration, JS against C, in ${u.unit}.`,
    ],
    tables: [{ head, align, rows }],
  };
}

/** Every section of the report, in reading order. Expects a result passed through `withDerived`. */
export function buildSections(result: BenchResult): Section[] {
  const u = unitInfo(result);
  const sections = [
    summarySection(result, u),
    runsSection(result, u),
    phasesSection(result, u),
    seedSection(result, u),
    overheadSection(result, u),
    speedupSection(result, u),
    microSection(result, u),
    memorySection(result),
    modelSection(result, u),
    opsSection(result, u),
    countersSection(result, u),
    profileSection(result, u.unit),
  ];
  return sections.filter((s): s is Section => s !== undefined);
}

export function reportTitle(result: BenchResult): string {
  return `xsinfer bench — ${result.target} (${unitInfo(result).unit})`;
}

export function reportHeader(result: BenchResult): string[] {
  return [
    `target: ${result.target}`,
    `unit: ${unitInfo(result).unit}${result.hz ? ` (clock ${fmt(result.hz)} Hz)` : ''}`,
    `build: ${result.build}`,
    `created: ${result.createdAt}`,
  ];
}
