// bench – where the JS bench loop hands its records (module "bench" on the device; typings
// in device/types/bench.d.ts; C half in bench.c, sink chosen by the firmware program).
export function record(index, caseIndex, populate, invoke, respond, total, label, score, correct) @ "xs_bench_record";
export function gc() @ "xs_bench_gc";
