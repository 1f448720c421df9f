// Compiles one device app (TypeScript) into a deployable XS archive for a device that
// runs a given firmware build: tsc over the app and the libraries it imports, then xsarc
// with --base = that build's built-in archive, so every key ID is predicted for the
// device's deploy sequence (fresh machine → built-in archive → this archive). Native
// modules (timer, tflm, assets, …) are not included: the firmware's own copies serve them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { exec } from '../exec.ts';
import { XsinferError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { buildDirFor } from '../build/firmware.ts';
import { buildXsarc, creationValues, resolveCreation } from '../build/device-archive.ts';
import { configModule, type JsonObject } from '../build/manifest.ts';
import type { Target } from '../targets.ts';
import { currentFlavour } from '../build/flavour.ts';

export interface AppSource {
  /** Deploy name (upload name): the app directory's name unless a manifest names it. */
  name: string;
  appDir: string;
  /** The directory holding apps/ and lib/ (module paths are relative to it); for a
   * standalone app (`xsinfer new`) the app directory itself. */
  root: string;
  /** Archive path of the entry module, e.g. "apps/mnist_v2/main". */
  main: string;
  /** The app manifest's `config`: the app's module "mod/config" (Moddable's), {} without one. */
  config: JsonObject;
  /** A standalone app directory anywhere: its modules become apps/<name>/…, and it reaches
   * the firmware's lib modules as the package modules "xsinfer/<module>". */
  standalone?: boolean;
}

/** Package modules a standalone app imports ("xsinfer/quantize") are the firmware's own
 * lib modules ("lib/quantize"), already in its archive. */
export const PACKAGE_PREFIX = 'xsinfer/';

/** The emitted JavaScript with "xsinfer/<module>" specifiers pointing at "lib/<module>". */
export function rewritePackageImports(js: string): string {
  return js.replace(/(\bfrom\s*|\bimport\s*\(?\s*)(['"])xsinfer\/([\w./-]+)\2/g, '$1$2lib/$3$2');
}

/** A directory made by `xsinfer new`: manifest.json with "xsinfer": {"app": …} and main.ts. */
function standaloneSource(appDir: string): AppSource | null {
  const file = path.join(appDir, 'manifest.json');
  if (!fs.existsSync(file)) return null;
  let manifest: { name?: unknown; main?: unknown; config?: unknown; xsinfer?: { app?: unknown } };
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof manifest;
  } catch (err) {
    throw new XsinferError('BAD_ARGUMENT', `${file} is not JSON: ${(err as Error).message}`);
  }
  if (!manifest.xsinfer || typeof manifest.xsinfer !== 'object') return null;
  const name = manifest.xsinfer.app ?? manifest.name ?? path.basename(appDir);
  if (typeof name !== 'string' || !NAME.test(name))
    throw new XsinferError('BAD_ARGUMENT', `${file}: the app name "${String(name)}" must be 1-31 of [a-z0-9_]`);
  const mainFile = typeof manifest.main === 'string' ? manifest.main : 'main.ts';
  if (!fs.existsSync(path.join(appDir, mainFile)))
    throw new XsinferError('BAD_ARGUMENT', `${path.join(appDir, mainFile)} is missing`);
  const config = manifest.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new XsinferError('BAD_ARGUMENT', `${file}: "config" must be an object`);
  return {
    name,
    appDir,
    root: appDir,
    main: `apps/${name}/${mainFile.replace(/\.ts$/, '')}`,
    config: config as JsonObject,
    standalone: true,
  };
}

export interface AppArchive extends AppSource {
  archive: Uint8Array;
  modules: string[];
  /** The built-in archive it was predicted against. */
  base: string;
}

const NAME = /^[a-z0-9_]{1,31}$/;
/** Moddable's module of a mod's (here: a deployed app's) manifest `config`. */
export const MOD_CONFIG_MODULE = 'mod/config';

/** An app directory (<root>/apps/<name>/ with main.ts, and optionally manifest.json) or a
 * manifest.json inside one ({"name"?: str, "main"?: "main.ts", "config"?: object}). */
export function resolveAppSource(spec: string): AppSource {
  const abs = path.resolve(spec);
  if (!fs.existsSync(abs)) throw new XsinferError('BAD_ARGUMENT', `no app at ${spec}`);
  const standalone = fs.statSync(abs).isDirectory() ? standaloneSource(abs) : null;
  if (standalone) return standalone;
  if (
    fs.statSync(abs).isDirectory() &&
    !fs.existsSync(path.join(abs, 'manifest.json')) &&
    !fs.existsSync(path.join(abs, 'main.ts'))
  )
    throw new XsinferError(
      'BAD_ARGUMENT',
      `${spec} has no main.ts and no manifest.json: not an app (\`xsinfer new DIR\` makes one)`,
    );
  let appDir = abs;
  let mainFile = 'main.ts';
  let name: string | undefined;
  let config: JsonObject = {};
  const manifestFile = fs.statSync(abs).isFile() ? abs : path.join(abs, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    appDir = path.dirname(manifestFile);
    let manifest: { name?: unknown; main?: unknown; config?: unknown };
    try {
      manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as typeof manifest;
    } catch (err) {
      throw new XsinferError('BAD_ARGUMENT', `${manifestFile} is not a JSON manifest: ${(err as Error).message}`);
    }
    if (manifest.config !== undefined) {
      if (typeof manifest.config !== 'object' || manifest.config === null || Array.isArray(manifest.config))
        throw new XsinferError('BAD_ARGUMENT', `${spec}: "config" must be an object`);
      config = manifest.config as JsonObject;
    }
    if (manifest.name !== undefined && typeof manifest.name !== 'string')
      throw new XsinferError('BAD_ARGUMENT', `${spec}: "name" must be a string`);
    if (manifest.main !== undefined && typeof manifest.main !== 'string')
      throw new XsinferError('BAD_ARGUMENT', `${spec}: "main" must be a string`);
    name = manifest.name as string | undefined;
    if (manifest.main) mainFile = manifest.main as string;
  }
  const dirName = path.basename(appDir);
  if (path.basename(path.dirname(appDir)) !== 'apps') {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `the app directory must sit at <root>/apps/<name>/ (next to <root>/lib), as in device/: got ${appDir}`,
    );
  }
  if (!NAME.test(dirName))
    throw new XsinferError(
      'BAD_ARGUMENT',
      `app directory name "${dirName}" must be 1-31 of [a-z0-9_] (the device's run names)`,
    );
  name ??= dirName;
  if (!NAME.test(name)) throw new XsinferError('BAD_ARGUMENT', `app name "${name}" must be 1-31 of [a-z0-9_]`);
  if (!fs.existsSync(path.join(appDir, mainFile)))
    throw new XsinferError('BAD_ARGUMENT', `${path.join(appDir, mainFile)} is missing`);
  const main = `apps/${dirName}/${mainFile.replace(/\.ts$/, '')}`;
  return { name, appDir, root: path.dirname(path.dirname(appDir)), main, config };
}

/** tsc over the app's .ts files (the compiler follows their imports into lib/); returns the emitted modules. */
function compileApp(src: AppSource, outDir: string): { path: string; file: string }[] {
  const deviceDir = path.join(repoRoot, 'device');
  const configFile = path.join(deviceDir, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new XsinferError('BUILD_FAILED', ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  // A standalone app is compiled with the firmware's lib as "xsinfer/*" and emitted under
  // its absolute path (rootDir "/"); only its own files are kept, named apps/<name>/….
  const emitRoot = src.standalone ? path.parse(src.appDir).root : src.root;
  const parsed = ts.parseJsonConfigFileContent(
    read.config,
    ts.sys,
    deviceDir,
    {
      outDir,
      rootDir: emitRoot,
      noEmitOnError: true,
      // The debug flavour: source maps, which xsarc --debug follows to TypeScript lines.
      sourceMap: currentFlavour().lineInfo,
      ...(src.standalone ? { baseUrl: deviceDir, paths: { [`${PACKAGE_PREFIX}*`]: ['lib/*'] } } : {}),
    },
    configFile,
  );
  const appFiles = fs
    .readdirSync(src.appDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.split(path.sep).includes('node_modules'))
    .map((f) => path.join(src.appDir, f));
  // The native modules' typings come from the firmware's tree, whatever the app's root.
  const typings = fs
    .readdirSync(path.join(deviceDir, 'types'))
    .filter((f) => f.endsWith('.d.ts'))
    .map((f) => path.join(deviceDir, 'types', f));
  const program = ts.createProgram({ rootNames: [...appFiles, ...typings], options: parsed.options });
  const emitted: string[] = [];
  const ownDir = src.standalone ? path.join(outDir, path.relative(emitRoot, src.appDir)) : outDir;
  const result = program.emit(undefined, (file, text) => {
    if (src.standalone && !path.resolve(file).startsWith(ownDir + path.sep)) return; // the firmware's lib
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, src.standalone ? rewritePackageImports(text) : text);
    if (file.endsWith('.js')) emitted.push(file);
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length) {
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => src.root,
      getNewLine: () => '\n',
    });
    throw new XsinferError('BUILD_FAILED', `app TypeScript does not compile:\n${text}`);
  }
  const modulePath = (file: string) =>
    src.standalone
      ? `apps/${src.name}/${path.relative(ownDir, file).replace(/\\/g, '/').replace(/\.js$/, '')}`
      : path.relative(outDir, file).replace(/\\/g, '/').replace(/\.js$/, '');
  return emitted.sort().map((file) => ({ path: modulePath(file), file }));
}

/** The deployable archive for `target`'s current firmware build (build/<target>/gen/xs_archive.xsa). */
export async function buildAppArchive(opts: {
  app: string;
  target: Target;
  baseArchive?: string;
}): Promise<AppArchive> {
  const src = resolveAppSource(opts.app);
  const base = opts.baseArchive ?? path.join(buildDirFor(opts.target), 'gen', 'xs_archive.xsa');
  if (!fs.existsSync(base)) {
    throw new XsinferError(
      'BUILD_FAILED',
      `no built-in archive at ${base}: build the firmware the device runs first (npx xsinfer build --target ${opts.target})`,
    );
  }
  // The firmware's flavour (--debug) decides how XS is built: xsarc must match it.
  const tool = await buildXsarc(undefined, currentFlavour().xsarcDefines);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-deploy-'));
  try {
    const modules = compileApp(src, path.join(work, 'js'));
    // Moddable's mod/config: the app's own manifest `config`, deeply frozen like mc/config.
    const modConfig = path.join(work, 'mod-config.js');
    fs.writeFileSync(modConfig, configModule(src.config, `the deployed app ${src.name}`));
    modules.push({ path: MOD_CONFIG_MODULE, file: modConfig });
    if (!modules.some((m) => m.path === src.main))
      throw new XsinferError('BUILD_FAILED', `${src.main}.ts produced no module`);
    const out = path.join(work, 'app.xsa');
    const args = [
      '--name',
      src.name,
      '--main',
      src.main,
      '--creation',
      creationArg(opts.target),
      '--base',
      base,
      '--out-xsa',
      out,
      ...(currentFlavour().lineInfo ? ['--debug'] : []),
      ...modules.map((m) => `${m.path}=${m.file}`),
    ];
    const r = await exec(tool, args, { cwd: repoRoot });
    if (r.code !== 0)
      throw new XsinferError('BUILD_FAILED', `compiling the app to XS bytecode failed:\n${r.stdout}${r.stderr}`);
    return { ...src, archive: new Uint8Array(fs.readFileSync(out)), modules: modules.map((m) => m.path), base };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function creationArg(target: Target): string {
  return creationValues(resolveCreation(target)).join(',');
}
