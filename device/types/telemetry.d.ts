// Typings of the device module "telemetry" (native/bindings/telemetry): app values to the
// host, as wire `user` records {name, value} on the main firmware (docs/protocol.md).
declare module 'telemetry' {
  /** What send() takes. Numbers that are safe integers (not -0) travel as msgpack ints,
   * all other numbers as float64; undefined as nil (the host sees null, also for an
   * object property, whose key is kept); typed arrays as arrays of numbers (the host sees
   * Array.from(view)); ArrayBuffer and DataView as bin (the host sees a Uint8Array).
   * Plain objects only (prototype Object.prototype or null): own enumerable string keys.
   * At most 8 arrays/objects nested. */
  export type TelemetryValue =
    | number
    | string
    | boolean
    | null
    | undefined
    | Int8Array
    | Uint8Array
    | Uint8ClampedArray
    | Int16Array
    | Uint16Array
    | Int32Array
    | Uint32Array
    | Float32Array
    | Float64Array
    | ArrayBuffer
    | DataView
    | readonly TelemetryValue[]
    | { readonly [key: string]: TelemetryValue };

  /** Queues one record: the value is encoded in C straight into the record (no JSON).
   * `name`: 1..64 bytes of UTF-8, no U+0000. During a bench run the record waits in the
   * held TX queue until the iteration's end (nothing is written inside a timed region);
   * when that queue is full the record is dropped, counted and reported by an `overflow`
   * record and the run's `done` (send() does not throw for that).
   * Throws, sending nothing: TypeError for a name that is not a string or a value holding
   * a function, symbol, bigint, BigInt64Array or non-plain object (the message says where,
   * e.g. "value.a[2]"); RangeError for a bad name, a value nested deeper than 8
   * arrays/objects or containing itself, or a record larger than one wire frame (the
   * message gives the limit, name included: 2,041 bytes of msgpack on the main firmware
   * after the host's hello, 1,017 before); Error when the firmware
   * program has no telemetry link (only the main firmware has one) or when called from a
   * getter of the value being sent. Exceptions of the value's getters propagate. */
  export function send(name: string, value: TelemetryValue): void;
}
