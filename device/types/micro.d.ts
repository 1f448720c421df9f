// Typings of the device module "micro" (native/bindings/micro): JS↔C boundary probes.
declare module 'micro' {
  /** An empty host function: the cost of one JS→C call. */
  export function nop(): void;
  /** A zero-copy Int8Array view over 1,960 bytes of C memory (the same memory every call). */
  export function scratch(): Int8Array;
  /** Sum of the scratch bytes as C reads them. */
  export function scratchSum(): number;
}
