/* fully_connected.c – optimized FULLY_CONNECTED: int8 rows with SMLAD over the model's int8
 * weight rows, the input offset added while the input bytes are sign-extended (SXTAB16)
 * once for four outputs (two in size-optimized builds and for the last rows), the fast
 * exact requantization (opt_common.h); bit-exact with the reference. Float32,
 * weight zero points and ops outside the fast requantization run the reference code path.
 *
 * Arena: per-tensor weights (the usual case) keep 16 bytes of op data beside the
 * reference's (the bias is read from the model, the multiplier is one value); only
 * per-channel weights keep a table of 9 bytes per output. No scratch. */

#include "kernel.h"
#include <stddef.h>

#include "opt_common.h"
#include "quant.h"

extern const eng_kernel_t eng_kernel_fully_connected_ref;

/* Four outputs per pass (fc_quads): DSP builds not optimized for size (the F413's -Os
 * build keeps the row pairs). */
#if ENG_OPT_DSP && !defined(__OPTIMIZE_SIZE__)
#define FC_QUADS 1
#else
#define FC_QUADS 0
#endif

enum { FC_REF = 0, FC_FAST_TENSOR = 1, FC_FAST_CHANNEL = 2 };

typedef struct fc_opt {
  void *ref_data; /* the reference kernel's op data (fallback) */
  int32_t mult;   /* per-tensor TFLM multiplier */
  int8_t shift;   /* per-tensor fast shift (e - 1) */
  int8_t in_zp;
  int8_t act_min, act_max;
  int16_t k; /* 2 * output zero point + 1 */
  uint8_t mode;
  uint8_t sat;
} fc_opt_t;
_Static_assert(offsetof(fc_opt_t, ref_data) == 0, "eng_opt_prepare_ref fills the first member");

/* Per-channel weights: raw bias and TFLM multiplier per output, fast shifts beside. */
typedef struct fc_opt_channel {
  fc_opt_t base;
  eng_opt_ch_t *ch;
  int8_t *shift;
} fc_opt_channel_t;

/* The fast shift e - 1 of one output when the fast form is exact for it (|acc| < 2^30
 * for any int8 input: the proof of eng_opt_make_fast; a zero
 * multiplier needs none and gets e - 1 = 0), else -1. */
static int32_t fast_shift(int32_t mult, int32_t tflm_shift, int32_t bias, const int8_t *w,
                          uint32_t depth, int64_t max_in) {
  const int32_t e = -tflm_shift;
  if (mult == 0) {
    return 0; /* SRDHM(acc, 0) = 0 for any acc: the output is the zero point */
  }
  if (mult < 0 || e < 1 || e > 31) {
    return -1;
  }
  int64_t bound = bias < 0 ? -(int64_t)bias : (int64_t)bias;
  for (uint32_t k = 0; k < depth; k++) {
    const int32_t v = w[k];
    bound += (v < 0 ? -v : v) * max_in;
  }
  if (bound > (INT64_C(1) << 30) - 1) {
    return -1;
  }
  return e - 1;
}

static eng_status_t fc_prepare(eng_node_t *node) {
  const eng_tensor_t *w = eng_input(node, 1);
  const int per_channel = w != NULL && w->quant_count > 1;
  /* The reference prepare validates exactly as TFLM and builds its own op data; keep it
   * for the fallback and for float32. */
  eng_status_t st;
  fc_opt_t *op =
      eng_opt_prepare_ref(node, &eng_kernel_fully_connected_ref,
                          per_channel ? sizeof(fc_opt_channel_t) : sizeof(fc_opt_t), &st);
  if (op == NULL) {
    return st;
  }
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *bias = eng_input(node, 2);
  const eng_tensor_t *out = eng_output(node, 0);
  if (in->type != ENG_INT8 || w->zero_point != 0 || !w->is_const ||
      (bias != NULL && !bias->is_const)) {
    return ENG_OK;
  }
  int32_t act_min, act_max;
  if (eng_activation_range_quantized(node->options->fc.activation, ENG_INT8, out->scale,
                                     out->zero_point, &act_min, &act_max) != ENG_OK) {
    return ENG_OK;
  }
  const uint32_t n = (uint32_t)w->dims[0], depth = (uint32_t)w->dims[1];
  const int32_t *b = bias != NULL ? (const int32_t *)bias->data : NULL;
  const int64_t max_in =
      in->zero_point >= 0 ? 128 + (int64_t)in->zero_point : 127 - (int64_t)in->zero_point;
  const int8_t *wd = w->data;
  if (per_channel) {
    fc_opt_channel_t *pc = (fc_opt_channel_t *)op;
    eng_opt_ch_t *t = eng_alloc_persistent(node, (size_t)n * sizeof *t);
    int8_t *sh = eng_alloc_persistent(node, n);
    if (t == NULL || sh == NULL) {
      return eng_fail(node, ENG_ERR_ARENA, "channel table");
    }
    for (uint32_t c = 0; c < n; c++) {
      /* The multipliers exactly as the reference computes them. */
      const double real = (double)in->scale * (double)eng_channel_scale(w, c) / (double)out->scale;
      int32_t shift;
      eng_quantize_multiplier(real, &t[c].mult, &shift);
      t[c].bias = b != NULL ? b[c] : 0;
      const int32_t s =
          fast_shift(t[c].mult, eng_opt_shift8(shift), t[c].bias, wd + c * depth, depth, max_in);
      if (s < 0) {
        return ENG_OK;
      }
      sh[c] = (int8_t)s;
    }
    pc->ch = t;
    pc->shift = sh;
    op->mode = FC_FAST_CHANNEL;
  } else {
    int32_t m0 = 0, s0 = 0;
    eng_quantize_multiplier(eng_conv_real_multiplier(in->scale, w->scale, out->scale), &m0, &s0);
    int32_t s = 0;
    for (uint32_t c = 0; c < n && s >= 0; c++) {
      s = fast_shift(m0, eng_opt_shift8(s0), b != NULL ? b[c] : 0, wd + c * depth, depth, max_in);
    }
    if (s < 0) {
      return ENG_OK;
    }
    op->mult = m0;
    op->shift = (int8_t)s;
    op->mode = FC_FAST_TENSOR;
  }
  op->in_zp = (int8_t)in->zero_point;
  op->act_min = (int8_t)act_min;
  op->act_max = (int8_t)act_max;
  op->k = (int16_t)(2 * out->zero_point + 1);
  op->sat = act_min == -128 && act_max == 127 && out->zero_point == -128;
  return ENG_OK;
}

/* Outputs c0 and c1 of one row (c1 may equal c0): SMLAD of the offset input lanes
 * (x - input_zp, SXTAB16) with the sign-extended weight lanes, 4 taps per step. */
ENG_OPT_INLINE void fc_pair(const int8_t *x, const int8_t *w0, const int8_t *w1, uint32_t depth,
                            uint32_t negzp, int32_t *acc0, int32_t *acc1) {
  int32_t a0 = *acc0, a1 = *acc1;
  const uint32_t groups = depth >> 2;
  const int8_t *xp = x, *p0 = w0, *p1 = w1;
  for (uint32_t i = groups; i != 0; i--, xp += 4, p0 += 4, p1 += 4) {
    const uint32_t xv = eng_ld32(xp);
    const uint32_t xe = eng_sxtab16(negzp, xv), xo = eng_sxtab16_ror8(negzp, xv);
    const uint32_t v0 = eng_ld32(p0), v1 = eng_ld32(p1);
    a0 = eng_smlad(xo, eng_sxtb16_ror8(v0), eng_smlad(xe, eng_sxtb16(v0), a0));
    a1 = eng_smlad(xo, eng_sxtb16_ror8(v1), eng_smlad(xe, eng_sxtb16(v1), a1));
  }
  const int32_t zp = -(int32_t)(int16_t)(uint16_t)negzp;
  for (uint32_t t = groups << 2; t < depth; t++) {
    const int32_t xv = (int32_t)x[t] - zp;
    a0 = (int32_t)((uint32_t)a0 + (uint32_t)(xv * w0[t]));
    a1 = (int32_t)((uint32_t)a1 + (uint32_t)(xv * w1[t]));
  }
  *acc0 = a0;
  *acc1 = a1;
}

#if FC_QUADS
/* Outputs 0 .. 4 * quads - 1 of one row, four at a time: per four taps the input word
 * is offset and widened once (SXTAB16) for the four weight rows (LDR, two SXTB16, two
 * SMLADs each), 23 instructions per 16 MACs where a row pair took 13 per 8; the loop
 * runs four groups per pass (the groups % 4 first, one at a time). Fourteen registers:
 * asm, in a function of its own (inlined into fc_eval, GCC found no registers for it). */
// clang-format off
#define FC_ROW(a)                                     \
  "sxtb16 %[wo], %[w], ror #8\n\t"                    \
  "sxtb16 %[w], %[w]\n\t"                             \
  "smlad %[" #a "], %[xv], %[w], %[" #a "]\n\t"        \
  "smlad %[" #a "], %[xo], %[wo], %[" #a "]\n\t"
#define FC_GROUP                                      \
  "ldr %[xv], [%[xp]], #4\n\t"                        \
  "ldr %[w], [%[wp0], %[d]]\n\t"                      \
  "sxtab16 %[xo], %[nz], %[xv], ror #8\n\t"            \
  "sxtab16 %[xv], %[nz], %[xv]\n\t"                   \
  FC_ROW(a1)                                          \
  "ldr %[w], [%[wp0]], #4\n\t"                        \
  FC_ROW(a0)                                          \
  "ldr %[w], [%[wp2], %[d]]\n\t"                      \
  FC_ROW(a3)                                          \
  "ldr %[w], [%[wp2]], #4\n\t"                        \
  FC_ROW(a2)
#define FC_OPERANDS                                                                   \
  [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [xp] "+r"(xp),          \
  [wp0] "+r"(wp0), [wp2] "+r"(wp2), [xv] "=&r"(xv), [xo] "=&r"(xo), [w] "=&r"(w),     \
  [wo] "=&r"(wo), [d] "+r"(d), [nz] "+r"(nz)
// clang-format on
ENG_OPT_INLINE void fc_quads_impl(const fc_opt_t *op, const int8_t *x, const int8_t *wd,
                                  const int32_t *b, uint32_t quads, uint32_t depth, uint32_t negzp,
                                  const eng_opt_out_t *o, int8_t *y, const int per_channel,
                                  const int sat) {
  const fc_opt_channel_t *pc = (const fc_opt_channel_t *)op;
  const eng_opt_ch_t tensor_ch = {0, op->mult};
  const uint32_t groups = depth >> 2;
  const int32_t zp = -(int32_t)(int16_t)(uint16_t)negzp;
  for (uint32_t c = 0; c < 4 * quads; c += 4, wd += 4 * (size_t)depth) {
    int32_t a0, a1, a2, a3;
    if (per_channel) {
      a0 = pc->ch[c].bias;
      a1 = pc->ch[c + 1].bias;
      a2 = pc->ch[c + 2].bias;
      a3 = pc->ch[c + 3].bias;
    } else if (b != NULL) {
      a0 = b[c];
      a1 = b[c + 1];
      a2 = b[c + 2];
      a3 = b[c + 3];
    } else {
      a0 = a1 = a2 = a3 = 0;
    }
    const int8_t *xp = x, *wp0 = wd, *wp2 = wd + 2 * (size_t)depth;
    /* depth and the offset as in-out operands: as plain inputs GCC found no 14 registers */
    uint32_t xv, xo, w, wo, d = depth, nz = negzp;
    for (uint32_t r = groups & 3; r != 0; r--) {
      __asm__ volatile(FC_GROUP:FC_OPERANDS : : "memory");
    }
    uint32_t n = groups >> 2;
    if (n != 0) {
      __asm__ volatile("1:\n\t" FC_GROUP FC_GROUP FC_GROUP FC_GROUP
                       "subs %[n], %[n], #1\n\t"
                       "bne 1b\n\t"
                       : FC_OPERANDS, [n] "+r"(n)
                       :
                       : "cc", "memory");
    }
    for (uint32_t t = groups << 2; t < depth; t++) {
      const int32_t xt = (int32_t)x[t] - zp;
      a0 = (int32_t)((uint32_t)a0 + (uint32_t)(xt * wd[t]));
      a1 = (int32_t)((uint32_t)a1 + (uint32_t)(xt * wd[depth + t]));
      a2 = (int32_t)((uint32_t)a2 + (uint32_t)(xt * wd[2 * depth + t]));
      a3 = (int32_t)((uint32_t)a3 + (uint32_t)(xt * wd[3 * depth + t]));
    }
    const int32_t acc0 = (int32_t)((uint32_t)a0 << 1), acc1 = (int32_t)((uint32_t)a1 << 1);
    const int32_t acc2 = (int32_t)((uint32_t)a2 << 1), acc3 = (int32_t)((uint32_t)a3 << 1);
    if (per_channel) {
      y[c] = eng_opt_requant(acc0, &pc->ch[c], pc->shift[c], o, sat);
      y[c + 1] = eng_opt_requant(acc1, &pc->ch[c + 1], pc->shift[c + 1], o, sat);
      y[c + 2] = eng_opt_requant(acc2, &pc->ch[c + 2], pc->shift[c + 2], o, sat);
      y[c + 3] = eng_opt_requant(acc3, &pc->ch[c + 3], pc->shift[c + 3], o, sat);
    } else {
      y[c] = eng_opt_requant(acc0, &tensor_ch, op->shift, o, sat);
      y[c + 1] = eng_opt_requant(acc1, &tensor_ch, op->shift, o, sat);
      y[c + 2] = eng_opt_requant(acc2, &tensor_ch, op->shift, o, sat);
      y[c + 3] = eng_opt_requant(acc3, &tensor_ch, op->shift, o, sat);
    }
  }
}
#undef FC_ROW
#undef FC_GROUP
#undef FC_OPERANDS

/* The four instantiations (per_channel and sat constant in each). */
__attribute__((noinline)) static void fc_quads(const fc_opt_t *op, const int8_t *x,
                                               const int8_t *wd, const int32_t *b, uint32_t quads,
                                               uint32_t depth, uint32_t negzp,
                                               const eng_opt_out_t *o, int8_t *y) {
  const int per_channel = op->mode == FC_FAST_CHANNEL;
  if (per_channel) {
    if (o->sat) {
      fc_quads_impl(op, x, wd, b, quads, depth, negzp, o, y, 1, 1);
    } else {
      fc_quads_impl(op, x, wd, b, quads, depth, negzp, o, y, 1, 0);
    }
  } else if (o->sat) {
    fc_quads_impl(op, x, wd, b, quads, depth, negzp, o, y, 0, 1);
  } else {
    fc_quads_impl(op, x, wd, b, quads, depth, negzp, o, y, 0, 0);
  }
}
#endif

/* Rows of the output: every dimension but the last (eng_tensor_elements / n, inline). */
static inline uint32_t fc_rows(const eng_tensor_t *out) {
  if (out->rank == 2) {
    return (uint32_t)out->dims[0];
  }
  uint32_t rows = 1;
  for (int32_t d = 0; d + 1 < (int32_t)out->rank; d++) {
    rows *= (uint32_t)out->dims[d];
  }
  return rows;
}

/* One row of outputs; per_channel and sat are constants in each instantiation. The
 * requantization reads only the channel's multiplier (the bias is in the accumulator). */
ENG_OPT_INLINE void fc_row(const fc_opt_t *op, const int8_t *x, const int8_t *wd, const int32_t *b,
                           uint32_t n, uint32_t depth, uint32_t negzp, const eng_opt_out_t *o,
                           int8_t *y, const int per_channel, const int sat) {
  const fc_opt_channel_t *pc = (const fc_opt_channel_t *)op;
  const eng_opt_ch_t tensor_ch = {0, op->mult};
  uint32_t c = 0;
#if FC_QUADS
  if (depth >= 4 && n >= 4) {
    fc_quads(op, x, wd, b, n >> 2, depth, negzp, o, y);
    c = n & ~3u;
  }
#endif
  for (; c < n; c += 2) {
    const uint32_t c1 = c + 1 < n ? c + 1 : c;
    int32_t a0, a1;
    if (per_channel) {
      a0 = pc->ch[c].bias;
      a1 = pc->ch[c1].bias;
    } else {
      a0 = b != NULL ? b[c] : 0;
      a1 = b != NULL ? b[c1] : 0;
    }
    fc_pair(x, wd + (size_t)c * depth, wd + (size_t)c1 * depth, depth, negzp, &a0, &a1);
    const int32_t acc0 = (int32_t)((uint32_t)a0 << 1), acc1 = (int32_t)((uint32_t)a1 << 1);
    if (per_channel) {
      y[c] = eng_opt_requant(acc0, &pc->ch[c], pc->shift[c], o, sat);
      y[c1] = eng_opt_requant(acc1, &pc->ch[c1], pc->shift[c1], o, sat);
    } else {
      y[c] = eng_opt_requant(acc0, &tensor_ch, op->shift, o, sat);
      y[c1] = eng_opt_requant(acc1, &tensor_ch, op->shift, o, sat);
    }
  }
}

static eng_status_t fc_eval(eng_node_t *node) {
  const fc_opt_t *op = node->user_data;
  if (op->mode == FC_REF) {
    return eng_opt_eval_ref(node, &eng_kernel_fully_connected_ref, op->ref_data);
  }
  const eng_tensor_t *w = eng_input(node, 1);
  const eng_tensor_t *bias = eng_input(node, 2);
  const int8_t *x = eng_input(node, 0)->data;
  eng_tensor_t *out = eng_output(node, 0);
  int8_t *y = out->data;
  const uint32_t n = (uint32_t)w->dims[0], depth = (uint32_t)w->dims[1];
  const uint32_t batches = fc_rows(out);
  const int8_t *wd = w->data;
  const int32_t *b = bias != NULL ? bias->data : NULL;
  const eng_opt_out_t o = {op->act_min, op->act_max, op->k, op->sat};
  const uint32_t negzp = eng_pair(-(int32_t)op->in_zp, -(int32_t)op->in_zp);
  const int per_channel = op->mode == FC_FAST_CHANNEL;
  for (uint32_t row = 0; row < batches; row++, x += depth, y += n) {
    if (per_channel) {
      if (o.sat) {
        fc_row(op, x, wd, b, n, depth, negzp, &o, y, 1, 1);
      } else {
        fc_row(op, x, wd, b, n, depth, negzp, &o, y, 1, 0);
      }
    } else if (o.sat) {
      fc_row(op, x, wd, b, n, depth, negzp, &o, y, 0, 1);
    } else {
      fc_row(op, x, wd, b, n, depth, negzp, &o, y, 0, 0);
    }
  }
  return ENG_OK;
}

const eng_kernel_t eng_kernel_fully_connected_opt = {ENG_OP_FULLY_CONNECTED, NULL,
                                                     eng_parse_fc_options, fc_prepare, fc_eval};
