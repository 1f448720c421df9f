// manifest.json `config` on the device as Moddable's module "mc/config": the smoke app
// (xs-smoke) reads it on the host target and on QEMU and prints it, deeply frozen; an app
// deployed over the wire imports the firmware's own mc/config; and the archive is rebuilt
// when the config changes (the generated module is hashed with the other inputs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFirmware } from '../../host/build/firmware.ts';
import { CONFIG_MODULE, generateDeviceArchive } from '../../host/build/device-archive.ts';
import { manifestPath, resolveManifest } from '../../host/build/manifest.ts';
import { buildAppArchive } from '../../host/deploy/build-app.ts';
import { deploy } from '../../host/deploy/deploy.ts';
import { runProgram } from '../../host/run/program.ts';
import { appRoot, bootBoard, changedApp, closeBoard, labels, runJs, type Board } from '../deploy/fixtures.ts';

interface SmokeJs {
  target: string;
  config: Record<string, unknown>;
  checksPassed: number;
  checksFailed: string[];
}

for (const target of ['host', 'mps2-an500'] as const) {
  describe(`mc/config on ${target}`, () => {
    beforeAll(async () => {
      await buildFirmware({ target });
    });

    it('reaches the smoke app as the manifest resolves it for the target, frozen', async () => {
      const run = await runProgram({ target, program: 'xs-smoke', timeoutMs: 60_000 });
      expect(run.exitCode, run.output.toString()).toBe(0);
      const line = run.output
        .toString()
        .split('\n')
        .find((l) => l.startsWith('XSINFER-SMOKE '));
      expect(line).toBeDefined();
      const js = (JSON.parse(line!.slice('XSINFER-SMOKE '.length)) as { js: SmokeJs }).js;
      expect(js.target).toBe(target);
      // Includes the checks 'mc/config frozen (deep)' and 'mc/config write throws'.
      expect(js.checksFailed).toEqual([]);
      expect(js.config).toEqual(resolveManifest(target).config);
      expect((js.config.recognizeCommands as { detectionThreshold: number }).detectionThreshold).toBe(200);
    });

    describe('in a deployed app', () => {
      let board: Board;
      beforeAll(async () => {
        board = await bootBoard(target);
      });
      afterAll(async () => {
        if (board) await closeBoard(board);
      });

      it("resolves to the firmware's module", async () => {
        // mnist whose RESPOND reports two of the firmware's recognizer settings.
        const app = changedApp(
          appRoot(),
          'mnist',
          'config_reader',
          [
            [
              'return { label, score: scores[label], value: best };',
              'const rc = config.recognizeCommands as { detectionThreshold: number; minimumCount: number };\n  return { label: rc.detectionThreshold, score: rc.minimumCount, value: best + label };',
            ],
          ],
          "import config from 'mc/config';\n",
        );
        const archive = await buildAppArchive({ app, target });
        expect(archive.modules).not.toContain(CONFIG_MODULE); // not carried: the firmware's serves it
        const r = await deploy({ app, target, session: board.session });
        expect(r.started).toBe(true);
        const run = await runJs(board.session, 'deployed', 2);
        expect(run.errors).toEqual([]);
        const rc = resolveManifest(target).config.recognizeCommands as {
          detectionThreshold: number;
          minimumCount: number;
        };
        expect(labels(run)).toEqual([rc.detectionThreshold, rc.detectionThreshold]);
        expect(run.iters.map((i) => (i.result as { score: number }).score)).toEqual([rc.minimumCount, rc.minimumCount]);
      });
    });
  });
}

describe('the device archive', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-mc-config-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  /** A manifest that includes the repository's and overrides one config value. */
  function manifestWith(threshold: number): string {
    const file = path.join(work, 'manifest.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ include: manifestPath(), config: { recognizeCommands: { detectionThreshold: threshold } } }),
    );
    return file;
  }

  it('holds mc/config and is rebuilt when the config changes, not otherwise', async () => {
    const buildDir = path.join(work, 'build');
    const archiveC = path.join(buildDir, 'gen', 'xs_archive.c');
    const moduleFile = path.join(buildDir, 'gen', `${CONFIG_MODULE}.js`);
    const inputs = () =>
      (JSON.parse(fs.readFileSync(path.join(buildDir, 'gen', 'xs_archive.json'), 'utf8')) as { inputs: string }).inputs;

    await generateDeviceArchive({ target: 'host', buildDir, manifest: manifestWith(180) });
    expect(fs.readFileSync(moduleFile, 'utf8')).toContain('"detectionThreshold":180,"suppressionMs":1500');
    const xsa = fs.readFileSync(path.join(buildDir, 'gen', 'xs_archive.xsa'));
    expect(xsa.includes(Buffer.from(`${CONFIG_MODULE}\0`))).toBe(true); // the module's PATH atom
    const first = { inputs: inputs(), c: fs.readFileSync(archiveC, 'utf8') };

    await generateDeviceArchive({ target: 'host', buildDir, manifest: manifestWith(180) });
    expect(inputs()).toBe(first.inputs);

    await generateDeviceArchive({ target: 'host', buildDir, manifest: manifestWith(181) });
    expect(fs.readFileSync(moduleFile, 'utf8')).toContain('"detectionThreshold":181');
    expect(inputs()).not.toBe(first.inputs);
    expect(fs.readFileSync(archiveC, 'utf8')).not.toBe(first.c);
  });
});
