// Host timestamps for frames and recordings: wall-clock anchored, monotonic, in ns.
const wallAtStartNs = BigInt(Date.now()) * 1_000_000n;
const hrAtStart = process.hrtime.bigint();

/** Nanoseconds since the Unix epoch; never goes backwards within a process. */
export function hostTimeNs(): bigint {
  return wallAtStartNs + (process.hrtime.bigint() - hrAtStart);
}
