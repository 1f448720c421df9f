// manifest.json, resolved for one target with Moddable's rules: `include`d manifests first
// (depth first, each once), then the manifest itself; in each, the top level and then its
// `platforms[target]` (or `"..."`) section. Moddable's `creation`, `defines` and `config`
// merge key by key (objects recursively, anything else replaced); our own `apps` (the
// built-in apps of the image) is replaced by the last manifest or platform that sets it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { XsinferError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import type { Target } from '../targets.ts';
import { currentFlavour, currentFlavourName, flavours, type FlavourName } from './flavour.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One manifest's top level or one of its platform sections, as merged. */
interface ManifestSection {
  include?: string | string[];
  creation?: JsonObject;
  defines?: JsonObject;
  config?: JsonObject;
  apps?: string[];
}

export interface ResolvedManifest {
  /** Creation values as written (merged); device-archive.ts checks and completes them. */
  creation: JsonObject;
  /** Flattened defines: {arena: {main: 32768}} → MODDEF_ARENA_MAIN = 32768. */
  defines: Record<string, number | string | boolean>;
  /** `config` (merged): the default export of the device module "mc/config". */
  config: JsonObject;
  /** Built-in apps (directory names under device/apps), sorted. */
  apps: string[];
  /** Every manifest file read, in merge order (includes first, the root manifest last). */
  files: string[];
  /** One line per manifest section with keys xsinfer does not read (Moddable's `modules`,
   * `preload`, `resources`, … or a typo), naming them; the build prints them and goes on. */
  warnings: string[];
}

/** The keys a manifest section may have; anything else is reported, not silently dropped. */
const SECTION_KEYS = ['include', 'creation', 'defines', 'config', 'apps'] as const;

/** The manifest a build reads: `--manifest FILE` (XSINFER_MANIFEST), else the repo's. */
export const manifestPath = (): string =>
  process.env.XSINFER_MANIFEST ? path.resolve(process.env.XSINFER_MANIFEST) : path.join(repoRoot, 'manifest.json');
const appsDir = path.join(repoRoot, 'device', 'apps');

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: JsonObject, over: JsonObject | undefined): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

/** Moddable's rule: nested names joined with "_", upper-cased, prefixed MODDEF_. */
function flattenDefines(defines: JsonObject, prefix = 'MODDEF'): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(defines)) {
    const name = `${prefix}_${k.toUpperCase()}`;
    if (!/^[A-Z0-9_]+$/.test(name))
      throw new XsinferError('BAD_ARGUMENT', `manifest defines: "${k}" is not a C identifier part`);
    if (isObject(v)) Object.assign(out, flattenDefines(v, name));
    else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[name] = v;
    else
      throw new XsinferError('BAD_ARGUMENT', `manifest defines: ${name} must be a number, string, boolean or object`);
  }
  return out;
}

/** Every app directory under device/apps. */
export function allApps(): string[] {
  return fs
    .readdirSync(appsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** The manifest platform whose settings a build uses instead of its own target's
 * (`--manifest-platform`, e.g. the F769's apps, arenas and XS heap on QEMU), or null. */
export function manifestPlatformOverride(): string | null {
  return process.env.XSINFER_MANIFEST_PLATFORM || null;
}

/** The build directory name for a target: "mps2-an500", or "mps2-an500+stm32f769i-disco"
 * when built with another platform's manifest settings. */
export function buildName(target: Target, flavourName: FlavourName = currentFlavourName()): string {
  const parts: string[] = [target];
  const platform = manifestPlatformOverride();
  if (platform && platform !== target) parts.push(platform);
  // Another manifest file: its own build tree, named by a hash of its path.
  if (process.env.XSINFER_MANIFEST)
    parts.push(`m${crypto.createHash('sha1').update(manifestPath()).digest('hex').slice(0, 8)}`);
  // A firmware flavour other than release (--debug): host/build/flavour.ts.
  const flavour = flavours[flavourName].suffix;
  if (flavour) parts.push(flavour);
  return parts.join('+');
}

const shown = (file: string): string => path.relative(process.cwd(), file) || file;

/** Where the first "__proto__" key in `v` is, or null. JSON.parse makes it an own key; a
 * merge or the object literal in mc/config would set a prototype instead. */
function protoKey(v: unknown, at: string): string | null {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = protoKey(v[i], `${at}[${i}]`);
      if (found) return found;
    }
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const found = k === '__proto__' ? `${at}.${k}` : protoKey(x, `${at}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

/** A section's keys checked for the types the merge relies on; `where` names it in errors
 * and in the warning for keys it does not know (`extra`: keys allowed besides SECTION_KEYS). */
function checkSection(raw: unknown, where: string, warnings: string[], extra: string[] = []): ManifestSection {
  if (!isObject(raw)) throw new XsinferError('BAD_ARGUMENT', `${where} must be a JSON object`);
  const allowed = [...SECTION_KEYS, ...extra];
  const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (unknown.length) {
    warnings.push(
      `warning: ${where}: ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => `"${k}"`).join(', ')} ignored ` +
        `(xsinfer reads ${allowed.map((k) => `"${k}"`).join(', ')})`,
    );
  }
  const { include, creation, defines, config, apps } = raw;
  if (
    include !== undefined &&
    typeof include !== 'string' &&
    !(Array.isArray(include) && include.every((i) => typeof i === 'string'))
  ) {
    throw new XsinferError('BAD_ARGUMENT', `${where}: "include" must be a manifest path or an array of them`);
  }
  for (const [key, v] of [
    ['creation', creation],
    ['defines', defines],
    ['config', config],
  ] as const) {
    if (v !== undefined && !isObject(v)) throw new XsinferError('BAD_ARGUMENT', `${where}: "${key}" must be an object`);
  }
  const bad = protoKey(config, 'config') ?? protoKey(creation, 'creation') ?? protoKey(defines, 'defines');
  if (bad) throw new XsinferError('BAD_ARGUMENT', `${where}: ${bad} is not allowed as a key`);
  if (apps !== undefined && !(Array.isArray(apps) && apps.every((a) => typeof a === 'string'))) {
    throw new XsinferError('BAD_ARGUMENT', `${where}: "apps" must be an array of app names`);
  }
  return raw as ManifestSection;
}

interface LoadedManifest {
  file: string;
  top: ManifestSection;
  platform: ManifestSection | undefined;
}

/** Reads `file` and, first, everything it includes (its own and its platform section's
 * `include`, paths relative to it), appending each manifest once, in merge order.
 * `chain` is the include path that led here: meeting a file on it again is a cycle. */
function load(file: string, platformKey: string, chain: string[], out: LoadedManifest[], warnings: string[]): void {
  const via = chain.length ? ` (included from ${shown(chain[chain.length - 1])})` : '';
  if (chain.includes(file)) {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `manifest include cycle: ${[...chain.slice(chain.indexOf(file)), file].map(shown).join(' → ')}`,
    );
  }
  if (out.some((m) => m.file === file)) return; // included twice (a diamond): Moddable merges it once
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new XsinferError('BAD_ARGUMENT', `manifest ${shown(file)}: ${why}${via}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `manifest ${shown(file)} is not valid JSON: ${(err as Error).message}${via}`,
    );
  }
  const top = checkSection(raw, `manifest ${shown(file)}`, warnings, ['platforms']);
  const platforms = (raw as { platforms?: unknown }).platforms;
  if (platforms !== undefined && !isObject(platforms))
    throw new XsinferError('BAD_ARGUMENT', `manifest ${shown(file)}: "platforms" must be an object`);
  const key = platforms && Object.hasOwn(platforms, platformKey) ? platformKey : '...';
  const platform =
    platforms && Object.hasOwn(platforms, key)
      ? checkSection(platforms[key], `manifest ${shown(file)} platforms["${key}"]`, warnings)
      : undefined;
  const includes = [top.include ?? [], platform?.include ?? []].flat();
  for (const inc of includes) load(path.resolve(path.dirname(file), inc), platformKey, [...chain, file], out, warnings);
  out.push({ file, top, platform });
}

/** The manifest (default: the repository's manifest.json; none at all is an empty one)
 * with its includes, resolved for `target`, or for `--manifest-platform` when given. */
export function resolveManifest(target: Target, file: string = manifestPath()): ResolvedManifest {
  const loaded: LoadedManifest[] = [];
  const warnings: string[] = [];
  const root = path.resolve(file);
  if (file !== manifestPath() || fs.existsSync(root))
    load(root, manifestPlatformOverride() ?? target, [], loaded, warnings);
  let creation: JsonObject = {};
  let defines: JsonObject = {};
  let config: JsonObject = {};
  let apps: string[] | undefined;
  for (const m of loaded) {
    for (const section of [m.top, m.platform]) {
      if (!section) continue;
      creation = deepMerge(creation, section.creation);
      defines = deepMerge(defines, section.defines);
      config = deepMerge(config, section.config);
      apps = section.apps ?? apps;
    }
  }
  const known = allApps();
  // Apps that belong to a flavour (the debugger's probe) are in no other image.
  const flavourApps = Object.values(flavours).flatMap((f) => f.apps);
  const chosen = [...(apps ?? known.filter((a) => !flavourApps.includes(a))), ...currentFlavour().apps];
  const unknown = chosen.filter((a) => !known.includes(a));
  if (unknown.length) {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `manifest apps for ${target}: no device/apps/${unknown[0]} (have ${known.join(', ')})`,
    );
  }
  return {
    creation,
    defines: flattenDefines(defines),
    config,
    apps: [...new Set(chosen)].sort(),
    files: loaded.map((m) => m.file),
    warnings,
  };
}

/** The scalar leaves of `config` as MC_CONFIG_* names (nested keys joined with "_" and
 * upper-cased, like defines); arrays and null have no C form and are left to JS. */
function configMacros(config: JsonObject, prefix = 'MC_CONFIG'): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(config)) {
    const name = `${prefix}_${k.toUpperCase()}`;
    if (!/^[A-Z0-9_]+$/.test(name)) continue;
    if (isObject(v)) Object.assign(out, configMacros(v, name));
    else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[name] = v;
  }
  return out;
}

/** gen/mc.defines.h: the defines as C macros (strings quoted, booleans 0/1), then the
 * config's scalars as MC_CONFIG_*, so C code (a C twin of a TS app) reads the very values
 * the device's JavaScript gets from mc/config. */
export function definesHeader(
  defines: Record<string, number | string | boolean>,
  config: JsonObject = {},
  apps: string[] = [],
): string {
  const lines = [
    '/* generated by host/build/manifest.ts from manifest.json `defines`, `config` and `apps` */',
    '#ifndef MC_DEFINES_H',
    '#define MC_DEFINES_H',
  ];
  const macro = (name: string, v: number | string | boolean) =>
    `#define ${name} ${typeof v === 'string' ? JSON.stringify(v) : typeof v === 'boolean' ? Number(v) : v}`;
  for (const [name, v] of Object.entries(defines).sort(([a], [b]) => a.localeCompare(b))) lines.push(macro(name, v));
  for (const [name, v] of Object.entries(configMacros(config)).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(macro(name, v));
  // MC_APP_<NAME> for each app in the image: firmware that serves only one app (the MLPerf
  // mode serves the generic app) is left out of images without it.
  for (const app of [...apps].sort()) lines.push(macro(`MC_APP_${app.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`, 1));
  lines.push('#endif', '');
  return lines.join('\n');
}

/** The numeric leaves of `config` by key path ("recognizeCommands.averageWindowMs"); other
 * values have no C form here and are left to JS. */
function configNumbers(config: JsonObject, prefix = ''): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(v)) out.push(...configNumbers(v, key));
    else if (typeof v === 'number' && Number.isFinite(v)) out.push([key, v]);
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}

/** gen/mc_config.c: the config's numbers as the table firmware/common/config.c looks up
 * (config_number() in native/platform/include/xsinfer/platform.h). */
export function configTable(config: JsonObject = {}): string {
  const rows = configNumbers(config).map(([key, v]) => `    {${JSON.stringify(key)}, ${v}},`);
  return [
    '/* generated by host/build/manifest.ts from manifest.json `config` */',
    '#include "config_table.h"',
    '',
    `const config_entry_t xsinfer_config[] = {`,
    ...rows,
    `    {0, 0},`,
    '};',
    `const uint32_t xsinfer_config_count = ${rows.length}u;`,
    '',
  ].join('\n');
}

/** The device module "mc/config" (Moddable's): the merged `config` as its default export,
 * frozen deep (XS's Object.freeze(o, true)), so apps read it and cannot change it. */
export function configModule(config: JsonObject, target: string): string {
  return [
    `// generated by host/build/manifest.ts from manifest.json \`config\` for ${target}`,
    `export default Object.freeze(${JSON.stringify(config)}, true);`,
    '',
  ].join('\n');
}
