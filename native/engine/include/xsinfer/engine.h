/*
 * engine.h – public API of the xsinfer inference engine: a TFLM-compatible interpreter
 * over untrusted .tflite bytes, with a caller-owned arena and no heap.
 *
 * Contract
 * - The model bytes are read in place (zero copy; they may live in flash) and must stay
 *   valid and unchanged for the interpreter's lifetime. Give them 16-byte alignment:
 *   shapes and constant tensors are used straight from the model; a model that is not
 *   4-byte aligned, or a misaligned int32/float buffer, is rejected (ENG_ERR_MALFORMED).
 * - Every byte the interpreter needs (its own state, tensor table, kernel op data,
 *   activations, scratch) comes from the caller's arena. Nothing is allocated elsewhere.
 *   Persistent data grows down from the arena's end ("tail"); activations and scratch
 *   are planned at the start ("head"), as in TFLM.
 * - Lifecycle: eng_interp_create() (parse + verify) → eng_interp_allocate() (prepare every
 *   op, plan memory) → fill inputs → eng_interp_invoke() → read outputs; repeat the last
 *   three as needed. To reset state (stateful ops), create a new interpreter over the
 *   same arena. The interpreter object itself lives in the arena tail.
 * - Errors: every call returns an eng_status_t; the detailed message (naming the op and
 *   its index, the missing byte count, or what in the model is malformed) is in
 *   eng_interp_error(). Failures never crash, read out of bounds or loop forever on a
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

typedef enum eng_status {
  ENG_OK = 0,
  ENG_ERR_MALFORMED = 1,        /* model bytes fail verification (message says what) */
  ENG_ERR_UNSUPPORTED_OP = 2,   /* op not in the chosen kernel set (names op and index) */
  ENG_ERR_UNSUPPORTED_TYPE = 3, /* op exists but not for these tensor types */
  ENG_ERR_SHAPE = 4,            /* shapes/params inconsistent for an op */
  ENG_ERR_ARENA = 5,            /* arena too small; eng_error_t.bytes_needed says how much */
  ENG_ERR_ARG = 6,              /* bad argument from the caller (index out of range, NULL) */
  ENG_ERR_STATE = 7,            /* call out of order (invoke before allocate, ...) */
  ENG_ERR_KERNEL = 8            /* a kernel failed at eval time */
} eng_status_t;

/* Kernel sets, chosen per interpreter at run time. */
typedef enum eng_kernel_set {
  ENG_KERNELS_REFERENCE = 0, /* TFLM reference semantics */
  ENG_KERNELS_OPTIMIZED = 1  /* bit-exact with reference, faster (may alias reference) */
} eng_kernel_set_t;

/* Tensor element types; the numbers are TFLite's schema TensorType values. */
typedef enum eng_type {
  ENG_FLOAT32 = 0,
  ENG_FLOAT16 = 1,
  ENG_INT32 = 2,
  ENG_UINT8 = 3,
  ENG_INT64 = 4,
  ENG_STRING = 5,
  ENG_BOOL = 6,
  ENG_INT16 = 7,
  ENG_COMPLEX64 = 8,
  ENG_INT8 = 9,
  ENG_FLOAT64 = 10,
  ENG_COMPLEX128 = 11,
  ENG_UINT64 = 12,
  ENG_RESOURCE = 13,
  ENG_VARIANT = 14,
  ENG_UINT32 = 15,
  ENG_UINT16 = 16,
  ENG_INT4 = 17
} eng_type_t;

#define ENG_MAX_DIMS            6
#define ENG_ERROR_MESSAGE_BYTES 128

typedef struct eng_error {
  eng_status_t code;
  int32_t op_index;      /* operator the error is about, -1 when none */
  uint32_t bytes_needed; /* ENG_ERR_ARENA: total arena bytes this model needs (0 = unknown) */
  char message[ENG_ERROR_MESSAGE_BYTES]; /* NUL-terminated, human-readable */
} eng_error_t;

/* Arena figures, TFLM RecordingMicroAllocator style. head = planned activations and
 * scratch (non-persistent), tail = persistent (interpreter, tensor/node tables, op data). */
typedef struct eng_arena_usage {
  uint32_t head_bytes;
  uint32_t tail_bytes;
  uint32_t total_bytes; /* head + tail (what TFLM calls arena_used_bytes) */
  uint32_t arena_bytes; /* what the caller gave */
} eng_arena_usage_t;

/* Read-only view of a tensor for the caller. data points into the arena (activations,
 * inputs, outputs) or into the model (constants): write only inputs. */
typedef struct eng_tensor_info {
  void *data;
  uint32_t bytes;
  eng_type_t type;
  int32_t rank;
  int32_t dims[ENG_MAX_DIMS];
  /* Quantization: per-tensor scale/zero point (first channel when per-channel). */
  int32_t quantized; /* 0: no quantization parameters */
  float scale;
  int32_t zero_point;
  uint32_t num_channels; /* > 1 when per-channel; read them with eng_interp_channel_param */
  int32_t quantized_dimension;
  const char *name; /* not NUL-terminated in the model: see name_len */
  uint32_t name_len;
} eng_tensor_info_t;

/* Per-op profile hook. When set, ticks() is read before and after each op's eval and
 * on_op() is called (outside the measured span) with the difference. When NULL, invoke
 * does one pointer test per op and nothing else. */
typedef uint64_t (*eng_ticks_fn)(void);
typedef void (*eng_op_profile_fn)(void *user, int32_t op_index, int32_t builtin_code,
                                  uint64_t ticks);

typedef struct eng_interp eng_interp_t;

/* Parse and verify the model, set up the interpreter object in the arena tail.
 * On failure returns NULL and fills *err (err may be NULL). */
eng_interp_t *eng_interp_create(const uint8_t *model, size_t model_bytes, void *arena,
                                size_t arena_bytes, eng_kernel_set_t kernels, eng_error_t *err);

/* Prepare every op (in order) and plan the arena. Idempotent once it succeeded. */
eng_status_t eng_interp_allocate(eng_interp_t *it);

/* Run every op in order. Requires a successful allocate. */
eng_status_t eng_interp_invoke(eng_interp_t *it);

uint32_t eng_interp_input_count(const eng_interp_t *it);
uint32_t eng_interp_output_count(const eng_interp_t *it);
/* Subgraph inputs/outputs, and any tensor by model index (for per-op checks). Data
 * pointers are valid after allocate. Activations the planner overlaps are only
 * meaningful right after the op that wrote them unless preserve_all is set. */
eng_status_t eng_interp_input(const eng_interp_t *it, uint32_t i, eng_tensor_info_t *out);
eng_status_t eng_interp_output(const eng_interp_t *it, uint32_t i, eng_tensor_info_t *out);
eng_status_t eng_interp_tensor(const eng_interp_t *it, uint32_t tensor_index,
                               eng_tensor_info_t *out);
uint32_t eng_interp_tensor_count(const eng_interp_t *it);
/* Per-channel quantization parameter c of a tensor (c < num_channels). */
eng_status_t eng_interp_channel_param(const eng_interp_t *it, uint32_t tensor_index, uint32_t c,
                                      float *scale, int32_t *zero_point);

/* Operators in execution order. */
uint32_t eng_interp_op_count(const eng_interp_t *it);
int32_t eng_interp_op_builtin(const eng_interp_t *it, uint32_t op_index); /* -1 if out of range */
/* The op's builtin name ("CONV_2D", "CUSTOM" for custom ops); never NULL. */
const char *eng_interp_op_name(const eng_interp_t *it, uint32_t op_index);
/* Custom ops: the custom code in the model (*name, not NUL-terminated); returns its
 * length, 0 for builtin ops. */
uint32_t eng_interp_op_custom_name(const eng_interp_t *it, uint32_t op_index, const char **name);
/* Input/output tensor indices of an op (-1 = absent optional input). Returns the
 * count written (≤ cap). */
uint32_t eng_interp_op_inputs(const eng_interp_t *it, uint32_t op_index, int32_t *out,
                              uint32_t cap);
uint32_t eng_interp_op_outputs(const eng_interp_t *it, uint32_t op_index, int32_t *out,
                               uint32_t cap);

/* Ops of a model the kernel set lacks, without an arena: writes their names
 * ("CONV_2D,CUSTOM:SignalWindow", each once) into names and returns how many. 0 when
 * every op is supported (or the model is malformed: eng_interp_create says why). */
uint32_t eng_model_missing_ops(const uint8_t *model, size_t model_bytes, eng_kernel_set_t kernels,
                               char *names, uint32_t cap);

/* Debug mode for per-op checks: give every tensor its own arena space (no overlap), so
 * all intermediate outputs survive an invoke. Call before allocate; needs more arena. */
eng_status_t eng_interp_preserve_all(eng_interp_t *it, int enable);

void eng_interp_arena_usage(const eng_interp_t *it, eng_arena_usage_t *out);
const eng_error_t *eng_interp_error(const eng_interp_t *it);

/* Per-op profiling; pass on_op = NULL to turn it off. */
void eng_interp_set_profiler(eng_interp_t *it, eng_ticks_fn ticks, eng_op_profile_fn on_op,
                             void *user);

/* Name of a builtin op code ("FULLY_CONNECTED"); "UNKNOWN" when out of table. */
const char *eng_builtin_name(int32_t builtin_code);
const char *eng_type_name(eng_type_t type);
const char *eng_status_name(eng_status_t status);
/* Size in bytes of one element of type (0 for unsupported/variable types). */
uint32_t eng_type_size(eng_type_t type);

#ifdef __cplusplus
}
#endif

#endif
