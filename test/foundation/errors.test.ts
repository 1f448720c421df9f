// Every failure is a sentence: each bad-input case in docs/errors.md runs here through the
// real CLI (with --json) and must give exactly its documented one-line message on stderr, no
// stack trace, the JSON error document as the last stdout line, and its exit code — at once,
// before any build. The table in docs/errors.md is checked row by row against these runs
// (XSINFER_WRITE_ERRORS_DOC=1 rewrites it from them).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes, toXsinferError, type XsinferErrorCode } from '../../host/errors.ts';
import { exec } from '../../host/exec.ts';
import { LinkError, openLink } from '../../host/bridge/link.ts';
import { SessionError } from '../../host/bridge/session.ts';
import { repoRoot } from '../../host/paths.ts';
import { parseRecording, RecordingWriter } from '../../host/bridge/recording.ts';
import { fixtureResult } from '../report/fixture.ts';
import { Prng } from '../bridge/prng.ts';
import { xsinfer, xsinferIn } from '../cli.ts';

interface Case {
  /** What the row tries, for the table. */
  what: string;
  args: string[];
  code: XsinferErrorCode;
  message: string;
}

const cases: Case[] = [
  // Files that are not there, or not files.
  {
    what: 'missing model',
    args: ['inspect', '/nonexistent.tflite'],
    code: 'FILE_ERROR',
    message: 'model /nonexistent.tflite: no such file',
  },
  {
    what: 'directory instead of a model',
    args: ['inspect', 'adir'],
    code: 'FILE_ERROR',
    message: 'model adir: is a directory, not a file',
  },
  {
    what: 'missing recording',
    args: ['replay', 'nope.xsirec'],
    code: 'FILE_ERROR',
    message: 'recording nope.xsirec: no such file',
  },
  {
    what: 'directory instead of a recording',
    args: ['report', 'adir'],
    code: 'FILE_ERROR',
    message: 'recording adir: is a directory, not a file',
  },
  {
    what: 'missing data directory',
    args: ['verify', '--data', '/nonexistent', '--target', 'host'],
    code: 'FILE_ERROR',
    message: '--data /nonexistent: no such directory',
  },
  {
    what: 'missing model to deploy',
    args: ['deploy', '--model', 'nope.tflite'],
    code: 'FILE_ERROR',
    message: '--model nope.tflite: no such file',
  },
  {
    what: 'missing compare input',
    args: ['compare', '/nonexistent', 'result.json'],
    code: 'FILE_ERROR',
    message: '/nonexistent: no such file or directory (give a results directory, result.json or recording.xsirec)',
  },
  {
    what: 'results directory without a result',
    args: ['compare', 'adir', 'result.json'],
    code: 'FILE_ERROR',
    message: 'adir: a directory without result.json or recording.xsirec',
  },
  {
    what: 'missing manifest',
    args: ['--manifest', '/nonexistent.json', 'build'],
    code: 'FILE_ERROR',
    message: '--manifest /nonexistent.json: no such file',
  },
  // Hostile contents.
  {
    what: 'empty model',
    args: ['inspect', 'empty.tflite'],
    code: 'BAD_INPUT',
    message: 'empty.tflite is empty, not a .tflite model',
  },
  {
    what: 'random-bytes model',
    args: ['inspect', 'random.tflite'],
    code: 'BAD_INPUT',
    message: 'random.tflite is not a usable .tflite model: not a .tflite model (file identifier TFL3 missing)',
  },
  {
    what: 'truncated model (first 2,000 bytes of mnist_int8)',
    args: ['inspect', 'truncated.tflite'],
    code: 'BAD_INPUT',
    message: 'truncated.tflite is not a usable .tflite model: malformed .tflite: offset out of bounds',
  },
  {
    what: 'garbage recording',
    args: ['replay', 'garbage.xsirec'],
    code: 'BAD_INPUT',
    message: 'garbage.xsirec is not an xsinfer recording (bad magic)',
  },
  {
    what: 'garbage recording to report',
    args: ['report', 'garbage.xsirec'],
    code: 'BAD_INPUT',
    message: 'garbage.xsirec is not an xsinfer recording (bad magic)',
  },
  {
    what: 'recording that never reached a device',
    args: ['report', 'empty.xsirec'],
    code: 'BAD_INPUT',
    message: 'empty.xsirec holds no session: no info record among its 0 records (was the device ever reached?)',
  },
  {
    what: 'data directory without golden cases',
    args: ['verify', '--data', 'adir', '--target', 'host'],
    code: 'BAD_INPUT',
    message: 'no golden cases in adir: expected golden/*.json or ops/golden/*.json (testdata/README.md)',
  },
  {
    what: 'JSON that is not a result',
    args: ['compare', 'notresult.json', 'result.json'],
    code: 'BAD_INPUT',
    message: 'notresult.json is not a bench result (result.json) or recording: no "unit"',
  },
  {
    what: 'random bytes as a result',
    args: ['compare', 'random.tflite', 'result.json'],
    code: 'BAD_INPUT',
    message: 'random.tflite is not a bench result (result.json) or recording: not JSON',
  },
  {
    what: 'results in different units',
    args: ['compare', 'result.json', 'result-ns.json'],
    code: 'BAD_INPUT',
    message: 'result.json counts instr (mps2-an500), result-ns.json counts ns (host): not comparable',
  },
  // Dead ports.
  {
    what: 'serial port that does not exist',
    args: ['bench', '--port', '/dev/ttyNOPE'],
    code: 'LINK_FAILED',
    message: 'cannot open /dev/ttyNOPE: no such device (is the board plugged in?)',
  },
  {
    what: 'dead serial port, live view',
    args: ['monitor', '--port', '/dev/ttyNOPE'],
    code: 'LINK_FAILED',
    message: 'cannot open /dev/ttyNOPE: no such device (is the board plugged in?)',
  },
  {
    what: 'dead serial port, one app',
    args: ['run', '--app', 'mnist', '--port', '/dev/ttyNOPE'],
    code: 'LINK_FAILED',
    message: 'cannot open /dev/ttyNOPE: no such device (is the board plugged in?)',
  },
  {
    what: 'directory as a port',
    args: ['monitor', '--port', '/tmp'],
    code: 'LINK_FAILED',
    message: 'cannot open /tmp: it is a directory, not a serial device',
  },
  {
    what: 'TCP port nobody listens on',
    args: ['bench', '--target', 'host', '--port', 'tcp:127.0.0.1:1'],
    code: 'LINK_FAILED',
    message: 'cannot connect to tcp:127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
  },
  {
    what: 'port in no known syntax',
    args: ['monitor', '--port', 'ttyUSB0'],
    code: 'BAD_ARGUMENT',
    message: "--port takes a device path (/dev/ttyACM0, /dev/pts/3), tcp:HOST:PORT or auto, not 'ttyUSB0'",
  },
  // Unknown names.
  {
    what: 'unknown target',
    args: ['build', '--target', 'esp32'],
    code: 'BAD_ARGUMENT',
    message: "unknown target 'esp32': use one of mps2-an500, mps2-an386, stm32f769i-disco, stm32f413zh-nucleo, host",
  },
  {
    what: 'unknown app',
    args: ['bench', '--apps', 'hello_world,nope'],
    code: 'BAD_ARGUMENT',
    message:
      "-a, --apps: unknown value 'nope': use hello_world, micro_speech, micro_speech_stream, mnist, person_detect, generic",
  },
  {
    what: 'unknown model name',
    args: ['bench-engine', '--models', 'nope', '--target', 'host'],
    code: 'BAD_ARGUMENT',
    message: "no model 'nope' in testdata/models or testdata/mlperf/models (give a .tflite path for any other model)",
  },
  {
    what: 'unknown golden file',
    args: ['verify', '--models', 'nope', '--target', 'host'],
    code: 'BAD_ARGUMENT',
    message:
      "-m, --models: no golden file 'nope' in testdata (stems such as audio_preprocessor_float, audio_preprocessor_int8, hello_world_float)",
  },
  {
    what: 'model file that is not there',
    args: ['bench', '--model', 'nope.tflite'],
    code: 'BAD_ARGUMENT',
    message:
      '--model nope.tflite: no such file (give a .tflite path to upload, or an asset name such as upload/model or models/mnist_int8.tflite)',
  },
  {
    what: 'unknown program',
    args: ['run', '--program', 'nope'],
    code: 'BAD_ARGUMENT',
    message:
      "--program takes one of banner, bench-engine, flash-check, kernel-diff, verify, wire-selftest, xs-frontend, xs-smoke, xsinfer, not 'nope'",
  },
  {
    what: 'unknown manifest platform',
    args: ['--manifest-platform', 'nope', 'build'],
    code: 'BAD_ARGUMENT',
    message:
      "--manifest-platform takes one of mps2-an500, mps2-an386, stm32f769i-disco, stm32f413zh-nucleo, host, not 'nope'",
  },
  {
    what: 'unknown fuzz target',
    args: ['fuzz', '--targets', 'nope'],
    code: 'BAD_ARGUMENT',
    message: "--targets: unknown value 'nope': use model, wire",
  },
  // Bad numbers and enums.
  {
    what: 'word as a count',
    args: ['bench', '-n', 'abc'],
    code: 'BAD_ARGUMENT',
    message: "-n, --iterations takes an integer from 1 to 10000, not 'abc'",
  },
  {
    what: 'negative count',
    args: ['bench', '--iterations', '-3'],
    code: 'BAD_ARGUMENT',
    message: "-n, --iterations takes an integer from 1 to 10000, not '-3'",
  },
  {
    what: 'fraction as a count',
    args: ['run', '--app', 'mnist', '-n', '2.5'],
    code: 'BAD_ARGUMENT',
    message: "-n, --iterations takes an integer from 1 to 10000, not '2.5'",
  },
  {
    what: 'word as warm-up',
    args: ['bench', '-w', 'x'],
    code: 'BAD_ARGUMENT',
    message: "-w, --warmup takes an integer from 0 to 10000, not 'x'",
  },
  {
    what: 'zero invokes',
    args: ['bench-engine', '-n', '0', '--target', 'host'],
    code: 'BAD_ARGUMENT',
    message: "-n, --invokes takes an integer from 1 to 1000, not '0'",
  },
  {
    what: 'word as a timeout',
    args: ['run', '--program', 'banner', '--timeout', 'soon'],
    code: 'BAD_ARGUMENT',
    message: "--timeout takes an integer from 1 to 86400000, not 'soon'",
  },
  {
    what: 'word as seconds',
    args: ['monitor', '--port', '/dev/ttyNOPE', '--seconds', 'x'],
    code: 'BAD_ARGUMENT',
    message: "--seconds takes a number greater than 0 and at most 86400, not 'x'",
  },
  {
    what: 'zero fuzz seconds',
    args: ['fuzz', '--seconds', '0'],
    code: 'BAD_ARGUMENT',
    message: "-s, --seconds takes an integer from 1 to 86400, not '0'",
  },
  {
    what: 'word as a threshold',
    args: ['compare', 'result.json', 'result.json', '--threshold', 'x'],
    code: 'BAD_ARGUMENT',
    message:
      "--threshold takes a percentage of A's median such as 2% or a non-negative number in the results' unit, not 'x'",
  },
  {
    what: 'unknown kernel set',
    args: ['run', '--app', 'mnist', '-k', 'fast'],
    code: 'BAD_ARGUMENT',
    message: "-k, --kernels takes one of reference, optimized, not 'fast'",
  },
  {
    what: 'unknown kernel set in a list',
    args: ['bench', '-k', 'reference,fast'],
    code: 'BAD_ARGUMENT',
    message: "-k, --kernels: unknown value 'fast': use reference, optimized",
  },
  {
    what: 'unknown impl',
    args: ['bench', '--impl', 'rust'],
    code: 'BAD_ARGUMENT',
    message: "--impl: unknown value 'rust': use js, c",
  },
  {
    what: 'empty list',
    args: ['bench', '--impl', ','],
    code: 'BAD_ARGUMENT',
    message: "--impl takes a comma-separated list of js, c, not ','",
  },
  // Any model, any inputs, your own app, MLPerf Tiny (kws.tflite: MLPerf Tiny's KWS model).
  {
    what: 'input file of the wrong size',
    args: ['bench', '--model', 'kws.tflite', '--inputs', 'badsize'],
    code: 'BAD_ARGUMENT',
    message: "input short.bin has 100 bytes; the model's input 0 (int8[1,49,10,1]) takes 490",
  },
  {
    what: 'empty input directory',
    args: ['bench', '--model', 'kws.tflite', '--inputs', 'adir'],
    code: 'BAD_ARGUMENT',
    message: '--inputs adir: no inputs (no .bin files and no rows in a truth CSV)',
  },
  {
    what: 'missing input directory',
    args: ['bench', '--model', 'kws.tflite', '--inputs', 'nodir'],
    code: 'BAD_ARGUMENT',
    message: '--inputs nodir: no such directory or file (or random[:SEED[:CASES]])',
  },
  {
    what: 'truth CSV naming a missing file',
    args: ['bench', '--model', 'kws.tflite', '--inputs', 'badcsv'],
    code: 'BAD_ARGUMENT',
    message: '--inputs badcsv: the truth CSV names gone.bin, which is not there',
  },
  {
    what: 'labels file of the wrong length',
    args: ['bench', '--model', 'kws.tflite', '--inputs', 'random', '--labels', 'labels2.txt'],
    code: 'BAD_ARGUMENT',
    message: '--labels labels2.txt: 2 names for a model with 12 outputs (one name a line)',
  },
  {
    what: 'golden file of another model',
    args: ['bench', '--model', 'kws.tflite', '--inputs', 'ic.json'],
    code: 'BAD_ARGUMENT',
    message: "--inputs ic.json: its input is int8 of 3072 bytes, the model's input 0 is int8 of 490",
  },
  {
    what: 'input set larger than the input buffer',
    args: ['--manifest-platform', 'stm32f769i-disco', 'bench', '--model', 'ic.tflite', '--inputs', 'icset'],
    code: 'BAD_ARGUMENT',
    message:
      "--inputs icset: 6 cases make an input set of 18,480 bytes; stm32f769i-disco's input buffer holds 16,384 (manifest.json defines.inputs.bytes): use --cases 5",
  },
  {
    what: 'unknown model kind',
    args: ['bench', '--model', 'kws.tflite', '--inputs', 'random', '--kind', 'detection'],
    code: 'BAD_ARGUMENT',
    message: '--kind detection: use classification, anomaly, regression',
  },
  {
    what: 'inputs without a model',
    args: ['bench', '--inputs', 'random'],
    code: 'BAD_ARGUMENT',
    message: 'the generic app needs --model FILE.tflite (none given)',
  },
  {
    what: 'app directory that is not there',
    args: ['bench', '--app', 'noapp'],
    code: 'BAD_ARGUMENT',
    message: 'no app at noapp',
  },
  {
    what: 'app directory without an app',
    args: ['bench', '--app', 'adir'],
    code: 'BAD_ARGUMENT',
    message: 'adir has no main.ts and no manifest.json: not an app (`xsinfer new DIR` makes one)',
  },
  {
    what: 'scaffold into a directory with files',
    args: ['new', 'nonempty'],
    code: 'BAD_ARGUMENT',
    message: 'nonempty exists and is not an empty directory',
  },
  {
    what: 'scaffold with a missing model',
    args: ['new', 'app1', '--model', 'nope.tflite'],
    code: 'FILE_ERROR',
    message: '--model nope.tflite: no such file',
  },
  {
    what: 'scaffold an unknown kind',
    args: ['new', 'app2', '--kind', 'detection'],
    code: 'BAD_ARGUMENT',
    message: '--kind detection: use classification, anomaly, regression',
  },
  {
    what: 'scaffold with inputs that do not fit the model',
    args: ['new', 'app3', '--model', 'kws.tflite', '--inputs', 'badsize'],
    code: 'BAD_ARGUMENT',
    message: "input short.bin has 100 bytes; the model's input 0 (int8[1,49,10,1]) takes 490",
  },
  {
    what: 'MLPerf run without a model',
    args: ['mlperf', '--inputs', 'ic.json'],
    code: 'BAD_ARGUMENT',
    message: 'mlperf needs --model FILE.tflite',
  },
  {
    what: 'MLPerf run on random inputs',
    args: ['mlperf', '--model', 'kws.tflite', '--inputs', 'random'],
    code: 'BAD_ARGUMENT',
    message: 'mlperf needs real inputs: a directory or a golden JSON',
  },
  {
    what: 'MLPerf unknown mode',
    args: ['mlperf', '--model', 'kws.tflite', '--inputs', 'badsize', '--mode', 'fast'],
    code: 'BAD_ARGUMENT',
    message: '--mode fast: use performance or accuracy',
  },
  {
    what: 'MLPerf accuracy without truth',
    args: ['mlperf', '--model', 'ic.tflite', '--inputs', 'ic.json', '--mode', 'accuracy'],
    code: 'BAD_ARGUMENT',
    message:
      'accuracy mode needs a truth CSV in ic.json (file, classes, class, …): a directory of .bin inputs with one',
  },
  {
    what: 'MLPerf streaming wake word',
    args: ['mlperf', '--model', 'str_ww.tflite', '--inputs', 'str_ww.json'],
    code: 'NOT_SUPPORTED',
    message: "str_ww.tflite looks like MLPerf Tiny's streaming wake-word model (input 1x30x1x40)",
  },
  {
    what: 'MLPerf board on a dead port',
    args: ['mlperf', '--model', 'ic.tflite', '--inputs', 'ic.json', '--port', 'tcp:127.0.0.1:1'],
    code: 'LINK_FAILED',
    message: 'cannot connect to tcp:127.0.0.1:1',
  },
  {
    what: 'board check of an unknown target',
    args: ['board-check', '--target', 'nope'],
    code: 'BAD_ARGUMENT',
    message: "unknown target 'nope': use one of mps2-an500, mps2-an386, stm32f769i-disco, stm32f413zh-nucleo, host",
  },
  {
    what: 'board check on a dead port',
    args: ['board-check', '--port', 'tcp:127.0.0.1:1'],
    code: 'LINK_FAILED',
    message: 'cannot connect to tcp:127.0.0.1:1',
  },
  // Command-line syntax.
  {
    what: 'misspelt command',
    args: ['benc'],
    code: 'BAD_ARGUMENT',
    message: "unknown command 'benc' (Did you mean bench?) (xsinfer --help lists the commands)",
  },
  {
    what: 'misspelt option',
    args: ['bench', '--iteratons', '3'],
    code: 'BAD_ARGUMENT',
    message: "unknown option '--iteratons' (Did you mean --iterations?) (--help lists the options)",
  },
  {
    what: 'unknown option',
    args: ['bench', '--fast'],
    code: 'BAD_ARGUMENT',
    message: "unknown option '--fast' (--help lists the options)",
  },
  {
    what: 'missing argument',
    args: ['inspect'],
    code: 'BAD_ARGUMENT',
    message: "missing required argument 'model' (--help lists the options)",
  },
  {
    what: 'nothing to deploy',
    args: ['deploy'],
    code: 'BAD_ARGUMENT',
    message: 'nothing to deploy: give an app directory or manifest, and/or --model',
  },
];

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-errors-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fixtures(): void {
  fs.writeFileSync(path.join(tmp, 'empty.tflite'), '');
  fs.writeFileSync(path.join(tmp, 'random.tflite'), new Prng(19).bytes(3000));
  const mnist = fs.readFileSync(path.join(repoRoot, 'testdata', 'models', 'mnist_int8.tflite'));
  fs.writeFileSync(path.join(tmp, 'truncated.tflite'), mnist.subarray(0, 2000));
  fs.mkdirSync(path.join(tmp, 'adir'));
  const mlperf = path.join(repoRoot, 'testdata', 'mlperf');
  for (const [to, from] of [
    ['kws.tflite', 'models/kws_ref_model.tflite'],
    ['ic.tflite', 'models/pretrainedResnet_quant.tflite'],
    ['ic.json', 'golden/pretrainedResnet_quant.json'],
    ['str_ww.tflite', 'models/str_ww_ref_model.tflite'],
    ['str_ww.json', 'golden/str_ww_ref_model.json'],
  ])
    fs.copyFileSync(path.join(mlperf, from!), path.join(tmp, to!));
  fs.mkdirSync(path.join(tmp, 'icset'));
  for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(tmp, 'icset', `in_${i}.bin`), Buffer.alloc(3072));
  fs.mkdirSync(path.join(tmp, 'badsize'));
  fs.writeFileSync(path.join(tmp, 'badsize', 'short.bin'), Buffer.alloc(100));
  fs.mkdirSync(path.join(tmp, 'badcsv'));
  fs.writeFileSync(path.join(tmp, 'badcsv', 'y_labels.csv'), 'gone.bin, 12, 3, 490, 490\n');
  fs.writeFileSync(path.join(tmp, 'labels2.txt'), 'yes\nno\n');
  fs.mkdirSync(path.join(tmp, 'nonempty'));
  fs.writeFileSync(path.join(tmp, 'nonempty', 'main.ts'), '');
  fs.writeFileSync(path.join(tmp, 'garbage.xsirec'), new Prng(7).bytes(1000));
  new RecordingWriter(path.join(tmp, 'empty.xsirec'), { createdAt: 'now', protocol: 1 }).close();
  fs.writeFileSync(path.join(tmp, 'notresult.json'), '{"a": 1}\n');
  fs.writeFileSync(path.join(tmp, 'result.json'), JSON.stringify(fixtureResult()));
  fs.writeFileSync(
    path.join(tmp, 'result-ns.json'),
    JSON.stringify({ ...fixtureResult(), target: 'host', unit: 'ns' }),
  );
}

function runCli(args: string[]): Promise<Outcome> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'xsinfer.js'), ...args], {
      cwd: tmp,
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - start }));
  });
}

/** Paths the messages name, as the table shows them (relative to the fixture directory or the repository). */
const shown = (s: string) => s.replaceAll(`${tmp}/`, '').replaceAll(`${repoRoot}/`, '').replaceAll(repoRoot, '.');
const command = (c: Case) => `xsinfer ${c.args.join(' ')}`;
const row = (c: Case, message: string) =>
  `| ${c.what} | \`${command(c)}\` | ${exitCodes[c.code]} ${c.code} | ${`xsinfer: ${message}`.replaceAll('|', '\\|')} |`;

fixtures();
const docPath = path.join(repoRoot, 'docs', 'errors.md');
const outcomes = new Map<Case, Outcome>();

describe('bad input: one line, a documented exit code, a JSON error document, at once', () => {
  beforeAll(async () => {
    // Two at a time: each is a Node start-up, and every one must end without a build.
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) outcomes.set(c, await runCli([...c.args, '--json']));
    };
    await Promise.all([worker(), worker()]);
    if (process.env.XSINFER_WRITE_ERRORS_DOC === '1') {
      const doc = fs.readFileSync(docPath, 'utf8');
      const [head, rest] = doc.split('<!-- cases:begin -->');
      const tail = rest!.split('<!-- cases:end -->')[1];
      const lines = cases.map((c) =>
        row(
          c,
          shown(
            outcomes
              .get(c)!
              .stderr.split('\n')[0]!
              .replace(/^xsinfer: /, ''),
          ),
        ),
      );
      fs.writeFileSync(
        docPath,
        `${head}<!-- cases:begin -->\n| case | command | exit | message (stderr) |\n|---|---|---|---|\n${lines.join('\n')}\n<!-- cases:end -->${tail}`,
      );
    }
  }, 600_000);
  const doc = () => fs.readFileSync(docPath, 'utf8');
  for (const c of cases) {
    it(`${c.what}: ${command(c)}`, () => {
      const o = outcomes.get(c)!;
      const lines = o.stderr.trimEnd().split('\n');
      expect(o.status, o.stderr).toBe(exitCodes[c.code]);
      expect(lines, 'one line on stderr').toHaveLength(1);
      expect(o.stderr).not.toMatch(/^\s+at /m);
      const first = shown(lines[0]!);
      expect(first.startsWith(`xsinfer: ${c.message}`), first).toBe(true);
      const json = JSON.parse(o.stdout.trim().split('\n').pop()!) as { error: { code: string; message: string } };
      expect(json).toEqual({ error: { code: c.code, message: lines[0]!.replace(/^xsinfer: /, '') } });
      expect(doc()).toContain(row(c, first.replace(/^xsinfer: /, '')));
    });
  }
});

describe('what failures leave behind', () => {
  it('no results directory from a bench that never reached its device', async () => {
    const r = await runCli(['bench', '--target', 'host', '--port', 'tcp:127.0.0.1:1']);
    expect(r.status).toBe(exitCodes.LINK_FAILED);
    expect(fs.existsSync(path.join(tmp, 'results'))).toBe(false);
  });
});

describe('the error path itself', () => {
  it('prints the stack only with --stack-trace', () => {
    const plain = xsinferIn(tmp, 'inspect', 'adir');
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    const traced = xsinferIn(tmp, '--stack-trace', 'inspect', 'adir');
    expect(traced.status).toBe(exitCodes.FILE_ERROR);
    expect(traced.stderr.split('\n')[0]).toBe('xsinfer: model adir: is a directory, not a file');
    expect(traced.stderr).toMatch(/^\s+at .*inspect\.ts/m);
  });

  it('prints the package, XS and build versions', () => {
    const r = xsinfer('--version', '--json');
    expect(r.status, r.stderr).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const v = JSON.parse(r.last) as { version: string; xs: string; build: string; firmware: Record<string, string> };
    expect(v.version).toBe(pkg.version);
    expect(v.xs).toBe('13.3.0');
    expect(v.build).toMatch(/^[0-9a-f]{7,}(-dirty)?$|^dev$/);
    const text = xsinfer('--version');
    expect(text.stdout).toContain(`xsinfer ${pkg.version}\nXS 13.3.0\nbuild ${v.build}\n`);
  });

  it('documents every exit code in docs/errors.md and the README', () => {
    const doc = fs.readFileSync(docPath, 'utf8');
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const [code, status] of Object.entries(exitCodes)) {
      expect(doc).toMatch(new RegExp(`^\\| ${status} \\| \`${code}\` \\|`, 'm'));
      expect(readme).toContain(`| ${status} | \`${code}\` |`);
    }
  });
});

describe('every error class maps to its code', () => {
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      return toXsinferError(err).code;
    }
    return 'no error';
  };

  it('file system, spawn, recording, link and session errors', async () => {
    expect(codeOf(() => fs.readFileSync('/nonexistent/file'))).toBe('FILE_ERROR');
    expect(toXsinferError(codeError(() => fs.readFileSync('/tmp'))).message).toBe(
      'cannot read: is a directory, not a file',
    );
    const spawned = spawnSync('xsinfer-no-such-tool', [], { encoding: 'utf8' });
    expect(toXsinferError(spawned.error).code).toBe('TOOLCHAIN_MISSING');
    expect(codeOf(() => parseRecording(Buffer.from('garbage, not a recording')))).toBe('BAD_INPUT');
    expect(toXsinferError(new LinkError('NO_PORT', 'no ST-LINK')).code).toBe('LINK_FAILED');
    expect(toXsinferError(new SessionError('TIMEOUT', 'late')).code).toBe('TIMEOUT');
    expect(toXsinferError(new SessionError('LINK_CLOSED', 'gone')).code).toBe('LINK_FAILED');
    expect(toXsinferError(new SessionError('DEVICE_ERROR', 'refused')).code).toBe('RUN_FAILED');
    const internal = toXsinferError(new TypeError('x is undefined'));
    expect(internal).toMatchObject({ code: 'INTERNAL', message: 'internal error: x is undefined' });
    const link = await openLink('/dev/xsinfer-no-such-tty', { baudRate: 115200 }).catch((e: unknown) => e);
    expect(toXsinferError(link)).toMatchObject({
      code: 'LINK_FAILED',
      message: 'cannot open /dev/xsinfer-no-such-tty: no such file or directory',
    });
  });

  it('a tool that does not finish in time is a TIMEOUT naming the command', async () => {
    const err = await exec('sleep', ['30'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(toXsinferError(err)).toMatchObject({ code: 'TIMEOUT', message: '`sleep 30` did not finish in 0 s' });
  });
});

function codeError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
