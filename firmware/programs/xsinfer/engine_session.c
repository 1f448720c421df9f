/* engine_session.c – engine_open / engine_input / engine_invoke (contract in
 * engine_session.h): the engine alone on a model asset, for `xsinfer verify --port` and
 * `xsinfer bench-engine --port`. Setup and invoke are timed by the same code as in the
 * bench-engine program (engine_timing.h; no profiler unless asked for), so both give the
 * same figures for the same model, kernel set and input bytes. */
#include "engine_session.h"

#include <stdio.h>
#include <string.h>

#include "arenas.h"
#include "assets.h"
#include "board.h"
#include "device_link.h"
#include "engine_timing.h"

#define DEFAULT_MODEL "upload/model"

enum {
  MAX_INPUTS = 8,
  MAX_OPS = 128, /* per-op ticks kept for `ops` records; later ops go without */
  MAX_OP_OUTPUTS = 8,
  /* Keys of a `tensor` record around its data, and the frame's header and CRC: a chunk
   * of data is the negotiated frame limit less this. */
  TENSOR_ENVELOPE_BYTES = 96
};

static struct {
  int open;
  eng_interp_t *it;
  uint32_t id; /* counts sessions since boot; `ops` records carry it as `run` */
  uint32_t invokes;
  uint32_t inputs;
  uint32_t filled[MAX_INPUTS]; /* bytes of each input received since the last invoke */
} session;

static uint64_t op_ticks[MAX_OPS];

/* The current invoke's `tensor` records and per-op work. */
static struct {
  int ops;
  int dump;
  uint32_t records;
} invoke_state;

void engine_session_close(void) {
  session.open = 0;
  session.it = NULL;
}

static void refuse(const wire_cmd_t *cmd, uint32_t code, const char *format, const char *what,
                   uint32_t a, uint32_t b) {
  char message[200];
  snprintf(message, sizeof message, format, what, (unsigned long)a, (unsigned long)b);
  wire_error(&device_wire, cmd, code, message);
}

static void write_tensor_info(wire_mp_t *mp, const eng_tensor_info_t *info) {
  wire_mp_map(mp, 3);
  wire_mp_field_str(mp, "type", eng_type_name(info->type));
  wire_mp_field_uint(mp, "bytes", info->bytes);
  wire_mp_str(mp, "shape");
  wire_mp_array(mp, info->rank > 0 ? (uint32_t)info->rank : 0u);
  for (int32_t d = 0; d < info->rank; d++) wire_mp_int(mp, info->dims[d]);
}

/* `key`: an array of the `count` tensors that `get` (eng_interp_input or _output) describes. */
static void write_tensor_list(wire_mp_t *mp, const char *key, const eng_interp_t *it,
                              uint32_t count,
                              eng_status_t (*get)(const eng_interp_t *, uint32_t,
                                                  eng_tensor_info_t *)) {
  wire_mp_str(mp, key);
  wire_mp_array(mp, count);
  for (uint32_t i = 0; i < count; i++) {
    eng_tensor_info_t info;
    get(it, i, &info);
    write_tensor_info(mp, &info);
  }
}

/* An engine failure as an `error` record: the engine's code and message (which names an
 * unsupported op and its index) and the op's index as `index`. */
static void engine_error(const wire_cmd_t *cmd, const char *stage, const eng_error_t *err) {
  char message[200];
  snprintf(message, sizeof message, "%s: %s", stage,
           err->message[0] ? err->message : eng_status_name(err->code));
  const uint32_t extra = (err->op_index >= 0 ? 1u : 0u) + (err->code == ENG_ERR_ARENA ? 1u : 0u);
  wire_mp_t *mp =
      wire_error_begin(&device_wire, cmd, wire_code_for_engine(err->code), message, extra);
  if (!mp) return;
  if (err->op_index >= 0) {
    wire_mp_field_uint(mp, "index", (uint32_t)err->op_index);
  }
  if (err->code == ENG_ERR_ARENA) {
    wire_mp_field_uint(mp, "needed", err->bytes_needed);
  }
  wire_queue_end(&device_wire);
}

static void handle_open(const wire_cmd_t *cmd) {
  engine_session_close();
  char name[64];
  const wire_bytes_t *m = &cmd->u.engine_open.model;
  if (m->len >= sizeof name) {
    wire_error(&device_wire, cmd, WIRE_ERR_BAD_COMMAND, "engine_open: model asset name too long");
    return;
  }
  if (m->len == 0) {
    strcpy(name, DEFAULT_MODEL);
  } else {
    memcpy(name, m->ptr, m->len);
    name[m->len] = '\0';
  }
  const asset_t *model = asset_find(name);
  if (!model) {
    char message[160];
    int uploaded = strncmp(name, ASSET_UPLOAD_PREFIX, sizeof ASSET_UPLOAD_PREFIX - 1) == 0;
    snprintf(
        message, sizeof message, "engine_open: no model asset \"%s\" %s", name,
        uploaded ? "(nothing uploaded under that name: upload a model first)" : "in this firmware");
    wire_error(&device_wire, cmd, WIRE_ERR_BAD_COMMAND, message);
    return;
  }
  const eng_kernel_set_t kernels =
      cmd->u.engine_open.optimized ? ENG_KERNELS_OPTIMIZED : ENG_KERNELS_REFERENCE;
  js_release_arenas(); /* JS interpreters over the main arena become invalid, as they must */
  eng_error_t err;
  memset(&err, 0, sizeof err);
  uint64_t setup_ticks;
  eng_interp_t *it = engine_timed_setup(model->data, model->bytes, main_arena, sizeof main_arena,
                                        kernels, &err, &setup_ticks);
  if (!it) {
    engine_error(cmd, "engine_open", &err);
    return;
  }
  const uint32_t inputs = eng_interp_input_count(it);
  if (inputs > MAX_INPUTS) {
    refuse(cmd, WIRE_ERR_APP, "%s: the model has %lu inputs, this firmware takes %lu",
           "engine_open", inputs, MAX_INPUTS);
    return;
  }
  session.open = 1;
  session.it = it;
  session.id++;
  session.invokes = 0;
  session.inputs = inputs;
  memset(session.filled, 0, sizeof session.filled);

  eng_arena_usage_t usage;
  eng_interp_arena_usage(it, &usage);
  wire_mp_t *mp = wire_ack_begin(&device_wire, cmd, 8);
  if (!mp) return;
  wire_mp_field_uint(mp, "session", session.id);
  wire_mp_field_str(mp, "model", name);
  wire_mp_field_str(mp, "kernels", kernels == ENG_KERNELS_OPTIMIZED ? "optimized" : "reference");
  wire_mp_field_uint(mp, "ops", eng_interp_op_count(it));
  write_tensor_list(mp, "inputs", it, inputs, eng_interp_input);
  write_tensor_list(mp, "outputs", it, eng_interp_output_count(it), eng_interp_output);
  write_arena_usage(mp, &usage);
  wire_mp_field_uint(mp, "setupTicks", setup_ticks);
  wire_queue_end(&device_wire);
}

static const char *const closed_message =
    "%s: no engine session (engine_open first; a run, an upload or a check since closed it)";

static void handle_input(const wire_cmd_t *cmd) {
  if (!session.open) {
    refuse(cmd, WIRE_ERR_BAD_STATE, closed_message, "engine_input", 0, 0);
    return;
  }
  const uint32_t index = cmd->u.engine_input.index;
  const uint32_t offset = cmd->u.engine_input.offset;
  const uint32_t len = cmd->u.engine_input.len;
  eng_tensor_info_t info;
  if (index >= session.inputs || eng_interp_input(session.it, index, &info) != ENG_OK) {
    refuse(cmd, WIRE_ERR_BAD_COMMAND, "%s: input %lu: the model has %lu inputs", "engine_input",
           index, session.inputs);
    return;
  }
  /* In order, so "every byte arrived" is one number; offset 0 starts the input over. */
  if (offset != 0 && offset != session.filled[index]) {
    refuse(cmd, WIRE_ERR_BAD_STATE, "%s: chunk at offset %lu, expected %lu", "engine_input", offset,
           session.filled[index]);
    return;
  }
  if (len > info.bytes || offset > info.bytes - len) {
    char message[160];
    snprintf(message, sizeof message,
             "engine_input: input %lu is %lu bytes; this chunk ends at byte %lu",
             (unsigned long)index, (unsigned long)info.bytes, (unsigned long)offset + len);
    wire_error(&device_wire, cmd, WIRE_ERR_BAD_COMMAND, message);
    return;
  }
  memcpy((uint8_t *)info.data + offset, cmd->u.engine_input.data, len);
  session.filled[index] = offset + len;
  wire_mp_t *mp = wire_ack_begin(&device_wire, cmd, 1);
  if (!mp) return;
  wire_mp_field_uint(mp, "filled", session.filled[index]);
  wire_queue_end(&device_wire);
}

/* A tensor's bytes as `tensor` records, each as large as the frame limit allows, sent at
 * once. op < 0: the model's output `slot`; else output `slot` of op `op`. */
static void send_tensor(int32_t op, uint32_t slot, const eng_tensor_info_t *info) {
  const uint32_t frame = wire_max_frame(&device_wire);
  const uint32_t chunk =
      frame > 2u * TENSOR_ENVELOPE_BYTES ? frame - TENSOR_ENVELOPE_BYTES : TENSOR_ENVELOPE_BYTES;
  const uint8_t *data = info->data;
  uint32_t offset = 0;
  do {
    const uint32_t n = info->bytes - offset < chunk ? info->bytes - offset : chunk;
    wire_mp_t *mp = wire_queue_begin(&device_wire, WIRE_REC_TENSOR);
    if (!mp) return;
    wire_mp_map(mp, op < 0 ? 6 : 7);
    wire_mp_field_uint(mp, "invoke", session.invokes);
    if (op < 0) {
      wire_mp_field_uint(mp, "output", slot);
    } else {
      wire_mp_field_uint(mp, "op", (uint32_t)op);
      wire_mp_field_uint(mp, "k", slot);
    }
    wire_mp_field_str(mp, "type", eng_type_name(info->type));
    wire_mp_field_uint(mp, "size", info->bytes);
    wire_mp_field_uint(mp, "offset", offset);
    wire_mp_str(mp, "data");
    wire_mp_bin(mp, data ? data + offset : NULL, data ? n : 0);
    if (wire_queue_end(&device_wire) == 0) invoke_state.records++;
    wire_drain(&device_wire);
    offset += n;
  } while (offset < info->bytes);
}

/* The profiler hook: per-op ticks, and with dump every output of the op that just ran
 * (activations the planner reuses are only valid now). */
static void on_op(void *user, int32_t op_index, int32_t builtin_code, uint64_t ticks) {
  (void)user;
  (void)builtin_code;
  if (op_index >= 0 && op_index < MAX_OPS) op_ticks[op_index] = ticks;
  if (!invoke_state.dump) return;
  int32_t outs[MAX_OP_OUTPUTS];
  const uint32_t n = eng_interp_op_outputs(session.it, (uint32_t)op_index, outs, MAX_OP_OUTPUTS);
  for (uint32_t k = 0; k < n; k++) {
    eng_tensor_info_t info;
    if (outs[k] >= 0 && eng_interp_tensor(session.it, (uint32_t)outs[k], &info) == ENG_OK)
      send_tensor(op_index, k, &info);
  }
}

static void handle_invoke(const wire_cmd_t *cmd) {
  if (!session.open) {
    refuse(cmd, WIRE_ERR_BAD_STATE, closed_message, "engine_invoke", 0, 0);
    return;
  }
  for (uint32_t i = 0; i < session.inputs; i++) {
    eng_tensor_info_t info;
    eng_interp_input(session.it, i, &info);
    if (session.filled[i] != info.bytes) {
      char message[200];
      snprintf(message, sizeof message,
               "engine_invoke: input %lu has %lu of its %lu bytes (send every input's bytes "
               "before each invoke)",
               (unsigned long)i, (unsigned long)session.filled[i], (unsigned long)info.bytes);
      wire_error(&device_wire, cmd, WIRE_ERR_BAD_COMMAND, message);
      return;
    }
  }
  invoke_state.ops = cmd->u.engine_invoke.ops;
  invoke_state.dump = cmd->u.engine_invoke.dump;
  invoke_state.records = 0;
  const uint32_t op_count = eng_interp_op_count(session.it);
  const int profiled = invoke_state.ops || invoke_state.dump;
  if (profiled) memset(op_ticks, 0, sizeof op_ticks);
  eng_interp_set_profiler(session.it, profiled ? board_ticks : NULL, profiled ? on_op : NULL, NULL);
  uint64_t ticks;
  const eng_status_t status = engine_timed_invoke(session.it, &ticks);
  eng_interp_set_profiler(session.it, NULL, NULL, NULL);
  memset(session.filled, 0, sizeof session.filled);
  if (status != ENG_OK) {
    engine_error(cmd, "engine_invoke", eng_interp_error(session.it));
    return;
  }
  if (invoke_state.ops) {
    /* Ops per record: a name (at most ≈20 bytes) and a tick (at most 9) each must fit the
     * frame limit beside the record's other keys. */
    static const char *names[16];
    const uint32_t frame = wire_max_frame(&device_wire);
    uint32_t per = frame > 80u ? (frame - 48u) / 32u : 1u;
    if (per > 16u) per = 16u;
    const uint32_t count = op_count < MAX_OPS ? op_count : MAX_OPS;
    for (uint32_t first = 0; first < count; first += per) {
      const uint32_t n = count - first < per ? count - first : per;
      for (uint32_t k = 0; k < n; k++) names[k] = eng_interp_op_name(session.it, first + k);
      wire_ops(&device_wire, session.id, session.invokes, first, op_ticks + first, names, n);
      wire_drain(&device_wire);
    }
  }
  const uint32_t outputs = cmd->u.engine_invoke.outputs ? eng_interp_output_count(session.it) : 0;
  for (uint32_t o = 0; o < outputs; o++) {
    eng_tensor_info_t info;
    if (eng_interp_output(session.it, o, &info) == ENG_OK) send_tensor(-1, o, &info);
  }
  wire_mp_t *mp = wire_ack_begin(&device_wire, cmd, 3);
  if (mp) {
    wire_mp_field_uint(mp, "invoke", session.invokes);
    wire_mp_field_uint(mp, "ticks", ticks);
    wire_mp_field_uint(mp, "tensors", invoke_state.records);
    wire_queue_end(&device_wire);
  }
  session.invokes++;
}

void engine_session_handle(const wire_cmd_t *cmd) {
  switch (cmd->type) {
    case WIRE_CMD_ENGINE_OPEN: handle_open(cmd); break;
    case WIRE_CMD_ENGINE_INPUT: handle_input(cmd); break;
    case WIRE_CMD_ENGINE_INVOKE: handle_invoke(cmd); break;
    default: break;
  }
}
