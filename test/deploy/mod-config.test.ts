// A deployed app's configuration is Moddable's "mod/config": the `config` of the app
// directory's manifest.json, compiled into the archive `deploy` sends, deeply frozen;
// {} for an app without a manifest. Checked on QEMU (mps2-an500) through telemetry.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../../host/bridge/protocol.ts';
import { buildFirmware } from '../../host/build/firmware.ts';
import { resolveAppSource } from '../../host/deploy/build-app.ts';
import { deploy } from '../../host/deploy/deploy.ts';
import { appRoot, bootBoard, changedApp, closeBoard, runJs, type Board } from './fixtures.ts';

const HEADER = `import config from 'mod/config';
import { send, type TelemetryValue } from 'telemetry';

let sent = false;
function sendConfig(): void {
  if (sent) return;
  sent = true;
  const nested = config.nested as { list: number[] };
  send('config', { config: config as TelemetryValue, frozen: Object.isFrozen(config) && Object.isFrozen(nested) && Object.isFrozen(nested.list) });
}
`;
const CONFIG = { greeting: 'hello', threshold: 200, nested: { list: [1, 2, 3] } };

describe('mod/config of a deployed app', () => {
  let board: Board;
  beforeAll(async () => {
    await buildFirmware({ target: 'mps2-an500' });
    board = await bootBoard('mps2-an500');
  }, 240_000);
  afterAll(async () => {
    if (board) await closeBoard(board);
  });

  it('is the app manifest.json `config`, deeply frozen', async () => {
    const app = changedApp(
      appRoot(),
      'hello_world',
      'config_check',
      [['  return m.interp;\n}', '  sendConfig();\n  return m.interp;\n}']],
      HEADER,
    );
    fs.writeFileSync(path.join(app, 'manifest.json'), JSON.stringify({ config: CONFIG }));
    expect(resolveAppSource(app).config).toEqual(CONFIG);
    expect((await deploy({ app, target: 'mps2-an500', session: board.session })).started).toBe(true);
    const from = board.session.records.length;
    const run = await runJs(board.session, 'deployed', 1);
    expect(run.errors).toEqual([]);
    const rec = board.session.records
      .slice(from)
      .find((r): r is UserRecord => r.kind === 'user' && r.name === 'config')!;
    expect(rec.value).toEqual({ config: CONFIG, frozen: true });
  }, 240_000);

  it('is {} for an app without a manifest', () => {
    const app = changedApp(appRoot(), 'hello_world', 'no_manifest', []);
    expect(resolveAppSource(app).config).toEqual({});
  });

  it('refuses a config that is not an object, naming the manifest', () => {
    const app = changedApp(appRoot(), 'hello_world', 'bad_config', []);
    fs.writeFileSync(path.join(app, 'manifest.json'), JSON.stringify({ config: [1] }));
    expect(() => resolveAppSource(app)).toThrow(/"config" must be an object/);
  });
});
