/*
 * model.c – the model reader and verifier (contract in model.h).
 */
#include "model.h"

#include <string.h>

#include "internal.h"

/* Resolve an operator code: builtin (max of the two fields, as TFLite does) and custom name. */
int eng_model_opcode(const fb_buf_t *fb, const fb_vec_t *opcodes, uint32_t index, int32_t *builtin,
                     const char **custom, uint32_t *custom_len) {
  fb_table_t oc;
  int8_t deprecated;
  int32_t code;
  if (fb_vec_table(opcodes, index, &oc) != 0 ||
      fb_i8(&oc, OPCODE_DEPRECATED, 0, &deprecated) != 0 ||
      fb_i32(&oc, OPCODE_BUILTIN, 0, &code) != 0 ||
      fb_string(&oc, OPCODE_CUSTOM, custom, custom_len) != 0) {
    return -1;
  }
  (void)fb;
  *builtin = code > deprecated ? code : deprecated;
  return 0;
}

eng_status_t eng_model_open(const uint8_t *model, size_t bytes, eng_model_t *m, eng_error_t *err) {
  fb_table_t root, sg;
  fb_vec_t subgraphs;
  uint32_t version;
  int present;
  if (model == NULL || bytes < 8 || bytes > 0x7FFFFFFFu) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "model: %u bytes is not a flatbuffer",
                         (uint32_t)(bytes > 0xFFFFFFFFu ? 0xFFFFFFFFu : bytes));
  }
  if (((uintptr_t)model & 3u) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1,
                         "model bytes must be 4-byte aligned (16 recommended)");
  }
  m->fb.data = model;
  m->fb.size = (uint32_t)bytes;
  if (fb_root(&m->fb, &root) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "model: root table out of bounds");
  }
  if (memcmp(model + 4, "TFL3", 4) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "model: file identifier is not TFL3");
  }
  if (fb_u32(&root, MODEL_VERSION, 0, &version) != 0 || version != 3) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "model: schema version %u, expected 3",
                         version);
  }
  if (fb_vector(&root, MODEL_OPCODES, 4, &m->opcodes) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "model: operator_codes out of bounds");
  }
  if (fb_vector(&root, MODEL_BUFFERS, 4, &m->buffers) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "model: buffers out of bounds");
  }
  if (fb_vector(&root, MODEL_SUBGRAPHS, 4, &subgraphs) != 0 || subgraphs.len == 0 ||
      fb_vec_table(&subgraphs, 0, &sg) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "model: no valid subgraph 0");
  }
  (void)present;
  if (fb_vector(&sg, SG_TENSORS, 4, &m->tensors) != 0 ||
      fb_vector(&sg, SG_OPERATORS, 4, &m->ops) != 0 ||
      fb_vector(&sg, SG_INPUTS, 4, &m->inputs) != 0 ||
      fb_vector(&sg, SG_OUTPUTS, 4, &m->outputs) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1,
                         "subgraph 0: tensors/operators/inputs/outputs out of bounds");
  }
  if (m->tensors.len > ENG_MODEL_MAX_TENSORS || m->ops.len > ENG_MODEL_MAX_OPS) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1,
                         "subgraph 0: %u tensors / %u ops exceed the limits", m->tensors.len,
                         m->ops.len);
  }
  return ENG_OK;
}

/* Name of an op for messages: builtin name or "CUSTOM:<code>". */
uint32_t eng_model_op_name(char *buf, uint32_t cap, uint32_t at, int32_t builtin,
                           const char *custom, uint32_t custom_len) {
  if (builtin == ENG_OP_CUSTOM) {
    return eng_format(buf, cap, at, "CUSTOM:%.*s", (int)custom_len, custom);
  }
  return eng_format(buf, cap, at, "%s", eng_builtin_name(builtin));
}

/* check = 0: the model passed this decode at create; skip the per-channel value checks
 * (the decoded record is the same). */
eng_status_t eng_model_tensor(const eng_model_t *m, uint32_t index, eng_tensor_t *t,
                              eng_error_t *err, int check) {
  fb_table_t tt, buf;
  fb_vec_t shape, data;
  uint8_t type, is_var;
  uint32_t buffer_index;
  if (fb_vec_table(&m->tensors, index, &tt) != 0 || fb_vector(&tt, TENSOR_SHAPE, 4, &shape) != 0 ||
      fb_u8(&tt, TENSOR_TYPE, 0, &type) != 0 || fb_u32(&tt, TENSOR_BUFFER, 0, &buffer_index) != 0 ||
      fb_u8(&tt, TENSOR_IS_VARIABLE, 0, &is_var) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: table out of bounds", index);
  }
  if (fb_has(&tt, TENSOR_SPARSITY) != 0) {
    return eng_set_error(err, ENG_ERR_UNSUPPORTED_TYPE, -1,
                         "tensor %u: sparse tensors are not supported", index);
  }
  if (shape.len > ENG_MAX_DIMS) {
    return eng_set_error(err, ENG_ERR_UNSUPPORTED_TYPE, -1, "tensor %u: rank %u > %u", index,
                         shape.len, (uint32_t)ENG_MAX_DIMS);
  }
  static const int32_t no_dims[1] = {0};
  memset(t, 0, sizeof *t);
  t->type = type;
  t->rank = (uint8_t)shape.len;
  t->dims = shape.len > 0 ? (const int32_t *)(const void *)(m->fb.data + shape.pos) : no_dims;
  t->is_variable = is_var != 0;
  uint64_t elements = 1;
  for (uint32_t d = 0; d < shape.len; d++) {
    const int32_t dim = (int32_t)fb_load_u32(fb_vec_elem(&shape, d, 4));
    if (dim < 0) {
      return eng_set_error(err, ENG_ERR_UNSUPPORTED_TYPE, -1, "tensor %u: dynamic dimension %d",
                           index, dim);
    }
    elements *= (uint64_t)dim;
    if (elements > ENG_MODEL_MAX_TENSOR_BYTES) {
      return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: absurd size", index);
    }
  }
  const uint64_t bytes = elements * eng_type_size((eng_type_t)type);
  if (bytes > ENG_MODEL_MAX_TENSOR_BYTES) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: absurd size", index);
  }
  t->bytes = (uint32_t)bytes;

  /* Constant data: a buffer with bytes, in the flatbuffer or (large models) at an
   * offset in the file after it. */
  if (buffer_index != 0 || m->buffers.len > 0) {
    if (buffer_index >= m->buffers.len) {
      return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: buffer %u out of range", index,
                           buffer_index);
    }
    uint64_t off, size;
    if (fb_vec_table(&m->buffers, buffer_index, &buf) != 0 ||
        fb_vector(&buf, BUFFER_DATA, 1, &data) != 0 || fb_u64(&buf, BUFFER_OFFSET, 0, &off) != 0 ||
        fb_u64(&buf, BUFFER_SIZE, 0, &size) != 0) {
      return eng_set_error(err, ENG_ERR_MALFORMED, -1, "buffer %u: out of bounds", buffer_index);
    }
    const uint8_t *ptr = NULL;
    uint64_t len = 0;
    if (data.len > 0) {
      ptr = m->fb.data + data.pos;
      len = data.len;
    } else if (off > 1) {
      if (off > m->fb.size || size > (uint64_t)m->fb.size - off) {
        return eng_set_error(
            err, ENG_ERR_MALFORMED, -1,
            "buffer %u: external data (offset/size beyond the model bytes) not available",
            buffer_index);
      }
      ptr = m->fb.data + off;
      len = size;
    }
    if (ptr != NULL) {
      if (len < bytes) {
        return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: buffer has %u bytes, needs %u",
                             index, (uint32_t)len, (uint32_t)bytes);
      }
      const uint32_t esize = eng_type_size((eng_type_t)type);
      const uint32_t need_align = esize >= 4 ? 4 : esize;
      if (need_align > 1 && ((uintptr_t)ptr % need_align) != 0) {
        return eng_set_error(
            err, ENG_ERR_MALFORMED, -1,
            "tensor %u: constant data misaligned (give the model 16-byte alignment)", index);
      }
      t->data = (void *)(uintptr_t)ptr;
      t->is_const = 1;
    }
  }
  return eng_model_quant(m, &tt, index, t, err, check);
}

/* Quantization of tensor `index` (table tt) into t; t->type, rank and dims are set. */
eng_status_t eng_model_quant(const eng_model_t *m, const fb_table_t *tt, uint32_t index,
                             eng_tensor_t *t, eng_error_t *err, int check) {
  fb_table_t q;
  fb_vec_t scales, zps;
  const uint8_t type = t->type;
  int present;
  if (fb_table(tt, TENSOR_QUANT, &q, &present) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: quantization out of bounds",
                         index);
  }
  if (present) {
    int32_t qdim;
    if (fb_vector(&q, QUANT_SCALE, 4, &scales) != 0 ||
        fb_vector(&q, QUANT_ZERO_POINT, 8, &zps) != 0 || fb_i32(&q, QUANT_DIM, 0, &qdim) != 0) {
      return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: quantization out of bounds",
                           index);
    }
    if (scales.len > 0) {
      if (scales.len > 65535u || (zps.len != 0 && zps.len != scales.len)) {
        return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: %u scales vs %u zero points",
                             index, scales.len, zps.len);
      }
      /* TFLM does not check the axis of bias tensors (some models carry the filter's
       * axis there); kernels check what they use. */
      if (scales.len > 1 &&
          (qdim < 0 || (qdim < (int32_t)t->rank && (uint32_t)t->dims[qdim] != scales.len))) {
        return eng_set_error(err, ENG_ERR_MALFORMED, -1,
                             "tensor %u: per-channel dimension %d does not match %u scales", index,
                             qdim, scales.len);
      }
      for (uint32_t c = 0; check && c < scales.len; c++) {
        const float sc = fb_load_f32(m->fb.data + scales.pos + 4 * c);
        if (!(sc >= 0.0f) || sc > 3.0e38f) {
          return eng_set_error(err, ENG_ERR_MALFORMED, -1,
                               "tensor %u: scale %u is negative, infinite or NaN", index, c);
        }
      }
      /* Zero points of narrow types must fit the type (kernels add them in int32). */
      int32_t qmin = INT32_MIN, qmax = INT32_MAX;
      if (type == ENG_INT8) {
        qmin = -128;
        qmax = 127;
      } else if (type == ENG_UINT8) {
        qmin = 0;
        qmax = 255;
      } else if (type == ENG_INT16) {
        qmin = -32768;
        qmax = 32767;
      }
      for (uint32_t c = 0; check && c < zps.len; c++) {
        const int64_t zp = (int64_t)fb_load_u64(m->fb.data + zps.pos + 8 * c);
        if (zp < qmin || zp > qmax) {
          return eng_set_error(err, ENG_ERR_MALFORMED, -1,
                               "tensor %u: zero point %u out of range for %s", index, c,
                               eng_type_name((eng_type_t)type));
        }
      }
      t->quant_count = (uint16_t)scales.len;
      t->quant_dim = (int16_t)qdim;
      t->scales_raw = m->fb.data + scales.pos;
      t->zps_raw = zps.len > 0 ? m->fb.data + zps.pos : NULL;
      t->scale = fb_load_f32(t->scales_raw);
      if (t->zps_raw != NULL) {
        const int64_t zp = (int64_t)fb_load_u64(t->zps_raw);
        if (zp < INT32_MIN || zp > INT32_MAX) {
          return eng_set_error(err, ENG_ERR_MALFORMED, -1, "tensor %u: zero point out of range",
                               index);
        }
        t->zero_point = (int32_t)zp;
      }
    }
  }
  return ENG_OK;
}

/* Operator `index` of subgraph 0 (model already verified at create). */
int eng_model_op_table(const fb_buf_t *fb, uint32_t index, fb_table_t *op) {
  fb_table_t root, sg;
  fb_vec_t subgraphs, ops;
  if (fb_root(fb, &root) != 0 || fb_vector(&root, MODEL_SUBGRAPHS, 4, &subgraphs) != 0 ||
      fb_vec_table(&subgraphs, 0, &sg) != 0 || fb_vector(&sg, SG_OPERATORS, 4, &ops) != 0 ||
      fb_vec_table(&ops, index, op) != 0) {
    return -1;
  }
  return 0;
}

/* Custom options of an op table: in the flatbuffer, or (large models) at an offset after
 * it. 0 with *data = NULL when there are none; -1 when malformed. */
int eng_model_op_custom_options(const fb_buf_t *fb, const fb_table_t *op, const uint8_t **data,
                                uint32_t *len) {
  fb_vec_t copts;
  *data = NULL;
  *len = 0;
  if (fb_vector(op, OP_CUSTOM_OPTIONS, 1, &copts) != 0) {
    return -1;
  }
  if (copts.len > 0) {
    *data = fb->data + copts.pos;
    *len = copts.len;
    return 0;
  }
  uint64_t off, size;
  if (fb_u64(op, OP_LARGE_CUSTOM_OFFSET, 0, &off) != 0 ||
      fb_u64(op, OP_LARGE_CUSTOM_SIZE, 0, &size) != 0) {
    return -1;
  }
  if (off > 1) {
    if (off > fb->size || size > (uint64_t)fb->size - off) {
      return -2;
    }
    *data = fb->data + off;
    *len = (uint32_t)size;
  }
  return 0;
}

uint32_t eng_model_missing_ops(const uint8_t *model, size_t model_bytes, eng_kernel_set_t kernels,
                               char *names, uint32_t cap) {
  eng_model_t m;
  eng_error_t e;
  uint32_t count = 0, at = 0;
  if (cap > 0) {
    names[0] = '\0';
  }
  if (eng_model_open(model, model_bytes, &m, &e) != ENG_OK) {
    return 0;
  }
  for (uint32_t i = 0; i < m.ops.len; i++) {
    fb_table_t op;
    uint32_t opcode;
    int32_t builtin;
    const char *custom;
    uint32_t custom_len;
    if (fb_vec_table(&m.ops, i, &op) != 0 || fb_u32(&op, OP_OPCODE, 0, &opcode) != 0 ||
        opcode >= m.opcodes.len ||
        eng_model_opcode(&m.fb, &m.opcodes, opcode, &builtin, &custom, &custom_len) != 0) {
      return count;
    }
    if (eng_kernel_lookup(kernels, builtin, custom, custom_len) != NULL) {
      continue;
    }
    /* Report each missing op code once (first use decides). */
    int seen = 0;
    for (uint32_t j = 0; j < i && !seen; j++) {
      fb_table_t prev;
      uint32_t prev_code;
      if (fb_vec_table(&m.ops, j, &prev) == 0 && fb_u32(&prev, OP_OPCODE, 0, &prev_code) == 0 &&
          prev_code == opcode) {
        seen = 1;
      }
    }
    if (seen) {
      continue;
    }
    if (count > 0) {
      at = eng_format(names, cap, at, ",");
    }
    at = eng_model_op_name(names, cap, at, builtin, custom, custom_len);
    count++;
  }
  return count;
}
