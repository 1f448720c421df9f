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

/** One exit code's rows: [what the row tries, the arguments (split at spaces), the message]. */
function rows(code: XsinferErrorCode, list: [string, string, string][]): Case[] {
  return list.map(([what, args, message]) => ({ what, args: args.split(' '), code, message }));
}

const cases: Case[] = [
  // Files that are not there, or not files.
  ...rows('FILE_ERROR', [
    ['missing model', 'inspect /nonexistent.tflite', 'model /nonexistent.tflite: no such file'],
    ['directory instead of a model', 'inspect adir', 'model adir: is a directory, not a file'],
    ['missing recording', 'replay nope.xsirec', 'recording nope.xsirec: no such file'],
    ['directory instead of a recording', 'report adir', 'recording adir: is a directory, not a file'],
    ['missing data directory', 'verify --data /nonexistent --target host', '--data /nonexistent: no such directory'],
    ['missing model to deploy', 'deploy --model nope.tflite', '--model nope.tflite: no such file'],
    [
      'missing compare input',
      'compare /nonexistent result.json',
      '/nonexistent: no such file or directory (give a results directory, result.json or recording.xsirec)',
    ],
    [
      'results directory without a result',
      'compare adir result.json',
      'adir: a directory without result.json or recording.xsirec',
    ],
    ['missing manifest', '--manifest /nonexistent.json build', '--manifest /nonexistent.json: no such file'],
  ]),
  // Hostile contents.
  ...rows('BAD_INPUT', [
    ['empty model', 'inspect empty.tflite', 'empty.tflite is empty, not a .tflite model'],
    [
      'random-bytes model',
      'inspect random.tflite',
      'random.tflite is not a usable .tflite model: not a .tflite model (file identifier TFL3 missing)',
    ],
    [
      'truncated model (first 2,000 bytes of mnist_int8)',
      'inspect truncated.tflite',
      'truncated.tflite is not a usable .tflite model: malformed .tflite: offset out of bounds',
    ],
    ['garbage recording', 'replay garbage.xsirec', 'garbage.xsirec is not an xsinfer recording (bad magic)'],
    ['garbage recording to report', 'report garbage.xsirec', 'garbage.xsirec is not an xsinfer recording (bad magic)'],
    [
      'recording that never reached a device',
      'report empty.xsirec',
      'empty.xsirec holds no session: no info record among its 0 records (was the device ever reached?)',
    ],
    [
      'data directory without golden cases',
      'verify --data adir --target host',
      'no golden cases in adir: expected golden/*.json or ops/golden/*.json (testdata/README.md)',
    ],
    [
      'JSON that is not a result',
      'compare notresult.json result.json',
      'notresult.json is not a bench result (result.json) or recording: no "unit"',
    ],
    [
      'random bytes as a result',
      'compare random.tflite result.json',
      'random.tflite is not a bench result (result.json) or recording: not JSON',
    ],
    [
      'results in different units',
      'compare result.json result-ns.json',
      'result.json counts instr (mps2-an500), result-ns.json counts ns (host): not comparable',
    ],
  ]),
  // Dead ports.
  ...rows('LINK_FAILED', [
    [
      'serial port that does not exist',
      'bench --port /dev/ttyNOPE',
      'cannot open /dev/ttyNOPE: no such device (is the board plugged in?)',
    ],
    [
      'dead serial port, live view',
      'monitor --port /dev/ttyNOPE',
      'cannot open /dev/ttyNOPE: no such device (is the board plugged in?)',
    ],
    [
      'dead serial port, one app',
      'run --app mnist --port /dev/ttyNOPE',
      'cannot open /dev/ttyNOPE: no such device (is the board plugged in?)',
    ],
    ['directory as a port', 'monitor --port /tmp', 'cannot open /tmp: it is a directory, not a serial device'],
    [
      'TCP port nobody listens on',
      'bench --target host --port tcp:127.0.0.1:1',
      'cannot connect to tcp:127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
    ],
    [
      'dead serial port, validation on target',
      'verify --port /dev/ttyNOPE',
      'cannot open /dev/ttyNOPE: no such device (is the board plugged in?)',
    ],
    [
      'TCP port nobody listens on, engine benchmark',
      'bench-engine --models mnist_int8 --port tcp:127.0.0.1:1',
      'cannot connect to tcp:127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
    ],
  ]),
  ...rows('BAD_ARGUMENT', [
    [
      'board without its port, engine benchmark',
      'bench-engine --target stm32f769i-disco',
      'bench-engine on stm32f769i-disco: a board needs --port (its ST-LINK serial port, or "auto")',
    ],
    [
      'board without its port, validation',
      'verify --target stm32f769i-disco --via-wire',
      'verify on stm32f769i-disco: a board needs --port (its ST-LINK serial port, or "auto")',
    ],
    [
      'port in no known syntax',
      'monitor --port ttyUSB0',
      "--port takes a device path (/dev/ttyACM0, /dev/pts/3), tcp:HOST:PORT or auto, not 'ttyUSB0'",
    ],
    // Unknown names.
    [
      'unknown target',
      'build --target esp32',
      "unknown target 'esp32': use one of mps2-an500, mps2-an386, stm32f769i-disco, stm32f413zh-nucleo, host",
    ],
    [
      'unknown app',
      'bench --apps hello_world,nope',
      "-a, --apps: unknown value 'nope': use hello_world, micro_speech, micro_speech_stream, mnist, person_detect, generic",
    ],
    [
      'unknown model name',
      'bench-engine --models nope --target host',
      "no model 'nope' in testdata/models or testdata/mlperf/models (give a .tflite path for any other model)",
    ],
    [
      'unknown golden file',
      'verify --models nope --target host',
      "-m, --models: no golden file 'nope' in testdata (stems such as audio_preprocessor_float, audio_preprocessor_int8, hello_world_float)",
    ],
    [
      'model file that is not there',
      'bench --model nope.tflite',
      '--model nope.tflite: no such file (give a .tflite path to upload, or an asset name such as upload/model or models/mnist_int8.tflite)',
    ],
    [
      'unknown program',
      'run --program nope',
      "--program takes one of banner, bench-engine, flash-check, kernel-diff, verify, wire-selftest, xs-frontend, xs-smoke, xsinfer, not 'nope'",
    ],
    [
      'unknown manifest platform',
      '--manifest-platform nope build',
      "--manifest-platform takes one of mps2-an500, mps2-an386, stm32f769i-disco, stm32f413zh-nucleo, host, not 'nope'",
    ],
    ['unknown fuzz target', 'fuzz --targets nope', "--targets: unknown value 'nope': use model, wire"],
    // Bad numbers and enums.
    ['word as a count', 'bench -n abc', "-n, --iterations takes an integer from 1 to 10000, not 'abc'"],
    ['negative count', 'bench --iterations -3', "-n, --iterations takes an integer from 1 to 10000, not '-3'"],
    ['fraction as a count', 'run --app mnist -n 2.5', "-n, --iterations takes an integer from 1 to 10000, not '2.5'"],
    ['word as warm-up', 'bench -w x', "-w, --warmup takes an integer from 0 to 10000, not 'x'"],
    ['zero invokes', 'bench-engine -n 0 --target host', "-n, --invokes takes an integer from 1 to 1000, not '0'"],
    [
      'word as a timeout',
      'run --program banner --timeout soon',
      "--timeout takes an integer from 1 to 86400000, not 'soon'",
    ],
    [
      'word as seconds',
      'monitor --port /dev/ttyNOPE --seconds x',
      "--seconds takes a number greater than 0 and at most 86400, not 'x'",
    ],
    ['zero fuzz seconds', 'fuzz --seconds 0', "-s, --seconds takes an integer from 1 to 86400, not '0'"],
    [
      'word as a threshold',
      'compare result.json result.json --threshold x',
      "--threshold takes a percentage of A's median such as 2% or a non-negative number in the results' unit, not 'x'",
    ],
    ['unknown kernel set', 'run --app mnist -k fast', "-k, --kernels takes one of reference, optimized, not 'fast'"],
    [
      'unknown kernel set in a list',
      'bench -k reference,fast',
      "-k, --kernels: unknown value 'fast': use reference, optimized",
    ],
    ['unknown impl', 'bench --impl rust', "--impl: unknown value 'rust': use js, c"],
    ['empty list', 'bench --impl ,', "--impl takes a comma-separated list of js, c, not ','"],
    // Command-line syntax.
    ['misspelt command', 'benc', "unknown command 'benc' (Did you mean bench?) (xsinfer --help lists the commands)"],
    [
      'misspelt option',
      'bench --iteratons 3',
      "unknown option '--iteratons' (Did you mean --iterations?) (--help lists the options)",
    ],
    ['unknown option', 'bench --fast', "unknown option '--fast' (--help lists the options)"],
    ['missing argument', 'inspect', "missing required argument 'model' (--help lists the options)"],
    ['nothing to deploy', 'deploy', 'nothing to deploy: give an app directory or manifest, and/or --model'],
  ]),
  // Any model, any inputs, your own app, MLPerf Tiny (kws.tflite: MLPerf Tiny's KWS model).
  ...rows('BAD_ARGUMENT', [
    [
      'input file of the wrong size',
      'bench --model kws.tflite --inputs badsize',
      "input short.bin has 100 bytes; the model's input 0 (int8[1,49,10,1]) takes 490",
    ],
    [
      'empty input directory',
      'bench --model kws.tflite --inputs adir',
      '--inputs adir: no inputs (no .bin files and no rows in a truth CSV)',
    ],
    [
      'missing input directory',
      'bench --model kws.tflite --inputs nodir',
      '--inputs nodir: no such directory or file (or random[:SEED[:CASES]])',
    ],
    [
      'truth CSV naming a missing file',
      'bench --model kws.tflite --inputs badcsv',
      '--inputs badcsv: the truth CSV names gone.bin, which is not there',
    ],
    [
      'labels file of the wrong length',
      'bench --model kws.tflite --inputs random --labels labels2.txt',
      '--labels labels2.txt: 2 names for a model with 12 outputs (one name a line)',
    ],
    [
      'golden file of another model',
      'bench --model kws.tflite --inputs ic.json',
      "--inputs ic.json: its input is int8 of 3072 bytes, the model's input 0 is int8 of 490",
    ],
    [
      'input set larger than the input buffer',
      '--manifest-platform stm32f769i-disco bench --model ic.tflite --inputs icset',
      "--inputs icset: 6 cases make an input set of 18,480 bytes; stm32f769i-disco's input buffer holds 16,384 (manifest.json defines.inputs.bytes): use --cases 5",
    ],
    [
      'unknown model kind',
      'bench --model kws.tflite --inputs random --kind detection',
      '--kind detection: use classification, anomaly, regression',
    ],
    ['inputs without a model', 'bench --inputs random', 'the generic app needs --model FILE.tflite (none given)'],
    ['app directory that is not there', 'bench --app noapp', 'no app at noapp'],
    [
      'app directory without an app',
      'bench --app adir',
      'adir has no main.ts and no manifest.json: not an app (`xsinfer new DIR` makes one)',
    ],
    ['scaffold into a directory with files', 'new nonempty', 'nonempty exists and is not an empty directory'],
    [
      'scaffold an unknown kind',
      'new app2 --kind detection',
      '--kind detection: use classification, anomaly, regression',
    ],
    [
      'scaffold with inputs that do not fit the model',
      'new app3 --model kws.tflite --inputs badsize',
      "input short.bin has 100 bytes; the model's input 0 (int8[1,49,10,1]) takes 490",
    ],
    ['MLPerf run without a model', 'mlperf --inputs ic.json', 'mlperf needs --model FILE.tflite'],
    [
      'MLPerf run on random inputs',
      'mlperf --model kws.tflite --inputs random',
      'mlperf needs real inputs: a directory or a golden JSON',
    ],
    [
      'MLPerf unknown mode',
      'mlperf --model kws.tflite --inputs badsize --mode fast',
      '--mode fast: use performance or accuracy',
    ],
    [
      'MLPerf accuracy without truth',
      'mlperf --model ic.tflite --inputs ic.json --mode accuracy',
      'accuracy mode needs a truth CSV in ic.json (file, classes, class, …): a directory of .bin inputs with one',
    ],
    [
      'board check of an unknown target',
      'board-check --target nope',
      "unknown target 'nope': use one of mps2-an500, mps2-an386, stm32f769i-disco, stm32f413zh-nucleo, host",
    ],
  ]),
  ...rows('FILE_ERROR', [
    ['scaffold with a missing model', 'new app1 --model nope.tflite', '--model nope.tflite: no such file'],
  ]),
  ...rows('NOT_SUPPORTED', [
    [
      'MLPerf streaming wake word',
      'mlperf --model str_ww.tflite --inputs str_ww.json',
      "str_ww.tflite looks like MLPerf Tiny's streaming wake-word model (input 1x30x1x40)",
    ],
  ]),
  ...rows('LINK_FAILED', [
    [
      'MLPerf board on a dead port',
      'mlperf --model ic.tflite --inputs ic.json --port tcp:127.0.0.1:1',
      'cannot connect to tcp:127.0.0.1:1',
    ],
    ['board check on a dead port', 'board-check --port tcp:127.0.0.1:1', 'cannot connect to tcp:127.0.0.1:1'],
  ]),
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
