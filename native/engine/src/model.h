/*
 * model.h – the model reader and verifier: a .tflite flatbuffer (schema v3, subgraph 0)
 * read in place, every table, vector and buffer checked against the model bytes before
 * use (flatbuf.h), tensors and quantization decoded into eng_tensor_t records, operator
 * tables, codes and custom options located. Used by the interpreter (interp.c).
 *
 * Contract
 * - Nothing is copied or allocated: results point into the model bytes, which the caller
 *   keeps alive and unchanged as long as it uses them.
 * - Every function that can fail returns ENG_OK / 0 or fills *err (code, message; op
 *   index -1 unless stated) and returns the code / a negative value; nothing is read out
 *   of bounds on any input (fuzzed: native/engine/fuzz).
 */
#ifndef XSINFER_ENGINE_MODEL_H
#define XSINFER_ENGINE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "flatbuf.h"
#include "kernel.h"

/* ---- TFLite schema field ids (schema.fbs order) ---- */
enum { MODEL_VERSION = 0, MODEL_OPCODES = 1, MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4 };
enum { OPCODE_DEPRECATED = 0, OPCODE_CUSTOM = 1, OPCODE_VERSION = 2, OPCODE_BUILTIN = 3 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPERATORS = 3 };
enum {
  TENSOR_SHAPE = 0,
  TENSOR_TYPE = 1,
  TENSOR_BUFFER = 2,
  TENSOR_NAME = 3,
  TENSOR_QUANT = 4,
  TENSOR_IS_VARIABLE = 5,
  TENSOR_SPARSITY = 6
};
enum { QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_DIM = 6 };
enum {
  OP_OPCODE = 0,
  OP_INPUTS = 1,
  OP_OUTPUTS = 2,
  OP_OPTIONS_TYPE = 3,
  OP_OPTIONS = 4,
  OP_CUSTOM_OPTIONS = 5,
  OP_LARGE_CUSTOM_OFFSET = 9,
  OP_LARGE_CUSTOM_SIZE = 10
};
enum { BUFFER_DATA = 0, BUFFER_OFFSET = 1, BUFFER_SIZE = 2 };

/* Limits of what the reader accepts. */
#define ENG_MODEL_MAX_TENSORS      32767u
#define ENG_MODEL_MAX_OPS          32767u
#define ENG_MODEL_MAX_TENSOR_BYTES 0x40000000u

/* The vectors of a verified model's root and subgraph 0. */
typedef struct eng_model {
  fb_buf_t fb;
  fb_vec_t opcodes, buffers, tensors, ops, inputs, outputs;
} eng_model_t;

/* Opens and verifies the model's root: alignment, identifier TFL3, schema version 3,
 * operator codes, buffers, subgraph 0 with its tensors/operators/inputs/outputs, and the
 * tensor and op count limits. */
eng_status_t eng_model_open(const uint8_t *model, size_t bytes, eng_model_t *m, eng_error_t *err);

/* Tensor `index`: type, shape (static, rank <= ENG_MAX_DIMS, size below 1 GB), constant
 * data (in the flatbuffer or at an offset/size within the given bytes, aligned for its
 * type) and quantization. check = 0 skips the per-channel value checks (for a model that
 * passed them before; the record is the same). */
eng_status_t eng_model_tensor(const eng_model_t *m, uint32_t index, eng_tensor_t *t,
                              eng_error_t *err, int check);
/* Only the quantization of tensor `index` (table tt) into t; t->type, rank and dims set. */
eng_status_t eng_model_quant(const eng_model_t *m, const fb_table_t *tt, uint32_t index,
                             eng_tensor_t *t, eng_error_t *err, int check);

/* Operator code `index`: builtin = the larger of builtin_code and deprecated_builtin_code
 * (as TFLite does), custom name (NULL, 0 when none). 0 or -1. */
int eng_model_opcode(const fb_buf_t *fb, const fb_vec_t *opcodes, uint32_t index, int32_t *builtin,
                     const char **custom, uint32_t *custom_len);
/* Operator `index` of subgraph 0 of a model opened before. 0 or -1. */
int eng_model_op_table(const fb_buf_t *fb, uint32_t index, fb_table_t *op);
/* Custom options of an op table: in the flatbuffer, or (large models) at an offset after
 * it. 0 with *data = NULL when there are none; -1 when malformed, -2 when beyond the bytes. */
int eng_model_op_custom_options(const fb_buf_t *fb, const fb_table_t *op, const uint8_t **data,
                                uint32_t *len);
/* Appends an op's name for messages at buf[at]: the builtin name or "CUSTOM:<code>". */
uint32_t eng_model_op_name(char *buf, uint32_t cap, uint32_t at, int32_t builtin,
                           const char *custom, uint32_t custom_len);

#endif
