/* upload.h – model upload and app deploy for the main firmware (upload_begin/chunk/end,
 * docs/protocol.md): images are staged in the main arena (free between runs), checked
 * (size, per-chunk and whole CRC-32, then the engine's verifier or an XS overlay map and
 * a trial start), and only then copied into their RAM slot, so a refused upload leaves
 * the previous slot content in use. */
#ifndef XSINFER_UPLOAD_H
#define XSINFER_UPLOAD_H

#include <stdint.h>

#include "wire.h"

/* Answers one upload_begin / upload_chunk / upload_end command (ack or error record). */
void upload_handle(const wire_cmd_t *cmd);

/* Main module of the deployed app ("apps/<name>/main"), or NULL when none is running. */
const char *upload_deployed_main(void);

#endif
