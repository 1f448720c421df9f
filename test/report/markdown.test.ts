// The text views: markdown rows and units, the write-up's figures labelled as such, cycles
// with ms beside them on the F769, and a terminal view that is ASCII and aligned.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../host/report/markdown.ts';
import { renderTerminal } from '../../host/report/terminal.ts';
import { fixtureF769, fixtureResult, makeRun } from './fixture.ts';
import { withDerived } from '../../host/report/overhead.ts';

const lines = (text: string) => text.split('\n');
const row = (...cells: string[]) => `| ${cells.join(' | ')} |`;

describe('markdown report', () => {
  const md = renderMarkdown(fixtureResult());

  it('names the target and the unit', () => {
    expect(md).toContain('# xsinfer bench — mps2-an500 (instr)');
    expect(md).toContain('instr = guest instructions retired on mps2-an500 (QEMU -icount shift=7)');
  });

  it('has the seed-shaped phase tables with JS and C rows side by side', () => {
    expect(md).toContain('### mnist · optimized kernels');
    expect(md).toContain(
      row('phase', 'impl', 'min (instr)', 'median (instr)', 'avg (instr)', 'p95 (instr)', 'max (instr)'),
    );
    // base 212,400, spread 40 × (−10..10): p95 is the 20th of 21 (nearest rank) = base + 9 × 40
    const populateJs = row('POPULATE', 'JS', '212,000', '212,400', '212,400', '212,760', '212,800');
    const populateC = row('POPULATE', 'C', '3,950', '3,950', '3,950', '3,950', '3,950');
    const all = lines(md);
    const at = all.indexOf(populateJs);
    expect(at).toBeGreaterThan(0);
    expect(all[at + 1]).toBe(populateC);
    expect(md).toContain(row('total', 'C', '1,002,162', '1,002,172', '1,002,172', '1,002,181', '1,002,182'));
    expect(md).toContain(
      row('INVOKE', 'JS + C front end', '1,402,700', '1,402,700', '1,402,700', '1,402,700', '1,402,700'),
    );
  });

  it('has the JS overhead rows, absolute and as % of the C iteration', () => {
    expect(md).toContain(
      row(
        'app',
        'kernels',
        'JS variant',
        'phase',
        'JS median (instr)',
        'C median (instr)',
        'JS − C (instr)',
        '% of C iteration',
      ),
    );
    expect(md).toContain(row('mnist', 'optimized', 'JS', 'POPULATE', '212,400', '3,950', '+208,450', '+20.8 %'));
    expect(md).toContain(
      row('micro_speech', 'reference', 'JS', 'total', '50,373,532', '11,660,302', '+38,713,230', '+332.0 %'),
    );
    expect(md).toContain(
      row('micro_speech', 'optimized', 'JS + C front end', 'POPULATE', '2,610,000', '2,540,000', '+70,000', '+1.8 %'),
    );
  });

  it('states the timer share of JS − C beside the overhead, without subtracting it', () => {
    expect(md).toContain('265 instr for two back-to-back ticks32() from JS, 9 for two board_ticks() from C');
    expect(md).toContain('≈256 instr of each phase’s JS − C is the timer');
    expect(md).toContain(row('timer cost inside each timed span, JS − C (not subtracted)', '+256'));
    const older = fixtureResult();
    delete older.micro!.timerSpan; // a result from before the figure was reported
    const olderMd = renderMarkdown(older);
    expect(olderMd).toContain('## JS overhead');
    expect(olderMd).not.toContain('is the timer');
  });

  it('shows the speed-up with the write-up’s rows labelled as different hardware and unit', () => {
    expect(md).toContain(
      row('ours (instr, mps2-an500)', 'micro_speech', 'C', '9,120,100', '1,402,300', '6.50×', '−84.6 %'),
    );
    expect(md).toContain(
      row(
        'write-up (ms, F769 — different hardware and unit)',
        'micro_speech',
        'TFLM C++',
        '413 ms',
        '52 ms',
        '7.94×',
        '−87.4 %',
      ),
    );
    expect(md).toContain(
      row(
        'write-up (ms, F769 — different hardware and unit)',
        'mnist',
        'TFLM C++',
        '52 ms',
        '13 ms',
        '4.00×',
        '−75.0 %',
      ),
    );
    // every line that carries a write-up figure says what it is
    for (const line of lines(md).filter((l) => l.includes('413 ms') || l.includes('TFLM C++')))
      expect(line).toMatch(/different hardware and unit/);
  });

  it('puts the write-up’s F769 ms beside our medians, labelled', () => {
    expect(md).toContain(
      row(
        'app',
        'phase',
        'write-up F769 ms (different hardware and unit)',
        'ours JS median (instr)',
        'ours C median (instr)',
      ),
    );
    expect(md).toContain(row('mnist', 'RESPOND', '93', '6,480', '410'));
    expect(md).toContain(row('micro_speech', 'RESPOND', '~0', '3,020', '190'));
  });

  it('has the micro-benchmark, memory and model tables', () => {
    expect(md).toContain(row('empty JS → C call (net)', '163'));
    expect(md).toContain(row('fill input tensor', '784 bytes', '198,700', '434', '+198,266', '457.8×', '253', '0.6'));
    expect(md).toContain(row('arg-max', '10 values', '2,350', '88', '+2,262', '26.7×', '235', '8.8'));
    expect(md).toContain(row('mnist_int8', '10,496', '532', '11,028', '11,124', '−96'));
    expect(md).toContain(row('XS heap peak', '97,344'));
    expect(md).toContain(row('C stack peak', '5,240'));
    expect(md).toContain(row('total', '469,936', '458.9', '100.0 %'));
    expect(md).toContain('Keras FLOPs (write-up, pre-quant.)');
    expect(md).toContain(
      row(
        'micro_speech_quantized',
        '4',
        '336,000',
        '672,000',
        '676,004',
        '689,980',
        '27.1',
        '4.2',
        '6.50×',
        '9,332,854',
        '1,489,512',
      ),
    );
    expect(md).toContain(
      row('hello_world_int8', '3', '288', '576', '609', '41', '18.8', '12.3', '1.53×', '5,493', '3,602'),
    );
  });

  it('has the per-op breakdown when runs carry ops', () => {
    expect(md).toContain('### micro_speech · optimized kernels · C');
    expect(md).toContain(row('1', 'DEPTHWISE_CONV_2D', '320,000', '1,368,000', '4.3', '97.6 %'));
  });

  it('gives cycles with ms at the clock on the F769, and no "different hardware" there', () => {
    const f7 = renderMarkdown(fixtureF769());
    expect(f7).toContain('# xsinfer bench — stm32f769i-disco (cycles)');
    expect(f7).toContain(
      row(
        'phase',
        'impl',
        'min (cycles)',
        'median (cycles)',
        'avg (cycles)',
        'p95 (cycles)',
        'max (cycles)',
        'median ms',
        'avg ms',
      ),
    );
    // 1,402,300 cycles at 216 MHz = 6.492 ms
    expect(f7).toContain(
      row('INVOKE', 'C', '1,402,300', '1,402,300', '1,402,300', '1,402,300', '1,402,300', '6.492', '6.492'),
    );
    expect(f7).toContain('write-up (ms, F769 — same board, different method)');
    expect(f7).not.toContain('different hardware');
  });

  it('names ns on the host target', () => {
    const host = renderMarkdown({ ...fixtureResult(), target: 'host', unit: 'ns' });
    expect(host).toContain('median (ns)');
    expect(host).toContain('ns = CLOCK_MONOTONIC nanoseconds on host');
    expect(host).not.toContain('median (instr)'); // only the TFLM anchor columns stay in instr, labelled
  });
});

describe('what the runs were checked against', () => {
  it('calls checked runs bit-exact, and says the stream is checked partly against TFLM data, partly against our C app', () => {
    const result = withDerived(fixtureResult());
    const md = renderMarkdown(result);
    expect(md).toMatch(/\| hello_world \| reference \| C \| [\d,]+ \| \d+ \| yes \(bit-exact\) \|/);
    expect(md).toMatch(/"bit-exact": every iteration's output bytes equal the golden output produced by real TFLM/);
    expect(md).not.toMatch(/micro_speech_stream:/);
    const stream = makeRun('micro_speech_stream', 'c', 'reference', {
      populate: 10,
      invoke: 20,
      respond: 30,
      spread: [0, 0, 0],
    });
    const withStream = renderMarkdown(withDerived({ ...result, runs: [...result.runs, stream] }));
    expect(withStream).toMatch(
      /\| micro_speech_stream \| reference \| C \|.*\| yes \(TFLM data \+ own C, see note\) \|/,
    );
    expect(withStream).toMatch(/micro_speech_stream: steps 0–48 .* against TFLM data/);
    expect(withStream).toMatch(
      /Steps 49–198 and every decision are therefore checked against our C engine only, not against TFLM\./,
    );
  });
});

describe('terminal report', () => {
  const text = renderTerminal(fixtureResult());

  it('is plain ASCII without colour codes', () => {
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('aligns every table: all rows of a table are as wide as its rule or narrower, columns start together', () => {
    const all = lines(text);
    const header = all.findIndex((l) => l.startsWith('phase     impl  min (instr)'));
    expect(header).toBeGreaterThan(0);
    const rule = all[header + 1];
    expect(rule).toMatch(/^-+( +-+)+$/);
    // the right edge of each right-aligned column is where its rule segment ends
    const ends = [...rule.matchAll(/-+/g)].map((m) => m.index! + m[0].length);
    const body = all.slice(header + 2, header + 2 + 11).filter((l) => !l.startsWith('-'));
    for (const l of body) for (const end of ends.slice(2)) expect(l[end - 1]).toMatch(/[0-9]/);
    expect(text).toContain('POPULATE  JS          1,820           1,850        1,850        1,877        1,880');
  });

  it('carries the same rows as the markdown', () => {
    expect(text).toContain(
      'write-up (ms, F769 - different hardware and unit)  micro_speech  TFLM C++     413 ms      52 ms     7.94x  -87.4 %',
    );
    expect(text).toMatch(/mnist +optimized +JS +POPULATE +212,400 +3,950 +\+208,450 +\+20\.8 %/);
  });
});
