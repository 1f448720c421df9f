// The proof on the device: firmware/programs/xs-frontend runs the pure-TS front end under
// XS (host and QEMU mps2-an500) over the 4 embedded clips × 49 frames against the golden
// features, the C engine's front end over the same frames, and the RecognizeCommands
// twins on the shared synthetic stream; every frame must match and the twins must agree.
import { describe, expect, it } from 'vitest';
import { buildFirmware } from '../../host/build/firmware.ts';
import { runProgram } from '../../host/run/program.ts';
import type { Target } from '../../host/targets.ts';

interface FrontendLine {
  c: {
    unit: string;
    num: number;
    den: number;
    frames: number;
    pass: number;
    fail: number;
    clipPass: number;
    createTicks: number;
    frameTicks: { min: number; max: number; sum: number };
    clipTicks: number[];
    firstMismatch: string;
    error: string;
  };
  rc: { match: boolean; c: string; js: string };
  js: {
    frames: number;
    pass: number;
    fail: number;
    clipPass: number;
    firstMismatch: string | null;
    setupTicks: number;
    frameTicks: { min: number; max: number; sum: number; avg: number };
    clipTicks: number[];
    stageTicksClip0: Record<string, number>;
    rc: { steps: number; detections: number };
  };
}

function parse(text: string): FrontendLine {
  const line = text.split('\n').find((l) => l.startsWith('XSINFER-FRONTEND '));
  if (!line) throw new Error(`no XSINFER-FRONTEND line in:\n${text.slice(-2000)}`);
  return JSON.parse(line.slice('XSINFER-FRONTEND '.length)) as FrontendLine;
}

describe.each<Target>(['host', 'mps2-an500'])('xs-frontend on %s', (target) => {
  it('runs the TS front end bit-exactly under XS, beside the C engine, and the RecognizeCommands twins agree', async () => {
    await buildFirmware({ target, quiet: true });
    const run = await runProgram({ target, program: 'xs-frontend', timeoutMs: 240_000 });
    const text = run.output.toString();
    const r = parse(text);
    expect(r.js.firstMismatch).toBeNull();
    expect([r.js.frames, r.js.pass, r.js.fail, r.js.clipPass]).toEqual([196, 196, 0, 4]);
    expect(r.c.error).toBe('');
    expect([r.c.frames, r.c.pass, r.c.fail, r.c.clipPass]).toEqual([196, 196, 0, 4]);
    expect(r.js.rc.detections).toBeGreaterThan(0);
    expect(r.rc.js).toBe(r.rc.c);
    expect(r.rc.match).toBe(true);
    expect(run.exitCode).toBe(0);
    const toUnit = (ticks: number): number => Math.round((ticks * r.c.num) / r.c.den);
    console.log(
      `${target} (${r.c.unit}): TS frame avg ${toUnit(r.js.frameTicks.avg)}, C frame avg ${toUnit(r.c.frameTicks.sum / 196)}, ` +
        `TS clip ${toUnit(r.js.clipTicks[0])}, C clip ${toUnit(r.c.clipTicks[0])}, TS setup ${toUnit(r.js.setupTicks)}`,
    );
  }, 300_000);
});
