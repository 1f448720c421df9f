// Device TypeScript → XS archive in flash: tsc (ES2022 modules) → the host tool xsarc
// (XS 13.3 with its parser, built from node_modules with host gcc and cached in
// build/tools) → gen/xs_archive.c, the archive as const data plus the static XS memory
// sized from the manifest's `creation`, plus the module "mc/config" made from its `config`.
// Each step is skipped when its inputs are unchanged.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { exec } from '../exec.ts';
import { XsinferError } from '../errors.ts';
import { buildRoot, repoRoot } from '../paths.ts';
import type { Target } from '../targets.ts';
import { writeIfChanged } from './files.ts';
import { currentFlavourName, flavours, type FlavourName } from './flavour.ts';
import { buildName, configModule, resolveManifest } from './manifest.ts';

export const XSNAP_VERSION = '0.15.0';
export const xsDir = path.join(repoRoot, 'node_modules', '@agoric', 'xsnap', 'moddable', 'xs');
const compilerDir = path.join(repoRoot, 'firmware', 'xs', 'compiler');
const xsIncludeDir = path.join(repoRoot, 'firmware', 'xs', 'include');
const deviceDir = path.join(repoRoot, 'device');
const bindingsDir = path.join(repoRoot, 'native', 'bindings');

/** The module every program imports unless it names another. */
export const MAIN_MODULE = 'apps/smoke/main';
/** Moddable's module of the manifest's `config` (`import config from "mc/config"`). */
export const CONFIG_MODULE = 'mc/config';

/** XS runtime files (no parser) plus the parser/compiler files; xsarc needs both. */
export const XS_RUNTIME_FILES = [
  'xsAll',
  'xsAPI',
  'xsArguments',
  'xsArray',
  'xsAtomics',
  'xsBigInt',
  'xsBoolean',
  'xsCommon',
  'xsDataView',
  'xsDate',
  'xsDebug',
  'xsDefaults',
  'xsError',
  'xsFunction',
  'xsGenerator',
  'xsGlobal',
  'xsJSON',
  'xsMapSet',
  'xsMarshall',
  'xsMath',
  'xsMemory',
  'xsModule',
  'xsNumber',
  'xsObject',
  'xsPlatforms',
  'xsPromise',
  'xsProperty',
  'xsProxy',
  'xsRegExp',
  'xsRun',
  'xsString',
  'xsSymbol',
  'xsType',
  'xsdtoa',
  'xsre',
  'xsmc',
];
const XS_PARSER_FILES = ['xsLexical', 'xsSyntaxical', 'xsTree', 'xsScope', 'xsCode', 'xsScript', 'xsSourceMap'];

/** Moddable manifest `creation`, in txCreation order. */
export interface Creation {
  chunk: { initial: number; incremental: number };
  heap: { initial: number; incremental: number };
  stack: number;
  keys: { initial: number; incremental: number; name: number; symbol: number };
  parser: { buffer: number; table: number };
  static: number;
}

/** Used when manifest.json has no `creation`: room for the smoke app with headroom
 * (measured: ~3,800 slots and ~11 KB of chunks are taken by machine creation alone). */
export const defaultCreation: Creation = {
  chunk: { initial: 24576, incremental: 4096 },
  heap: { initial: 5120, incremental: 512 },
  stack: 512,
  keys: { initial: 800, incremental: 64, name: 127, symbol: 127 },
  parser: { buffer: 1024, table: 17 },
  static: 0,
};

/** Bytes the arena may grow beyond the initial chunks, slots and stack. */
const ARENA_GROWTH_BYTES = 32768;
/** Bytes of the c_malloc pool beyond keys and hash tables (txMachine, dtoa, scratch). */
const POOL_EXTRA_BYTES = 16384;

export interface ArchiveSummary {
  modules: number;
  symbols: number;
  idOperands: number;
  codeBytes: number;
  archiveBytes: number;
  hostFunctions: number;
  keysAfterCreation: number;
  keysAfterMap: number;
  /** The built-ins written as a txPreparation (gen/xs_preparation.c). */
  preparation?: {
    slots: number;
    items: number;
    heapCount: number;
    stackCount: number;
    aliases: number;
    keys: number;
    callbacks: number;
  };
  creation: Creation;
  file: string;
}

function sha(parts: (string | Buffer)[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

function checkXsPackage(): void {
  const pkgFile = path.join(repoRoot, 'node_modules', '@agoric', 'xsnap', 'package.json');
  if (!fs.existsSync(pkgFile)) {
    throw new XsinferError(
      'TOOLCHAIN_MISSING',
      `@agoric/xsnap is not installed: run npm install (pinned ${XSNAP_VERSION})`,
    );
  }
  const version = (JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  if (version !== XSNAP_VERSION) {
    // Host-side ID prediction only holds against the exact XS the firmware is built from.
    throw new XsinferError('BUILD_FAILED', `@agoric/xsnap is ${version}, the XS port needs exactly ${XSNAP_VERSION}`);
  }
}

// ---- creation ----

function mergeCreation(base: Creation, over: Partial<Record<keyof Creation, unknown>> | undefined): Creation {
  if (!over) return base;
  const out = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    if (v && typeof v === 'object' && typeof out[k] === 'object') out[k] = { ...(out[k] as object), ...(v as object) };
    else out[k] = v;
  }
  return out as unknown as Creation;
}

/** Creation from manifest.json (`creation`, then `platforms[target].creation` or the
 * `"..."` fallback), else the defaults; checked so the device never starts with nonsense. */
export function resolveCreation(target: Target, manifestFile?: string): Creation {
  const creation = mergeCreation(
    defaultCreation,
    resolveManifest(target, manifestFile).creation as Partial<Record<keyof Creation, unknown>>,
  );
  const values = creationValues(creation);
  if (values.some((v) => !Number.isInteger(v) || v < 0 || v > 0x7fffffff)) {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `manifest creation has a value that is not a non-negative integer: ${JSON.stringify(creation)}`,
    );
  }
  if (creation.chunk.initial % 8 || creation.chunk.incremental % 8) {
    throw new XsinferError('BAD_ARGUMENT', 'manifest creation.chunk sizes must be multiples of 8 bytes');
  }
  if (creation.keys.initial < 512 || creation.keys.initial > 0xfff0) {
    throw new XsinferError(
      'BAD_ARGUMENT',
      'manifest creation.keys.initial must be 512..65520 (XS built-ins alone take 461 keys)',
    );
  }
  return creation;
}

/** The creation as xsarc's --creation list (chunk, heap, stack, keys, parser, static), in that order. */
export function creationValues(c: Creation): number[] {
  return [
    c.chunk.initial,
    c.chunk.incremental,
    c.heap.initial,
    c.heap.incremental,
    c.stack,
    c.keys.initial,
    c.keys.incremental,
    c.keys.name,
    c.keys.symbol,
    c.parser.buffer,
    c.parser.table,
    c.static,
  ];
}

// ---- the host compiler ----

const toolBuilds = new Map<string, Promise<string>>();

/** Where xsarc is cached unless a caller says otherwise (XSINFER_TOOLS_DIR for experiments). */
const defaultToolsDir = (): string => process.env.XSINFER_TOOLS_DIR ?? path.join(buildRoot, 'tools');

/** Builds (or reuses) xsarc in toolsDir; returns its path. `defines`: extra XS
 * preprocessor defines (a flavour's, host/build/flavour.ts), built as its own tool. */
export function buildXsarc(toolsDir = defaultToolsDir(), defines: string[] = []): Promise<string> {
  const key = [toolsDir, ...defines].join('\0');
  let pending = toolBuilds.get(key);
  if (!pending) {
    pending = buildXsarcNow(toolsDir, defines);
    toolBuilds.set(key, pending);
    pending.catch(() => toolBuilds.delete(key));
  }
  return pending;
}

/** -rdynamic: the preparation writer names XS callbacks through dladdr (xsprep.c). */
const XSARC_LINK_FLAGS = ['-rdynamic', '-ldl', '-lm'];

function xsarcFlags(defines: string[] = []): string[] {
  return [
    ...defines.map((d) => `-D${d}`),
    '-O2',
    '-std=gnu11',
    '-DXSINFER_XS_HOST_TOOL=1',
    '-DmxRun=1',
    '-DmxParse=1',
    '-DXSPLATFORM="xsinfer_platform.h"',
    `-I${path.join(xsDir, 'includes')}`,
    `-I${path.join(xsDir, 'platforms')}`,
    `-I${path.join(xsDir, 'sources')}`,
    `-I${xsIncludeDir}`,
  ];
}

async function buildXsarcNow(toolsDir: string, defines: string[]): Promise<string> {
  checkXsPackage();
  const variant = defines.length ? `-${sha(defines).slice(0, 8)}` : '';
  const tool = path.join(toolsDir, `xsarc${variant}`);
  const xsFiles = [...XS_RUNTIME_FILES, ...XS_PARSER_FILES].map((f) => path.join(xsDir, 'sources', `${f}.c`));
  const ours = [
    path.join(compilerDir, 'xsarc.c'),
    path.join(compilerDir, 'xsprep.c'),
    path.join(compilerDir, 'xsprep.h'),
    path.join(xsIncludeDir, 'xsinfer_platform.h'),
  ];
  const stamp = sha([
    XSNAP_VERSION,
    ...xsarcFlags(defines),
    ...XSARC_LINK_FLAGS,
    ...xsFiles,
    ...ours.map((f) => fs.readFileSync(f)),
  ]);
  const stampFile = `${tool}.stamp`;
  if (fs.existsSync(tool) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return tool;

  // Build in a private directory and rename into place: parallel builds never see a
  // half-written tool.
  fs.mkdirSync(toolsDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(toolsDir, `xsarc${variant}-build-`));
  try {
    const jobs = [
      ...xsFiles.map((f) => ({ src: f, own: false })),
      { src: ours[0], own: true },
      { src: ours[1], own: true },
    ];
    const objects: string[] = [];
    let next = 0;
    const failures: string[] = [];
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const obj = path.join(work, path.basename(job.src, '.c') + '.o');
        objects.push(obj);
        // XS's own sources are third-party: their warnings are not ours to fix.
        const warn = job.own ? ['-Wall', '-Wextra', '-Werror'] : ['-w'];
        const r = await exec('gcc', [...xsarcFlags(defines), ...warn, '-c', job.src, '-o', obj]);
        if (r.code !== 0) failures.push(`${job.src}:\n${r.stderr}`);
      }
    };
    await Promise.all([worker(), worker()]);
    if (failures.length)
      throw new XsinferError('BUILD_FAILED', `building xsarc failed:\n${failures.join('\n').slice(0, 4000)}`);
    const linked = path.join(work, 'xsarc');
    const r = await exec('gcc', ['-o', linked, ...objects, ...XSARC_LINK_FLAGS]);
    if (r.code !== 0) throw new XsinferError('BUILD_FAILED', `linking xsarc failed:\n${r.stderr}`);
    fs.renameSync(linked, tool);
    fs.writeFileSync(stampFile, stamp);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return tool;
}

// ---- TypeScript ----

interface DeviceModule {
  /** Archive path: "apps/smoke/main", "lib/checks", "timer". */
  path: string;
  file: string;
}

/** Compiles device/ with its tsconfig into outDir; returns the emitted modules. */
export function compileDeviceTs(outDir: string, opts: { sourceMap?: boolean } = {}): DeviceModule[] {
  const configFile = path.join(deviceDir, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new XsinferError('BUILD_FAILED', ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(
    read.config,
    ts.sys,
    deviceDir,
    // Source maps (debug and profile flavours) end each module with `//# sourceMappingURL=`, which xsarc
    // follows to give XS TypeScript files and lines.
    { outDir, noEmitOnError: true, sourceMap: opts.sourceMap === true },
    configFile,
  );
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const emitted: string[] = [];
  const result = program.emit(undefined, (file, text) => {
    writeIfChanged(file, text);
    if (file.endsWith('.js')) emitted.push(file);
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length) {
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => repoRoot,
      getNewLine: () => '\n',
    });
    throw new XsinferError('BUILD_FAILED', `device TypeScript does not compile:\n${text}`);
  }
  return emitted
    .sort()
    .map((file) => ({ path: path.relative(outDir, file).replace(/\\/g, '/').replace(/\.js$/, ''), file }));
}

/** Relative imports of an emitted module, as archive paths ("../../lib/golden.js" → "lib/golden"). */
function importsOf(m: DeviceModule): string[] {
  const text = fs.readFileSync(m.file, 'utf8');
  const specifiers = [
    ...text.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]/g),
  ].map((x) => x[1] ?? x[2]);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(m.path), s)).replace(/\.(js|ts)$/, ''));
}

/** The modules of an image with only `apps` built in: every module of the other apps goes,
 * so do the lib modules only those apps reach, and (to a fixpoint) whatever imports a module
 * that went. Lib modules no app reaches (entry points the C programs import) stay. */
export function selectModules(modules: DeviceModule[], apps: string[]): DeviceModule[] {
  const appOf = (p: string): string | null => (p.startsWith('apps/') ? p.split('/')[1] : null);
  const graph = new Map(modules.map((m) => [m.path, importsOf(m)]));
  const closure = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...(graph.get(p) ?? []));
    }
    return seen;
  };
  const kept = closure(modules.filter((m) => apps.includes(appOf(m.path) ?? '')).map((m) => m.path));
  const others = closure(
    modules
      .filter((m) => {
        const a = appOf(m.path);
        return a !== null && !apps.includes(a);
      })
      .map((m) => m.path),
  );
  const dropped = new Set([...others].filter((p) => !kept.has(p)));
  for (let changed = true; changed;) {
    changed = false;
    for (const [p, deps] of graph) {
      if (!dropped.has(p) && deps.some((d) => dropped.has(d))) {
        if (kept.has(p))
          throw new XsinferError(
            'BUILD_FAILED',
            `${p} is needed by a built-in app but imports a module that was left out`,
          );
        dropped.add(p);
        changed = true;
      }
    }
  }
  return modules.filter((m) => !dropped.has(m.path));
}

/** JS halves of the native modules: native/bindings/<module>/<module>.js → "<module>". */
export function nativeModules(): DeviceModule[] {
  if (!fs.existsSync(bindingsDir)) return [];
  return fs
    .readdirSync(bindingsDir)
    .sort()
    .map((name) => ({ path: name, file: path.join(bindingsDir, name, `${name}.js`) }))
    .filter((m) => fs.existsSync(m.file));
}

// ---- the archive ----

export interface GenerateOptions {
  target: Target;
  buildDir: string;
  /** Where xsarc is cached (default build/tools). */
  toolsDir?: string;
  /** The firmware flavour the archive is for (default: this process's, host/build/flavour.ts):
   * its xsarc defines, and line information with tsc's source maps where it has them. */
  flavour?: FlavourName;
  /** Another manifest than the repository's manifest.json (tests). */
  manifest?: string;
}

/** Writes ${buildDir}/gen/xs_archive.c (only when its content changes) and returns what
 * the archive holds. */
export async function generateDeviceArchive(opts: GenerateOptions): Promise<ArchiveSummary> {
  const flavourName = opts.flavour ?? currentFlavourName();
  const flavour = flavours[flavourName];
  const lineInfo = flavour.lineInfo;
  const genDir = path.join(opts.buildDir, 'gen');
  const out = path.join(genDir, 'xs_archive.c');
  const creation = resolveCreation(opts.target, opts.manifest);
  // The debug flavour's XS (mxDebug) lays out txMachine and its built-ins differently:
  // its archive and preparation come from an xsarc built the same way.
  const tool = await buildXsarc(opts.toolsDir, flavour.xsarcDefines);
  const manifest = resolveManifest(opts.target, opts.manifest);
  // Generated beside (not inside) tsc's output; as a module file its text is part of the
  // inputs hashed below, so a config change rebuilds the archive.
  const configFile = path.join(genDir, `${CONFIG_MODULE}.js`);
  writeIfChanged(configFile, configModule(manifest.config, buildName(opts.target, flavourName)));
  const modules = [
    ...selectModules(compileDeviceTs(path.join(genDir, 'device-js'), { sourceMap: lineInfo }), manifest.apps),
    { path: CONFIG_MODULE, file: configFile },
    ...nativeModules(),
  ];
  if (!modules.some((m) => m.path === MAIN_MODULE)) {
    throw new XsinferError('BUILD_FAILED', `device/${MAIN_MODULE}.ts is missing`);
  }
  const args = [
    '--name',
    'xsinfer',
    '--main',
    MAIN_MODULE,
    '--creation',
    creationValues(creation).join(','),
    '--pool-extra',
    String(POOL_EXTRA_BYTES),
    '--arena-extra',
    String(ARENA_GROWTH_BYTES),
    ...(lineInfo ? ['--debug'] : []),
    // manifest.json defines.xs.symbolsInRam: the archive's symbols are registered at boot
    // instead of being prepared in flash (less flash, more RAM and boot time).
    ...(manifest.defines.MODDEF_XS_SYMBOLSINRAM ? ['--symbols-in-ram'] : []),
    ...modules.map((m) => `${m.path}=${m.file}`),
  ];
  const summaryFile = path.join(genDir, 'xs_archive.json');
  const inputs = sha([
    fs.readFileSync(`${tool}.stamp`, 'utf8'),
    ...args,
    ...modules.map((m) => fs.readFileSync(m.file)),
    ...(lineInfo ? modules.map((m) => (fs.existsSync(`${m.file}.map`) ? fs.readFileSync(`${m.file}.map`) : '')) : []),
  ]);
  if (fs.existsSync(out) && fs.existsSync(summaryFile) && fs.existsSync(path.join(genDir, 'xs_preparation.c'))) {
    const previous = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as ArchiveSummary & { inputs: string };
    if (previous.inputs === inputs) return previous;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xsarc-'));
  try {
    const tmpC = path.join(tmp, 'xs_archive.c');
    const tmpPrep = path.join(tmp, 'xs_preparation.c');
    const r = await exec(
      tool,
      [...args, '--out-xsa', path.join(genDir, 'xs_archive.xsa'), '--out-c', tmpC, '--out-prep', tmpPrep],
      { cwd: repoRoot },
    );
    if (r.code !== 0) {
      throw new XsinferError(
        'BUILD_FAILED',
        `compiling the device modules to XS bytecode failed:\n${r.stdout}${r.stderr}`,
      );
    }
    const stats = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Omit<ArchiveSummary, 'creation' | 'file'>;
    writeIfChanged(out, fs.readFileSync(tmpC, 'utf8'));
    writeIfChanged(path.join(genDir, 'xs_preparation.c'), fs.readFileSync(tmpPrep, 'utf8'));
    const summary: ArchiveSummary = { ...stats, creation, file: out };
    fs.writeFileSync(summaryFile, JSON.stringify({ ...summary, inputs }, null, 2));
    return summary;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
