// time – the board's tick counter and Moddable's Time class (module "time" on the device;
// typings in device/types/time.d.ts).
export function ticks() @ "xs_time_ticks";
// Low 32 bits as a signed int32 (cheap: no double); span = (b - a) >>> 0 when < 2^32 ticks.
// Also latches the board's output counters for the bench's I/O proof (time/time.h).
export function ticks32() @ "xs_time_ticks32";
function info() @ "xs_time_info";
function microsecondsNative() @ "xs_time_microseconds";

const [unitName, unitNum, unitDen, unitHz, perSecond] = info();
export const unit = unitName;
export const num = unitNum;
export const den = unitDen;
export const hz = unitHz;
// Ticks per second of the board's clock (QEMU: its virtual clock).
export const ticksPerSecond = perSecond;

// Ticks to the board's unit (instructions, cycles or ns).
export function toUnit(ticks) {
  return (ticks * num) / den;
}

// Moddable's Time: ms and µs of the board's clock since boot (QEMU: virtual time).
export default class Time {
  static get ticks() {
    return Math.floor(microsecondsNative() / 1000);
  }
  static get microseconds() {
    return microsecondsNative();
  }
  static delta(start, end) {
    return (end === undefined ? Time.ticks : end) - start;
  }
}
