// Typings of the device module "mc/config" (Moddable's): manifest.json `config`, merged
// over includes and the target's platform section at build time, deeply frozen.
declare module 'mc/config' {
  /** Values are whatever the manifest wrote (JSON): check them where they are read. */
  const config: Readonly<Record<string, unknown>>;
  export default config;
}
