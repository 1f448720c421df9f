// timer – the board's tick counter (module "timer" on the device; typings in device/types/timer.d.ts).
export function ticks() @ "xs_timer_ticks";
// Low 32 bits as a signed int32 (cheap: no double); span = (b - a) >>> 0 when < 2^32 ticks.
export function ticks32() @ "xs_timer_ticks32";
function info() @ "xs_timer_info";

const [unitName, unitNum, unitDen, unitHz] = info();
export const unit = unitName;
export const num = unitNum;
export const den = unitDen;
export const hz = unitHz;

// Ticks to the board's unit (instructions, cycles or ns).
export function toUnit(ticks) {
  return (ticks * num) / den;
}
