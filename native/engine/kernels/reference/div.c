/*
 * div.c – DIV, element-wise with broadcasting, TFLM reference semantics for float32 and
 * int32 (C division truncating toward zero, then the fused activation's clamp).
 * Quantized int8 DIV is not implemented (no model here uses it).
 */
#include <stddef.h>

#include "broadcast.h"
#include "kernel.h"
#include "quant.h"

typedef struct {
  eng_bcast_t bcast;
  uint8_t type;
  uint8_t scalar2;          /* eng_bcast_scalar_b */
  int32_t act_min, act_max; /* int32 */
  float fact_min, fact_max; /* float32 */
} div_data_t;
_Static_assert(offsetof(div_data_t, bcast) == 0, "eng_bcast_prepare initialises the first member");

static eng_status_t div_prepare(eng_node_t *node) {
  if (eng_num_inputs(node) != 2 || eng_num_outputs(node) != 1) {
    return eng_fail(node, ENG_ERR_SHAPE, "expects 2 inputs and 1 output");
  }
  const eng_tensor_t *a, *b, *out;
  eng_status_t st;
  div_data_t *d = eng_bcast_prepare(node, sizeof *d, &a, &b, &out, &st);
  if (d == NULL) {
    return st;
  }
  if (out->type != ENG_FLOAT32 && out->type != ENG_INT32) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "type %s (float32 and int32 only)",
                    eng_type_name((eng_type_t)out->type));
  }
  if (out->type == ENG_INT32 && (a->quant_count || b->quant_count)) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "quantized int32 inputs");
  }
  const eng_activation_t act =
      node->options != NULL ? node->options->arith.activation : ENG_ACT_NONE;
  d->type = out->type;
  d->scalar2 = (uint8_t)eng_bcast_scalar_b(&d->bcast, a, b);
  eng_activation_range_int32(act, &d->act_min, &d->act_max);
  eng_activation_range_float(act, &d->fact_min, &d->fact_max);
  node->user_data = d;
  return ENG_OK;
}

static inline int32_t idiv(int32_t x, int32_t y) {
  /* INT32_MIN / -1 overflows (it traps on x86); wrap it instead. */
  return y == -1 ? (int32_t)(0u - (uint32_t)x) : x / y;
}

static eng_status_t div_eval(eng_node_t *node) {
  const div_data_t *d = node->user_data;
  const eng_bcast_t *p = &d->bcast;
  const void *a = eng_input(node, 0)->data;
  const void *b = eng_input(node, 1)->data;
  void *out = eng_output(node, 0)->data;
  eng_bcast_iter_t it;
  eng_bcast_begin(&it);
  if (d->type == ENG_FLOAT32) {
    const float *x = a, *y = b;
    float *z = out;
    for (uint32_t i = 0; i < p->count; ++i) {
      z[i] = eng_clampf(x[it.ia] / y[it.ib], d->fact_min, d->fact_max);
      eng_bcast_next(p, &it);
    }
    return ENG_OK;
  }
  const int32_t *x = a, *y = b;
  int32_t *z = out;
  if (d->scalar2) {
    const int32_t s = y[0];
    if (s == 0) {
      return eng_fail(node, ENG_ERR_KERNEL, "integer division by zero");
    }
    for (uint32_t i = 0; i < p->count; ++i) {
      z[i] = eng_clamp32(idiv(x[i], s), d->act_min, d->act_max);
    }
    return ENG_OK;
  }
  for (uint32_t i = 0; i < p->count; ++i) {
    const int32_t v = y[it.ib];
    if (v == 0) {
      return eng_fail(node, ENG_ERR_KERNEL, "integer division by zero");
    }
    z[i] = eng_clamp32(idiv(x[it.ia], v), d->act_min, d->act_max);
    eng_bcast_next(p, &it);
  }
  return ENG_OK;
}

static eng_status_t parse_div_options(eng_node_t *node, eng_options_reader_t *r,
                                      eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 29); /* DivOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->arith.activation = (eng_activation_t)eng_option_i8(r, 0, 0);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_div_ref = {ENG_OP_DIV, NULL, parse_div_options, div_prepare,
                                         div_eval};
