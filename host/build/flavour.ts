// Firmware flavours: one table from the flavour to its build directory, its CMake options
// and how the XS archive is compiled. A release image is what every benchmark measures; a
// flavour builds into its own directory (build/<target>+<suffix>), so both coexist. A new
// XS option (a profiler, say) is a new CMake entry here and, when it changes txMachine,
// a define for the host compiler xsarc too.
import { XsinferError } from '../errors.ts';

export interface Flavour {
  /** Appended to the build directory name ("mps2-an500+debug"); null for release. */
  suffix: string | null;
  /** CMake cache options for firmware/ (-D NAME=VALUE), passed at every configure. */
  cmake: Record<string, string>;
  /** Preprocessor defines xsarc is built with: they must match the device's XS build,
   * since they change txMachine and the built-ins xsarc writes as the preparation. */
  xsarcDefines: string[];
  /** Compile the device modules with line and file information (mxDebugFlag) and carry
   * tsc's source maps into it, so XS reports TypeScript files and lines (debugger and
   * profiler alike). */
  lineInfo: boolean;
  /** Apps (device/apps) built into this flavour only, added to the manifest's. */
  apps: string[];
}

export const flavours = {
  release: {
    suffix: null,
    cmake: { XSINFER_XS_DEBUG: 'OFF', XSINFER_XS_PROFILE: 'OFF' },
    xsarcDefines: [],
    lineInfo: false,
    apps: [],
  },
  debug: {
    suffix: 'debug',
    cmake: { XSINFER_XS_DEBUG: 'ON', XSINFER_XS_PROFILE: 'OFF' },
    xsarcDefines: ['mxDebug=1'],
    lineInfo: true,
    // test/debug's app: breakpoints, locals, trace() and an uncaught exception.
    apps: ['debug_probe'],
  },
  // XS's sampling profiler (firmware/xs/xs_profile.c, docs/profiling.md): `bench --profile`.
  // xsarc is built without its defines: test/profile boots the prepared image with them.
  profile: {
    suffix: 'profile',
    cmake: { XSINFER_XS_DEBUG: 'OFF', XSINFER_XS_PROFILE: 'ON' },
    xsarcDefines: [],
    lineInfo: true,
    apps: [],
  },
} satisfies Record<string, Flavour>;

export type FlavourName = keyof typeof flavours;

/** The flavour of this process: `--debug` on the command line sets XSINFER_FLAVOUR=debug. */
export function currentFlavourName(): FlavourName {
  const name = process.env.XSINFER_FLAVOUR ?? 'release';
  if (!(name in flavours)) {
    throw new XsinferError(
      'BAD_ARGUMENT',
      `XSINFER_FLAVOUR=${name}: not a firmware flavour (${Object.keys(flavours).join(', ')})`,
    );
  }
  return name as FlavourName;
}

export function currentFlavour(): Flavour {
  return flavours[currentFlavourName()];
}
