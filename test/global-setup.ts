// Builds each firmware image once per test run; test files then reuse build/<target>.
import { buildFirmware } from '../host/build/firmware.ts';
import type { Target } from '../host/targets.ts';

const testedTargets: Target[] = ['host', 'mps2-an500', 'stm32f769i-disco', 'mps2-an386', 'stm32f413zh-nucleo'];

export default async function setup(): Promise<void> {
  // Sequential: the two cores go to each compiler run in turn.
  for (const target of testedTargets) await buildFirmware({ target, quiet: true });
  process.env.XSINFER_PREBUILT = testedTargets.join(',');
}
