/* upload.c – model upload and app deploy over the wire (contract in upload.h).
 * RAM slots for now; on the F769 the design is a reserved flash sector per slot, written
 * after the same checks (not implemented: its slots are small RAM ones, see below). */
#include "upload.h"

#include <stdio.h>
#include <string.h>

#include "arenas.h"
#include "board.h"
#include "device_link.h"
#include "slot/slot.h"
#include "tflm/tflm.h"
#include "xsinfer_bindings.h"
#include "xsinfer_xs.h"

/* The F769's 512 KB of SRAM are taken (≈ 0.4 KB spare): no RAM slots there, uploads are
 * refused as tooLarge. Its design is a reserved flash sector per slot (sectors 22/23,
 * 256 KB each), programmed after the same checks; not implemented yet. */
#if defined(XSINFER_TARGET_stm32f769i_disco)
#define MODEL_SLOT_BYTES 0u
#define APP_SLOT_BYTES 0u
#else
#define MODEL_SLOT_BYTES (MODDEF_ARENA_MAIN + 0u) /* the main arena (arenas.h): uploads are staged there */
#define APP_SLOT_BYTES (MODDEF_ARENA_MAIN < 65536 ? MODDEF_ARENA_MAIN + 0u : 65536u)
#endif
_Static_assert(MODEL_SLOT_BYTES <= (uint32_t)MAIN_ARENA_BYTES && APP_SLOT_BYTES <= (uint32_t)MAIN_ARENA_BYTES,
               "uploads are staged in the main arena");

#define MODEL_ASSET "slot/model"

typedef struct slot {
  uint8_t *data;
  uint32_t capacity;
  uint32_t bytes; /* 0: empty */
  uint32_t crc;
  char name[32];
} slot_t;

#if MODEL_SLOT_BYTES > 0
static uint8_t model_memory[MODEL_SLOT_BYTES] __attribute__((aligned(16)));
#else
static uint8_t *const model_memory = NULL;
#endif
#if APP_SLOT_BYTES > 0
static uint8_t app_memory[APP_SLOT_BYTES] __attribute__((aligned(16)));
#else
static uint8_t *const app_memory = NULL;
#endif
static slot_t model_slot = {model_memory, MODEL_SLOT_BYTES, 0, 0, ""};
static slot_t app_slot = {app_memory, APP_SLOT_BYTES, 0, 0, ""};

/* The transfer in progress. */
static struct {
  int open;
  int app;
  uint32_t size;
  uint32_t crc;
  uint32_t received;
  uint32_t running_crc;
  char name[32];
} xfer;

static char deployed_main[64];
static uint32_t base_crc;
static int base_crc_known;

const char *upload_deployed_main(void) { return deployed_main[0] ? deployed_main : NULL; }

static uint8_t *staging(void) { return main_arena; }

static void refuse(const wire_cmd_t *cmd, uint32_t code, const char *message) {
  xfer.open = 0;
  wire_error(&device_wire, cmd, code, message);
}

/* ---- XS machine with an optional deployed archive on top of the built-in one ---- */

/* Fresh machine, built-in archive, then `overlay` and an import of its main module (the
 * app "starts": its top level runs). Returns 0 or a wire error code with *message. While
 * `trial` is set the tflm slots have no arena, so code mapped from the staging area (the
 * main arena) cannot be overwritten by an interpreter it creates. */
static uint32_t restart_xs(const uint8_t *overlay, uint32_t bytes, int trial, char *message, size_t cap) {
  js_release_arenas();
  xsinfer_xs_delete(js_machine());
  js_set_machine(NULL);
  deployed_main[0] = 0;
  uint32_t host_count;
  const xsinfer_xs_host_t *hosts = xsinfer_bindings_hosts(&host_count);
  xsMachine *the = xsinfer_xs_create(hosts, host_count);
  if (!the) {
    snprintf(message, cap, "XS machine creation failed");
    return WIRE_ERR_ABORT;
  }
  if (xsinfer_xs_map(the, xsinfer_xs_image.archive, xsinfer_xs_image.archive_bytes) != 0) {
    snprintf(message, cap, "built-in archive did not map");
    return WIRE_ERR_ABORT;
  }
  js_set_machine(the);
  if (!overlay) return 0;
  xsinfer_xs_deploy_info_t info;
  int32_t status = xsinfer_xs_deploy_info(overlay, bytes, &info);
  if (status == 0) status = xsinfer_xs_map_overlay(the, overlay, bytes);
  if (status != 0) {
    snprintf(message, cap, "deployed archive refused: %s", xsinfer_xs_map_error(status));
    return status == -2 ? WIRE_ERR_BAD_VERSION : WIRE_ERR_APP;
  }
  if (trial) {
    xsinfer_tflm_set_arena(XSINFER_TFLM_SLOT_MAIN, NULL, 0);
    xsinfer_tflm_set_arena(XSINFER_TFLM_SLOT_AUX, NULL, 0);
  }
  volatile uint32_t code = 0;
  xsBeginHost(the);
  {
    xsVars(1);
    xsTry {
      xsVar(0) = xsAwaitImport(info.main_module, XS_IMPORT_NAMESPACE);
    }
    xsCatch {
      snprintf(message, cap, "deployed app threw on start: %s", xsToString(xsException));
      code = WIRE_ERR_JS_EXCEPTION;
    }
  }
  xsEndHost(the);
  js_release_arenas();
  if (code == 0) snprintf(deployed_main, sizeof deployed_main, "%s", info.main_module);
  return code;
}

/* Back to the last good state after a refused deploy: the previous app, else none. */
static void restore_xs(void) {
  char ignored[8];
  if (app_slot.bytes && restart_xs(app_slot.data, app_slot.bytes, 0, ignored, sizeof ignored) == 0) return;
  app_slot.bytes = 0;
  restart_xs(NULL, 0, 0, ignored, sizeof ignored);
}

/* ---- commands ---- */

static void begin(const wire_cmd_t *cmd) {
  const slot_t *slot = cmd->u.upload_begin.kind_app ? &app_slot : &model_slot;
  uint32_t size = cmd->u.upload_begin.size;
  if (cmd->u.upload_begin.name.len == 0 || cmd->u.upload_begin.name.len >= sizeof xfer.name) {
    refuse(cmd, WIRE_ERR_BAD_COMMAND, "upload_begin: name empty or longer than 31 bytes");
    return;
  }
  if (size == 0) {
    refuse(cmd, WIRE_ERR_BAD_COMMAND, "upload_begin: size 0");
    return;
  }
  if (slot->capacity == 0) {
    refuse(cmd, WIRE_ERR_TOO_LARGE, "this build has no upload slot (F769: RAM is full; flash slots not implemented)");
    return;
  }
  if (size > slot->capacity) {
    char message[96];
    snprintf(message, sizeof message, "upload of %lu bytes does not fit the %lu-byte %s slot",
             (unsigned long)size, (unsigned long)slot->capacity, cmd->u.upload_begin.kind_app ? "app" : "model");
    refuse(cmd, WIRE_ERR_TOO_LARGE, message);
    return;
  }
  /* The staging area is the main arena: interpreters over it die now. */
  js_release_arenas();
  memset(&xfer, 0, sizeof xfer);
  xfer.open = 1;
  xfer.app = cmd->u.upload_begin.kind_app;
  xfer.size = size;
  xfer.crc = cmd->u.upload_begin.crc;
  memcpy(xfer.name, cmd->u.upload_begin.name.ptr, cmd->u.upload_begin.name.len);
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 1);
  if (ack) {
    wire_mp_str(ack, "capacity");
    wire_mp_uint(ack, slot->capacity);
    wire_queue_end(&device_wire);
  }
}

static void chunk(const wire_cmd_t *cmd) {
  /* The chunk's own CRC was checked by the wire decoder (error 6 before we get here). */
  if (!xfer.open) {
    wire_error(&device_wire, cmd, WIRE_ERR_BAD_STATE, "upload_chunk without upload_begin");
    return;
  }
  uint32_t offset = cmd->u.upload_chunk.offset;
  uint32_t len = cmd->u.upload_chunk.len;
  if (offset != xfer.received) {
    char message[80];
    snprintf(message, sizeof message, "upload_chunk at offset %lu, expected %lu: upload cancelled",
             (unsigned long)offset, (unsigned long)xfer.received);
    refuse(cmd, WIRE_ERR_BAD_STATE, message);
    return;
  }
  if (len == 0 || len > xfer.size - xfer.received) {
    refuse(cmd, WIRE_ERR_TOO_LARGE, "upload_chunk runs past the announced size: upload cancelled");
    return;
  }
  memcpy(staging() + offset, cmd->u.upload_chunk.data, len);
  xfer.received += len;
  xfer.running_crc = wire_crc32(xfer.running_crc, cmd->u.upload_chunk.data, len);
  wire_ack(&device_wire, cmd);
}

static void end_model(const wire_cmd_t *cmd) {
  const uint8_t *image = staging();
  /* The engine's verifier, in the arena space the model leaves free (or the aux arena). */
  uint32_t used = (xfer.size + 15u) & ~15u;
  uint8_t *arena = aux_arena;
  uint32_t arena_bytes = sizeof aux_arena;
  if (MAIN_ARENA_BYTES - used > arena_bytes) {
    arena = main_arena + used;
    arena_bytes = MAIN_ARENA_BYTES - used;
  }
  xs_error_t err;
  memset(&err, 0, sizeof err);
  xs_interp_t *it = xs_interp_create(image, xfer.size, arena, arena_bytes, XS_KERNELS_REFERENCE, &err);
  if (!it) {
    char message[160];
    snprintf(message, sizeof message, "model refused: %s", err.message[0] ? err.message : "verification failed");
    refuse(cmd, wire_code_for_engine(err.code), message);
    return;
  }
  uint32_t ops = xs_interp_op_count(it);
  memcpy(model_slot.data, image, xfer.size);
  model_slot.bytes = xfer.size;
  model_slot.crc = xfer.crc;
  memcpy(model_slot.name, xfer.name, sizeof model_slot.name);
  xsinfer_slot_set(MODEL_ASSET, model_slot.data, model_slot.bytes);
  xfer.open = 0;
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 3);
  if (ack) {
    wire_mp_str(ack, "asset");
    wire_mp_str(ack, MODEL_ASSET);
    wire_mp_str(ack, "bytes");
    wire_mp_uint(ack, model_slot.bytes);
    wire_mp_str(ack, "ops");
    wire_mp_uint(ack, ops);
    wire_queue_end(&device_wire);
  }
}

static void end_app(const wire_cmd_t *cmd) {
  const uint8_t *image = staging();
  if (!base_crc_known) {
    base_crc = wire_crc32(0, xsinfer_xs_image.archive, xsinfer_xs_image.archive_bytes);
    base_crc_known = 1;
  }
  char message[200];
  xsinfer_xs_deploy_info_t info;
  int32_t status = xsinfer_xs_deploy_info(image, xfer.size, &info);
  if (status == -2) {
    snprintf(message, sizeof message, "app archive built for XS %u.%u.%u, this firmware runs XS %u.%u.%u",
             info.xs_version[0], info.xs_version[1], info.xs_version[2], info.xs_runtime[0],
             info.xs_runtime[1], info.xs_runtime[2]);
    refuse(cmd, WIRE_ERR_BAD_VERSION, message);
    return;
  }
  if (status != 0) {
    refuse(cmd, WIRE_ERR_BAD_COMMAND, "not a deployable XS archive (no DEPL atom from xsarc --base)");
    return;
  }
  if (info.base_crc != base_crc) {
    snprintf(message, sizeof message,
             "app archive was built against another firmware image (base archive CRC %08lx, this device %08lx)",
             (unsigned long)info.base_crc, (unsigned long)base_crc);
    refuse(cmd, WIRE_ERR_BAD_VERSION, message);
    return;
  }
  uint64_t t0 = board_ticks();
  uint32_t code = restart_xs(image, xfer.size, 1, message, sizeof message);
  if (code != 0) {
    restore_xs();
    refuse(cmd, code, message);
    return;
  }
  memcpy(app_slot.data, image, xfer.size);
  app_slot.bytes = xfer.size;
  app_slot.crc = xfer.crc;
  memcpy(app_slot.name, xfer.name, sizeof app_slot.name);
  xfer.open = 0;
  code = restart_xs(app_slot.data, app_slot.bytes, 0, message, sizeof message);
  if (code != 0) { /* the same bytes started a moment ago: only a firmware bug gets here */
    app_slot.bytes = 0;
    restore_xs();
    wire_error(&device_wire, cmd, code, message);
    return;
  }
  uint64_t ticks = board_ticks() - t0;
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 4);
  if (ack) {
    wire_mp_str(ack, "main");
    wire_mp_str(ack, deployed_main);
    wire_mp_str(ack, "bytes");
    wire_mp_uint(ack, app_slot.bytes);
    wire_mp_str(ack, "started");
    wire_mp_bool(ack, 1);
    wire_mp_str(ack, "startTicks");
    wire_mp_uint(ack, ticks);
    wire_queue_end(&device_wire);
  }
}

static void end(const wire_cmd_t *cmd) {
  if (!xfer.open) {
    wire_error(&device_wire, cmd, WIRE_ERR_BAD_STATE, "upload_end without upload_begin");
    return;
  }
  if (xfer.received != xfer.size) {
    char message[80];
    snprintf(message, sizeof message, "upload truncated: %lu of %lu bytes received",
             (unsigned long)xfer.received, (unsigned long)xfer.size);
    refuse(cmd, WIRE_ERR_BAD_STATE, message);
    return;
  }
  if (cmd->u.upload_end.crc != xfer.crc || xfer.running_crc != xfer.crc) {
    refuse(cmd, WIRE_ERR_BAD_CRC, "image CRC-32 does not match upload_begin's");
    return;
  }
  if (xfer.app) end_app(cmd);
  else end_model(cmd);
}

void upload_handle(const wire_cmd_t *cmd) {
  switch (cmd->type) {
    case WIRE_CMD_UPLOAD_BEGIN: begin(cmd); break;
    case WIRE_CMD_UPLOAD_CHUNK: chunk(cmd); break;
    case WIRE_CMD_UPLOAD_END: end(cmd); break;
    default: break;
  }
}
