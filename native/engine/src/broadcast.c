/*
 * broadcast.c – shape checks and strides for broadcasting binary ops (see broadcast.h).
 */
#include "broadcast.h"

#include "quant.h"

eng_status_t eng_bcast_init(eng_node_t *node, eng_bcast_t *bc, const eng_tensor_t *a,
                            const eng_tensor_t *b, const eng_tensor_t *out) {
  const uint32_t rank = out->rank > 0 ? out->rank : 1;
  if (a->rank > rank || b->rank > rank) {
    return eng_fail(node, ENG_ERR_SHAPE, "input rank exceeds output rank");
  }
  bc->rank = rank;
  bc->count = eng_tensor_elements(out);
  bc->same_shape = eng_same_shape(a, out) && eng_same_shape(b, out);
  int32_t as = 1, bs = 1;
  for (int32_t d = (int32_t)rank - 1; d >= 0; d--) {
    const int32_t od = out->rank > 0 ? out->dims[d] : 1;
    const int32_t k = (int32_t)rank - 1 - d; /* position from the right */
    const int32_t ad = k < (int32_t)a->rank ? a->dims[a->rank - 1 - k] : 1;
    const int32_t bd = k < (int32_t)b->rank ? b->dims[b->rank - 1 - k] : 1;
    const int32_t expect = ad == 1 ? bd : ad;
    if ((ad != 1 && bd != 1 && ad != bd) || expect != od) {
      return eng_fail(node, ENG_ERR_SHAPE,
                      "shapes do not broadcast to the output (dim %d: %d, %d -> %d)", d, ad, bd,
                      od);
    }
    bc->dims[d] = od;
    bc->a_stride[d] = ad == 1 ? 0 : as;
    bc->b_stride[d] = bd == 1 ? 0 : bs;
    as *= ad;
    bs *= bd;
  }
  return ENG_OK;
}

void *eng_bcast_prepare(eng_node_t *node, size_t bytes, const eng_tensor_t **a,
                        const eng_tensor_t **b, const eng_tensor_t **out, eng_status_t *st) {
  *a = eng_input(node, 0);
  *b = eng_input(node, 1);
  *out = eng_output(node, 0);
  if (*a == NULL || *b == NULL || *out == NULL) {
    *st = eng_fail(node, ENG_ERR_SHAPE, "needs two inputs and an output");
    return NULL;
  }
  if ((*a)->type != (*out)->type || (*b)->type != (*out)->type) {
    *st = eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "inputs %s, %s must match output %s",
                   eng_type_name((eng_type_t)(*a)->type), eng_type_name((eng_type_t)(*b)->type),
                   eng_type_name((eng_type_t)(*out)->type));
    return NULL;
  }
  eng_bcast_t *bc = eng_alloc_persistent(node, bytes);
  if (bc == NULL) {
    *st = eng_fail(node, ENG_ERR_ARENA, "op data");
    return NULL;
  }
  *st = eng_bcast_init(node, bc, *a, *b, *out);
  return *st == ENG_OK ? bc : NULL;
}

eng_status_t eng_bcast_q8_prepare(eng_node_t *node, const eng_tensor_t *a, const eng_tensor_t *b,
                                  const eng_tensor_t *out, eng_activation_t act,
                                  eng_bcast_q8_t *q) {
  if (a->quant_count == 0 || b->quant_count == 0 || out->quant_count == 0) {
    return eng_fail(node, ENG_ERR_MALFORMED, "int8 tensors need quantization parameters");
  }
  q->in1_offset = -a->zero_point;
  q->in2_offset = -b->zero_point;
  q->out_offset = out->zero_point;
  if (eng_activation_range_quantized(act, ENG_INT8, out->scale, out->zero_point, &q->act_min,
                                     &q->act_max) != ENG_OK) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "activation %d", (int32_t)act);
  }
  return ENG_OK;
}

void *eng_bcast_arith_prepare(eng_node_t *node, size_t bytes, const eng_tensor_t **a,
                              const eng_tensor_t **b, const eng_tensor_t **out, eng_status_t *st) {
  eng_bcast_arith_t *d = eng_bcast_prepare(node, bytes, a, b, out, st);
  if (d == NULL) {
    return NULL;
  }
  const eng_activation_t act = node->options->arith.activation;
  switch ((*out)->type) {
    case ENG_FLOAT32: eng_activation_range_float(act, &d->fmin, &d->fmax); break;
    case ENG_INT32: break;
    case ENG_INT8: *st = eng_bcast_q8_prepare(node, *a, *b, *out, act, &d->q); break;
    default: *st = eng_fail_type(node, *out); break;
  }
  return *st == ENG_OK ? d : NULL;
}

int eng_bcast_scalar_b(const eng_bcast_t *bc, const eng_tensor_t *a, const eng_tensor_t *b) {
  return !bc->same_shape && eng_tensor_elements(b) == 1 && eng_tensor_elements(a) == bc->count;
}
