// Typings of the device module "timer" (native/bindings/timer): the board's tick counter.
declare module 'timer' {
  /** Ticks of the board's monotonic 64-bit counter (exact as a number up to 2^53). */
  export function ticks(): number;
  /** Unit that ticks convert to: "instr" (QEMU icount), "cycles" (DWT), "ns" (host). */
  export const unit: string;
  /** value in unit = ticks × num / den */
  export const num: number;
  export const den: number;
  /** Core clock in Hz when the unit is cycles, else 0. */
  export const hz: number;
  export function toUnit(ticks: number): number;
}
