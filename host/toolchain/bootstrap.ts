// Makes sure the system tools the build and tests need are present. Idempotent: when
// everything is there it only checks. Missing packages are installed from Debian when
// running as root; otherwise it prints the exact command and fails. Nothing else is
// downloaded.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XsinferError } from '../errors.ts';

interface Requirement {
  what: string;
  packages: string[];
  present: () => boolean;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** newlib-nano is a separate package from the compiler; probe it with a real link. */
function newlibLinks(): boolean {
  if (!onPath('arm-none-eabi-gcc')) return false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-newlib-'));
  try {
    const src = path.join(dir, 'probe.c');
    fs.writeFileSync(src, '#include <string.h>\nint main(void){static char a[4]; return (int)strlen(a);}\n');
    const r = spawnSync(
      'arm-none-eabi-gcc',
      [
        '-mcpu=cortex-m7',
        '-mthumb',
        '--specs=nano.specs',
        '--specs=nosys.specs',
        src,
        '-o',
        path.join(dir, 'probe.elf'),
      ],
      { stdio: 'ignore' },
    );
    return r.status === 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function libFuzzerPresent(): boolean {
  const roots = ['/usr/lib/llvm-14/lib/clang', '/usr/lib/clang'];
  return roots.some((root) => {
    if (!fs.existsSync(root)) return false;
    return fs
      .readdirSync(root)
      .some((v) => fs.existsSync(path.join(root, v, 'lib', 'linux', 'libclang_rt.fuzzer-x86_64.a')));
  });
}

export const requirements: Requirement[] = [
  { what: 'arm-none-eabi-gcc', packages: ['gcc-arm-none-eabi'], present: () => onPath('arm-none-eabi-gcc') },
  { what: 'newlib for arm-none-eabi', packages: ['libnewlib-arm-none-eabi'], present: newlibLinks },
  { what: 'qemu-system-arm', packages: ['qemu-system-arm'], present: () => onPath('qemu-system-arm') },
  { what: 'cmake', packages: ['cmake'], present: () => onPath('cmake') },
  { what: 'ninja', packages: ['ninja-build'], present: () => onPath('ninja') },
  { what: 'host C compiler', packages: ['gcc', 'libc6-dev'], present: () => onPath('cc') },
];

/** What only `npm test` needs (installed for it, not for `npm start`): the fuzzers, the
 * serial-port listing test, the format check and a browser for the report test (≈ 270 MB). */
export const testRequirements: Requirement[] = [
  {
    what: 'clang with libFuzzer',
    packages: ['clang', 'libclang-rt-14-dev'],
    present: () => onPath('clang') && libFuzzerPresent(),
  },
  { what: 'udevadm (serial port listing)', packages: ['udev'], present: () => onPath('udevadm') },
  { what: 'clang-format (the C format check)', packages: ['clang-format'], present: () => onPath('clang-format') },
  { what: 'chromium (renders the HTML report in a test)', packages: ['chromium'], present: () => onPath('chromium') },
];

export function missingRequirements(forTests = false): Requirement[] {
  return [...requirements, ...(forTests ? testRequirements : [])].filter((r) => !r.present());
}

export function bootstrap(
  opts: { forTests?: boolean } = {},
  log: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): void {
  let missing = missingRequirements(opts.forTests);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((r) => r.packages))];
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    throw new XsinferError(
      'TOOLCHAIN_MISSING',
      `missing: ${missing.map((r) => r.what).join(', ')}\nInstall them as root with:\n  ${command}`,
    );
  }
  log(`xsinfer: installing ${packages.join(' ')} (missing: ${missing.map((r) => r.what).join(', ')})`);
  const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
  missing = missingRequirements(opts.forTests);
  if (result.status !== 0 || missing.length > 0) {
    throw new XsinferError(
      'TOOLCHAIN_MISSING',
      `could not install ${missing.map((r) => r.what).join(', ') || packages.join(' ')}; run as root:\n  ${command}`,
    );
  }
}

/** The Debian package of each flash programmer `xsinfer flash` drives. */
export const probePackages: Record<'openocd' | 'st-flash' | 'pyocd', string> = {
  openocd: 'openocd',
  'st-flash': 'stlink-tools',
  pyocd: 'python3-pyocd',
};

/** Installs a programmer on first use (as root, like the rest of bootstrap; never when
 *  XSINFER_NO_INSTALL is set), else fails with the command that installs it. */
export function ensureProbeTool(
  probe: keyof typeof probePackages,
  log: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): void {
  if (onPath(probe)) return;
  const pkg = probePackages[probe];
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkg}`;
  const mayInstall = process.getuid?.() === 0 && !process.env.XSINFER_NO_INSTALL;
  if (!mayInstall)
    throw new XsinferError('TOOLCHAIN_MISSING', `${probe} is not installed; install it with: ${command}`);
  log(`xsinfer: installing ${pkg} (for ${probe})`);
  const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !onPath(probe))
    throw new XsinferError('TOOLCHAIN_MISSING', `could not install ${pkg} for ${probe}; run as root: ${command}`);
}
