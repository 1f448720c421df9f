/*
 * kernel.h – the internal interface between the interpreter and op kernels (TFLM-like,
 * in C). Every kernel file includes this and exports one `const xs_kernel_t`.
 *
 * Contract for a kernel (see ../KERNELS.md for a worked example):
 * - prepare(node): runs once, in op order, during xs_interp_allocate(). Validate types,
 *   shapes and parameters; precompute everything eval needs (multipliers, shifts,
 *   clamping ranges) into op data from xs_alloc_persistent(); request scratch with
 *   xs_request_scratch(). node->options exists during prepare only: copy what eval
 *   needs into op data. Non-constant tensors have no data yet (planned after every
 *   prepare); constant tensors' data (weights, biases) is readable.
 *   On any problem return xs_fail(node, code, "fmt", ...).
 * - Read quantization (scale, zero_point, per-channel values) in prepare only: in eval
 *   tensors are compact records with just data, bytes, rank, type, flags and dims.
 * - Do not keep xs_tensor_t pointers in op data; call xs_input()/xs_output() in eval.
 * - eval(node): compute only; no validation in the hot loop. Read node->user_data.
 *   Scratch pointers come from xs_scratch(node, index). Must not fail on valid inputs.
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
  XS_OP_ADD = 0,
  XS_OP_AVERAGE_POOL_2D = 1,
  XS_OP_CONCATENATION = 2,
  XS_OP_CONV_2D = 3,
  XS_OP_DEPTHWISE_CONV_2D = 4,
  XS_OP_DEQUANTIZE = 6,
  XS_OP_FULLY_CONNECTED = 9,
  XS_OP_LOGISTIC = 14,
  XS_OP_MAX_POOL_2D = 17,
  XS_OP_MUL = 18,
  XS_OP_RELU = 19,
  XS_OP_RELU6 = 21,
  XS_OP_RESHAPE = 22,
  XS_OP_SOFTMAX = 25,
  XS_OP_TANH = 28,
  XS_OP_CUSTOM = 32,
  XS_OP_PAD = 34,
  XS_OP_MEAN = 40,
  XS_OP_SUB = 41,
  XS_OP_DIV = 42,
  XS_OP_SQUEEZE = 43,
  XS_OP_STRIDED_SLICE = 45,
  XS_OP_CAST = 53,
  XS_OP_MAXIMUM = 55,
  XS_OP_MINIMUM = 57,
  XS_OP_QUANTIZE = 114
};

/* Fused activation (schema ActivationFunctionType). */
typedef enum xs_activation {
  XS_ACT_NONE = 0,
  XS_ACT_RELU = 1,
  XS_ACT_RELU_N1_TO_1 = 2,
  XS_ACT_RELU6 = 3,
  XS_ACT_TANH = 4,
  XS_ACT_SIGN_BIT = 5
} xs_activation_t;

typedef enum xs_padding { XS_PADDING_SAME = 0, XS_PADDING_VALID = 1 } xs_padding_t;

/* Builtin options, decoded from the model with schema defaults applied. Only the member
 * matching the op's builtin code is meaningful; ops without options see zeros. */
typedef struct xs_conv_options {
  xs_padding_t padding;
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;
  xs_activation_t activation;
} xs_conv_options_t;

typedef struct xs_dwconv_options {
  xs_padding_t padding;
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;
  int32_t depth_multiplier;
  xs_activation_t activation;
} xs_dwconv_options_t;

typedef struct xs_pool_options {
  xs_padding_t padding;
  int32_t stride_w, stride_h;
  int32_t filter_w, filter_h;
  xs_activation_t activation;
} xs_pool_options_t;

typedef struct xs_fc_options {
  xs_activation_t activation;
  int32_t weights_format; /* 0 = DEFAULT; others are rejected by the FC kernel */
  int32_t keep_num_dims;
} xs_fc_options_t;

typedef struct xs_softmax_options {
  float beta;
} xs_softmax_options_t;

typedef struct xs_arith_options { /* ADD, SUB, MUL, DIV */
  xs_activation_t activation;
  int32_t pot_scale_int16; /* ADD/SUB only; default 1 */
} xs_arith_options_t;

typedef struct xs_concat_options {
  int32_t axis;
  xs_activation_t activation;
} xs_concat_options_t;

typedef struct xs_strided_slice_options {
  int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
  int32_t offset;
} xs_strided_slice_options_t;

typedef struct xs_cast_options {
  int32_t in_type, out_type; /* xs_type_t values, -1 when absent */
} xs_cast_options_t;

typedef struct xs_reshape_options {
  uint32_t new_shape_len;       /* 0 when absent */
  int32_t new_shape[XS_MAX_DIMS];
} xs_reshape_options_t;

typedef union xs_builtin_options {
  xs_conv_options_t conv;
  xs_dwconv_options_t dwconv;
  xs_pool_options_t pool;
  xs_fc_options_t fc;
  xs_softmax_options_t softmax;
  xs_arith_options_t arith;
  xs_concat_options_t concat;
  xs_strided_slice_options_t strided_slice;
  xs_cast_options_t cast;
  xs_reshape_options_t reshape;
} xs_builtin_options_t;

/* A tensor as kernels see it. Shapes are static (from the model).
 *
 * Two views share this layout. In prepare, xs_input()/xs_output() return full records
 * (every member valid; they live in temporary memory at the arena head and vanish after
 * allocate). In eval they return the compact persistent record, which holds only the
 * members up to and including `dims` (XS_EVAL_TENSOR_BYTES, 16 bytes on a 32-bit MCU):
 * the quantization members below are prepare-only and must not be read in eval (copy
 * what eval needs into op data, as TFLM does with its 12-byte eval tensors). */
typedef struct xs_tensor {
  void *data;           /* arena (activations) or model (constants); valid in eval */
  uint32_t bytes;       /* element count × element size */
  uint8_t rank;
  uint8_t type;         /* xs_type_t */
  uint8_t is_const;     /* data is a model buffer (readable in prepare, read-only) */
  uint8_t is_variable;
  const int32_t *dims;  /* rank entries, straight from the model (read-only) */
  /* ---- prepare only ---- */
  /* Quantization. quant_count == 0: none. scale/zero_point = entry 0 (per-tensor
   * value). Per-channel values: xs_channel_scale()/xs_channel_zero_point(). */
  float scale;
  int32_t zero_point;
  uint16_t quant_count;
  int16_t quant_dim;    /* quantized_dimension */
  const uint8_t *scales_raw; /* float32 LE × quant_count, in the model */
  const uint8_t *zps_raw;    /* int64 LE × quant_count, in the model (may be NULL) */
} xs_tensor_t;

/* Bytes of the eval-time (persistent) part of a tensor record. */
#define XS_EVAL_TENSOR_BYTES offsetof(xs_tensor_t, scale)

typedef struct xs_node xs_node_t;

#define XS_MAX_SCRATCH_PER_NODE 2

typedef xs_status_t (*xs_prepare_fn)(xs_node_t *node);
typedef xs_status_t (*xs_eval_fn)(xs_node_t *node);

/* A kernel registration. builtin = XS_OP_*; for custom ops builtin = XS_OP_CUSTOM and
 * custom_name is the model's custom_code ("SignalWindow"). prepare may be NULL. */
typedef struct xs_kernel {
  int32_t builtin;
  const char *custom_name;
  xs_prepare_fn prepare;
  xs_eval_fn eval;
} xs_kernel_t;

struct xs_interp;

/* One operator instance (32 bytes on a 32-bit MCU). Kernels read the public fields; the
 * rest is private. */
struct xs_node {
  const xs_kernel_t *kernel;
  void *user_data;                       /* kernel op data (set in prepare) */
  union {
    const xs_builtin_options_t *options; /* valid during prepare only */
    const uint32_t *scratch_offsets;     /* private: head offsets, after planning */
  };
  const uint8_t *custom_options;         /* custom ops: flexbuffer bytes in the model */
  /* private */
  struct xs_interp *interp;
  const uint8_t *inputs;  /* int32 LE tensor indices in the model (count in the word
                           * before, as flatbuffers store it), -1 = absent */
  const uint8_t *outputs;
  /* public: custom options length, saturated at 0xFFFF (xs_custom_options() gives the
   * exact length); builtin = TFLite BuiltinOperator (< 256 for every op we run) */
  uint16_t custom_options_len;
  uint8_t builtin;
  uint8_t num_scratch;    /* private */
};

/* Inputs/outputs by position; NULL when the position is absent or optional (-1). */
xs_tensor_t *xs_input(const xs_node_t *node, uint32_t i);
xs_tensor_t *xs_output(const xs_node_t *node, uint32_t i);
uint32_t xs_num_inputs(const xs_node_t *node);
uint32_t xs_num_outputs(const xs_node_t *node);
/* Op index in execution order. */
int32_t xs_node_index(const xs_node_t *node);
/* Prepare only. The custom options' bytes and exact length (0 when none). */
uint32_t xs_custom_options(const xs_node_t *node, const uint8_t **data);

/* Element count of a tensor (product of dims; 1 for rank 0). */
uint32_t xs_tensor_elements(const xs_tensor_t *t);
/* dims[i] with negative i counting from the end (like Python), 1 when out of range. */
int32_t xs_dim(const xs_tensor_t *t, int32_t i);
/* Same rank and dims. */
int xs_same_shape(const xs_tensor_t *a, const xs_tensor_t *b);

/* Per-channel quantization parameter c (0 ≤ c < quant_count). */
float xs_channel_scale(const xs_tensor_t *t, uint32_t c);
int32_t xs_channel_zero_point(const xs_tensor_t *t, uint32_t c);

/* Prepare only. Persistent memory from the arena tail, 8-byte aligned, zero-filled.
 * NULL when the arena is too small: return xs_fail(node, XS_ERR_ARENA, ...) at once
 * (the interpreter records how much was missing). */
void *xs_alloc_persistent(xs_node_t *node, size_t bytes);
/* Prepare only. Ask the planner for `bytes` of scratch live only during this op's eval;
 * *index identifies it for xs_scratch(). At most XS_MAX_SCRATCH_PER_NODE per node. */
xs_status_t xs_request_scratch(xs_node_t *node, size_t bytes, int32_t *index);
/* Eval only. The scratch buffer (16-byte aligned) for an index from xs_request_scratch. */
void *xs_scratch(const xs_node_t *node, int32_t index);

/* Record an error for this node and return code. fmt supports %d %u %s %c %x %%
 * (int32/uint32 arguments). The interpreter prefixes "<OP> (op N): ". */
xs_status_t xs_fail(xs_node_t *node, xs_status_t code, const char *fmt, ...);

/* Check helpers that return xs_fail(...) with a uniform message. */
xs_status_t xs_expect_type(xs_node_t *node, const xs_tensor_t *t, const char *what,
                           xs_type_t type);

/* Kernel set lookup (registry.c). NULL when the set has no such op. */
const xs_kernel_t *xs_kernel_lookup(xs_kernel_set_t set, int32_t builtin,
                                    const char *custom_name, uint32_t custom_name_len);

#endif
