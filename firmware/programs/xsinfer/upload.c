/* upload.c – model upload and app deploy over the wire (contract in upload.h): models
 * stream into whichever of the two model slots is not in use, apps are staged in the main
 * arena; both are checked, committed to flash (flash_slot.h) and used in place from there;
 * at boot the slots' content comes back (upload_restore). */
#include "upload.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arenas.h"
#include "assets.h"
#include "board.h"
#include "device_link.h"
#include "flash_slot.h"
#include "tflm/tflm.h"
#include "xsinfer_bindings.h"
#include "xsinfer_xs.h"

#define MODEL_ASSET "upload/model"

/* What a slot holds now; `valid` only while the flash content is a complete, checked image. */
typedef struct slot {
  board_flash_slot_t id;
  flash_slot_kind_t kind;
  const char *what;
  int valid;
  flash_slot_image_t image;
} slot_t;

/* Models alternate between slots A and B: an upload streams into the one not published
 * as upload/model, so until its commit the published one stays valid and in use. A model
 * larger than one slot spans both (model_span, the flash of A and B, header at A's
 * start): its upload erases both, so the published model is withdrawn first, and the
 * next upload of any size replaces it the same way. */
static slot_t model_slots[2] = {
    {BOARD_FLASH_SLOT_MODEL_A, FLASH_SLOT_KIND_MODEL, "model slot A", 0, {0}},
    {BOARD_FLASH_SLOT_MODEL_B, FLASH_SLOT_KIND_MODEL, "model slot B", 0, {0}},
};
static slot_t model_span = {
    BOARD_FLASH_SLOT_MODEL_AB, FLASH_SLOT_KIND_MODEL, "model slots A+B", 0, {0}};
static slot_t *model_current; /* published as upload/model, or NULL */
static slot_t app_slot = {BOARD_FLASH_SLOT_APP, FLASH_SLOT_KIND_APP, "app slot", 0, {0}};

static const char *slot_letter(const slot_t *slot) {
  return slot == &model_span ? "AB" : slot == &model_slots[0] ? "A" : "B";
}

/* Where a model upload of `size` bytes goes: the model slot that is not published, or
 * both when it does not fit one. */
static slot_t *model_target(uint32_t size) {
  if (size > flash_slot_capacity(BOARD_FLASH_SLOT_MODEL_A) &&
      flash_slot_capacity(model_span.id) > 0)
    return &model_span;
  return model_current == &model_slots[0] ? &model_slots[1] : &model_slots[0];
}

/* Whether writing `target` erases the flash of the published model. */
static int overlaps_current(const slot_t *target) {
  if (!model_current || model_current == target) return model_current != NULL;
  return target == &model_span || model_current == &model_span;
}

/* Apps are staged whole in the main arena before anything is written to flash; models go
 * straight to flash. */
static uint32_t slot_capacity(const slot_t *slot) {
  uint32_t flash = flash_slot_capacity(slot->id);
  if (slot->kind == FLASH_SLOT_KIND_MODEL) return flash;
  return flash < (uint32_t)MAIN_ARENA_BYTES ? flash : (uint32_t)MAIN_ARENA_BYTES;
}

/* The transfer in progress. */
static struct {
  int open;
  int app;
  uint32_t size;
  uint32_t crc;
  uint32_t received;
  uint32_t running_crc;
  char name[32];
  slot_t *model;              /* the model slot being written */
  flash_slot_writer_t writer; /* models only */
  uint64_t store_ticks;       /* spent erasing and programming so far */
  int withdrawn;              /* the published model's flash was erased for this upload */
} xfer;

/* What a failed model upload leaves published. */
static const char *after_failure(void) {
  return xfer.withdrawn ? "no model is published now" : "the previous model stays in use";
}

static char deployed_main[64];
static uint32_t base_crc;
static int base_crc_known;

const char *upload_deployed_main(void) {
  return deployed_main[0] ? deployed_main : NULL;
}

static uint8_t *staging(void) {
  return main_arena;
}

/* CRC-32 of the built-in archive: what a deployed archive must have been predicted against. */
static uint32_t firmware_base_crc(void) {
  if (!base_crc_known) {
    base_crc = wire_crc32(0, xsinfer_xs_image.archive, xsinfer_xs_image.archive_bytes);
    base_crc_known = 1;
  }
  return base_crc;
}

static void refuse(const wire_cmd_t *cmd, uint32_t code, const char *message) {
  xfer.open = 0;
  wire_error(&device_wire, cmd, code, message);
}

/* ---- XS machine with an optional deployed archive on top of the built-in one ---- */

/* Fresh machine, built-in archive, then `overlay` and an import of its main module (the
 * app "starts": its top level runs). Returns 0 or a wire error code with *message. While
 * `trial` is set the tflm slots have no arena, so code mapped from the staging area (the
 * main arena) cannot be overwritten by an interpreter it creates. */
static uint32_t restart_xs(const uint8_t *overlay, uint32_t bytes, int trial, char *message,
                           size_t cap) {
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
    xsinfer_tflm_set_arena(XSINFER_TFLM_ARENA_MAIN, NULL, 0);
    xsinfer_tflm_set_arena(XSINFER_TFLM_ARENA_AUX, NULL, 0);
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

/* Set while the app slot's top level runs: an XS abort there would recur at every boot
 * (each boot starts the slot), so upload_on_abort revokes the slot and resets. */
static volatile int starting_slot_app;

/* restart_xs over the app slot's flash copy (not a trial). */
static uint32_t start_slot_app(char *message, size_t cap) {
  starting_slot_app = 1;
  uint32_t code = restart_xs(app_slot.image.data, app_slot.image.bytes, 0, message, cap);
  starting_slot_app = 0;
  return code;
}

uint32_t upload_restart_js(char *message, size_t cap) {
  if (!app_slot.valid) return restart_xs(NULL, 0, 0, message, cap);
  uint32_t code = start_slot_app(message, cap);
  if (code != 0) {
    char ignored[8];
    restart_xs(NULL, 0, 0, ignored, sizeof ignored); /* the built-ins stay usable */
  }
  return code;
}

/* Back to the last good state after a refused deploy: the previous app, else none (an app
 * that no longer starts is dropped until the next boot). */
static void restore_xs(void) {
  char ignored[8];
  if (upload_restart_js(ignored, sizeof ignored) != 0) app_slot.valid = 0;
}

/* ---- commands ---- */

static void begin(const wire_cmd_t *cmd) {
  uint32_t size = cmd->u.upload_begin.size;
  slot_t *slot = cmd->u.upload_begin.kind_app ? &app_slot : model_target(size);
  if (cmd->u.upload_begin.name.len == 0 || cmd->u.upload_begin.name.len >= sizeof xfer.name) {
    refuse(cmd, WIRE_ERR_BAD_COMMAND, "upload_begin: name empty or longer than 31 bytes");
    return;
  }
  if (size == 0) {
    refuse(cmd, WIRE_ERR_BAD_COMMAND, "upload_begin: size 0");
    return;
  }
  uint32_t capacity = slot_capacity(slot);
  if (capacity == 0) {
    refuse(cmd, WIRE_ERR_TOO_LARGE, "this device has no flash slot for uploads");
    return;
  }
  if (size > capacity) {
    char message[96];
    snprintf(message, sizeof message, "upload of %lu bytes does not fit the %lu-byte %s slot",
             (unsigned long)size, (unsigned long)capacity,
             slot->kind == FLASH_SLOT_KIND_APP ? "app" : "model");
    refuse(cmd, WIRE_ERR_TOO_LARGE, message);
    return;
  }
  /* The main arena stages apps and hosts the model verifier: interpreters over it die now. */
  js_release_arenas();
  memset(&xfer, 0, sizeof xfer);
  xfer.app = cmd->u.upload_begin.kind_app;
  xfer.size = size;
  xfer.crc = cmd->u.upload_begin.crc;
  memcpy(xfer.name, cmd->u.upload_begin.name.ptr, cmd->u.upload_begin.name.len);
  if (!xfer.app) {
    /* The erase comes now (seconds on the F769, before the ack) so chunks go straight in.
     * Only the unpublished slot is touched, and upload/model keeps working throughout,
     * unless this upload or the published model spans both slots: then upload/model is
     * withdrawn before its flash is erased. */
    uint64_t t0 = board_ticks();
    int32_t status = 0;
    xfer.withdrawn = overlaps_current(slot);
    if (xfer.withdrawn) {
      asset_publish(MODEL_ASSET, NULL, 0);
      model_current->valid = 0;
      /* A spanning model's tail in B goes too, so B reads empty, not corrupt. */
      if (model_current == &model_span && slot != &model_span)
        status = board_flash_erase(BOARD_FLASH_SLOT_MODEL_B);
      model_current = NULL;
    }
    xfer.model = slot;
    slot->valid = 0;
    if (status == 0) status = flash_slot_begin(&xfer.writer, slot->id);
    xfer.store_ticks = board_ticks() - t0;
    if (status != 0) {
      char message[128];
      snprintf(message, sizeof message, "%s erase failed: %s; %s", slot->what,
               flash_slot_status_text(status), after_failure());
      refuse(cmd, WIRE_ERR_FLASH, message);
      return;
    }
  }
  xfer.open = 1;
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 1);
  if (ack) {
    wire_mp_field_uint(ack, "capacity", capacity);
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
  if (xfer.app) {
    memcpy(staging() + offset, cmd->u.upload_chunk.data, len);
  } else {
    uint64_t t0 = board_ticks();
    int32_t status = flash_slot_write(&xfer.writer, offset, cmd->u.upload_chunk.data, len);
    xfer.store_ticks += board_ticks() - t0;
    if (status != 0) {
      char message[128];
      snprintf(message, sizeof message, "%s write failed: %s; upload cancelled, %s",
               xfer.model->what, flash_slot_status_text(status), after_failure());
      refuse(cmd, WIRE_ERR_FLASH, message);
      return;
    }
  }
  xfer.received += len;
  xfer.running_crc = wire_crc32(xfer.running_crc, cmd->u.upload_chunk.data, len);
  wire_ack(&device_wire, cmd);
}

static void end_model(const wire_cmd_t *cmd) {
  slot_t *slot = xfer.model;
  char message[160];
  board_flash_region_t region;
  board_flash_region(slot->id, &region);
  const uint8_t *image = region.base + FLASH_SLOT_HEADER_BYTES;
  /* The image as flash now holds it (last bytes programmed, CRC-32 read back). */
  uint64_t t0 = board_ticks();
  int32_t status = flash_slot_finish(&xfer.writer, xfer.crc);
  xfer.store_ticks += board_ticks() - t0;
  if (status != 0) {
    snprintf(message, sizeof message, "%s read-back failed: %s; %s", slot->what,
             flash_slot_status_text(status), after_failure());
    refuse(cmd, status == FLASH_SLOT_BAD_IMAGE ? WIRE_ERR_BAD_CRC : WIRE_ERR_FLASH, message);
    return;
  }
  /* The engine's verifier over the model in place, in the main arena (whatever used it
   * since upload_begin goes: a model of any size fits the check this way). */
  js_release_arenas();
  eng_error_t err;
  memset(&err, 0, sizeof err);
  eng_interp_t *it = eng_interp_create(image, xfer.size, main_arena, MAIN_ARENA_BYTES,
                                       ENG_KERNELS_REFERENCE, &err);
  if (!it) {
    snprintf(message, sizeof message, "model refused: %s",
             err.message[0] ? err.message : "verification failed");
    refuse(cmd, wire_code_for_engine(err.code), message);
    return;
  }
  uint32_t ops = eng_interp_op_count(it);
  /* Newer than whatever the other slot holds, so a boot picks this one (a spanning
   * model has no other slot). */
  const slot_t *other = slot == &model_slots[0] ? &model_slots[1] : &model_slots[0];
  flash_slot_image_t other_image;
  uint32_t sequence =
      slot != &model_span && flash_slot_load(other->id, other->kind, &other_image) == 0
          ? other_image.sequence + 1u
          : 1u;
  t0 = board_ticks();
  status =
      flash_slot_commit(&xfer.writer, slot->kind, xfer.name, xfer.crc, 0, sequence, &slot->image);
  xfer.store_ticks += board_ticks() - t0;
  if (status != 0) {
    snprintf(message, sizeof message, "%s commit failed: %s; %s", slot->what,
             flash_slot_status_text(status), after_failure());
    refuse(cmd, WIRE_ERR_FLASH, message);
    return;
  }
  slot->valid = 1;
  model_current = slot;
  asset_publish(MODEL_ASSET, slot->image.data, slot->image.bytes);
  xfer.open = 0;
  const char *letter = slot_letter(slot);
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 5);
  if (ack) {
    wire_mp_field_str(ack, "asset", MODEL_ASSET);
    wire_mp_field_uint(ack, "bytes", slot->image.bytes);
    wire_mp_field_uint(ack, "ops", ops);
    wire_mp_field_str(ack, "slot", letter);
    wire_mp_field_uint(ack, "storeTicks", xfer.store_ticks);
    wire_queue_end(&device_wire);
  }
}

static void end_app(const wire_cmd_t *cmd) {
  const uint8_t *image = staging();
  char message[200];
  xsinfer_xs_deploy_info_t info;
  int32_t status = xsinfer_xs_deploy_info(image, xfer.size, &info);
  if (status == -2) {
    snprintf(message, sizeof message,
             "app archive built for XS %u.%u.%u, this firmware runs XS %u.%u.%u",
             info.xs_version[0], info.xs_version[1], info.xs_version[2], info.xs_runtime[0],
             info.xs_runtime[1], info.xs_runtime[2]);
    refuse(cmd, WIRE_ERR_BAD_VERSION, message);
    return;
  }
  if (status != 0) {
    refuse(cmd, WIRE_ERR_BAD_COMMAND,
           "not a deployable XS archive (no DEPL atom from xsarc --base)");
    return;
  }
  if (info.base_crc != firmware_base_crc()) {
    snprintf(message, sizeof message,
             "app archive was built against another firmware image (base archive CRC %08lx, this "
             "device %08lx)",
             (unsigned long)info.base_crc, (unsigned long)firmware_base_crc());
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
  /* The trial machine maps the staged copy, so the slot can go now. */
  app_slot.valid = 0;
  uint64_t t1 = board_ticks();
  int32_t stored = flash_slot_store(app_slot.id, app_slot.kind, xfer.name, image, xfer.size,
                                    info.base_crc, 0, &app_slot.image);
  uint64_t store_ticks = board_ticks() - t1;
  if (stored != 0) {
    restore_xs(); /* built-ins only: the previous app went with the erase */
    snprintf(message, sizeof message, "app slot write failed: %s; the slot is empty now",
             flash_slot_status_text(stored));
    refuse(cmd, WIRE_ERR_FLASH, message);
    return;
  }
  app_slot.valid = 1;
  xfer.open = 0;
  /* Now with arenas (the trial had none): an app may fail here that passed the trial. */
  code = start_slot_app(message, sizeof message);
  if (code != 0) {
    app_slot.valid = 0;
    restore_xs();
    wire_error(&device_wire, cmd, code, message);
    return;
  }
  uint64_t start_ticks = board_ticks() - t0 - store_ticks; /* trial + restart, as before flash */
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 5);
  if (ack) {
    wire_mp_field_str(ack, "main", deployed_main);
    wire_mp_field_uint(ack, "bytes", app_slot.image.bytes);
    wire_mp_str(ack, "started");
    wire_mp_bool(ack, 1);
    wire_mp_field_uint(ack, "startTicks", start_ticks);
    wire_mp_field_uint(ack, "storeTicks", store_ticks);
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
  if (xfer.app)
    end_app(cmd);
  else
    end_model(cmd);
}

void upload_handle(const wire_cmd_t *cmd) {
  switch (cmd->type) {
    case WIRE_CMD_UPLOAD_BEGIN: begin(cmd); break;
    case WIRE_CMD_UPLOAD_CHUNK: chunk(cmd); break;
    case WIRE_CMD_UPLOAD_END: end(cmd); break;
    default: break;
  }
}

/* ---- boot ---- */

static void boot_log(uint32_t level, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void boot_log(uint32_t level, const char *format, ...) {
  char line[200];
  va_list args;
  va_start(args, format);
  vsnprintf(line, sizeof line, format, args);
  va_end(args);
  wire_log(&device_wire, level, line);
}

void upload_on_abort(void) {
  if (!starting_slot_app) return;
  starting_slot_app = 0;
  int32_t status = flash_slot_revoke(app_slot.id);
  if (status == 0) {
    boot_log(WIRE_LOG_WARN,
             "app slot revoked: %s made XS abort while starting; rebooting with built-in apps only",
             app_slot.image.name);
  } else {
    boot_log(WIRE_LOG_WARN, "app slot could not be revoked: %s", flash_slot_status_text(status));
  }
  wire_drain(&device_wire);
  board_reset();
}

void upload_restore(void) {
  /* Of the two model slots the newest valid one: a power cut right after a commit leaves
   * two valid slots, and the higher sequence number is the later upload. */
  model_current = NULL;
  /* A spanning model: a valid header at A's start whose image is larger than slot A. */
  model_span.valid = flash_slot_load(model_span.id, model_span.kind, &model_span.image) == 0 &&
                     model_span.image.bytes > flash_slot_capacity(BOARD_FLASH_SLOT_MODEL_A);
  if (model_span.valid) model_current = &model_span;
  for (int i = 0; i < 2 && !model_span.valid; i++) {
    slot_t *slot = &model_slots[i];
    int32_t status = flash_slot_load(slot->id, slot->kind, &slot->image);
    slot->valid = status == 0;
    if (status != 0 && status != FLASH_SLOT_EMPTY)
      boot_log(WIRE_LOG_WARN, "%s ignored: %s", slot->what, flash_slot_status_text(status));
    if (slot->valid && (!model_current || slot->image.sequence > model_current->image.sequence))
      model_current = slot;
  }
  if (model_current) {
    asset_publish(MODEL_ASSET, model_current->image.data, model_current->image.bytes);
    boot_log(WIRE_LOG_INFO,
             "model slot: %s (%lu bytes) published as " MODEL_ASSET " (slot %s, sequence %lu)",
             model_current->image.name, (unsigned long)model_current->image.bytes,
             slot_letter(model_current), (unsigned long)model_current->image.sequence);
  }

  int32_t status = flash_slot_load(app_slot.id, app_slot.kind, &app_slot.image);
  if (status != 0) {
    if (status != FLASH_SLOT_EMPTY)
      boot_log(WIRE_LOG_WARN, "app slot ignored: %s", flash_slot_status_text(status));
    return;
  }
  if (app_slot.image.base_crc != firmware_base_crc()) {
    /* Reflashed since the deploy: the app's predicted IDs would not match this archive. */
    boot_log(WIRE_LOG_WARN,
             "app slot ignored: %s was deployed for another firmware image (base archive CRC "
             "%08lx, this one %08lx); "
             "built-in apps only",
             app_slot.image.name, (unsigned long)app_slot.image.base_crc,
             (unsigned long)firmware_base_crc());
    return;
  }
  char why[160];
  uint32_t code = start_slot_app(why, sizeof why);
  if (code != 0) {
    char ignored[8];
    restart_xs(NULL, 0, 0, ignored, sizeof ignored);
    boot_log(WIRE_LOG_WARN, "app slot ignored: %s did not start (%s); built-in apps only",
             app_slot.image.name, why);
    return;
  }
  app_slot.valid = 1;
  boot_log(WIRE_LOG_INFO, "app slot: %s started (%s)", app_slot.image.name, deployed_main);
}
