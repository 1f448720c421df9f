/* inputs.h – the generic app's input set (native/baseline/include/baseline/input_set.h)
 * uploaded over the wire (upload_begin kind "inputs", docs/protocol.md) into a RAM buffer
 * and published as the asset "upload/inputs". The buffer is MODDEF_INPUTS_BYTES
 * (manifest.json `defines.inputs.bytes`), static, 16-byte aligned; it does not survive a
 * reset (the host sends the set again before its runs).
 *
 * Contract: an inputs upload withdraws the asset at upload_begin and publishes it again
 * only after upload_end has checked the size and CRC-32 of what arrived, so a run never
 * sees half a set. Transfers happen between runs only (commands are handled between
 * runs); a model or app upload_begin cancels an open inputs transfer. */
#ifndef XSINFER_INPUTS_H
#define XSINFER_INPUTS_H

#include <stdint.h>

#include "wire.h"

/* Whether this upload command belongs to an inputs transfer (a begin of kind "inputs",
 * or a chunk/end while one is open). Any other upload_begin cancels an open one. */
int inputs_claims(const wire_cmd_t *cmd);

/* Answers an upload command inputs_claims accepted (ack or error record). */
void inputs_handle(const wire_cmd_t *cmd);

/* The buffer, for a harness that fills it itself (the MLPerf Tiny mode's `db` commands). */
uint8_t *inputs_buffer(uint32_t *capacity);

#endif
