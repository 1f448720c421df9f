// `xsinfer bench`: the JS-vs-C benchmark matrix on one firmware session, with a recording
// and the report (terminal tables, report.md, report.html, result.json) in --out.
// `xsinfer report RECORDING` rebuilds the same from a recording.
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { benchFromRecording, planRuns, runBench } from '../../bench/bench.ts';
import { collectRuns } from '../../bench/collect.ts';
import { modelChoice, UPLOADED_MODEL_ASSET, type RunSpec } from '../../bench/session-runs.ts';
import { buildFirmware } from '../../build/firmware.ts';
import { buildAppArchive, resolveAppSource } from '../../deploy/build-app.ts';
import { appDefaults } from '../../scaffold/new-app.ts';
import { opMacs } from '../../engine/tflite.ts';
import { targetInfo } from '../../targets.ts';
import type { KernelSet } from '../../bench/result.ts';
import { renderTerminal } from '../../report/terminal.ts';
import { withDerived } from '../../report/overhead.ts';
import { writeReport } from '../../report/write.ts';
import { loadQemuReference } from '../../board/qemu-reference.ts';
import { setBaudOverride } from '../../run/link-settings.ts';
import { parseTarget, targetList } from '../../targets.ts';
import { inputFile, intOption, listOption, portOption } from '../options.ts';

/** The device's name for a deployed app's runs (docs/protocol.md). */
const DEPLOYED_APP = 'deployed';
import { XsinferError } from '../../errors.ts';
import { log, printJson } from '../output.ts';
import { compareGeneric, GENERIC_APP, renderGeneric } from '../../generic/compare.ts';
import { manifestPlatformOverride, resolveManifest } from '../../build/manifest.ts';
import type { Target } from '../../targets.ts';
import {
  INPUT_SET_HEADER_BYTES,
  encodeInputSet,
  kinds,
  loadInputSet,
  modelIo as genericModelIo,
  type InputSet,
  type ModelKind,
} from '../../generic/input-set.ts';

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
}

interface BenchCliOptions {
  target: string;
  port?: string;
  baud?: string;
  apps: string;
  impl: string;
  kernels: string;
  iterations: string;
  warmup: string;
  ops: boolean;
  counters?: boolean;
  qemu?: string;
  model?: string;
  app?: string;
  inputs?: string;
  kind?: string;
  labels?: string;
  cases?: string;
  topK?: string;
  out?: string;
  json?: boolean;
  csv?: boolean;
  profile?: boolean;
  profileInterval?: string;
}

/** `--inputs` (or `--apps generic`): the generic app on the --model file with this input set. */
/** The input buffer of the firmware this command builds (defines.inputs.bytes; the
 * firmware's default 64 KB): an input set larger than it is refused here, before anything
 * boots, saying how many cases fit. */
function checkInputBuffer(set: InputSet, bytes: number, target: Target): void {
  const manifest = resolveManifest(target);
  const capacity = Number(manifest.defines.MODDEF_INPUTS_BYTES ?? 64 * 1024);
  if (bytes <= capacity) return;
  // encodeInputSet's layout: header, inputs to a 4-byte boundary, expected outputs, to 16.
  const size = (n: number) =>
    Math.ceil((INPUT_SET_HEADER_BYTES + Math.ceil((n * set.inputBytes) / 4) * 4 + n * set.outputBytes) / 16) * 16;
  let fit = 0;
  while (fit < set.cases.length && size(fit + 1) <= capacity) fit++;
  const platform = manifestPlatformOverride() ?? target;
  throw new XsinferError(
    'BAD_ARGUMENT',
    `--inputs ${set.description}: ${set.cases.length} cases make an input set of ${bytes.toLocaleString('en-US')} bytes; ${platform}'s input buffer holds ${capacity.toLocaleString('en-US')} (manifest.json defines.inputs.bytes): ${fit > 0 ? `use --cases ${fit}` : 'not even one case fits'}`,
  );
}

function genericSetup(
  opts: BenchCliOptions,
  target?: Target,
): {
  set: InputSet;
  upload: { name: string; data: Uint8Array };
  modelName: string;
  /** MACs per op of the model, from the file (the per-op table's instr/MAC). */
  macs: number[];
} {
  if (opts.model === undefined || !fs.existsSync(opts.model) || !fs.statSync(opts.model).isFile())
    throw new XsinferError(
      'BAD_ARGUMENT',
      `the generic app needs --model FILE.tflite (${opts.model === undefined ? 'none given' : `no such file: ${opts.model}`})`,
    );
  if (opts.kind !== undefined && !kinds.includes(opts.kind as ModelKind))
    throw new XsinferError('BAD_ARGUMENT', `--kind ${opts.kind}: use ${kinds.join(', ')}`);
  const int = (v: string | undefined, what: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new XsinferError('BAD_ARGUMENT', `${what} must be a whole number ≥ 1`);
    return n;
  };
  const io = genericModelIo(opts.model);
  const set = loadInputSet(opts.inputs ?? 'random', io, {
    ...(opts.kind ? { kind: opts.kind as ModelKind } : {}),
    ...(opts.labels ? { labelsFile: opts.labels } : {}),
    ...(opts.cases ? { cases: int(opts.cases, '--cases') } : {}),
    ...(opts.topK ? { topK: int(opts.topK, '--top-k') } : {}),
  });
  const data = encodeInputSet(set);
  if (target !== undefined) checkInputBuffer(set, data.length, target);
  return {
    set,
    upload: { name: 'inputs', data },
    modelName: path.basename(opts.model),
    macs: io.model.ops.map((op) => opMacs(io.model, op).macs),
  };
}

export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'JS vs C per phase (POPULATE / INVOKE / RESPOND) for apps × impl × kernel sets, with a recording and an HTML report',
    )
    .option('-t, --target <target>', targetList(), 'mps2-an500')
    .option('-p, --port <port>', 'serial port of a running board (tcp:HOST:PORT, a device path, or auto)')
    .option('--baud <rate>', "serial rate instead of the firmware's (bin/board.json)")
    .option('-a, --apps <apps>', 'comma-separated apps', 'hello_world,micro_speech,mnist')
    .option('--impl <impls>', 'comma-separated: js,c', 'js,c')
    .option('-k, --kernels <sets>', 'comma-separated: reference,optimized', 'reference,optimized')
    .option('-n, --iterations <n>', 'timed iterations per run', '10')
    .option('-w, --warmup <n>', 'warm-up iterations per run', '1')
    .option('--no-ops', 'skip the per-op profile')
    .option(
      '--counters',
      'count core events per phase (DWT: cycles, derived instructions, CPI) on a board that has them; QEMU has none',
    )
    .option(
      '--qemu <result.json>',
      "a QEMU bench's result.json of the same build: the report puts its instructions beside the board's",
    )
    .option(
      '-m, --model <asset|file>',
      "run every app on this model instead of its own: a .tflite file is uploaded into the model slot first (asset upload/model); else an asset the device has (upload/model after `deploy --model`, models/…). Golden checks apply only to the built-in model's bytes",
    )
    .option(
      '--app <dir>',
      'a TypeScript app directory (`xsinfer new`), deployed and benched against the generic C app on the same model and inputs (defaults from its manifest)',
    )
    .option(
      '--inputs <dir|file.json|random[:SEED[:CASES]]>',
      'run the generic app (JS and C) on --model FILE with these inputs: a directory of raw .bin tensors (MLPerf Tiny layout, optional truth CSV), a golden JSON (outputs checked), or seeded random data',
    )
    .option(
      '--kind <kind>',
      'how the generic app reads the output: classification | anomaly | regression (default: from the model)',
    )
    .option('--labels <file>', 'class names for the generic app, one a line (as many as the model has outputs)')
    .option('--cases <n>', 'inputs taken from --inputs (default 10; a seeded set: 4)')
    .option('--top-k <k>', 'classes the generic app ranks (default 5, at most 16)')
    .option('-o, --out <dir>', 'output directory (default ./results/<timestamp>/ in the current directory)')
    .option('--csv', 'also write result.csv (one row per run and phase) next to the report')
    .option('--json', 'print the result as JSON (last line)')
    .option(
      '--profile',
      "profile the JS runs with XS's sampling profiler on the profiling firmware (build/<target>+profile): <out>/profiles/<app>.cpuprofile and a per-phase table of where the JS time goes (numbers of that build, not the release image's)",
    )
    .option('--profile-interval <n>', 'sample interval in the target unit (instructions on QEMU)', '10000')
    .action(async (opts: BenchCliOptions) => {
      const target = parseTarget(opts.target);
      setBaudOverride(opts.baud);
      if (opts.profile && opts.app !== undefined)
        throw new XsinferError('BAD_ARGUMENT', '--profile profiles the built-in apps; it does not take --app');
      const userApp = opts.app !== undefined ? resolveAppSource(opts.app) : undefined;
      if (userApp) {
        const defaults = appDefaults(userApp.appDir);
        opts.model ??= defaults.model;
        opts.inputs ??= defaults.inputs;
        opts.kind ??= defaults.kind;
      }
      const apps =
        opts.inputs !== undefined || userApp
          ? [GENERIC_APP]
          : listOption('-a, --apps', opts.apps, [
              'hello_world',
              'micro_speech',
              'micro_speech_stream',
              'mnist',
              'person_detect',
              GENERIC_APP,
            ] as const);
      const generic = apps.includes(GENERIC_APP)
        ? genericSetup(opts, opts.port === undefined ? target : undefined)
        : undefined;
      const impls = listOption('--impl', opts.impl, ['js', 'c'] as const);
      const kernels = listOption('-k, --kernels', opts.kernels, ['reference', 'optimized'] as const) as KernelSet[];
      const iterations = intOption('-n, --iterations', opts.iterations, 1, 10_000);
      const warmup = intOption('-w, --warmup', opts.warmup, 0, 10_000);
      if (opts.port !== undefined) portOption(opts.port);
      const outDir = path.resolve(opts.out ?? path.join('results', timestamp()));
      const showProgress = !opts.json && process.stderr.isTTY;
      const bar = showProgress
        ? new cliProgress.SingleBar(
            { format: 'bench {bar} {value}/{total} runs  {run}', stream: process.stderr },
            cliProgress.Presets.shades_classic,
          )
        : null;
      const model = opts.model !== undefined ? modelChoice(opts.model) : undefined;
      // A user's app: deployed, run as "deployed" (JS) beside the generic C app, same model and inputs.
      let appUpload: { name: string; data: Uint8Array } | undefined;
      let specs: RunSpec[] | undefined;
      if (userApp) {
        if (!opts.port || targetInfo[target].arm) await buildFirmware({ target });
        const archive = await buildAppArchive({ app: opts.app!, target });
        appUpload = { name: archive.name, data: archive.archive };
        const run = { iterations, warmup, model: UPLOADED_MODEL_ASSET };
        specs = kernels.flatMap((k): RunSpec[] => [
          { app: DEPLOYED_APP, impl: 'js', kernels: k, ops: false, ...run },
          { app: GENERIC_APP, impl: 'c', kernels: k, ops: opts.ops, ...run },
        ]);
      }
      const total =
        specs?.length ??
        planRuns({ apps, impls, kernels, iterations, warmup, ops: opts.ops, model: model?.asset }).length;
      bar?.start(total, 0, { run: '' });
      if (!showProgress && !opts.json)
        log(`bench on ${target}: ${total} runs of ${iterations} iterations (+${warmup} warm-up)`);
      const { result, recording, records } = await runBench({
        target,
        port: opts.port,
        apps,
        impls,
        kernels,
        iterations,
        warmup,
        ops: opts.ops,
        counters: !!opts.counters,
        outDir,
        model,
        ...(generic ? { inputs: generic.upload } : {}),
        ...(appUpload ? { app: appUpload } : {}),
        ...(specs ? { specs } : {}),
        ...(opts.profile
          ? {
              profile: { interval: intOption('--profile-interval', opts.profileInterval ?? '10000', 100, 100_000_000) },
            }
          : {}),
        onRunDone: (spec, index) => {
          if (bar) bar.update(index + 1, { run: `${spec.app} ${spec.impl} ${spec.kernels}` });
          else if (!opts.json) log(`  done ${index + 1}/${total}: ${spec.app} ${spec.impl} ${spec.kernels}`);
        },
      }).finally(() => bar?.stop());
      if (opts.qemu) result.qemu = loadQemuReference(path.resolve(opts.qemu));
      // The model file says how many MACs each op does.
      if (generic)
        for (const run of result.runs)
          if (run.ops) run.ops = run.ops.map((o) => ({ ...o, macs: generic.macs[o.index] ?? 0 }));
      // The arena the model needs, per kernel set, as the device planned it (C runs: the
      // generic app's own interpreter; the same plan as JS's).
      if (generic)
        for (const run of collectRuns(records))
          if (run.app === GENERIC_APP && run.impl === 'c' && run.arena)
            result.memory.arena.push({
              model: `${generic.modelName} (${run.kernels})`,
              head: run.arena.head,
              tail: run.arena.tail,
              total: run.arena.used,
              tflm: null,
            });
      // The user's app and its C comparison are one app in the report.
      if (userApp)
        for (const run of result.runs) if (run.app === DEPLOYED_APP || run.app === GENERIC_APP) run.app = userApp.name;
      const paths = writeReport(result, outDir, { csv: opts.csv });
      const full = withDerived(result);
      const comparisons = generic
        ? compareGeneric(records, generic.set, userApp ? { js: [DEPLOYED_APP], c: GENERIC_APP } : undefined)
        : undefined;
      if (opts.json) {
        printJson(comparisons ? { ...full, generic: comparisons } : full);
      } else {
        process.stdout.write(renderTerminal(full) + '\n');
        if (comparisons && generic)
          process.stdout.write(
            renderGeneric(
              comparisons,
              generic.set,
              generic.modelName,
              userApp ? `${userApp.name} (TypeScript) against the generic C app` : undefined,
            ) + '\n',
          );
        log(
          `recording ${recording}\nreport    ${paths.html}\n          ${paths.markdown}${paths.csv ? `\n          ${paths.csv}` : ''}` +
            (result.profiles?.length
              ? `\nprofiles  ${path.join(outDir, 'profiles')}/ (Chrome DevTools .cpuprofile)`
              : ''),
        );
      }
      if (full.runs.some((r) => r.correct === false)) {
        log('xsinfer: some runs gave wrong answers (see the "correct" column)');
        process.exitCode = 1;
      }
      if (comparisons?.some((c) => c.agree === false)) {
        log('xsinfer: the JS and C apps gave different answers');
        process.exitCode = 1;
      }
    });

  program
    .command('report')
    .description('rebuild the tables, report.md, report.html and result.json from a recording')
    .argument('<recording>', 'a recording.xsirec written by bench')
    .option('-o, --out <dir>', 'output directory (default: next to the recording)')
    .option('--qemu <result.json>', "a QEMU bench's result.json of the same build, beside a board's counted runs")
    .option('--csv', 'also write result.csv (one row per run and phase)')
    .option('--json', 'print the result as JSON (last line)')
    .action((file: string, opts: { out?: string; qemu?: string; json?: boolean; csv?: boolean }) => {
      const outDir = path.resolve(opts.out ?? path.dirname(file));
      const result = benchFromRecording(path.resolve(inputFile('recording', file)), outDir);
      if (opts.qemu) result.qemu = loadQemuReference(path.resolve(opts.qemu));
      const paths = writeReport(result, outDir, { csv: opts.csv });
      const full = withDerived(result);
      if (opts.json) printJson(full);
      else {
        process.stdout.write(renderTerminal(full) + '\n');
        log(`report ${paths.html}${paths.csv ? `\n       ${paths.csv}` : ''}`);
      }
    });
}
