// `xsinfer new DIR`: a TypeScript app that builds, deploys and benches as it is from any
// folder: main.ts (setup / populate / respond / check), a tsconfig wired to the device
// typings and to the firmware's lib modules as the package modules "xsinfer/*", a
// manifest naming the app and its default model and inputs (MLPerf Tiny's keyword-spotting
// model and TFLM's golden outputs for it, so the first bench is checked), and a README.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XsinferError } from '../errors.ts';
import { repoRoot } from '../paths.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const MODEL = 'kws_ref_model.tflite';
const INPUTS = 'kws_ref_model.json';

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

function readme(name: string): string {
  return `# ${name}

An [xsinfer](${repoRoot}) app: TypeScript compiled ahead of time to XS bytecode, deployed to
the board (or QEMU's Cortex-M7) without reflashing, and measured per phase (POPULATE /
INVOKE / RESPOND) against the same work in C (xsinfer's generic C app on the same model and
inputs).

\`\`\`sh
npx xsinfer bench --app .                                  # ${MODEL} on ${INPUTS}, checked
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
- \`${MODEL}\`: MLPerf Tiny's keyword-spotting model (mlcommons/tiny, Apache-2.0);
  \`${INPUTS}\`: two inputs with the outputs real TFLM gives for them.
`;
}

export function scaffoldApp(dir: string): { dir: string; name: string; files: string[] } {
  const abs = path.resolve(dir);
  if (fs.existsSync(abs) && (!fs.statSync(abs).isDirectory() || fs.readdirSync(abs).length > 0))
    throw new XsinferError('BAD_ARGUMENT', `${dir} exists and is not an empty directory`);
  const name = appNameFor(abs);
  fs.mkdirSync(abs, { recursive: true });
  const deviceDir = path.relative(abs, path.join(repoRoot, 'device')).replace(/\\/g, '/');
  const files: Record<string, string | Buffer> = {
    'main.ts': fs.readFileSync(path.join(here, 'template-main.ts.txt'), 'utf8').replaceAll('__NAME__', name),
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
            baseUrl: deviceDir,
            paths: { 'xsinfer/*': ['lib/*'] },
          },
          include: ['*.ts', `${deviceDir}/types/*.d.ts`],
        },
        null,
        2,
      ) + '\n',
    'manifest.json':
      JSON.stringify({ name, main: 'main.ts', xsinfer: { app: name, model: MODEL, inputs: INPUTS } }, null, 2) + '\n',
    'README.md': readme(name),
    [MODEL]: fs.readFileSync(path.join(repoRoot, 'testdata', 'mlperf', 'models', MODEL)),
    [INPUTS]: fs.readFileSync(path.join(repoRoot, 'testdata', 'mlperf', 'golden', INPUTS)),
  };
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(abs, file), content);
  return { dir: abs, name, files: Object.keys(files) };
}

/** The defaults an app's manifest names (paths resolved against the app directory). */
export function appDefaults(appDir: string): { model?: string; inputs?: string } {
  const file = path.join(appDir, 'manifest.json');
  if (!fs.existsSync(file)) return {};
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { xsinfer?: { model?: unknown; inputs?: unknown } };
  const out: { model?: string; inputs?: string } = {};
  if (typeof manifest.xsinfer?.model === 'string') out.model = path.resolve(appDir, manifest.xsinfer.model);
  if (typeof manifest.xsinfer?.inputs === 'string')
    out.inputs = /^random\b/.test(manifest.xsinfer.inputs)
      ? manifest.xsinfer.inputs
      : path.resolve(appDir, manifest.xsinfer.inputs);
  return out;
}
