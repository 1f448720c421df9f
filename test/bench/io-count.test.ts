// I/O-free timing proved by counting: the board counts every byte handed to the UART and
// every text output call, each `iter` record carries the counts inside POPULATE, INVOKE and
// RESPOND, and the report reads them. Every shipped app (JS and C) counts 0 on QEMU and
// the host target; the io_probe test app, which writes a line inside POPULATE (board.write
// and XS's trace() in TypeScript, console_printf in C), is reported as not I/O-free, run
// and report alike.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planRuns, resultFromRecords } from '../../host/bench/bench.ts';
import type { BenchResult } from '../../host/bench/result.ts';
import { runSession } from '../../host/bench/session-runs.ts';
import type { DeviceRecord, IterRecord } from '../../host/bridge/protocol.ts';
import { buildFirmware } from '../../host/build/firmware.ts';
import { renderMarkdown, withDerived } from '../../host/report/index.ts';

const SHIPPED = ['hello_world', 'micro_speech', 'micro_speech_stream', 'mnist', 'person_detect'];
const ITERATIONS = 2;
const PROBE_LINE = (i: number) => `io_probe: case ${i}\n`.length; // what each POPULATE writes

for (const target of ['mps2-an500', 'host'] as const) {
  describe(`I/O counting on ${target}`, () => {
    let result: BenchResult; // the shipped apps, as `bench` runs them (one session)
    let probe: BenchResult; // io_probe, in a session of its own
    let iters: IterRecord[];

    // One session per app: the pure-TypeScript stream front end needs most of the XS heap,
    // which a session that ran other apps first may have fragmented.
    async function session(app: string): Promise<{ records: DeviceRecord[] }> {
      const runs = planRuns({
        apps: [app],
        impls: ['js', 'c'],
        kernels: ['reference'],
        iterations: ITERATIONS,
        warmup: 1,
        ops: false,
      });
      return runSession({
        target,
        runs: runs.filter((r) => r.app !== 'micro'),
        outDir: fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-io-')),
      });
    }

    beforeAll(async () => {
      await buildFirmware({ target });
      const records: DeviceRecord[] = [];
      for (const app of SHIPPED) {
        const s = await session(app);
        // Run ids restart at 0 in each session: renumber so collectRuns keeps them apart.
        const base = records.filter((r) => r.kind === 'done').length;
        for (const r of s.records) {
          if (r.kind === 'info' && records.some((x) => x.kind === 'info')) continue;
          if (r.kind === 'iter' || r.kind === 'done') records.push({ ...r, run: r.run + base });
          else records.push(r);
        }
      }
      const probed = await session('io_probe');
      result = withDerived(resultFromRecords(records));
      probe = withDerived(resultFromRecords(probed.records));
      iters = [...records, ...probed.records].filter((r): r is IterRecord => r.kind === 'iter');
    }, 600_000);

    it('every iteration carries counts for its three phases', () => {
      expect(iters.length).toBe((result.runs.length + probe.runs.length) * ITERATIONS);
      for (const i of iters) expect(i.io).toBeDefined();
    });

    it('counts 0 bytes and 0 calls in every timed phase of every shipped app, JS and C', () => {
      const shipped = result.evidence!;
      // hello_world, micro_speech (3 impls), micro_speech_stream (3), mnist, person_detect: JS and
      // C; and TS + helpers (apps/<app>_fast) of hello_world, micro_speech, mnist, person_detect
      expect(shipped.length).toBe(2 + 3 + 3 + 2 + 2 + 4);
      for (const e of shipped) {
        expect([e.app, e.impl, e.counted, e.bytes, e.calls, e.ok]).toEqual([e.app, e.impl, ITERATIONS, 0, 0, true]);
      }
      for (const run of result.runs) expect(run.ioFree).toBe(true);
      expect(renderMarkdown(result)).toMatch(/\| hello_world \| reference \| C \|.*\| yes \(0 B, 0 calls\) \|/);
    });

    it('reports the logging test app as not I/O-free, in C and in JS, with the output where it happened', () => {
      for (const impl of ['js', 'c'] as const) {
        const run = probe.runs.find((r) => r.app === 'io_probe' && r.impl === impl)!;
        expect(run.correct).toBe(true); // it still computes the right answer
        expect(run.ioFree).toBe(false);
        expect(run.io!.calls).toEqual({ populate: ITERATIONS, invoke: 0, respond: 0 });
        // Each line reaches the UART inside POPULATE as a framed `log` record: more bytes than the text.
        expect(run.io!.bytes.populate).toBeGreaterThan(PROBE_LINE(0) * ITERATIONS);
        expect(run.io!.bytes.invoke + run.io!.bytes.respond).toBe(0);
        const ev = probe.evidence!.find((e) => e.app === 'io_probe' && e.impl === impl)!;
        expect([ev.ok, ev.phasesWithIo]).toEqual([false, ['populate']]);
      }
      const md = renderMarkdown(probe);
      expect(md).toMatch(/\| io_probe \| reference \| C \|.*\| NO: [\d,]+ B, 2 calls in POPULATE \|/);
      expect(md).toMatch(/\| io_probe \| reference \| JS \|.*\| NO: [\d,]+ B, 2 calls in POPULATE \|/);
      expect(md).toMatch(/0 of 2 runs proven free of I\/O in timed regions/);
    });
  });
}
