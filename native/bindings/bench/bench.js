// bench – where the JS bench loop hands its records (module "bench" on the device; typings
// in device/types/bench.d.ts; C half in bench.c, sink chosen by the firmware program).
export function record(index, caseIndex, populate, invoke, respond, total, label, score, correct) @ "xs_bench_record";
export function gc() @ "xs_bench_gc";
function streamReferenceNative(optimized) @ "xs_bench_stream_reference";

// micro_speech_stream's per-step reference from the C app (12 bytes a step, layout in
// native/baseline/include/baseline/micro_speech_stream.h), read-only over C memory.
// Borrows the tflm slots' arenas: call it before creating the run's interpreters.
export function streamReference(kernels) {
  if (kernels !== "reference" && kernels !== "optimized") throw new RangeError(`bench: kernels must be "reference" or "optimized", not ${String(kernels)}`);
  return streamReferenceNative(kernels === "optimized");
}
