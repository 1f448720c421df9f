// micro – probes of the JS↔C boundary (module "micro" on the device; typings in device/types/micro.d.ts).
export function nop() @ "xs_micro_nop";
export function scratch() @ "xs_micro_scratch";
export function scratchSum() @ "xs_micro_scratch_sum";
