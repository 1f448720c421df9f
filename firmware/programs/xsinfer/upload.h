/* upload.h – model upload and app deploy for the main firmware (upload_begin/chunk/end,
 * docs/protocol.md). A model streams into the model slot (A/B) that is not published as
 * upload/model, is checked there (size, per-chunk and whole CRC-32, the engine's verifier
 * in place) and only then committed and published, so it may be as large as a slot. A
 * model larger than one slot spans both (slot "AB", up to two slots less a header): its
 * upload, and the next upload after it, erase the published model's flash, so upload/model
 * is withdrawn first and a refused upload then leaves no model published. An app is staged
 * in the main arena (free between runs), checked (XS overlay map and a trial start), then
 * written to the app slot. Otherwise a refused upload leaves the previous content in use,
 * and an accepted one survives a reset. */
#ifndef XSINFER_UPLOAD_H
#define XSINFER_UPLOAD_H

#include <stdint.h>

#include "wire.h"

/* Answers one upload_begin / upload_chunk / upload_end command (ack or error record). */
void upload_handle(const wire_cmd_t *cmd);

/* At boot, after js_start: publishes the newest valid model slot as "upload/model" and starts a valid
 * app slot deployed for this very firmware image (others are logged and ignored; an app
 * that throws on start leaves the built-in apps only). Queues log records saying what. */
void upload_restore(void);

/* From the XS abort handler: when the abort happened while the app slot's top level was
 * running (at boot, or right after a deploy wrote it), revokes that slot (flash_slot_revoke), logs it and resets the board so it
 * comes back with the built-in apps; otherwise returns and the abort goes on as usual. */
void upload_on_abort(void);

/* A fresh XS machine in the state a boot leaves: the built-in archive and, when the app
 * slot holds a valid app, that app started (its top level run). Returns 0, or a wire error
 * code with *message (the machine then has the built-in apps only). */
uint32_t upload_restart_js(char *message, size_t cap);

/* Main module of the deployed app ("apps/<name>/main"), or NULL when none is running. */
const char *upload_deployed_main(void);

#endif
