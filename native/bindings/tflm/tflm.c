/*
 * tflm.c – host functions of the JS module "tflm": engine interpreters over models in
 * flash assets, one per arena, with zero-copy typed-array views of their tensors
 * (contract in tflm.h; the JS half, tflm.js, turns the arrays returned here into objects
 * so C never creates property keys).
 */
#include "tflm/tflm.h"

#include <string.h>

#include "xsinfer/platform.h"

typedef struct tflm_arena {
  const char *name;
  uint8_t *arena;
  uint32_t arena_bytes;
  eng_interp_t *interp; /* NULL: none, or replaced/closed/failed */
  int32_t generation;   /* bumped on every create/close: stale JS handles stop matching */
  eng_error_t error;    /* the last failure (creation or invoke) */
  int profiling;
  uint32_t profile_count;
  uint16_t profile_op[XSINFER_TFLM_MAX_PROFILE_OPS];
  uint32_t profile_ticks[XSINFER_TFLM_MAX_PROFILE_OPS];
} tflm_arena_t;

static tflm_arena_t arenas[XSINFER_TFLM_ARENAS] = {{.name = "main"}, {.name = "aux"}};

/* A JS handle is one XS integer, generation * XSINFER_TFLM_ARENAS + arena: one private
 * field and one argument on invoke's path instead of two. Generations wrap below
 * GENERATION_MAX so every handle stays a non-negative int32. */
#define GENERATION_MAX ((INT32_MAX - (XSINFER_TFLM_ARENAS - 1)) / XSINFER_TFLM_ARENAS)

static int32_t next_generation(int32_t generation) {
  return generation >= GENERATION_MAX ? 1 : generation + 1;
}

static int32_t handle_of(const tflm_arena_t *s) {
  return s->generation * XSINFER_TFLM_ARENAS + (int32_t)(s - arenas);
}

void xsinfer_tflm_set_arena(uint32_t arena_id, uint8_t *arena, uint32_t bytes) {
  if (arena_id >= XSINFER_TFLM_ARENAS) return;
  arenas[arena_id].arena = arena;
  arenas[arena_id].arena_bytes = bytes;
  arenas[arena_id].interp = NULL;
  arenas[arena_id].generation = next_generation(arenas[arena_id].generation);
}

uint8_t *xsinfer_tflm_borrow_arena(uint32_t arena_id, uint32_t *bytes) {
  *bytes = 0;
  if (arena_id >= XSINFER_TFLM_ARENAS || !arenas[arena_id].arena) return NULL;
  xsinfer_tflm_set_arena(arena_id, arenas[arena_id].arena, arenas[arena_id].arena_bytes);
  *bytes = arenas[arena_id].arena_bytes;
  return arenas[arena_id].arena;
}

const eng_interp_t *xsinfer_tflm_interpreter(uint32_t arena_id) {
  return arena_id < XSINFER_TFLM_ARENAS ? arenas[arena_id].interp : NULL;
}

int32_t xsinfer_tflm_generation(uint32_t arena_id) {
  return arena_id < XSINFER_TFLM_ARENAS ? arenas[arena_id].generation : -1;
}

/* ---- argument checks (the JS/C boundary) ---- */

static int32_t int_arg(xsMachine *the, int32_t index, const char *what, int32_t lo, int32_t hi) {
  if (xsToInteger(xsArgc) <= index) xsTypeError("tflm: %s missing", what);
  int32_t value;
  switch (xsTypeOf(xsArg(index))) {
    case xsIntegerType: value = xsToInteger(xsArg(index)); break;
    case xsNumberType: {
      double d = xsToNumber(xsArg(index));
      if (!(d >= -2147483648.0 && d <= 2147483647.0) || d != (double)(int32_t)d)
        xsRangeError("tflm: %s must be an integer", what);
      value = (int32_t)d;
      break;
    }
    default: xsTypeError("tflm: %s must be an integer", what);
  }
  if (value < lo || value > hi)
    xsRangeError("tflm: %s %ld out of range %ld..%ld", what, (long)value, (long)lo, (long)hi);
  return value;
}

static tflm_arena_t *arena_arg(xsMachine *the) {
  return &arenas[int_arg(the, 0, "arena", 0, XSINFER_TFLM_ARENAS - 1)];
}

/* The arena of the live handle in argument 0, or NULL when the handle is stale. tflm.js
 * always passes an XS integer: that case reads the argument slots in place, as xsmc.h's
 * macros do (no copy through the scratch slot, no double); anything else gets int_arg's
 * full check and messages. On invoke's path: 74 instructions instead of 179. */
static tflm_arena_t *live_arena(xsMachine *the) {
  int32_t handle;
  if (fxToInteger(the, &xsArgc) >= 1 && fxTypeOf(the, &xsArg(0)) == xsIntegerType) {
    handle = fxToInteger(the, &xsArg(0));
    if (handle < 0) xsRangeError("tflm: handle %ld out of range", (long)handle);
  } else {
    handle = int_arg(the, 0, "handle", 0, INT32_MAX);
  }
  uint32_t h = (uint32_t)handle; /* non-negative here: unsigned division is cheaper */
  tflm_arena_t *s = &arenas[h % XSINFER_TFLM_ARENAS];
  return s->interp && h / XSINFER_TFLM_ARENAS == (uint32_t)s->generation ? s : NULL;
}

static tflm_arena_t *live_arena_or_throw(xsMachine *the) {
  tflm_arena_t *s = live_arena(the);
  if (!s) xsUnknownError("tflm: interpreter is closed or was replaced by a newer one in its arena");
  return s;
}

/* ---- errors handed to tflm.js ---- */

static const char *status_code(eng_status_t status) {
  switch (status) {
    case ENG_OK: return "OK";
    case ENG_ERR_MALFORMED: return "MALFORMED";
    case ENG_ERR_UNSUPPORTED_OP: return "UNSUPPORTED_OP";
    case ENG_ERR_UNSUPPORTED_TYPE: return "UNSUPPORTED_TYPE";
    case ENG_ERR_SHAPE: return "SHAPE";
    case ENG_ERR_ARENA: return "ARENA";
    case ENG_ERR_ARG: return "ARG";
    case ENG_ERR_STATE: return "STATE";
    case ENG_ERR_KERNEL: return "KERNEL";
    default: return "ENGINE";
  }
}

/* [code, message, opIndex, bytesNeeded] */
static void error_result(xsMachine *the, const char *code, const eng_error_t *e) {
  xsResult = xsNewArray(4);
  xsSetAt(xsResult, xsInteger(0), xsString(code));
  xsSetAt(xsResult, xsInteger(1), xsString(e->message));
  xsSetAt(xsResult, xsInteger(2), xsInteger(e->op_index));
  xsSetAt(xsResult, xsInteger(3), xsNumber(e->bytes_needed));
}

static void set_error(eng_error_t *e, eng_status_t code, const char *prefix, const char *detail) {
  e->code = code;
  e->op_index = -1;
  e->bytes_needed = 0;
  size_t n = 0;
  for (const char *p = prefix; *p && n + 1 < sizeof e->message; p++) e->message[n++] = *p;
  for (const char *p = detail; *p && n + 1 < sizeof e->message; p++) e->message[n++] = *p;
  e->message[n] = 0;
}

/* ---- profiling ---- */

static void on_op(void *user, int32_t op_index, int32_t builtin_code, uint64_t ticks) {
  (void)builtin_code;
  tflm_arena_t *s = user;
  if (op_index == 0) s->profile_count = 0; /* a new invoke starts */
  if (s->profile_count < XSINFER_TFLM_MAX_PROFILE_OPS) {
    s->profile_op[s->profile_count] = (uint16_t)op_index;
    s->profile_ticks[s->profile_count] = ticks > UINT32_MAX ? UINT32_MAX : (uint32_t)ticks;
    s->profile_count++;
  }
}

/* ---- host functions ---- */

/* create(modelAssetName, arena, kernels, profile) → [handle, inputs, outputs, ops]
 * or [code, message, opIndex, bytesNeeded] when the engine refuses the model. */
void xs_tflm_create(xsMachine *the) {
  if (xsToInteger(xsArgc) < 4)
    xsTypeError("tflm: create(model, arena, kernels, profile): arguments missing");
  int type = xsTypeOf(xsArg(0));
  if (type != xsStringType && type != xsStringXType)
    xsTypeError("tflm: model asset name must be a string");
  int32_t arena_index = int_arg(the, 1, "arena", 0, XSINFER_TFLM_ARENAS - 1);
  int32_t kernels = int_arg(the, 2, "kernels", ENG_KERNELS_REFERENCE, ENG_KERNELS_OPTIMIZED);
  int profile = xsToBoolean(xsArg(3));
  char name[96];
  xsToStringBuffer(xsArg(0), name, sizeof name);

  tflm_arena_t *s = &arenas[arena_index];
  if (!s->arena || !s->arena_bytes)
    xsUnknownError("tflm: this firmware gives arena '%s' no memory", s->name);
  /* The previous interpreter dies here, whatever happens next. */
  s->interp = NULL;
  s->generation = next_generation(s->generation);
  s->profiling = 0;
  s->profile_count = 0;

  const asset_t *model = asset_find(name);
  if (!model) {
    set_error(&s->error, ENG_ERR_ARG, "no model asset named ", name);
    error_result(the, "NO_ASSET", &s->error);
    return;
  }
  eng_interp_t *it = eng_interp_create(model->data, model->bytes, s->arena, s->arena_bytes,
                                       (eng_kernel_set_t)kernels, &s->error);
  if (!it) {
    error_result(the, status_code(s->error.code), &s->error);
    return;
  }
  eng_status_t status = eng_interp_allocate(it);
  if (status != ENG_OK) {
    s->error = *eng_interp_error(it);
    error_result(the, status_code(status), &s->error);
    return;
  }
  if (profile) {
    eng_interp_set_profiler(it, board_ticks, on_op, s);
    s->profiling = 1;
  }
  s->interp = it;
  xsResult = xsNewArray(4);
  xsSetAt(xsResult, xsInteger(0), xsInteger(handle_of(s)));
  xsSetAt(xsResult, xsInteger(1), xsInteger((xsIntegerValue)eng_interp_input_count(it)));
  xsSetAt(xsResult, xsInteger(2), xsInteger((xsIntegerValue)eng_interp_output_count(it)));
  xsSetAt(xsResult, xsInteger(3), xsInteger((xsIntegerValue)eng_interp_op_count(it)));
}

/* close(handle): the arena's interpreter ends (no-op for a stale handle). */
void xs_tflm_close(xsMachine *the) {
  tflm_arena_t *s = live_arena(the);
  if (!s) return;
  s->interp = NULL;
  s->generation = next_generation(s->generation);
}

static const char *view_constructor(eng_type_t type) {
  switch (type) {
    case ENG_INT8: return "Int8Array";
    case ENG_UINT8:
    case ENG_BOOL: return "Uint8Array";
    case ENG_INT16: return "Int16Array";
    case ENG_UINT16: return "Uint16Array";
    case ENG_INT32: return "Int32Array";
    case ENG_UINT32: return "Uint32Array";
    case ENG_FLOAT32: return "Float32Array";
    default: return NULL;
  }
}

/* tensor(handle, isOutput, index) →
 * [view, type, scale, zeroPoint, dim0, dim1, ...]; the view is over tensor memory in the
 * arena (zero copy), writable. */
void xs_tflm_tensor(xsMachine *the) {
  tflm_arena_t *s = live_arena_or_throw(the);
  int32_t output = int_arg(the, 1, "tensor kind", 0, 1);
  uint32_t count = output ? eng_interp_output_count(s->interp) : eng_interp_input_count(s->interp);
  if (xsToInteger(xsArgc) < 3) xsTypeError("tflm: tensor index missing");
  int index_type = xsTypeOf(xsArg(2));
  if (index_type != xsIntegerType && index_type != xsNumberType)
    xsTypeError("tflm: %s index must be an integer", output ? "output" : "input");
  double d = xsToNumber(xsArg(2));
  if (d != (double)(int32_t)d)
    xsRangeError("tflm: %s index must be an integer", output ? "output" : "input");
  if (d < 0 || d >= count)
    xsRangeError("tflm: %s index %ld out of range (model has %lu)", output ? "output" : "input",
                 (long)(int32_t)d, (unsigned long)count);
  eng_tensor_info_t info;
  eng_status_t status = output ? eng_interp_output(s->interp, (uint32_t)d, &info)
                               : eng_interp_input(s->interp, (uint32_t)d, &info);
  if (status != ENG_OK) xsUnknownError("tflm: %s", eng_interp_error(s->interp)->message);
  const char *ctor = view_constructor(info.type);
  if (!ctor) xsTypeError("tflm: tensor type %s has no typed-array view", eng_type_name(info.type));
  uint8_t *data = info.data;
  /* The views stand for arena memory: refuse anything that is not inside this arena's
   * arena (a constant tensor in flash would need a read-only view). */
  if (data < s->arena || data + info.bytes > s->arena + s->arena_bytes)
    xsTypeError("tflm: tensor is not in the arena (constant?)");
  xsVars(1);
  xsinfer_xs_view(the, &xsVar(0), ctor, data, info.bytes, 0);
  xsResult = xsNewArray(4 + info.rank);
  xsSetAt(xsResult, xsInteger(0), xsVar(0));
  xsSetAt(xsResult, xsInteger(1), xsString(eng_type_name(info.type)));
  xsSetAt(xsResult, xsInteger(2), xsNumber(info.quantized ? (double)info.scale : 0.0));
  xsSetAt(xsResult, xsInteger(3), xsInteger(info.quantized ? info.zero_point : 0));
  for (int32_t i = 0; i < info.rank; i++)
    xsSetAt(xsResult, xsInteger(4 + i), xsInteger(info.dims[i]));
}

/* invoke(handle) → 0 (ENG_OK), or non-zero when the handle is stale or the engine failed
 * (tflm.js then asks error()): no exception crosses C, and tflm.js tests the result's
 * truth, no local or compare on the success path. */
/* Interpreter.prototype.invoke, a host method: the handle is the instance's host data
 * (xs_tflm_bind). On success nothing but the engine runs; a stale handle or an engine
 * failure calls the instance's invokeFailed(), which throws. */
static void invoke_handle(xsMachine *the, uint32_t h, const xsSlot *interpreter) {
  tflm_arena_t *s = &arenas[h % XSINFER_TFLM_ARENAS];
  if (s->interp && h / XSINFER_TFLM_ARENAS == (uint32_t)s->generation) {
    eng_status_t status = eng_interp_invoke(s->interp);
    if (status == ENG_OK) return;
    s->error = *eng_interp_error(s->interp);
  }
  xsCall0(*interpreter, xsID("invokeFailed"));
}

void xs_tflm_invoke(xsMachine *the) {
  invoke_handle(the, (uint32_t)(uintptr_t)xsGetHostData(xsThis), &xsThis);
}

/* The function invoker() returns: invoke() bound natively to [interpreter, handle], so
 * a call is a plain host call (no method lookup through the instance's fields). The
 * same checks and failure path as invoke(). */
static void run_invoker(xsMachine *the) {
  int32_t n = 0;
  const void *params = NULL;
  const xsSlot *v = xsinfer_xs_bound(the, &n, &params);
  if (!v || n != 1) xsTypeError("tflm: not an invoker");
  xsSlot interpreter = v[0]; /* copied: the failure path runs JS */
  invoke_handle(the, *(const uint32_t *)params, &interpreter);
}

/* invoker(interpreter, handle) → () => void, bound to both. */
void xs_tflm_invoker(xsMachine *the) {
  uint32_t handle = (uint32_t)int_arg(the, 1, "handle", 0, INT32_MAX);
  xsSlot interpreter = xsArg(0);
  xsinfer_xs_bind(the, &xsResult, "invoke", run_invoker, 0, &interpreter, 1, &handle,
                  sizeof handle);
}

/* bind(interpreter, handle): the handle as the instance's host data, for invoke(). */
void xs_tflm_bind(xsMachine *the) {
  int32_t handle = int_arg(the, 1, "handle", 0, INT32_MAX);
  xsSetHostData(xsArg(0), (void *)(uintptr_t)(uint32_t)handle);
}

/* The host class's destructor: the host data is a handle, nothing to free. */
void xs_tflm_destructor(void *data) {
  (void)data;
}

/* error(handle) → [code, message, opIndex, bytesNeeded] of the arena's last failure, or
 * null when the handle is stale (the arena's error is then another interpreter's). */
void xs_tflm_error(xsMachine *the) {
  tflm_arena_t *s = live_arena(the);
  if (!s) {
    xsResult = xsNull;
    return;
  }
  error_result(the, status_code(s->error.code), &s->error);
}

/* arena(handle) → [head, tail, total, arenaBytes] */
void xs_tflm_arena(xsMachine *the) {
  tflm_arena_t *s = live_arena_or_throw(the);
  eng_arena_usage_t u;
  eng_interp_arena_usage(s->interp, &u);
  xsResult = xsNewArray(4);
  xsSetAt(xsResult, xsInteger(0), xsNumber(u.head_bytes));
  xsSetAt(xsResult, xsInteger(1), xsNumber(u.tail_bytes));
  xsSetAt(xsResult, xsInteger(2), xsNumber(u.total_bytes));
  xsSetAt(xsResult, xsInteger(3), xsNumber(u.arena_bytes));
}

/* profile(handle) → [opName, ticks, opName, ticks, ...] of the last invoke, in
 * execution order; custom ops are named "CUSTOM:<code>". */
void xs_tflm_profile(xsMachine *the) {
  tflm_arena_t *s = live_arena_or_throw(the);
  if (!s->profiling)
    xsUnknownError("tflm: profiling is off (create the Interpreter with { profile: true })");
  xsVars(1);
  xsResult = xsNewArray((xsIntegerValue)(2 * s->profile_count));
  for (uint32_t i = 0; i < s->profile_count; i++) {
    const char *custom;
    uint32_t len = eng_interp_op_custom_name(s->interp, s->profile_op[i], &custom);
    if (len) {
      char name[72] = "CUSTOM:";
      uint32_t n = 7;
      for (uint32_t k = 0; k < len && n + 1 < sizeof name; k++) name[n++] = custom[k];
      name[n] = 0;
      xsVar(0) = xsString(name);
    } else {
      xsVar(0) = xsString(eng_interp_op_name(s->interp, s->profile_op[i]));
    }
    xsSetAt(xsResult, xsInteger((xsIntegerValue)(2 * i)), xsVar(0));
    xsSetAt(xsResult, xsInteger((xsIntegerValue)(2 * i + 1)), xsNumber(s->profile_ticks[i]));
  }
}

/* detach(buffer): the host buffer behind a tensor view stops pointing at the arena, so
 * every view over it reads as length 0 and set()/fill() throw "detached buffer". Only
 * buffers inside a arena qualify (never an asset in flash). */
void xs_tflm_detach(xsMachine *the) {
  if (xsToInteger(xsArgc) < 1 || xsTypeOf(xsArg(0)) != xsReferenceType)
    xsTypeError("tflm: detach(buffer): buffer must be an object");
  uint8_t *data = xsGetHostData(xsArg(0)); /* throws for a non-host object */
  if (!data) return;                       /* already detached */
  int inside = 0;
  for (uint32_t i = 0; i < XSINFER_TFLM_ARENAS; i++)
    if (arenas[i].arena && data >= arenas[i].arena &&
        data < arenas[i].arena + arenas[i].arena_bytes)
      inside = 1;
  if (!inside) xsTypeError("tflm: detach(buffer): not a tensor buffer");
  xsSetHostBuffer(xsArg(0), NULL, 0);
}

/* arenaBytes(arena) → arena bytes this firmware gives the arena (0: none). */
void xs_tflm_arena_bytes(xsMachine *the) {
  tflm_arena_t *s = arena_arg(the);
  xsResult = xsNumber(s->arena ? s->arena_bytes : 0);
}
