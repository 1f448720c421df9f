// `xsinfer flash`: program a real board with the built image (openocd, st-flash or pyOCD),
// verify, reset and wait for the firmware's info record on its serial port.
import type { Command } from 'commander';
import { flash, probes, type Probe } from '../../board/flash.ts';
import { buildFirmware } from '../../build/firmware.ts';
import { MAIN_PROGRAM } from '../../build/main-program.ts';
import { XsinferError } from '../../errors.ts';
import { setBaudOverride } from '../../run/link-settings.ts';
import { parseTarget, targetInfo } from '../../targets.ts';
import { log, printJson } from '../output.ts';

interface FlashCliOptions {
  target: string;
  probe?: string;
  program: string;
  port: string;
  baud?: string;
  wait: boolean;
  timeout: string;
  build: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('flash')
    .description(
      "write the built image into the board's flash, verify it, reset the board and wait for its info record",
    )
    .option('-t, --target <target>', 'a real board: stm32f769i-disco', 'stm32f769i-disco')
    .option('--probe <tool>', `${probes.join(' | ')} (default: the first one installed, else openocd)`)
    .option('--program <name>', 'the program to flash', MAIN_PROGRAM)
    .option('-p, --port <port>', "the board's serial port for its info record: a path, tcp:HOST:PORT or auto", 'auto')
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option('--no-wait', 'do not wait for the info record after the reset')
    .option('--timeout <ms>', 'how long to wait for the info record after the reset', '15000')
    .option('--no-build', 'flash the image as built, without an incremental build first')
    .option('--json', 'print {target, probe, image, bytes, verified, commands, port, info, ms} as JSON (last line)')
    .action(async (opts: FlashCliOptions) => {
      const target = parseTarget(opts.target);
      setBaudOverride(opts.baud);
      if (opts.probe !== undefined && !(probes as readonly string[]).includes(opts.probe))
        throw new XsinferError('BAD_ARGUMENT', `unknown probe '${opts.probe}': use one of ${probes.join(', ')}`);
      const timeout = Number(opts.timeout);
      if (!Number.isInteger(timeout) || timeout < 100)
        throw new XsinferError('BAD_ARGUMENT', '--timeout must be ≥ 100 ms');
      if (opts.build && !targetInfo[target].runsHere) await buildFirmware({ target });
      const r = await flash({
        target,
        probe: opts.probe as Probe | undefined,
        program: opts.program,
        port: opts.wait && opts.program === MAIN_PROGRAM ? opts.port : null,
        infoTimeoutMs: timeout,
        log: opts.json ? undefined : log,
      });
      if (opts.json) printJson(r);
      else
        log(
          `flashed ${r.image} (${r.bytes} bytes) with ${r.probe}, verified` +
            (r.info ? `; the board answered on ${r.port}: ${r.info.target} build ${r.info.build}` : '') +
            ` in ${(r.ms / 1000).toFixed(1)} s`,
        );
    });
}
