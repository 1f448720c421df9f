// `xsinfer new DIR [--model M] [--inputs I] [--kind K]`: a TypeScript app that builds,
// deploys and benches as it is from any folder: main.ts (setup / populate / respond /
// check; RESPOND by the model's kind: classification, anomaly or regression; int8, uint8
// or float32 tensors), a tsconfig wired to the device typings and to the firmware's lib
// modules as the package modules "xsinfer/*", a manifest naming the app, its kind and its
// default model and inputs, and a README. Without --model the kind's model from the test
// data comes with TFLM's golden outputs (so the first bench is checked); a model without
// inputs gets seeded generated ones.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XsinferError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { guessKind, kinds, loadInputSet, modelIo, type ModelIo, type ModelKind } from '../generic/input-set.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What `new` writes for each kind of model: the default model (with TFLM's golden outputs
 * for it), the header's words, a check in setup and RESPOND. */
const KINDS: Record<
  ModelKind,
  {
    model: string;
    inputs: string;
    describe: string;
    doc: string;
    setupCheck: string;
    respond: string;
    /** The names RESPOND imports from "helpers" (POPULATE's copy is always there). */
    helpers: string[];
    /** Other imports RESPOND needs. */
    imports?: string;
    /** Module state, setup lines and a POPULATE line only this kind needs. */
    state?: string;
    setup?: string;
    populate?: string;
  }
> = {
  classification: {
    model: 'testdata/mlperf/models/kws_ref_model.tflite',
    inputs: 'testdata/mlperf/golden/kws_ref_model.json',
    describe: "MLPerf Tiny's keyword-spotting model (mlcommons/tiny, Apache-2.0)",
    doc: 'the class with the highest dequantized score',
    setupCheck: '',
    state: 'let outFloat = false;\n',
    setup: "  outFloat = o.type === 'float32';\n",
    helpers: ['argmax'],
    imports: "import { dequantizeI8 } from 'xsinfer/quantize';",
    respond: `/** RESPOND: the class with the highest dequantized score (the first one on a tie):
 * helpers.argmax over int8/uint8 scores, a loop over float32 ones. */
export function respond(): AppResult {
  const out = output;
  if (!outFloat) {
    const label = argmax(out as Int8Array | Uint8Array, out.length, outScale, outZeroPoint);
    return { label, score: out[label], value: dequantizeI8(out[label], outScale, outZeroPoint) };
  }
  let label = 0;
  let best = out[0];
  for (let i = 1; i < out.length; i++) {
    if (out[i] > best) {
      best = out[i];
      label = i;
    }
  }
  return { label, score: 0, value: best };
}`,
  },
  anomaly: {
    model: 'testdata/mlperf/models/ad01_int8.tflite',
    inputs: 'testdata/mlperf/golden/ad01_int8.json',
    describe: "MLPerf Tiny's anomaly-detection autoencoder (mlcommons/tiny, Apache-2.0)",
    doc: 'the mean squared error of the reconstruction against the input',
    state: `let inScale = 0;
let inZeroPoint = 0;
let populated = 0; // the case RESPOND scores against
`,
    setup: `  inScale = i.scale;
  inZeroPoint = i.zeroPoint;
`,
    populate: `  populated = caseIndex;
`,
    setupCheck: `  if (o.data.length !== i.data.length)
    throw new ModelMismatchError(\`__NAME__: anomaly scoring needs as many outputs as inputs (\${o.data.length}, \${i.data.length})\`);`,
    helpers: ['meanSquaredError'],
    respond: `/** RESPOND: the mean squared error of the dequantized reconstruction against the
 * dequantized input (MLPerf Tiny's anomaly score), summed in float32 in element order:
 * one helpers.meanSquaredError call (the plain loop: d = Math.fround(out[i] − in[i]), both
 * dequantized with dequantizeI8, sum = Math.fround(sum + Math.fround(d * d)), then
 * Math.fround(sum / n)). */
export function respond(): AppResult {
  const n = output.length;
  const base = inputsBase + populated * n;
  const a = output as Int8Array | Uint8Array | Float32Array;
  const b = inputs as Int8Array | Uint8Array | Float32Array;
  const value = meanSquaredError(a, 0, b, base, n, outScale, outZeroPoint, inScale, inZeroPoint);
  return { label: -1, score: 0, value };
}`,
  },
  regression: {
    model: 'testdata/models/hello_world_int8.tflite',
    inputs: 'testdata/golden/hello_world_int8.json',
    describe: "TFLM's hello_world sine model (Apache-2.0)",
    doc: 'the dequantized output vector, its first element as the value',
    setupCheck: '  values = new Float32Array(o.data.length);',
    state: 'let outFloat = false;\n',
    setup: "  outFloat = o.type === 'float32';\n",
    helpers: ['dequantize'],
    respond: `/** The dequantized output of the last RESPOND. */
export let values = new Float32Array(0);

/** RESPOND: the dequantized output vector (helpers.dequantize over int8/uint8, the floats
 * as they are); the answer is its first element. */
export function respond(): AppResult {
  const out = output;
  const v = values;
  if (!outFloat) dequantize(v, 0, out as Int8Array | Uint8Array, 0, out.length, outScale, outZeroPoint);
  else v.set(out);
  return { label: -1, score: outFloat ? 0 : out[0], value: v[0] };
}`,
  },
};

/** Inputs written for a model that comes without any: seeded, as the generic app's
 * random sets are (int8/uint8 a random byte, float32 uniform in [-1, 1)). */
const GENERATED_CASES = 4;
function generatedInputs(io: ModelIo, seed: number): Uint8Array[] {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return Array.from({ length: GENERATED_CASES }, () => {
    const bytes = new Uint8Array(io.input.bytes);
    if (io.input.type === 'float32') {
      const f = new Float32Array(bytes.buffer);
      for (let i = 0; i < f.length; i++) f[i] = (next() >>> 8) * (2 / 16777216) - 1;
    } else for (let i = 0; i < bytes.length; i++) bytes[i] = next() >>> 24;
    return bytes;
  });
}

/** The app name a directory gets: lower case, [a-z0-9_], at most 31 characters. */
export function appNameFor(dir: string): string {
  const name = path
    .basename(path.resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 31);
  if (!/[a-z0-9]/.test(name)) throw new XsinferError('BAD_ARGUMENT', `cannot make an app name from "${dir}"`);
  return name;
}

function readme(name: string, kind: ModelKind, model: string, inputs: string, about: string): string {
  return `# ${name}

An [xsinfer](${repoRoot}) app: TypeScript compiled ahead of time to XS bytecode, deployed to
the board (or QEMU's Cortex-M7) without reflashing, and measured per phase (POPULATE /
INVOKE / RESPOND) against the same work in C (xsinfer's generic C app on the same model and
inputs). It answers as a ${kind} model: ${KINDS[kind].doc}.

\`\`\`sh
npx xsinfer bench --app .                                  # ${model} on ${inputs}
npx xsinfer bench --app . --model m.tflite --inputs DIR    # your model; DIR: .bin inputs (+ truth CSV) or a golden JSON
npx xsinfer deploy . --model m.tflite                      # onto a running board (run --keep / --port)
npx tsc -p .                                               # type-check against the device typings
\`\`\`

- \`main.ts\`: \`setup\` (once, untimed: the interpreter and views), \`populate\` (fill the input),
  \`respond\` (read the output), \`check\` (untimed, against the golden outputs when the inputs have them).
- Device modules: \`tflm\`, \`assets\`, \`timer\`, \`telemetry\`, … (typings in the xsinfer package's
  \`device/types/\`); the firmware's library as package modules: \`xsinfer/app\`, \`xsinfer/quantize\`,
  \`xsinfer/input-set\`, \`xsinfer/golden\`, \`xsinfer/bench\`.
- \`manifest.json\`: the app name the device runs it under and the default \`model\` and \`inputs\`.
- ${about}.
`;
}

export interface ScaffoldOptions {
  /** A .tflite to bring (copied in); default: the kind's model from xsinfer's test data. */
  model?: string;
  /** A directory of .bin inputs (+ truth CSV) or a golden JSON (copied in); default: the
   * model's golden outputs when xsinfer has them, else generated inputs. */
  inputs?: string;
  kind?: ModelKind;
}

/** The golden file xsinfer's test data has for a model with these bytes, if any. */
function goldenFor(bytes: Buffer): string | undefined {
  for (const [models, golden] of [
    ['testdata/mlperf/models', 'testdata/mlperf/golden'],
    ['testdata/models', 'testdata/golden'],
  ] as const) {
    const dir = path.join(repoRoot, models);
    for (const f of fs.readdirSync(dir).filter((e) => e.endsWith('.tflite'))) {
      const json = path.join(repoRoot, golden, f.replace(/\.tflite$/, '.json'));
      if (fs.existsSync(json) && fs.readFileSync(path.join(dir, f)).equals(bytes)) return json;
    }
  }
  return undefined;
}

export function scaffoldApp(
  dir: string,
  opts: ScaffoldOptions = {},
): { dir: string; name: string; kind: ModelKind; files: string[] } {
  const abs = path.resolve(dir);
  if (fs.existsSync(abs) && (!fs.statSync(abs).isDirectory() || fs.readdirSync(abs).length > 0))
    throw new XsinferError('BAD_ARGUMENT', `${dir} exists and is not an empty directory`);
  if (opts.kind !== undefined && !kinds.includes(opts.kind))
    throw new XsinferError('BAD_ARGUMENT', `--kind ${String(opts.kind)}: use ${kinds.join(', ')}`);
  const name = appNameFor(abs);
  // Everything is read and checked before the directory is made.
  let modelFile: string;
  if (opts.model !== undefined) {
    if (!fs.existsSync(opts.model) || !fs.statSync(opts.model).isFile())
      throw new XsinferError('FILE_ERROR', `--model ${opts.model}: no such file`);
    modelFile = opts.model;
  } else modelFile = path.join(repoRoot, KINDS[opts.kind ?? 'classification'].model);
  const modelBytes = fs.readFileSync(modelFile);
  const io = modelIo(modelFile, new Uint8Array(modelBytes));
  const kind = opts.kind ?? (opts.model !== undefined ? guessKind(io) : 'classification');
  // bench checks golden outputs byte for byte, which float32 outputs are not across engines.
  const inputsSpec = opts.inputs ?? (io.output.type === 'float32' ? undefined : goldenFor(modelBytes));
  // The inputs must fit the model: the same checks bench makes.
  if (inputsSpec !== undefined) loadInputSet(inputsSpec, io, { kind });
  const modelName = path.basename(modelFile);
  const files: Record<string, string | Uint8Array> = {};
  let inputsName: string;
  let about: string;
  if (inputsSpec === undefined) {
    inputsName = 'inputs';
    generatedInputs(io, 1).forEach((b, i) => (files[`inputs/in_${i}.bin`] = b));
    about = `\`${modelName}\`: your model; \`inputs/\`: ${GENERATED_CASES} generated inputs (${io.input.type}, seeded), so runs are unchecked and JS is compared with C`;
  } else if (fs.statSync(inputsSpec).isDirectory()) {
    inputsName = 'inputs';
    for (const e of fs.readdirSync(inputsSpec))
      if (/\.(bin|csv)$/i.test(e)) files[`inputs/${e}`] = fs.readFileSync(path.join(inputsSpec, e));
    about = `\`${modelName}\` and \`inputs/\` (a copy of ${inputsSpec})`;
  } else {
    inputsName = path.basename(inputsSpec);
    files[inputsName] = fs.readFileSync(inputsSpec);
    about =
      opts.model === undefined
        ? `\`${modelName}\`: ${KINDS[kind].describe}; \`${inputsName}\`: inputs with the outputs real TFLM gives for them, so every run is checked`
        : `\`${modelName}\` and \`${inputsName}\` (a copy of ${inputsSpec})`;
  }
  const template = fs
    .readFileSync(path.join(here, 'template-main.ts.txt'), 'utf8')
    .replace('__SETUP_CHECK__\n', KINDS[kind].setupCheck ? `${KINDS[kind].setupCheck}\n` : '')
    .replace('__RESPOND__', KINDS[kind].respond)
    .replace(
      '__IMPORTS__',
      [`import { ${['copy', ...KINDS[kind].helpers].sort().join(', ')} } from 'helpers';`, KINDS[kind].imports]
        .filter(Boolean)
        .join('\n'),
    )
    .replace('__STATE__', KINDS[kind].state ?? '')
    .replace('__SETUP__', KINDS[kind].setup ?? '')
    .replace('__POPULATE__', KINDS[kind].populate ?? '')
    .replace('__KIND_DOC__', KINDS[kind].doc)
    .replaceAll('__KIND__', kind)
    .replaceAll('__NAME__', name);
  const deviceDir = path.relative(abs, path.join(repoRoot, 'device')).replace(/\\/g, '/');
  Object.assign(files, {
    'main.ts': template,
    'tsconfig.json':
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'ES2022',
            moduleResolution: 'bundler',
            lib: ['ES2022'],
            types: [],
            strict: true,
            noEmit: true,
            allowImportingTsExtensions: true,
            isolatedModules: true,
            verbatimModuleSyntax: true,
            noUnusedLocals: true,
            baseUrl: deviceDir,
            paths: { 'xsinfer/*': ['lib/*'] },
          },
          include: ['*.ts', `${deviceDir}/types/*.d.ts`],
        },
        null,
        2,
      ) + '\n',
    'manifest.json':
      JSON.stringify(
        { name, main: 'main.ts', xsinfer: { app: name, kind, model: modelName, inputs: inputsName } },
        null,
        2,
      ) + '\n',
    'README.md': readme(name, kind, modelName, inputsName, about),
    [modelName]: modelBytes,
  });
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(abs, file)), { recursive: true });
    fs.writeFileSync(path.join(abs, file), content);
  }
  return { dir: abs, name, kind, files: Object.keys(files) };
}

/** The defaults an app's manifest names (paths resolved against the app directory). */
export function appDefaults(appDir: string): { model?: string; inputs?: string; kind?: ModelKind } {
  const file = path.join(appDir, 'manifest.json');
  if (!fs.existsSync(file)) return {};
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    xsinfer?: { model?: unknown; inputs?: unknown; kind?: unknown };
  };
  const out: { model?: string; inputs?: string; kind?: ModelKind } = {};
  if (kinds.includes(manifest.xsinfer?.kind as ModelKind)) out.kind = manifest.xsinfer!.kind as ModelKind;
  if (typeof manifest.xsinfer?.model === 'string') out.model = path.resolve(appDir, manifest.xsinfer.model);
  if (typeof manifest.xsinfer?.inputs === 'string')
    out.inputs = /^random\b/.test(manifest.xsinfer.inputs)
      ? manifest.xsinfer.inputs
      : path.resolve(appDir, manifest.xsinfer.inputs);
  return out;
}
