// manifest.json resolution (host/build/manifest.ts) with Moddable's rules, on manifests
// written to a temporary directory: include chains (depth first, each manifest once, the
// including one overriding key by key), platform sections and the "..." fallback,
// `config` as the device module "mc/config", and the errors for cycles, missing files
// and malformed keys. Plus the repository's own manifest.json as the builds see it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configModule, resolveManifest } from '../../host/build/manifest.ts';
import { XsinferError } from '../../host/errors.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-manifest-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.XSINFER_MANIFEST_PLATFORM;
});

/** Writes dir/<name> (subdirectories made) and returns its path. */
function write(name: string, manifest: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2));
  return file;
}

/** The XsinferError resolveManifest throws (fails when it does not throw one). */
function failure(file: string, target: 'host' | 'mps2-an500' = 'host'): XsinferError {
  try {
    resolveManifest(target, file);
  } catch (err) {
    expect(err).toBeInstanceOf(XsinferError);
    return err as XsinferError;
  }
  throw new Error('resolveManifest accepted it');
}

describe('include', () => {
  it('merges included manifests first; the including one overrides key by key', () => {
    write('base/manifest.json', {
      creation: { stack: 512, heap: { initial: 4096, incremental: 512 } },
      defines: { arena: { main: 1024, aux: 512 } },
      config: { recognizeCommands: { detectionThreshold: 150, suppressionMs: 900 }, label: 'base', list: [1, 2, 3] },
      apps: ['hello_world', 'mnist'],
    });
    const main = write('app/manifest.json', {
      include: '../base/manifest.json',
      creation: { heap: { initial: 8192 } },
      defines: { arena: { main: 2048 } },
      config: { recognizeCommands: { detectionThreshold: 210 }, list: [9] },
      apps: ['smoke'],
    });
    const m = resolveManifest('host', main);
    expect(m.creation).toEqual({ stack: 512, heap: { initial: 8192, incremental: 512 } });
    expect(m.defines).toEqual({ MODDEF_ARENA_MAIN: 2048, MODDEF_ARENA_AUX: 512 });
    // Objects merge, scalars and arrays are replaced.
    expect(m.config).toEqual({
      recognizeCommands: { detectionThreshold: 210, suppressionMs: 900 },
      label: 'base',
      list: [9],
    });
    expect(m.apps).toEqual(['smoke']);
    expect(m.files).toEqual([path.join(dir, 'base', 'manifest.json'), main]);
  });

  it('follows nested includes depth first, in array order, each path relative to its manifest', () => {
    write('lib/a/leaf.json', { config: { order: ['leaf'], leaf: true, who: 'leaf' } });
    write('lib/a/a.json', { include: './leaf.json', config: { who: 'a', a: 1 } });
    write('lib/b.json', { config: { who: 'b', b: 2 } });
    const main = write('manifest.json', { include: ['lib/a/a.json', 'lib/b.json'], config: { c: 3 } });
    const m = resolveManifest('host', main);
    expect(m.files.map((f) => path.relative(dir, f))).toEqual([
      'lib/a/leaf.json',
      'lib/a/a.json',
      'lib/b.json',
      'manifest.json',
    ]);
    // b comes after a (array order), so its "who" wins; the root adds its own key.
    expect(m.config).toEqual({ order: ['leaf'], leaf: true, who: 'b', a: 1, b: 2, c: 3 });
  });

  it('merges a manifest included twice (a diamond) once, where it is first reached', () => {
    write('shared.json', { config: { v: 'shared' } });
    write('x.json', { include: 'shared.json', config: { v: 'x' } });
    write('y.json', { include: 'shared.json' });
    const main = write('manifest.json', { include: ['x.json', 'y.json'] });
    const m = resolveManifest('host', main);
    expect(m.files.map((f) => path.basename(f))).toEqual(['shared.json', 'x.json', 'y.json', 'manifest.json']);
    // Merged again after x, "shared" would win; Moddable merges each manifest once.
    expect(m.config).toEqual({ v: 'x' });
  });

  it("takes a platform section's include too, and only for that platform", () => {
    write('qemu.json', { config: { board: 'qemu' } });
    const main = write('manifest.json', {
      config: { board: 'any' },
      platforms: { 'mps2-an500': { include: 'qemu.json' } },
    });
    // The root's top level comes after everything it includes.
    expect(resolveManifest('mps2-an500', main).config).toEqual({ board: 'any' });
    expect(resolveManifest('mps2-an500', main).files.map((f) => path.basename(f))).toEqual([
      'qemu.json',
      'manifest.json',
    ]);
    expect(resolveManifest('host', main).files.map((f) => path.basename(f))).toEqual(['manifest.json']);
  });

  it('refuses a cycle, naming the files on it', () => {
    write('a.json', { include: 'b.json' });
    write('b.json', { include: ['c.json'] });
    write('c.json', { include: './a.json' });
    const main = write('manifest.json', { include: 'a.json' });
    const err = failure(main);
    expect(err.code).toBe('BAD_ARGUMENT');
    expect(err.message).toMatch(/include cycle: .*a\.json → .*b\.json → .*c\.json → .*a\.json/);
  });

  it('refuses a manifest that includes itself', () => {
    const main = write('manifest.json', { include: 'manifest.json' });
    expect(failure(main).message).toMatch(/include cycle: .*manifest\.json → .*manifest\.json/);
  });

  it('refuses a missing include, naming it and the manifest that includes it', () => {
    write('a.json', { include: 'sub/missing.json' });
    const main = write('manifest.json', { include: 'a.json' });
    const err = failure(main);
    expect(err.code).toBe('BAD_ARGUMENT');
    expect(err.message).toMatch(/manifest .*sub\/missing\.json: no such file \(included from .*a\.json\)/);
  });

  it('refuses a missing manifest given by path, and invalid JSON, naming the file', () => {
    expect(failure(path.join(dir, 'nope.json')).message).toMatch(/nope\.json: no such file/);
    write('bad.json', '{"config": {');
    const main = write('manifest.json', { include: 'bad.json' });
    expect(failure(main).message).toMatch(/bad\.json is not valid JSON: .*\(included from .*manifest\.json\)/);
  });

  it('refuses keys of the wrong type', () => {
    expect(failure(write('m1.json', { include: 3 })).message).toMatch(/"include" must be a manifest path or an array/);
    expect(failure(write('m2.json', { config: [1] })).message).toMatch(/"config" must be an object/);
    expect(failure(write('m3.json', { platforms: { host: { apps: 'mnist' } } })).message).toMatch(
      /platforms\["host"\]: "apps" must be an array/,
    );
    expect(failure(write('m4.json', { apps: ['no_such_app'] })).message).toMatch(/no device\/apps\/no_such_app/);
    expect(failure(write('m5.json', '{"config": {"a": {"__proto__": {"x": 1}}}}')).message).toMatch(
      /config\.a\.__proto__ is not allowed/,
    );
  });
});

describe('unknown keys', () => {
  it('are named in a warning per section (top level, platform, included manifest), and the build goes on', () => {
    write('base.json', { modules: { '*': './x' }, config: { a: 1 } });
    const file = write('manifest.json', {
      include: 'base.json',
      preload: ['x'],
      creation: { stack: 512 },
      platforms: { host: { apps: ['hello_world'], resources: {}, defiens: {} } },
    });
    const m = resolveManifest('host', file);
    expect(m.config).toEqual({ a: 1 });
    expect(m.warnings).toHaveLength(3);
    const find = (re: RegExp) => m.warnings.filter((w) => re.test(w));
    expect(
      find(
        /^warning: manifest .*base\.json: key "modules" ignored \(xsinfer reads "include", "creation", "defines", "config", "apps", "platforms"\)$/,
      ),
    ).toHaveLength(1);
    expect(find(/manifest .*manifest\.json: key "preload" ignored/)).toHaveLength(1);
    expect(find(/manifest .*manifest\.json platforms\["host"\]: keys "resources", "defiens" ignored/)).toHaveLength(1);
  });

  it("give no warning for a manifest with only known keys (the repository's)", () => {
    expect(resolveManifest('mps2-an500').warnings).toEqual([]);
  });
});

describe('platforms', () => {
  const manifest = {
    config: { threshold: 200, nested: { a: 1, b: 2 } },
    apps: ['hello_world', 'mnist', 'smoke'],
    platforms: {
      'mps2-an500': { config: { nested: { b: 3 } }, apps: ['smoke'] },
      '...': { config: { threshold: 100 } },
    },
  };

  it('overrides the top level key by key for the target, else with "..."', () => {
    const main = write('manifest.json', manifest);
    expect(resolveManifest('mps2-an500', main).config).toEqual({ threshold: 200, nested: { a: 1, b: 3 } });
    expect(resolveManifest('mps2-an500', main).apps).toEqual(['smoke']);
    expect(resolveManifest('host', main).config).toEqual({ threshold: 100, nested: { a: 1, b: 2 } });
    expect(resolveManifest('host', main).apps).toEqual(['hello_world', 'mnist', 'smoke']);
  });

  it("uses another platform's settings under --manifest-platform", () => {
    const main = write('manifest.json', manifest);
    process.env.XSINFER_MANIFEST_PLATFORM = 'mps2-an500';
    expect(resolveManifest('host', main).config).toEqual({ threshold: 200, nested: { a: 1, b: 3 } });
  });

  it("applies an included manifest's platform section before the including manifest", () => {
    write('board.json', {
      config: { threshold: 1 },
      platforms: { host: { config: { threshold: 2, fromBoard: true } } },
    });
    const main = write('manifest.json', { include: 'board.json', platforms: { host: { config: { threshold: 3 } } } });
    expect(resolveManifest('host', main).config).toEqual({ threshold: 3, fromBoard: true });
    expect(resolveManifest('mps2-an500', main).config).toEqual({ threshold: 1 });
  });
});

describe('mc/config', () => {
  it('is the config as a deeply frozen default export', () => {
    const text = configModule(
      { recognizeCommands: { detectionThreshold: 210 }, name: 'x"y', list: [1, { a: null }] },
      'host',
    );
    expect(text).toMatch(/^\/\/ generated by host\/build\/manifest\.ts .* for host\n/);
    const body = /^export default Object\.freeze\((.*), true\);$/m.exec(text);
    expect(body).not.toBeNull();
    expect(JSON.parse(body![1])).toEqual({
      recognizeCommands: { detectionThreshold: 210 },
      name: 'x"y',
      list: [1, { a: null }],
    });
  });

  it('is empty for a manifest without config', () => {
    const main = write('manifest.json', { creation: { stack: 512 } });
    expect(resolveManifest('host', main).config).toEqual({});
  });
});

describe('the repository manifest.json', () => {
  it('gives every target the micro_speech_stream recognizer settings of the C app', () => {
    for (const target of ['host', 'mps2-an500', 'mps2-an386', 'stm32f769i-disco', 'stm32f413zh-nucleo'] as const) {
      // The C twin (native/baseline/micro_speech_stream.c) uses rc_init(1000, 200, 1500, 3):
      // with these the JS apps' decisions are checked against it step by step.
      expect(resolveManifest(target).config.recognizeCommands).toEqual({
        averageWindowMs: 1000,
        detectionThreshold: 200,
        suppressionMs: 1500,
        minimumCount: 3,
      });
    }
  });

  it("keeps the F769's own apps and arenas", () => {
    const m = resolveManifest('stm32f769i-disco');
    expect(m.apps).toEqual([
      'generic',
      'generic_fast',
      'hello_world',
      'hello_world_fast',
      'micro_speech',
      'micro_speech_fast',
      'micro_speech_stream',
      'mnist',
      'mnist_fast',
      'oom',
      'smoke',
    ]);
    expect(m.defines).toEqual({
      MODDEF_ARENA_MAIN: 61440,
      MODDEF_ARENA_AUX: 12288,
      MODDEF_INPUTS_BYTES: 16384,
      MODDEF_MLPERF_MODELBYTES: 0,
    });
  });

  it("keeps the F413's write-up apps, smaller arenas and XS heap, and the M4 stand-in's QEMU settings", () => {
    const m = resolveManifest('stm32f413zh-nucleo');
    expect(m.apps).toEqual(['hello_world', 'micro_speech', 'mnist', 'smoke']);
    expect(m.defines).toEqual({
      MODDEF_ARENA_MAIN: 16384,
      MODDEF_ARENA_AUX: 10240,
      MODDEF_INPUTS_BYTES: 16,
      MODDEF_MLPERF_MODELBYTES: 0,
      MODDEF_XS_SYMBOLSINRAM: 1,
    });
    expect(m.creation).toMatchObject({ chunk: { initial: 16384 }, heap: { initial: 1024 } });
    expect(resolveManifest('mps2-an386').creation).toEqual(resolveManifest('mps2-an500').creation);
  });
});
