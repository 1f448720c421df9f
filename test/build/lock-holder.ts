// Child process of build-lock.test.ts: holds the build lock of argv[2] for argv[4] ms,
// appending "enter <pid>" and "exit <pid>" to the log argv[3].
import fs from 'node:fs';
import { withBuildLock } from '../../host/build/build-lock.ts';

const [buildDir, log, holdMs] = process.argv.slice(2);
await withBuildLock(
  buildDir,
  async () => {
    fs.appendFileSync(log, `enter ${process.pid}\n`);
    await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
    fs.appendFileSync(log, `exit ${process.pid}\n`);
  },
  { pollMs: 20 },
);
