// Typings of the device module "time" (native/bindings/time): the board's tick counter and
// Moddable's Time class.
declare module 'time' {
  /** Ticks of the board's monotonic 64-bit counter (exact as a number up to 2^53). Costs a
   * 64-bit → double conversion per read: use ticks32() around timed regions. */
  export function ticks(): number;
  /** The low 32 bits of ticks() as a signed int32 (an XS integer, no double). A span is
   * `(b - a) >>> 0`, exact while it is under 2^32 ticks (QEMU: 1.34 G instructions;
   * F769: 19.8 s; host: 4.29 s). Each read also latches the board's output counters, so
   * the bench loop's record() can prove a phase did no I/O. */
  export function ticks32(): number;
  /** Unit that ticks convert to: "instr" (QEMU icount), "cycles" (DWT), "ns" (host). */
  export const unit: string;
  /** value in unit = ticks × num / den */
  export const num: number;
  export const den: number;
  /** Core clock in Hz when the unit is cycles, else 0. */
  export const hz: number;
  /** Ticks per second of the board's clock (QEMU: its virtual clock, 25 MHz). */
  export const ticksPerSecond: number;
  export function toUnit(ticks: number): number;

  /** Moddable's Time: the board's clock since boot (QEMU: virtual time). */
  export default class Time {
    /** Milliseconds since boot. */
    static readonly ticks: number;
    /** Microseconds since boot. */
    static readonly microseconds: number;
    /** end − start in ms; end defaults to Time.ticks. */
    static delta(start: number, end?: number): number;
  }
}
