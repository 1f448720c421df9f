/*
 * engine.h – public API of the xsinfer inference engine: a TFLM-compatible interpreter
 * over untrusted .tflite bytes, with a caller-owned arena and no heap.
 *
 * Contract
 * - The model bytes are read in place (zero copy; they may live in flash) and must stay
 *   valid and unchanged for the interpreter's lifetime. Give them 16-byte alignment:
 *   shapes and constant tensors are used straight from the model; a model that is not
 *   4-byte aligned, or a misaligned int32/float buffer, is rejected (XS_ERR_MALFORMED).
 * - Every byte the interpreter needs (its own state, tensor table, kernel op data,
 *   activations, scratch) comes from the caller's arena. Nothing is allocated elsewhere.
 *   Persistent data grows down from the arena's end ("tail"); activations and scratch
 *   are planned at the start ("head"), as in TFLM.
 * - Lifecycle: xs_interp_create() (parse + verify) → xs_interp_allocate() (prepare every
 *   op, plan memory) → fill inputs → xs_interp_invoke() → read outputs; repeat the last
 *   three as needed. To reset state (stateful ops), create a new interpreter over the
 *   same arena. The interpreter object itself lives in the arena tail.
 * - Errors: every call returns an xs_status_t; the detailed message (naming the op and
 *   its index, the missing byte count, or what in the model is malformed) is in
 *   xs_interp_error(). Failures never crash, read out of bounds or loop forever on a
 *   hostile model.
 * - Not thread-safe; one interpreter per arena.
 */
#ifndef XSINFER_ENGINE_H
#define XSINFER_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xs_status {
  XS_OK = 0,
  XS_ERR_MALFORMED = 1,        /* model bytes fail verification (message says what) */
  XS_ERR_UNSUPPORTED_OP = 2,   /* op not in the chosen kernel set (names op and index) */
  XS_ERR_UNSUPPORTED_TYPE = 3, /* op exists but not for these tensor types */
  XS_ERR_SHAPE = 4,            /* shapes/params inconsistent for an op */
  XS_ERR_ARENA = 5,            /* arena too small; xs_error_t.bytes_needed says how much */
  XS_ERR_ARG = 6,              /* bad argument from the caller (index out of range, NULL) */
  XS_ERR_STATE = 7,            /* call out of order (invoke before allocate, ...) */
  XS_ERR_KERNEL = 8            /* a kernel failed at eval time */
} xs_status_t;

/* Kernel sets, chosen per interpreter at run time. */
typedef enum xs_kernel_set {
  XS_KERNELS_REFERENCE = 0, /* TFLM reference semantics */
  XS_KERNELS_OPTIMIZED = 1  /* bit-exact with reference, faster (may alias reference) */
} xs_kernel_set_t;

/* Tensor element types; the numbers are TFLite's schema TensorType values. */
typedef enum xs_type {
  XS_FLOAT32 = 0,
  XS_FLOAT16 = 1,
  XS_INT32 = 2,
  XS_UINT8 = 3,
  XS_INT64 = 4,
  XS_STRING = 5,
  XS_BOOL = 6,
  XS_INT16 = 7,
  XS_COMPLEX64 = 8,
  XS_INT8 = 9,
  XS_FLOAT64 = 10,
  XS_COMPLEX128 = 11,
  XS_UINT64 = 12,
  XS_RESOURCE = 13,
  XS_VARIANT = 14,
  XS_UINT32 = 15,
  XS_UINT16 = 16,
  XS_INT4 = 17
} xs_type_t;

#define XS_MAX_DIMS 6
#define XS_ERROR_MESSAGE_BYTES 128

typedef struct xs_error {
  xs_status_t code;
  int32_t op_index;      /* operator the error is about, -1 when none */
  uint32_t bytes_needed; /* XS_ERR_ARENA: total arena bytes this model needs (0 = unknown) */
  char message[XS_ERROR_MESSAGE_BYTES]; /* NUL-terminated, human-readable */
} xs_error_t;

/* Arena figures, TFLM RecordingMicroAllocator style. head = planned activations and
 * scratch (non-persistent), tail = persistent (interpreter, tensor/node tables, op data). */
typedef struct xs_arena_usage {
  uint32_t head_bytes;
  uint32_t tail_bytes;
  uint32_t total_bytes; /* head + tail (what TFLM calls arena_used_bytes) */
  uint32_t arena_bytes; /* what the caller gave */
} xs_arena_usage_t;

/* Read-only view of a tensor for the caller. data points into the arena (activations,
 * inputs, outputs) or into the model (constants): write only inputs. */
typedef struct xs_tensor_info {
  void *data;
  uint32_t bytes;
  xs_type_t type;
  int32_t rank;
  int32_t dims[XS_MAX_DIMS];
  /* Quantization: per-tensor scale/zero point (first channel when per-channel). */
  int32_t quantized;       /* 0: no quantization parameters */
  float scale;
  int32_t zero_point;
  uint32_t num_channels;   /* > 1 when per-channel; read them with xs_interp_channel_param */
  int32_t quantized_dimension;
  const char *name;        /* not NUL-terminated in the model: see name_len */
  uint32_t name_len;
} xs_tensor_info_t;

/* Per-op profile hook. When set, ticks() is read before and after each op's eval and
 * on_op() is called (outside the measured span) with the difference. When NULL, invoke
 * does one pointer test per op and nothing else. */
typedef uint64_t (*xs_ticks_fn)(void);
typedef void (*xs_op_profile_fn)(void *user, int32_t op_index, int32_t builtin_code,
                                 uint64_t ticks);

typedef struct xs_interp xs_interp_t;

/* Parse and verify the model, set up the interpreter object in the arena tail.
 * On failure returns NULL and fills *err (err may be NULL). */
xs_interp_t *xs_interp_create(const uint8_t *model, size_t model_bytes, void *arena,
                              size_t arena_bytes, xs_kernel_set_t kernels, xs_error_t *err);

/* Prepare every op (in order) and plan the arena. Idempotent once it succeeded. */
xs_status_t xs_interp_allocate(xs_interp_t *it);

/* Run every op in order. Requires a successful allocate. */
xs_status_t xs_interp_invoke(xs_interp_t *it);

uint32_t xs_interp_input_count(const xs_interp_t *it);
uint32_t xs_interp_output_count(const xs_interp_t *it);
/* Subgraph inputs/outputs, and any tensor by model index (for per-op checks). Data
 * pointers are valid after allocate. Activations the planner overlaps are only
 * meaningful right after the op that wrote them unless preserve_all is set. */
xs_status_t xs_interp_input(const xs_interp_t *it, uint32_t i, xs_tensor_info_t *out);
xs_status_t xs_interp_output(const xs_interp_t *it, uint32_t i, xs_tensor_info_t *out);
xs_status_t xs_interp_tensor(const xs_interp_t *it, uint32_t tensor_index, xs_tensor_info_t *out);
uint32_t xs_interp_tensor_count(const xs_interp_t *it);
/* Per-channel quantization parameter c of a tensor (c < num_channels). */
xs_status_t xs_interp_channel_param(const xs_interp_t *it, uint32_t tensor_index, uint32_t c,
                                    float *scale, int32_t *zero_point);

/* Operators in execution order. */
uint32_t xs_interp_op_count(const xs_interp_t *it);
int32_t xs_interp_op_builtin(const xs_interp_t *it, uint32_t op_index); /* -1 if out of range */
/* The op's builtin name ("CONV_2D", "CUSTOM" for custom ops); never NULL. */
const char *xs_interp_op_name(const xs_interp_t *it, uint32_t op_index);
/* Custom ops: the custom code in the model (*name, not NUL-terminated); returns its
 * length, 0 for builtin ops. */
uint32_t xs_interp_op_custom_name(const xs_interp_t *it, uint32_t op_index, const char **name);
/* Input/output tensor indices of an op (-1 = absent optional input). Returns the
 * count written (≤ cap). */
uint32_t xs_interp_op_inputs(const xs_interp_t *it, uint32_t op_index, int32_t *out, uint32_t cap);
uint32_t xs_interp_op_outputs(const xs_interp_t *it, uint32_t op_index, int32_t *out, uint32_t cap);

/* Ops of a model the kernel set lacks, without an arena: writes their names
 * ("CONV_2D,CUSTOM:SignalWindow", each once) into names and returns how many. 0 when
 * every op is supported (or the model is malformed: xs_interp_create says why). */
uint32_t xs_model_missing_ops(const uint8_t *model, size_t model_bytes, xs_kernel_set_t kernels,
                              char *names, uint32_t cap);

/* Debug mode for per-op checks: give every tensor its own arena space (no overlap), so
 * all intermediate outputs survive an invoke. Call before allocate; needs more arena. */
xs_status_t xs_interp_preserve_all(xs_interp_t *it, int enable);

void xs_interp_arena_usage(const xs_interp_t *it, xs_arena_usage_t *out);
const xs_error_t *xs_interp_error(const xs_interp_t *it);

/* Per-op profiling; pass on_op = NULL to turn it off. */
void xs_interp_set_profiler(xs_interp_t *it, xs_ticks_fn ticks, xs_op_profile_fn on_op,
                            void *user);

/* Name of a builtin op code ("FULLY_CONNECTED"); "UNKNOWN" when out of table. */
const char *xs_builtin_name(int32_t builtin_code);
const char *xs_type_name(xs_type_t type);
const char *xs_status_name(xs_status_t status);
/* Size in bytes of one element of type (0 for unsupported/variable types). */
uint32_t xs_type_size(xs_type_t type);

#ifdef __cplusplus
}
#endif

#endif
