/* mul.c – optimized MUL, int8, bit-exact with the reference: broadcasting as flat runs
 * (opt_elementwise.h), the product requantized with one SMMULR and a branch-free rounding
 * shift. float32, int32 and multipliers needing a left shift > 14 run the reference. */

#include <stddef.h>
#include <stdint.h>

#include "broadcast.h"
#include "kernel.h"
#include "opt_common.h"
#include "opt_elementwise.h"
#include "quant.h"

extern const eng_kernel_t eng_kernel_mul_ref;

typedef struct mul_opt {
  eng_opt_elementwise_t ew;
  int32_t mult, pre; /* pre = TFLM left shift + 1 (the SMMULR doubling) */
  int32_t e, round, neg;
} mul_opt_t;
_Static_assert(offsetof(mul_opt_t, ew) == 0, "eng_opt_elementwise_prepare fills the first member");

static eng_status_t mul_prepare(eng_node_t *node) {
  const eng_tensor_t *a, *b, *out;
  eng_status_t st;
  mul_opt_t *op =
      eng_opt_elementwise_prepare(node, &eng_kernel_mul_ref, sizeof *op, &a, &b, &out, &st);
  if (op == NULL) {
    return st;
  }
  int32_t shift;
  eng_quantize_multiplier((double)a->scale * (double)b->scale / (double)out->scale, &op->mult,
                          &shift);
  /* |(x + off1) * (y + off2)| <= 255 * 255 < 2^16: with a left shift <= 14 the doubled
   * product stays below 2^31, so SRDHM(p << left, m) = SMMULR(p << (left + 1), m). */
  const int32_t left = shift > 0 ? shift : 0;
  int32_t e = shift > 0 ? 0 : -shift;
  if (left > 14 || op->mult < 0) {
    return ENG_OK;
  }
  e = e > 31 ? 31 : e; /* as RoundingDivideByPOT clamps */
  op->pre = left + 1;
  op->e = e;
  op->round = e > 0 ? (int32_t)(1u << (e - 1)) : 0;
  op->neg = e > 0 ? -1 : 0;
  op->ew.fast = 1;
  return ENG_OK;
}

ENG_OPT_INLINE int8_t mul_one(const mul_opt_t *op, int32_t x, int32_t y) {
  const int32_t p = x * y; /* offsets already added */
  const int32_t v = eng_smmulr((int32_t)((uint32_t)p << op->pre), op->mult);
  int32_t r = ((v + op->round + ((v >> 31) & op->neg)) >> op->e) + op->ew.out_off;
  r = r < op->ew.act_min ? op->ew.act_min : r;
  return (int8_t)(r > op->ew.act_max ? op->ew.act_max : r);
}

/* One run; sa/sb are constants at every call site (one loop per case). */
ENG_OPT_INLINE void mul_run(const mul_opt_t *op, const int8_t *a, const int8_t *b, int8_t *y,
                            uint32_t n, const int sa, const int sb) {
  if (!sa) {
    const int32_t xa = *a + op->ew.off1;
    for (uint32_t i = 0; i < n; i++) y[i] = mul_one(op, xa, b[sb ? i : 0] + op->ew.off2);
  } else if (!sb) {
    const int32_t xb = *b + op->ew.off2;
    for (uint32_t i = 0; i < n; i++) y[i] = mul_one(op, a[i] + op->ew.off1, xb);
  } else {
    for (uint32_t i = 0; i < n; i++) y[i] = mul_one(op, a[i] + op->ew.off1, b[i] + op->ew.off2);
  }
}

static void mul_s8(const mul_opt_t *op, const int8_t *a, const int8_t *b, int8_t *y) {
  ENG_OPT_BC_RUNS(&op->ew.bc, mul_run, op, a, b, y);
}

static eng_status_t mul_eval(eng_node_t *node) {
  mul_opt_t *op = node->user_data;
  if (!op->ew.fast) return eng_opt_eval_ref(node, &eng_kernel_mul_ref, op->ew.ref_data);
  mul_s8(op, eng_input(node, 0)->data, eng_input(node, 1)->data, eng_output(node, 0)->data);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_mul_opt = {ENG_OP_MUL, NULL, eng_parse_mul_options, mul_prepare,
                                         mul_eval};
