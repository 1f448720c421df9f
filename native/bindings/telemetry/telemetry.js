// telemetry – app values to the host (module "telemetry" on the device; typings in
// device/types/telemetry.d.ts; C half in telemetry.c, which encodes the value as msgpack
// into a record of the firmware program's sink: a wire `user` record on the main firmware).
export function send(name, value) @ "xs_telemetry_send";
