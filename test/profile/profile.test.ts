// bench --profile on QEMU: XS's sampling profiler in the profiling firmware names mnist's
// populate (device/apps/mnist/main.ts) as POPULATE's top self-time function; the
// .cpuprofile is valid DevTools data; the release image has no profiler. Plus the host's
// profile arithmetic on hand-made profiles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from 'msgpackr';
import { benchFromRecording, runBench } from '../../host/bench/bench.ts';
import { runSession } from '../../host/bench/session-runs.ts';
import { decodeRecord } from '../../host/bridge/records.ts';
import { buildFirmware, programPath } from '../../host/build/firmware.ts';
import { exec } from '../../host/exec.ts';
import {
  checkCpuProfile,
  summarize,
  toDevtools,
  type CpuProfile,
  type RunProfile,
} from '../../host/profile/profile.ts';
import { decodeVlq } from '../../host/profile/sourcemap.ts';
import { profileQuantum } from '../../host/profile/write.ts';
import { renderMarkdown } from '../../host/report/markdown.ts';
import { renderTerminal } from '../../host/report/terminal.ts';
import { repoRoot } from '../../host/paths.ts';

const tick = { unit: 'instr', num: 40, den: 128 };

function node(id: number, name: string, children: number[], hitCount = 0): CpuProfile['nodes'][number] {
  return {
    id,
    callFrame: { functionName: name, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
    hitCount,
    children,
  };
}

describe('profile arithmetic (host)', () => {
  it('decodes source-map VLQ segments', () => {
    expect(decodeVlq('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeVlq('AACA')).toEqual([0, 0, 1, 0]);
    expect(decodeVlq('D')).toEqual([-1]);
    expect(decodeVlq('gB')).toEqual([16]);
    expect(() => decodeVlq('g')).toThrow(/inside a number/);
  });

  it('decodes the wire profile record (0x7E): phase marks and JSON pieces', () => {
    const frame = (payload: unknown) => ({ type: 0x7e, seq: 9, payload: pack(payload) });
    expect(decodeRecord(frame({ run: 2, i: 0, at: [1, 2, 3, 4_000_000_000] }))).toMatchObject({
      kind: 'profile',
      run: 2,
      i: 0,
      at: [1, 2, 3, 4_000_000_000],
    });
    expect(
      decodeRecord(
        frame({
          run: 2,
          seq: 0,
          data: '{"nodes"',
          last: true,
          truncated: false,
          quantum: 26,
          poolBytes: 8,
          poolPeak: 4,
        }),
      ),
    ).toMatchObject({
      kind: 'profile',
      run: 2,
      pieceSeq: 0,
      data: '{"nodes"',
      last: true,
      truncated: false,
      quantum: 26,
    });
    expect(decodeRecord(frame({ run: 2, i: 0, at: [1, 2] })).kind).toBe('invalid');
    expect(decodeRecord(frame({ run: 2, seq: 0 })).kind).toBe('invalid');
  });

  it('picks the clock quantum for a sample interval', () => {
    // 10,000 instructions = 32,000 ticks = 1,250 units of 25.6 ticks.
    expect(profileQuantum(10_000, tick)).toBe(26);
    expect(profileQuantum(1, tick)).toBe(1);
    expect(profileQuantum(1_250, { num: 1, den: 1 })).toBe(1);
  });

  // (host) → run → {a, b}; b → a as well (a has two callers). Clock units of 4 ticks.
  const run: RunProfile = {
    run: 7,
    quantum: 4,
    origin: 0,
    truncated: false,
    raw: {
      nodes: [
        node(0, '(host)', [2], 0),
        node(1, '(gc)', [], 0),
        node(2, 'run', [3, 4], 1),
        node(3, 'a', [], 2),
        node(4, 'b', [3], 1),
      ],
      startTime: 1000,
      endTime: 1100,
      // samples at 1010 (a), 1030 (a), 1040 (b), 1060 (run)
      samples: [3, 3, 4, 2],
      timeDeltas: [10, 20, 10, 20],
    },
    // POPULATE 4000..4080 ticks = units 1000..1020, INVOKE ..1035, RESPOND ..1050 (ticks / 4)
    marks: [[4000, 4080, 4140, 4200]],
  };

  it('splits samples over the phases by the time they cover', () => {
    const s = summarize(run, tick, undefined, repoRoot, { app: 'x', impl: 'js', kernels: 'optimized' });
    const scale = 4 * (40 / 128);
    const [populate, invoke, respond] = s.phases;
    expect(populate!.span).toBeCloseTo(20 * scale);
    // (1000, 1010] → a; (1010, 1020] of the a sample at 1030
    expect(populate!.rows).toEqual([
      { function: 'a', where: '', self: 20 * scale, total: 20 * scale, totalBound: false },
    ]);
    // INVOKE (1020, 1035]: a's sample (1010, 1030] gives 10; b's sample (1030, 1040] was
    // taken after INVOKE ended, so its 5 inside INVOKE count for the previous sample's a
    expect(invoke!.rows.map((r) => [r.function, r.self / scale, r.totalBound])).toEqual([['a', 15, false]]);
    // RESPOND (1035, 1050]: b's sample gives 5, run's (taken after RESPOND) 10 more for b;
    // b calls a, which has another caller: b's total is an upper bound
    expect(respond!.rows.map((r) => [r.function, r.self / scale, r.total / scale, r.totalBound])).toEqual([
      ['b', 15, 15, true],
    ]);
    expect(s.iterations).toBe(1);
    expect(s.interval).toBeCloseTo(1250 * scale);
  });

  it('widens 32-bit phase marks across tick-counter wraps', () => {
    const base = 2 ** 32 - 100;
    const wrapped: RunProfile = {
      run: 1,
      quantum: 1,
      origin: base,
      truncated: false,
      raw: {
        nodes: [node(0, '(host)', [2]), node(2, 'f', [], 2)],
        startTime: 0,
        endTime: 400,
        samples: [2, 2],
        timeDeltas: [200, 2 ** 32 + 200],
      },
      // POPULATE from 50 to 110 ticks after the origin (across the wrap), INVOKE 60 more,
      // and the second iteration one whole counter period (2^32 ticks) later
      marks: [
        [2 ** 32 - 50, 10, 70, 80],
        [2 ** 32 - 50, 10, 70, 80],
      ],
    };
    const s = summarize(wrapped, { unit: 'cycles', num: 1, den: 1 }, undefined, repoRoot, {
      app: 'x',
      impl: 'js',
      kernels: 'reference',
    });
    expect(s.phases.map((p) => p.span)).toEqual([60, 60, 10]);
    expect(s.phases[0]!.rows[0]!.self).toBe(60);
  });

  it('a truncated profile counts only the iterations before its last sample', () => {
    const cut = summarize(
      { ...run, truncated: true, marks: [run.marks[0]!, [4300, 4400, 4500, 4600]] },
      tick,
      undefined,
      repoRoot,
      { app: 'x', impl: 'js', kernels: 'optimized' },
    );
    // the second iteration (units 1075..1150) lies after the last sample (1060)
    expect(cut.iterations).toBe(1);
    expect(cut.truncated).toBe(true);
    expect(cut.phases[0]!.span).toBeCloseTo(20 * 4 * (40 / 128));
  });

  it('turns the function graph into a DevTools tree in the target unit', () => {
    const d = toDevtools(run, tick, undefined, repoRoot);
    expect(checkCpuProfile(d)).toEqual([]);
    // a keeps its first caller (run); (gc) hangs under (host)
    expect(d.nodes.find((n) => n.id === 4)!.children).toEqual([]);
    expect(d.nodes.find((n) => n.id === 0)!.children).toEqual([1, 2]);
    expect(d.timeDeltas.reduce((a, v) => a + v, 0)).toBe(Math.round(1060 * 1.25) - Math.round(1000 * 1.25));
    // and the checker catches what breaks the format
    expect(checkCpuProfile({ ...d, samples: [...d.samples, 3] })).toContain(
      'samples (5) and timeDeltas (4) differ in length',
    );
    expect(
      checkCpuProfile({
        ...d,
        nodes: [...d.nodes.slice(0, 2), { ...d.nodes[2]!, children: [3, 4, 3] }, ...d.nodes.slice(3)],
      }),
    ).toContain('node 3 has two parents (2, 2)');
  });
});

describe('bench --profile on mps2-an500', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-profile-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("profiles mnist: populate is POPULATE's top self-time function, at its .ts line", async () => {
    const { result } = await runBench({
      target: 'mps2-an500',
      apps: ['mnist'],
      impls: ['js'],
      kernels: ['optimized'],
      iterations: 3,
      warmup: 1,
      ops: false,
      outDir: out,
      profile: {},
    });
    expect(result.runs.every((r) => r.correct !== false)).toBe(true);
    const mnist = result.profiles!.find((p) => p.app === 'mnist')!;
    expect(mnist).toBeDefined();
    expect(mnist.truncated).toBe(false);
    expect(mnist.iterations).toBe(3);
    const populate = mnist.phases.find((p) => p.phase === 'populate')!;
    const top = populate.rows[0]!;
    expect(top.function).toBe('populate');
    const source = fs.readFileSync(path.join(repoRoot, 'device/apps/mnist/main.ts'), 'utf8').split('\n');
    const line = source.findIndex((l) => l.startsWith('export function populate(')) + 1;
    expect(top.where).toBe(`device/apps/mnist/main.ts:${line}`);
    // nearly all of POPULATE is populate's own loop, and the samples cover the phase
    expect(top.self / populate.span).toBeGreaterThan(0.9);
    expect(populate.sampled / populate.span).toBeGreaterThan(0.95);
    expect(populate.sampled / populate.span).toBeLessThan(1.0001);
    // INVOKE is the host method invoke (the C engine), not JS
    const invoke = mnist.phases.find((p) => p.phase === 'invoke')!;
    expect(invoke.rows[0]!.function).toMatch(/invoke/);
    expect(invoke.rows[0]!.where).toBe('');

    // the .cpuprofile: valid DevTools data, lines in the .ts
    const file = path.join(out, 'profiles', 'mnist.cpuprofile');
    expect(mnist.file).toBe(file);
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    expect(checkCpuProfile(profile)).toEqual([]);
    expect(profile.samples.length).toBe(profile.timeDeltas.length);
    expect(profile.samples.length).toBeGreaterThan(100);
    expect(profile.endTime).toBeGreaterThan(profile.startTime);
    const pop = profile.nodes.find((n) => n.callFrame.functionName === 'populate')!;
    expect(pop.callFrame.url).toBe('device/apps/mnist/main.ts');
    expect(pop.callFrame.lineNumber).toBe(line - 1);

    // the report says where the numbers come from
    const md = renderMarkdown(result);
    expect(md).toContain('## Where the JS time goes (profiling build)');
    expect(md).toMatch(/\| POPULATE \([\d,]+\) \| populate \| device\/apps\/mnist\/main\.ts:\d+ \|/);
    expect(renderTerminal(result)).toContain('== Where the JS time goes (profiling build) ==');

    // `xsinfer report` rebuilds the same tables (and profiles) from the recording
    const again = path.join(out, 'again');
    const replayed = benchFromRecording(path.join(out, 'recording.xsirec'), again);
    expect(replayed.profiles!.map(({ file: _f, ...p }) => p)).toEqual(result.profiles!.map(({ file: _f, ...p }) => p));
    expect(fs.readFileSync(path.join(again, 'profiles', 'mnist.cpuprofile'), 'utf8')).toBe(
      fs.readFileSync(file, 'utf8'),
    );
  });

  it('a release device refuses a profiled run', async () => {
    await expect(
      runSession({
        target: 'mps2-an500',
        outDir: path.join(out, 'release'),
        runs: [{ app: 'mnist', impl: 'js', kernels: 'optimized', iterations: 1, warmup: 0, ops: false, profile: 26 }],
      }),
    ).rejects.toThrow(/profile needs the profiling firmware/);
  });

  it('the release image has no profiler, the profiling image has it', async () => {
    await buildFirmware({ target: 'mps2-an500' });
    await buildFirmware({ target: 'mps2-an500', flavour: 'profile' });
    const symbols = async (elf: string) => {
      const r = await exec('arm-none-eabi-nm', [elf]);
      expect(r.code).toBe(0);
      return r.stdout;
    };
    const release = await symbols(programPath('mps2-an500', 'xsinfer'));
    const profiled = await symbols(programPath('mps2-an500', 'xsinfer', 'profile'));
    expect(profiled).toMatch(/ fxCreateProfiler$/m);
    expect(profiled).toMatch(/ fxCheckProfiler$/m);
    expect(release).not.toMatch(/Profiler/);
    expect(release).not.toMatch(/xsinfer_xs_profile/);
  });
});
