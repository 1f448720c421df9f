// Typings of the device module "assets" (native/bindings/assets): the image's embedded
// data (models, app inputs, golden outputs) as read-only views over flash, zero copy.
declare module 'assets' {
  /** The asset's bytes (one cached view per name; stores throw TypeError "read-only
   * buffer"). RangeError for an unknown name. */
  export function asset(name: string): Uint8Array;
  export function has(name: string): boolean;
  export function names(): string[];
  /** The same bytes seen as int8 / int16 / float32 elements (read-only, zero copy). */
  export function int8(name: string): Int8Array;
  export function int16(name: string): Int16Array;
  export function float32(name: string): Float32Array;
}
