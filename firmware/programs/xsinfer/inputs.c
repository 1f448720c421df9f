/* inputs.c – the uploaded input set in RAM (contract in inputs.h). */
#include "inputs.h"

#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "baseline/input_set.h"
#include "device_link.h"
#include "mc.defines.h"

#ifndef MODDEF_INPUTS_BYTES
#define MODDEF_INPUTS_BYTES (64 * 1024)
#endif

static uint8_t buffer[MODDEF_INPUTS_BYTES] __attribute__((aligned(16)));

static struct {
  int open;
  uint32_t size;
  uint32_t crc;
  uint32_t received;
  uint32_t running_crc;
} xfer;

uint8_t *inputs_buffer(uint32_t *capacity) {
  *capacity = sizeof buffer;
  return buffer;
}

int inputs_claims(const wire_cmd_t *cmd) {
  if (cmd->type == WIRE_CMD_UPLOAD_BEGIN) {
    if (cmd->u.upload_begin.kind_inputs) return 1;
    xfer.open = 0;
    return 0;
  }
  return xfer.open && (cmd->type == WIRE_CMD_UPLOAD_CHUNK || cmd->type == WIRE_CMD_UPLOAD_END);
}

static void refuse(const wire_cmd_t *cmd, uint32_t code, const char *message) {
  xfer.open = 0;
  wire_error(&device_wire, cmd, code, message);
}

static void begin(const wire_cmd_t *cmd) {
  uint32_t size = cmd->u.upload_begin.size;
  asset_publish(INPUT_SET_ASSET, NULL, 0);
  if (size == 0) {
    refuse(cmd, WIRE_ERR_BAD_COMMAND, "upload_begin: size 0");
    return;
  }
  if (size > sizeof buffer) {
    char message[112];
    snprintf(message, sizeof message,
             "input set of %lu bytes does not fit the %lu-byte input buffer (defines.inputs.bytes)",
             (unsigned long)size, (unsigned long)sizeof buffer);
    refuse(cmd, WIRE_ERR_TOO_LARGE, message);
    return;
  }
  memset(&xfer, 0, sizeof xfer);
  xfer.open = 1;
  xfer.size = size;
  xfer.crc = cmd->u.upload_begin.crc;
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 1);
  if (ack) {
    wire_mp_field_uint(ack, "capacity", sizeof buffer);
    wire_queue_end(&device_wire);
  }
}

static void chunk(const wire_cmd_t *cmd) {
  uint32_t offset = cmd->u.upload_chunk.offset;
  uint32_t len = cmd->u.upload_chunk.len;
  if (offset != xfer.received) {
    refuse(cmd, WIRE_ERR_BAD_STATE, "upload_chunk at the wrong offset: upload cancelled");
    return;
  }
  if (len == 0 || len > xfer.size - xfer.received) {
    refuse(cmd, WIRE_ERR_TOO_LARGE, "upload_chunk runs past the announced size: upload cancelled");
    return;
  }
  memcpy(buffer + offset, cmd->u.upload_chunk.data, len);
  xfer.received += len;
  xfer.running_crc = wire_crc32(xfer.running_crc, cmd->u.upload_chunk.data, len);
  wire_ack(&device_wire, cmd);
}

static void end(const wire_cmd_t *cmd) {
  if (xfer.received != xfer.size) {
    refuse(cmd, WIRE_ERR_BAD_STATE, "upload truncated: upload cancelled");
    return;
  }
  if (cmd->u.upload_end.crc != xfer.crc || xfer.running_crc != xfer.crc) {
    refuse(cmd, WIRE_ERR_BAD_CRC, "image CRC-32 does not match upload_begin's");
    return;
  }
  xfer.open = 0;
  asset_publish(INPUT_SET_ASSET, buffer, xfer.size);
  wire_mp_t *ack = wire_ack_begin(&device_wire, cmd, 2);
  if (ack) {
    wire_mp_field_str(ack, "asset", INPUT_SET_ASSET);
    wire_mp_field_uint(ack, "bytes", xfer.size);
    wire_queue_end(&device_wire);
  }
}

void inputs_handle(const wire_cmd_t *cmd) {
  switch (cmd->type) {
    case WIRE_CMD_UPLOAD_BEGIN: begin(cmd); break;
    case WIRE_CMD_UPLOAD_CHUNK: chunk(cmd); break;
    case WIRE_CMD_UPLOAD_END: end(cmd); break;
    default: break;
  }
}
