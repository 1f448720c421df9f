// Typings of the device module "mod/config" (Moddable's): a deployed app's own manifest
// `config` (the app directory's manifest.json), deeply frozen; {} when it has none.
// Built into every archive `xsinfer deploy` sends (host/deploy/build-app.ts); the
// firmware's built-in apps read theirs from "mc/config".
declare module 'mod/config' {
  /** Values are whatever the manifest wrote (JSON): check them where they are read. */
  const config: Readonly<Record<string, unknown>>;
  export default config;
}
