/*
 * kernel.h – the internal interface between the interpreter and op kernels (TFLM-like,
 * in C). Every kernel file includes this and exports one `const eng_kernel_t`.
 *
 * Contract for a kernel (see ../KERNELS.md for a worked example):
 * - prepare(node): runs once, in op order, during eng_interp_allocate(). Validate types,
 *   shapes and parameters; precompute everything eval needs (multipliers, shifts,
 *   clamping ranges) into op data from eng_alloc_persistent(); request scratch with
 *   eng_request_scratch(). node->options exists during prepare only: copy what eval
 *   needs into op data. Non-constant tensors have no data yet (planned after every
 *   prepare); constant tensors' data (weights, biases) is readable.
 *   On any problem return eng_fail(node, code, "fmt", ...).
 * - Read quantization (scale, zero_point, per-channel values) in prepare only: in eval
 *   tensors are compact records with just data, bytes, rank, type, flags and dims.
 * - Do not keep eng_tensor_t pointers in op data; call eng_input()/eng_output() in eval.
 * - eval(node): compute only; no validation in the hot loop. Read node->user_data.
 *   Scratch pointers come from eng_scratch(node, index). Must not fail on valid inputs.
 * - Persistent memory lives until the interpreter is discarded; there is no free.
 * - Stateful kernels keep their state in persistent memory and initialise it in prepare.
 * - Tensors: data may be unaligned only if the model was (allocate rejects misaligned
 *   constant buffers), so typed access like (const int32_t *)t->data is fine.
 * - Never call board code or libc I/O; no malloc.
 */
#ifndef XSINFER_ENGINE_KERNEL_H
#define XSINFER_ENGINE_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "xsinfer/engine.h"

/* TFLite BuiltinOperator codes (schema values) for the ops we name. */
enum {
  ENG_OP_ADD = 0,
  ENG_OP_AVERAGE_POOL_2D = 1,
  ENG_OP_CONCATENATION = 2,
  ENG_OP_CONV_2D = 3,
  ENG_OP_DEPTHWISE_CONV_2D = 4,
  ENG_OP_DEQUANTIZE = 6,
  ENG_OP_FULLY_CONNECTED = 9,
  ENG_OP_LOGISTIC = 14,
  ENG_OP_MAX_POOL_2D = 17,
  ENG_OP_MUL = 18,
  ENG_OP_RELU = 19,
  ENG_OP_RELU6 = 21,
  ENG_OP_RESHAPE = 22,
  ENG_OP_SOFTMAX = 25,
  ENG_OP_TANH = 28,
  ENG_OP_CUSTOM = 32,
  ENG_OP_PAD = 34,
  ENG_OP_MEAN = 40,
  ENG_OP_SUB = 41,
  ENG_OP_DIV = 42,
  ENG_OP_SQUEEZE = 43,
  ENG_OP_STRIDED_SLICE = 45,
  ENG_OP_CAST = 53,
  ENG_OP_MAXIMUM = 55,
  ENG_OP_MINIMUM = 57,
  ENG_OP_QUANTIZE = 114
};

/* Fused activation (schema ActivationFunctionType). */
typedef enum eng_activation {
  ENG_ACT_NONE = 0,
  ENG_ACT_RELU = 1,
  ENG_ACT_RELU_N1_TO_1 = 2,
  ENG_ACT_RELU6 = 3,
  ENG_ACT_TANH = 4,
  ENG_ACT_SIGN_BIT = 5
} eng_activation_t;

typedef enum eng_padding { ENG_PADDING_SAME = 0, ENG_PADDING_VALID = 1 } eng_padding_t;

/* Builtin options, decoded from the model with schema defaults applied. Only the member
 * matching the op's builtin code is meaningful; ops without options see zeros. */
/* CONV_2D and DEPTHWISE_CONV_2D: the same geometry; depth_multiplier is the depthwise
 * op's alone (CONV_2D leaves it 0). */
typedef struct eng_conv_options {
  eng_padding_t padding;
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;
  int32_t depth_multiplier;
  eng_activation_t activation;
} eng_conv_options_t;
typedef eng_conv_options_t eng_dwconv_options_t;

typedef struct eng_pool_options {
  eng_padding_t padding;
  int32_t stride_w, stride_h;
  int32_t filter_w, filter_h;
  eng_activation_t activation;
} eng_pool_options_t;

typedef struct eng_fc_options {
  eng_activation_t activation;
  int32_t weights_format; /* 0 = DEFAULT; others are rejected by the FC kernel */
  int32_t keep_num_dims;
} eng_fc_options_t;

typedef struct eng_softmax_options {
  float beta;
} eng_softmax_options_t;

typedef struct eng_arith_options { /* ADD, SUB, MUL, DIV */
  eng_activation_t activation;
  int32_t pot_scale_int16; /* ADD/SUB only; default 1 */
} eng_arith_options_t;

typedef struct eng_concat_options {
  int32_t axis;
  eng_activation_t activation;
} eng_concat_options_t;

typedef struct eng_strided_slice_options {
  int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
  int32_t offset;
} eng_strided_slice_options_t;

typedef struct eng_cast_options {
  int32_t in_type, out_type; /* eng_type_t values, -1 when absent */
} eng_cast_options_t;

typedef struct eng_reshape_options {
  uint32_t new_shape_len; /* 0 when absent */
  int32_t new_shape[ENG_MAX_DIMS];
} eng_reshape_options_t;

typedef union eng_builtin_options {
  eng_conv_options_t conv;
  eng_dwconv_options_t dwconv;
  eng_pool_options_t pool;
  eng_fc_options_t fc;
  eng_softmax_options_t softmax;
  eng_arith_options_t arith;
  eng_concat_options_t concat;
  eng_strided_slice_options_t strided_slice;
  eng_cast_options_t cast;
  eng_reshape_options_t reshape;
} eng_builtin_options_t;

/* A tensor as kernels see it. Shapes are static (from the model).
 *
 * Two views share this layout. In prepare, eng_input()/eng_output() return full records
 * (every member valid; they live in temporary memory at the arena head and vanish after
 * allocate). In eval they return the compact persistent record, which holds only the
 * members up to and including `dims` (ENG_EVAL_TENSOR_BYTES, 16 bytes on a 32-bit MCU):
 * the quantization members below are prepare-only and must not be read in eval (copy
 * what eval needs into op data, as TFLM does with its 12-byte eval tensors). */
typedef struct eng_tensor {
  void *data;     /* arena (activations) or model (constants); valid in eval */
  uint32_t bytes; /* element count × element size */
  uint8_t rank;
  uint8_t type;     /* eng_type_t */
  uint8_t is_const; /* data is a model buffer (readable in prepare, read-only) */
  uint8_t is_variable;
  const int32_t *dims; /* rank entries, straight from the model (read-only) */
  /* ---- prepare only ---- */
  /* Quantization. quant_count == 0: none. scale/zero_point = entry 0 (per-tensor
   * value). Per-channel values: eng_channel_scale()/eng_channel_zero_point(). */
  float scale;
  int32_t zero_point;
  uint16_t quant_count;
  int16_t quant_dim;         /* quantized_dimension */
  const uint8_t *scales_raw; /* float32 LE × quant_count, in the model */
  const uint8_t *zps_raw;    /* int64 LE × quant_count, in the model (may be NULL) */
} eng_tensor_t;

/* Bytes of the eval-time (persistent) part of a tensor record. */
#define ENG_EVAL_TENSOR_BYTES offsetof(eng_tensor_t, scale)

typedef struct eng_node eng_node_t;

#define ENG_MAX_SCRATCH_PER_NODE 2

/* Reads the op's builtin options table (schema BuiltinOptions) in a kernel's options
 * parser. Every getter returns the schema default `def` when the table or the field is
 * absent. A field that lies outside the model marks the reader; the interpreter then fails
 * the op with "builtin options out of bounds" whatever the parser returned. */
typedef struct eng_options_reader eng_options_reader_t;

typedef eng_status_t eng_parser_t(eng_node_t *node, eng_options_reader_t *r,
                                  eng_builtin_options_t *out);
typedef eng_parser_t *eng_parse_fn;
typedef eng_status_t (*eng_prepare_fn)(eng_node_t *node);
typedef eng_status_t (*eng_eval_fn)(eng_node_t *node);

/* ENG_OK when the options table is absent or of union type `expected` (schema
 * BuiltinOptions value, e.g. 1 = Conv2DOptions); otherwise fails the node. */
eng_status_t eng_options_type(eng_node_t *node, eng_options_reader_t *r, uint8_t expected);
int32_t eng_option_i32(eng_options_reader_t *r, uint32_t field, int32_t def);
int32_t eng_option_i8(eng_options_reader_t *r, uint32_t field, int32_t def);
int32_t eng_option_bool(eng_options_reader_t *r, uint32_t field, int32_t def); /* 0 or 1 */
float eng_option_f32(eng_options_reader_t *r, uint32_t field, float def);
/* An int32 vector field into out[0..cap): its length (0 when absent), or -1 when it is
 * malformed or longer than cap. */
int32_t eng_option_i32_vector(eng_options_reader_t *r, uint32_t field, int32_t *out, uint32_t cap);

/* A kernel registration. builtin = ENG_OP_*; for custom ops builtin = ENG_OP_CUSTOM and
 * custom_name is the model's custom_code ("SignalWindow"). parse decodes the builtin
 * options into node->options before prepare (NULL: the op has none, node->options is all
 * zeros; custom ops read eng_custom_options() in prepare). prepare may be NULL. */
typedef struct eng_kernel {
  int32_t builtin;
  const char *custom_name;
  eng_parse_fn parse;
  eng_prepare_fn prepare;
  eng_eval_fn eval;
} eng_kernel_t;

/* Options parsers of the reference kernels that the optimized registrations share (each
 * defined beside its reference kernel). */
eng_parser_t eng_parse_conv_options, eng_parse_dwconv_options, eng_parse_pool_options,
    eng_parse_fc_options, eng_parse_softmax_options, eng_parse_add_options, eng_parse_mul_options;

struct eng_interp;

/* One operator instance (32 bytes on a 32-bit MCU). Kernels read the public fields; the
 * rest is private. */
struct eng_node {
  const eng_kernel_t *kernel;
  void *user_data; /* kernel op data (set in prepare) */
  union {
    const eng_builtin_options_t *options; /* valid during prepare only */
    const uint32_t *scratch_offsets;      /* private: head offsets, after planning */
  };
  const uint8_t *custom_options; /* custom ops: flexbuffer bytes in the model */
  /* private */
  struct eng_interp *interp;
  const uint8_t *inputs; /* int32 LE tensor indices in the model (count in the word
                           * before, as flatbuffers store it), -1 = absent */
  const uint8_t *outputs;
  /* public: custom options length, saturated at 0xFFFF (eng_custom_options() gives the
   * exact length); builtin = TFLite BuiltinOperator (< 256 for every op we run) */
  uint16_t custom_options_len;
  uint8_t builtin;
  uint8_t num_scratch; /* private */
};

/* Inputs/outputs by position; NULL when the position is absent or optional (-1). */
eng_tensor_t *eng_input(const eng_node_t *node, uint32_t i);
eng_tensor_t *eng_output(const eng_node_t *node, uint32_t i);
uint32_t eng_num_inputs(const eng_node_t *node);
uint32_t eng_num_outputs(const eng_node_t *node);
/* Op index in execution order. */
int32_t eng_node_index(const eng_node_t *node);
/* Prepare only. The custom options' bytes and exact length (0 when none). */
uint32_t eng_custom_options(const eng_node_t *node, const uint8_t **data);

/* Element count of a tensor (product of dims; 1 for rank 0). */
uint32_t eng_tensor_elements(const eng_tensor_t *t);
/* dims[i] with negative i counting from the end (like Python), 1 when out of range. */
int32_t eng_dim(const eng_tensor_t *t, int32_t i);
/* Same rank and dims. */
int eng_same_shape(const eng_tensor_t *a, const eng_tensor_t *b);

/* Per-channel quantization parameter c (0 ≤ c < quant_count). */
float eng_channel_scale(const eng_tensor_t *t, uint32_t c);
int32_t eng_channel_zero_point(const eng_tensor_t *t, uint32_t c);

/* Prepare only. Persistent memory from the arena tail, 8-byte aligned, zero-filled.
 * NULL when the arena is too small: return eng_fail(node, ENG_ERR_ARENA, ...) at once
 * (the interpreter records how much was missing). */
void *eng_alloc_persistent(eng_node_t *node, size_t bytes);
/* Prepare only. Ask the planner for `bytes` of scratch live only during this op's eval;
 * *index identifies it for eng_scratch(). At most ENG_MAX_SCRATCH_PER_NODE per node. */
eng_status_t eng_request_scratch(eng_node_t *node, size_t bytes, int32_t *index);
/* Eval only. The scratch buffer (16-byte aligned) for an index from eng_request_scratch. */
void *eng_scratch(const eng_node_t *node, int32_t index);

/* Record an error for this node and return code. fmt supports %d %u %s %c %x %%
 * (int32/uint32 arguments). The interpreter prefixes "<OP> (op N): ". */
eng_status_t eng_fail(eng_node_t *node, eng_status_t code, const char *fmt, ...);

/* Check helpers that return eng_fail(...) with a uniform message. */
eng_status_t eng_expect_type(eng_node_t *node, const eng_tensor_t *t, const char *what,
                             eng_type_t type);
/* ENG_ERR_UNSUPPORTED_TYPE, "type <name>": the kernel has no path for t's element type. */
eng_status_t eng_fail_type(eng_node_t *node, const eng_tensor_t *t);

/* Kernel set lookup (registry.c). NULL when the set has no such op. */
const eng_kernel_t *eng_kernel_lookup(eng_kernel_set_t set, int32_t builtin,
                                      const char *custom_name, uint32_t custom_name_len);

#endif
