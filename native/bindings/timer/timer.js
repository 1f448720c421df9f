// timer – Moddable's Timer class (module "timer" on the device; typings in
// device/types/timer.d.ts). Timers fire from the program's idle loop between runs
// (firmware/programs/xsinfer calls service()), never inside a timed region.
function now() @ "xs_timer_now";
function arm(dueMs) @ "xs_timer_arm";
function delayNative(ms) @ "xs_timer_delay";

// Pending timers in the order they were (re)scheduled: { id, callback, due, interval }.
let pending = [];
let sequence = 0;

function rearm() {
  let due = -1;
  for (const t of pending) if (due < 0 || t.due < due) due = t.due;
  arm(due);
}

function checkCallback(callback) {
  if (typeof callback !== "function") throw new TypeError("Timer: callback must be a function");
}

function checkMs(what, ms) {
  if (typeof ms !== "number" || !(ms >= 0)) throw new RangeError(`Timer: ${what} must be a number of ms ≥ 0`);
  return ms;
}

function add(id, delay, repeat) {
  pending = pending.filter((t) => t.id !== id);
  id.due = now() + delay;
  id.interval = repeat;
  id.order = sequence++;
  pending.push(id);
  rearm();
}

// Fires every timer due now, earliest first (ties in scheduling order); a repeating timer
// is due again interval ms after its last due time (or at once, when that has passed).
// Timers set by a callback wait for the next call. Called by the firmware; not part of
// Moddable's API.
export function service() {
  const t = now();
  const due = pending.filter((x) => x.due <= t).sort((a, b) => a.due - b.due || a.order - b.order);
  for (const timer of due) {
    if (!pending.includes(timer)) continue; // cleared by an earlier callback
    if (timer.interval === undefined) pending = pending.filter((x) => x !== timer);
    else {
      // Late (the device was busy, e.g. in a run): due again at once, but not once per missed period.
      timer.due = Math.max(timer.due + timer.interval, t);
      timer.order = sequence++;
    }
    timer.callback(timer);
  }
  rearm();
}

class TimerId {
  constructor(callback) {
    this.callback = callback;
    this.due = 0;
    this.interval = undefined;
    this.order = 0;
  }
}

export default class Timer {
  // Calls callback(id) once after delay ms, then every repeat ms when repeat is given.
  static set(callback, delay = 0, repeat) {
    checkCallback(callback);
    const id = new TimerId(callback);
    add(id, checkMs("delay", delay), repeat === undefined ? undefined : checkMs("repeat", repeat));
    return id;
  }
  // Calls callback(id) every interval ms.
  static repeat(callback, interval) {
    checkCallback(callback);
    const ms = checkMs("interval", interval);
    const id = new TimerId(callback);
    add(id, ms, ms);
    return id;
  }
  // Reschedules a timer (pending, fired or cleared): due after delay ms, then every repeat ms.
  static schedule(id, delay, repeat) {
    if (!(id instanceof TimerId)) throw new TypeError("Timer.schedule: not a timer id");
    add(id, checkMs("delay", delay), repeat === undefined ? undefined : checkMs("repeat", repeat));
  }
  // Stops a timer; clearing one that already fired or was cleared does nothing.
  static clear(id) {
    if (id === undefined || id === null) return;
    if (!(id instanceof TimerId)) throw new TypeError("Timer.clear: not a timer id");
    pending = pending.filter((t) => t !== id);
    rearm();
  }
  // Blocks for ms of the board's clock; no timer fires meanwhile.
  static delay(ms) {
    delayNative(checkMs("delay", ms));
  }
}
