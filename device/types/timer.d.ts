// Typings of the device module "timer" (native/bindings/timer): Moddable's Timer class.
// Timers fire from the firmware's idle loop between runs, never inside a timed region;
// times are ms of the board's clock (QEMU: virtual time).
declare module 'timer' {
  /** A timer, as set() and repeat() return it and its callback receives it. */
  export interface TimerId {
    readonly callback: (id: TimerId) => void;
  }
  export default class Timer {
    /** Calls callback(id) once after delay ms (default 0), then every repeat ms if given. */
    static set(callback: (id: TimerId) => void, delay?: number, repeat?: number): TimerId;
    /** Calls callback(id) every interval ms. */
    static repeat(callback: (id: TimerId) => void, interval: number): TimerId;
    /** Reschedules a timer (pending, fired or cleared): after delay ms, then every repeat ms. */
    static schedule(id: TimerId, delay: number, repeat?: number): void;
    /** Stops a timer; clearing one that already fired or was cleared does nothing. */
    static clear(id: TimerId | undefined): void;
    /** Blocks for ms; no timer fires meanwhile. */
    static delay(ms: number): void;
  }
}
