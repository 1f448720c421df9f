// Typings of the device module "tflm" (native/bindings/tflm): engine interpreters over
// models in flash, with typed-array views straight over tensor memory.
declare module 'tflm' {
  export type Kernels = 'reference' | 'optimized';
  /** main: the app's model; aux: micro_speech's front end. Sizes per platform: arenaBytes(). */
  export type ArenaName = 'main' | 'aux';
  export type TensorType = 'int8' | 'uint8' | 'bool' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';
  export type TensorData = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array;

  export interface InterpreterOptions {
    kernels?: Kernels; // default 'reference'
    arena?: ArenaName; // default 'main'
    /** Record ticks per op on every invoke (read with profile()). */
    profile?: boolean;
  }

  /** A tensor: `data` is a view DIRECTLY over the tensor's memory in the arena
   * (zero copy; writes to an input are what the model reads). Created once per index
   * and cached; frozen. */
  export interface Tensor<D extends TensorData = TensorData> {
    readonly data: D;
    readonly shape: readonly number[];
    /** Quantization scale and zero point (0 and 0 when not quantized). */
    readonly scale: number;
    readonly zeroPoint: number;
    readonly type: TensorType;
  }

  export interface ArenaUsage {
    head: number; // planned activations and scratch
    tail: number; // persistent: interpreter, tensor tables, op data
    total: number; // head + tail (TFLM's arena_used_bytes)
    size: number; // the arena's bytes
  }

  export interface OpTicks {
    op: string; // builtin name, or "CUSTOM:<code>"
    ticks: number;
  }

  /** Engine refusals carry the engine's message; code is one of MALFORMED,
   * UNSUPPORTED_OP, UNSUPPORTED_TYPE, SHAPE, ARENA (bytesNeeded set), ARG, STATE,
   * KERNEL, NO_ASSET, INVALIDATED (a closed or replaced Interpreter). */
  export class TflmError extends Error {
    readonly code: string;
    readonly opIndex: number;
    readonly bytesNeeded: number;
  }

  /** Bytes this firmware gives an arena (0: none; creating there throws). */
  export function arenaBytes(arena: ArenaName): number;

  /**
   * An interpreter over the model asset `model` (e.g. "models/mnist_int8.tflite"), read
   * in place from flash. Creating one replaces the arena's previous interpreter at once
   * (even if this creation then fails): every method of the old one throws a TflmError
   * "INVALIDATED", and its tensor views are detached (length 0, reads undefined, writes
   * ignored, set()/fill() throw TypeError) so they can never touch the new tensors.
   */
  export class Interpreter {
    constructor(model: string, options?: InterpreterOptions);
    readonly arenaName: ArenaName;
    readonly kernels: Kernels;
    readonly closed: boolean;
    readonly inputCount: number;
    readonly outputCount: number;
    readonly opCount: number;
    /** RangeError for an index out of range, TypeError for a non-number. */
    input<D extends TensorData = TensorData>(index: number): Tensor<D>;
    output<D extends TensorData = TensorData>(index: number): Tensor<D>;
    /** Runs the model; throws a TflmError with the engine's message on failure. */
    invoke(): void;
    /** invoke() as a plain function bound natively to this interpreter (no method lookup
     * per call); same errors as invoke(), a TflmError once the interpreter is closed. */
    invoker(): () => void;
    readonly arena: ArenaUsage;
    /** Ticks per op of the last invoke (needs { profile: true }). */
    profile(): OpTicks[];
    /** Ends the interpreter (as if replaced); idempotent. */
    close(): void;
  }
}
