// Moddable's Timer class on the device (module "timer", QEMU mps2-an500): a deployed app
// sets one-shot, repeating, cleared and rescheduled timers from its setup; they fire from
// the firmware's idle loop after the run (never inside it), in due order, each as often as
// it should. Time (module "time") gives the ms clock and Timer.delay blocks for its ms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRecord, UserRecord } from '../../host/bridge/protocol.ts';
import { buildFirmware } from '../../host/build/firmware.ts';
import { deploy } from '../../host/deploy/deploy.ts';
import { appRoot, bootBoard, changedApp, closeBoard, type Board } from '../deploy/fixtures.ts';

const HEADER = `import Timer from 'timer';
import Time, { ticks32 } from 'time';
import { send } from 'telemetry';

let armed = false;
// Set inside the run (setup); its callback, from the idle loop after the run, sets the rest,
// so their due times count from a quiet device.
function armTimers(): void {
  if (armed) return;
  armed = true;
  Timer.set(() => {
    send('timer', { name: 'first', at: 0 });
    setTimers();
  });
}

function setTimers(): void {
  const t0 = Time.ticks;
  const log = (name: string) => send('timer', { name, at: Time.delta(t0) });
  const before = Time.ticks;
  Timer.delay(3);
  send('delay', { ms: Time.ticks - before, us: Time.microseconds > 0, ticks32: typeof ticks32() });
  Timer.set(() => log('once-50'), 50);
  let n = 0;
  Timer.repeat((id) => {
    n++;
    log('repeat-' + n);
    if (n === 3) Timer.clear(id);
  }, 100);
  const cancelled = Timer.set(() => log('cancelled'), 250);
  Timer.clear(cancelled);
  Timer.set(() => log('once-350'), 350);
  const moved = Timer.set(() => log('moved-to-400'), 20);
  Timer.schedule(moved, 400);
  Timer.set((id) => {
    log('set-repeat');
    Timer.clear(id);
    Timer.clear(id); // clearing twice does nothing
  }, 450, 10);
  Timer.set(() => log('end'), 600);
}
`;

describe('Timer on mps2-an500', () => {
  let board: Board;
  let recs: DeviceRecord[] = [];
  let doneAt = -1;

  beforeAll(async () => {
    await buildFirmware({ target: 'mps2-an500' });
    board = await bootBoard('mps2-an500');
    const app = changedApp(
      appRoot(),
      'hello_world',
      'timer_check',
      [['  return m.interp;\n}', '  armTimers();\n  return m.interp;\n}']],
      HEADER,
    );
    const r = await deploy({ app, target: 'mps2-an500', session: board.session });
    expect(r.started).toBe(true);
    const from = board.session.records.length;
    await board.session.command(
      { kind: 'run', app: 'deployed', impl: 'js', iterations: 2, warmup: 0 },
      { timeoutMs: 10_000 },
    );
    await board.session.waitFor(
      (x) => x.kind === 'user' && x.name === 'timer' && (x.value as { name: string }).name === 'end',
      60_000,
      from,
    );
    recs = board.session.records.slice(from);
    doneAt = recs.findIndex((x) => x.kind === 'done');
  }, 240_000);
  afterAll(async () => {
    if (board) await closeBoard(board);
  });

  const fired = () =>
    recs
      .filter((r): r is UserRecord => r.kind === 'user' && r.name === 'timer')
      .map((r) => r.value as { name: string; at: number });

  it('fires every timer in due order, each as often as set, cleared ones never', () => {
    expect(recs.filter((r) => r.kind === 'error')).toEqual([]);
    expect(fired().map((f) => f.name)).toEqual([
      'first',
      'once-50',
      'repeat-1',
      'repeat-2',
      'repeat-3',
      'once-350',
      'moved-to-400',
      'set-repeat',
      'end',
    ]);
  });

  it('fires no earlier than due, and only after the run ended (from the idle loop)', () => {
    const due: Record<string, number> = {
      first: 0,
      'once-50': 50,
      'repeat-1': 100,
      'repeat-2': 200,
      'repeat-3': 300,
      'once-350': 350,
      'moved-to-400': 400,
      'set-repeat': 450,
      end: 600,
    };
    for (const f of fired()) expect(f.at).toBeGreaterThanOrEqual(due[f.name]);
    const firstTimer = recs.findIndex((r) => r.kind === 'user' && r.name === 'timer');
    expect(doneAt).toBeGreaterThanOrEqual(0);
    expect(firstTimer).toBeGreaterThan(doneAt);
    const iters = recs.filter((r) => r.kind === 'iter');
    expect(iters).toHaveLength(2);
  });

  it('Timer.delay blocks for its ms of the board clock; Time reads ms and µs', () => {
    const delay = recs.find((r): r is UserRecord => r.kind === 'user' && r.name === 'delay')!;
    const v = delay.value as { ms: number; us: boolean; ticks32: string };
    expect(v.ms).toBeGreaterThanOrEqual(3);
    expect(v.ms).toBeLessThanOrEqual(4);
    expect(v.us).toBe(true);
    expect(v.ticks32).toBe('number');
  });
});
