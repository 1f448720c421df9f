/*
 * telemetry/telemetry.h – the JS module "telemetry": send(name, value) encodes a JS value
 * as msgpack straight into a record the firmware program's sink opened (on the main
 * firmware a wire `user` record {name, value}, docs/protocol.md).
 *
 * Contract
 * - The binding walks the value in C (no JSON text, no copy, no system heap) and writes
 *   it through the sink's msgpack writer; it never touches the link. What a record
 *   becomes (queued for the wire, held during a timed region, dropped and counted when a
 *   held queue is full) is the sink's business.
 * - Value mapping: undefined and null → nil; booleans → bool; numbers that are safe
 *   integers (|n| ≤ 2^53 − 1, not −0) → the smallest msgpack int, all others (fractions,
 *   −0, NaN, ±Infinity, beyond 2^53) → float64; strings → str (UTF-8; U+0000 included);
 *   arrays → array (holes → nil); plain objects (prototype Object.prototype or null) →
 *   map of their own enumerable string keys (an undefined property → nil, key kept);
 *   Int8/Uint8/Uint8Clamped/Int16/Uint16/Int32/Uint32/Float32/Float64Array → array of
 *   numbers, by the number rule (the host decodes Array.from(view)); ArrayBuffer and
 *   DataView → bin. At most XSINFER_TELEMETRY_MAX_DEPTH arrays/objects nested (typed
 *   arrays and buffers do not count); deeper values, and cycles, are refused.
 * - Refused with a JS exception, the record cancelled (nothing reaches the sink's link):
 *   name not a string (TypeError), empty, longer than XSINFER_TELEMETRY_MAX_NAME bytes
 *   or containing U+0000 (RangeError); functions, symbols, bigints, BigInt64Arrays and
 *   non-plain objects (Map, Date, class instances, ...) (TypeError, naming where in the
 *   value); too deep or cyclic (RangeError); a record larger than the writer's capacity
 *   (RangeError, stating the capacity); a send() from inside another (a getter or proxy
 *   trap of the value); no sink installed (Error: the program has no telemetry link).
 *   Exceptions thrown by getters or proxy traps of the value propagate, record cancelled.
 * - The sink must not call back into XS; begin() returns NULL when it cannot open a
 *   record now (its link is building another one).
 */
#ifndef XSINFER_BINDINGS_TELEMETRY_H
#define XSINFER_BINDINGS_TELEMETRY_H

#include "wire.h"
#include "xsinfer_xs.h"

/* Longest record name, bytes of UTF-8. */
#define XSINFER_TELEMETRY_MAX_NAME  64u
/* Most arrays/objects nested in one value (the value itself is the first). */
#define XSINFER_TELEMETRY_MAX_DEPTH 8u

typedef struct xsinfer_telemetry_sink {
  /* Open a record called `name` (1..MAX_NAME bytes, NUL-terminated); returns the writer
   * that takes exactly one msgpack value, or NULL when no record can be opened now. */
  wire_mp_t *(*begin)(void *ctx, const char *name);
  /* The value is complete and the writer has not failed: hand the record on. */
  void (*end)(void *ctx);
  /* Forget the open record; nothing of it may reach the link. */
  void (*cancel)(void *ctx);
  void *ctx;
} xsinfer_telemetry_sink_t;

/* Install the program's sink (NULL: send() throws). The sink must outlive the machine. */
void xsinfer_telemetry_set_sink(const xsinfer_telemetry_sink_t *sink);

void xs_telemetry_send(xsMachine *the);

#endif
