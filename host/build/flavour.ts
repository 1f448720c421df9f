// Firmware flavours: the release image (what every measured number comes from) and
// builds with extra XS machinery compiled in, each in its own tree build/<target><suffix>.
// One row per flavour: CMake options, xsarc options, and whether tsc writes source maps.

export type Flavour = 'release' | 'profile';

export interface FlavourOptions {
  /** Appended to the build directory's name: build/<target><suffix>. */
  suffix: string;
  /** Extra CMake cache options at configure time. */
  cmake: string[];
  /** xsarc with --debug: the bytecode carries file and line (XS_CODE_FILE/LINE). */
  lines: boolean;
  /** tsc writes .js.map beside the device JS, so the host maps lines back to .ts. */
  sourceMaps: boolean;
}

export const flavours: Record<Flavour, FlavourOptions> = {
  release: { suffix: '', cmake: [], lines: false, sourceMaps: false },
  // XS's sampling profiler (firmware/xs/xs_profile.c, docs/profiling.md).
  profile: { suffix: '+profile', cmake: ['-DXSINFER_XS_PROFILE=ON'], lines: true, sourceMaps: true },
};
