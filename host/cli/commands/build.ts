// `xsinfer build`: compile the firmware for a target and report its size against the chip.
import type { Command } from 'commander';
import { buildFirmware, programPath } from '../../build/firmware.ts';
import { currentFlavourName } from '../../build/flavour.ts';
import { XsinferError } from '../../errors.ts';
import { sizeReport } from '../../build/size.ts';
import { parseTarget, targetList } from '../../targets.ts';
import { programOption } from '../options.ts';
import { formatBytes, log, printJson } from '../output.ts';
import { MAIN_PROGRAM } from '../../build/main-program.ts';

export function register(program: Command): void {
  program
    .command('build')
    .description('build the firmware for a target and print its size report')
    .option('-t, --target <target>', targetList(), 'mps2-an500')
    .option('--program <name>', 'firmware program to report on', MAIN_PROGRAM)
    .option('--json', 'print the size report as JSON (last line)')
    .option('-v, --verbose', 'show compiler output')
    .option('--profile', "the profiling flavour (XS's sampling profiler, build/<target>+profile)")
    .action(async (opts: { target: string; program: string; json?: boolean; verbose?: boolean; profile?: boolean }) => {
      const target = parseTarget(opts.target);
      programOption(opts.program);
      if (opts.profile && currentFlavourName() !== 'release')
        throw new XsinferError(
          'BAD_ARGUMENT',
          '--profile and --debug: profiling has its own firmware flavour; use one',
        );
      const flavour = opts.profile ? 'profile' : currentFlavourName();
      await buildFirmware({ target, quiet: !opts.verbose, flavour });
      const report = await sizeReport(target, programPath(target, opts.program, flavour));
      if (opts.json) {
        printJson(report);
        return;
      }
      const pct = (n: number, limit: number | null) =>
        limit ? ` (${((100 * n) / limit).toFixed(1)} % of ${formatBytes(limit)})` : '';
      log(`built ${report.elf}`);
      console.log(`target ${target}: text ${report.text}, data ${report.data}, bss ${report.bss}`);
      console.log(`flash ${formatBytes(report.flashBytes)}${pct(report.flashBytes, report.flashLimit)}`);
      if (report.imageLimit !== null && report.slotBytes !== null) {
        console.log(
          `      image region ${formatBytes(report.imageLimit)} (${((100 * report.flashBytes) / report.imageLimit).toFixed(1)} % used), upload slots ${formatBytes(report.slotBytes)}`,
        );
      }
      console.log(`ram   ${formatBytes(report.ramBytes)}${pct(report.ramBytes, report.ramLimit)}`);
      const parts = Object.entries(report.components).sort((a, b) => b[1] - a[1]);
      if (parts.length)
        console.log('flash by component: ' + parts.map(([k, v]) => `${k} ${formatBytes(v)}`).join(', '));
    });
}
