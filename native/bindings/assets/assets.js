// assets – the image's embedded data (models, app inputs, golden outputs) as read-only,
// zero-copy views over flash (module "assets" on the device; typings in device/types/assets.d.ts).
function view(name) @ "xs_assets_view";
function namesNative() @ "xs_assets_names";

// One view per asset: later calls return the same Uint8Array.
const views = new Map();

export function asset(name) {
  if (typeof name !== "string") throw new TypeError("assets: asset(name): name must be a string");
  // Runtime assets ("upload/...", uploaded over the wire) change between runs: never cached.
  if (name.startsWith("upload/")) {
    const bytes = view(name);
    if (bytes === undefined) throw new RangeError(`assets: no asset named "${name}" (nothing uploaded under that name)`);
    return bytes;
  }
  let bytes = views.get(name);
  if (bytes === undefined) {
    bytes = view(name);
    if (bytes === undefined) throw new RangeError(`assets: no asset named "${name}"`);
    views.set(name, bytes);
  }
  return bytes;
}

export function has(name) {
  return typeof name === "string" && (views.has(name) || view(name) !== undefined);
}

export function names() {
  return namesNative();
}

// The asset as int8/int16/float32 elements (byte length must be a multiple of the element size).
export function int8(name) {
  const bytes = asset(name);
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function int16(name) {
  const bytes = asset(name);
  if (bytes.byteLength % 2) throw new RangeError(`assets: "${name}" is not a whole number of int16`);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
}

export function float32(name) {
  const bytes = asset(name);
  if (bytes.byteLength % 4) throw new RangeError(`assets: "${name}" is not a whole number of float32`);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}
