// Typings of the device module "bench" (native/bindings/bench): records of the JS bench
// loop go to a sink the firmware program chose; never called inside a timed region.
declare module 'bench' {
  /** One timed iteration: raw tick spans (< 2^32), the app's answer, the untimed check. */
  export function record(
    index: number,
    caseIndex: number,
    populate: number,
    invoke: number,
    respond: number,
    total: number,
    label: number,
    score: number,
    correct: boolean,
  ): void;
  /** A full garbage collection (xsCollectGarbage). */
  export function gc(): void;
}
