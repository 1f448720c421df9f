// `xsinfer board-check`: clock, UART round trip, caches, MPU, RAM and flash of a board (or
// the emulated stand-in), pass/fail per item; exit 11 when any item fails.
import type { Command } from 'commander';
import { boardCheck } from '../../board/board-check.ts';
import { buildFirmware } from '../../build/firmware.ts';
import { exitCodes, XsinferError } from '../../errors.ts';
import { setBaudOverride } from '../../run/link-settings.ts';
import { parseTarget, targetInfo } from '../../targets.ts';
import { log, printJson } from '../output.ts';

export function register(program: Command): void {
  program
    .command('board-check')
    .description(
      'check a board: clock (DWT vs SysTick vs TIM2 vs the host), UART round trip, caches, MPU, RAM of the arenas, flash erase/program/read-back',
    )
    .option('-t, --target <target>', 'mps2-an500 (booted here) | host | stm32f769i-disco (with --port)', 'mps2-an500')
    .option('-p, --port <port>', "a running board's serial port: a path, tcp:HOST:PORT or auto")
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option('--clock-ms <ms>', 'how long the clock check counts', '1000')
    .option('--json', 'print {target, port, build, checks: [{name, ok, detail, ms}]} as JSON (last line)')
    .action(async (opts: { target: string; port?: string; baud?: string; clockMs: string; json?: boolean }) => {
      const target = parseTarget(opts.target);
      setBaudOverride(opts.baud);
      const clockMs = Number(opts.clockMs);
      if (!Number.isInteger(clockMs) || clockMs < 100 || clockMs > 10_000)
        throw new XsinferError('BAD_ARGUMENT', '--clock-ms must be 100..10000');
      if (!opts.port && !targetInfo[target].runsHere)
        throw new XsinferError('BAD_ARGUMENT', `${target} needs --port (its serial port, or "auto"): flash it first`);
      if (!opts.port) await buildFirmware({ target });
      const report = await boardCheck({
        target,
        port: opts.port,
        clockMs,
        onCheck: opts.json
          ? undefined
          : (c) =>
              process.stdout.write(
                `${c.ok === null ? 'SKIP' : c.ok ? 'PASS' : 'FAIL'} ${c.name.padEnd(7)} ${c.detail} (${c.ms} ms)\n`,
              ),
      });
      if (opts.json) printJson(report);
      else log(`board-check on ${report.target} via ${report.port}, build ${report.build}`);
      const failed = report.checks.filter((c) => c.ok === false).map((c) => c.name);
      if (failed.length) {
        // The checks stay the last stdout line under --json: the failure is the exit status.
        log(`xsinfer: board-check: ${failed.join(', ')} failed`);
        process.exitCode = exitCodes.CHECK_FAILED;
      }
    });
}
