/* softmax.c – optimized SOFTMAX, int8 -> int8, bit-exact with the reference: one inline
 * exp per element (kept in planner scratch for the output pass instead of recomputed),
 * gemmlowp fixed point with the integer bits folded in. float32 runs the reference. */

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "opt_common.h"
#include "quant.h"

extern const eng_kernel_t eng_kernel_softmax_ref;

#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUM_INTEGER_BITS       12

typedef struct softmax_opt {
  void *ref_data; /* the reference kernel's op data (float32) */
  int32_t fast;
  uint32_t outer, depth;
  int32_t mult, left_shift, diff_min;
  int32_t scratch;
} softmax_opt_t;
_Static_assert(offsetof(softmax_opt_t, ref_data) == 0,
               "eng_opt_prepare_ref fills the first member");

static eng_status_t softmax_prepare(eng_node_t *node) {
  eng_status_t st;
  softmax_opt_t *op =
      eng_opt_prepare_ref(node, &eng_kernel_softmax_ref, sizeof *op, &st); /* validates like TFLM */
  if (op == NULL) {
    return st;
  }
  const eng_tensor_t *in = eng_input(node, 0);
  if (in->type != ENG_INT8) {
    return ENG_OK;
  }
  /* The reference's parameters, computed the same way (it accepted them). */
  op->depth = (uint32_t)eng_dim(in, -1);
  op->outer = op->depth ? eng_tensor_elements(in) / op->depth : 0;
  double real = (double)node->options->softmax.beta * (double)in->scale *
                (double)(1 << (31 - SCALED_DIFF_INTEGER_BITS));
  const double max_real = (double)((1LL << 31) - 1);
  if (real > max_real) {
    real = max_real;
  }
  eng_quantize_multiplier(real, &op->mult, &op->left_shift);
  op->diff_min = -eng_input_radius(SCALED_DIFF_INTEGER_BITS, op->left_shift, 31);
  /* Every admitted diff d (diff_min <= d <= 0) has |d| * 2^left_shift < 2^31 (that is
   * what the input radius means), so the shifted value below never wraps. */
  if (op->depth == 0 || op->left_shift > 31) {
    return ENG_OK; /* empty, or a multiplier that rounded up to 2^31: reference code */
  }
  op->fast = 1;
  return eng_request_scratch(node, (size_t)op->depth * sizeof(int32_t), &op->scratch);
}

static void softmax_s8(const softmax_opt_t *op, int32_t *exps, const int8_t *x, int8_t *y) {
  const uint32_t depth = op->depth;
  const int32_t mult = op->mult, ls = op->left_shift, diff_min = op->diff_min;
  for (uint32_t row = 0; row < op->outer; row++, x += depth, y += depth) {
    int32_t max = -128;
    for (uint32_t c = 0; c < depth; c++) {
      max = x[c] > max ? x[c] : max;
    }
    uint32_t sum = 0; /* Q12.19, wrapping like the reference */
    for (uint32_t c = 0; c < depth; c++) {
      const int32_t diff = (int32_t)x[c] - max;
      int32_t e = -1; /* below diff_min: contributes nothing, outputs -128 */
      if (diff >= diff_min) {
        const int32_t scaled = eng_opt_srdhm((int32_t)((uint32_t)diff << ls), mult);
        e = eng_opt_exp_q5(scaled);
        /* Rescale<0 -> 12> = RoundingDivideByPOT(e, 12) of e >= 0 */
        sum += (uint32_t)((e >> 12) + ((e >> 11) & 1));
      }
      exps[c] = e;
    }
    int32_t num_bits_over_unit;
    const int32_t scale = eng_q31_reciprocal((int32_t)sum, ACCUM_INTEGER_BITS, &num_bits_over_unit);
    int32_t exponent = num_bits_over_unit + 31 - 8;
    exponent = exponent > 31 ? 31 : exponent;
    for (uint32_t c = 0; c < depth; c++) {
      const int32_t e = exps[c];
      if (e < 0) {
        y[c] = -128;
        continue;
      }
      /* scale > 0 and e >= 0: the product is >= 0, rounding is half up */
      const int32_t v = eng_opt_srdhm(scale, e);
      const int32_t unsat = exponent > 0 ? (v >> exponent) + ((v >> (exponent - 1)) & 1) : v;
      const int32_t q = unsat - 128;
      y[c] = (int8_t)(q > 127 ? 127 : q);
    }
  }
}

static eng_status_t softmax_eval(eng_node_t *node) {
  softmax_opt_t *op = node->user_data;
  if (!op->fast) return eng_opt_eval_ref(node, &eng_kernel_softmax_ref, op->ref_data);
  softmax_s8(op, eng_scratch(node, op->scratch), eng_input(node, 0)->data,
             eng_output(node, 0)->data);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_softmax_opt = {ENG_OP_SOFTMAX, NULL, eng_parse_softmax_options,
                                             softmax_prepare, softmax_eval};
