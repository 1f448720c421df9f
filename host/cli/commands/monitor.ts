// `xsinfer monitor` and `xsinfer replay`: the device's records as lines of text, live from
// a link or from a recording, with the receive counters (garbage, bad CRC, gaps, …).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatRecord } from '../../bridge/format.ts';
import { PROTOCOL_VERSION, type DeviceRecord, type TickUnit } from '../../bridge/protocol.ts';
import { readRecording, replayRecording, RecordingWriter } from '../../bridge/recording.ts';
import { DeviceSession } from '../../bridge/session.ts';
import { boardStatePath, type BoardState } from '../../run/board-session.ts';
import { openBoardLink, setBaudOverride } from '../../run/link-settings.ts';
import { XsinferError } from '../../errors.ts';
import { isQemuTarget, parseTarget } from '../../targets.ts';
import { inputFile, portOption, positiveNumberOption } from '../options.ts';
import { log, printJson } from '../output.ts';

function printer(json: boolean): (r: DeviceRecord) => void {
  let tick: TickUnit | undefined;
  return (r) => {
    if (r.kind === 'info') tick = r.tick;
    process.stdout.write((json ? JSON.stringify(r) : formatRecord(r, tick)) + '\n');
  };
}

/** --port wins; otherwise the QEMU board that `run --keep` left running for the target. */
function portFor(opts: { port?: string; target?: string }): string {
  if (opts.port) return opts.port;
  const target = opts.target ? parseTarget(opts.target) : undefined;
  if (target && isQemuTarget(target)) {
    const file = boardStatePath(target);
    if (!fs.existsSync(file)) {
      throw new XsinferError(
        'BAD_ARGUMENT',
        'no QEMU board is running: start one with `xsinfer run --program xsinfer --keep`, or pass --port',
      );
    }
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as BoardState).serial;
  }
  return 'auto';
}

export function register(program: Command): void {
  program
    .command('monitor')
    .description('live view of a running device: every record as a line, with link counters at the end')
    .option('-p, --port <port>', 'tcp:HOST:PORT, a serial device or pty path, or auto (the attached ST-LINK)')
    .option(
      '-t, --target <target>',
      "the firmware's target: its link settings, and the port of a board started with `run --keep` (mps2-an500, mps2-an386); default stm32f769i-disco",
    )
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option('--hello', 'start a protocol session (the device answers with its info)')
    .option('--record <file>', 'also append every frame to a recording file')
    .option('--seconds <n>', 'stop after this many seconds (default: until the link closes or Ctrl-C)')
    .option('--json', 'one JSON record per line')
    .action(
      async (opts: {
        port?: string;
        target?: string;
        hello?: boolean;
        record?: string;
        seconds?: string;
        json?: boolean;
        baud?: string;
      }) => {
        const seconds =
          opts.seconds !== undefined ? positiveNumberOption('--seconds', opts.seconds, 86_400) : undefined;
        setBaudOverride(opts.baud);
        const target = parseTarget(opts.target ?? 'stm32f769i-disco');
        const link = await openBoardLink(portOption(portFor(opts)), target);
        const recording = opts.record
          ? new RecordingWriter(path.resolve(opts.record), {
              createdAt: new Date().toISOString(),
              protocol: PROTOCOL_VERSION,
              link: link.description,
            })
          : undefined;
        const session = new DeviceSession(link, { recording });
        const print = printer(!!opts.json);
        session.on('record', print);
        log(`monitoring ${link.description}${recording ? `, recording to ${recording.path}` : ''}`);
        if (opts.hello) await session.hello({ timeoutMs: 5000 });
        await new Promise<void>((resolve) => {
          session.once('end', resolve);
          process.once('SIGINT', resolve);
          if (seconds) setTimeout(resolve, seconds * 1000).unref();
        });
        recording?.close();
        await session.close().catch(() => undefined);
        log(`link counters: ${JSON.stringify(session.deframer.counters)}`);
      },
    );

  program
    .command('replay')
    .description('feed a recording through the same decoder as a live link and print its records')
    .argument('<recording>', 'a .xsirec file (bench writes recording.xsirec)')
    .option('--json', 'one JSON record per line, then the counters as the last line')
    .action((file: string, opts: { json?: boolean }) => {
      const replay = replayRecording(readRecording(path.resolve(inputFile('recording', file))));
      const print = printer(!!opts.json);
      for (const r of replay.records) print(r);
      const summary = {
        records: replay.records.length,
        counters: replay.counters,
        truncatedBytes: replay.truncatedBytes,
        meta: replay.meta,
      };
      if (opts.json) printJson(summary);
      else
        log(
          `${summary.records} records; counters ${JSON.stringify(replay.counters)}${replay.truncatedBytes ? `; ${replay.truncatedBytes} bytes of an incomplete last entry ignored` : ''}`,
        );
    });
}
