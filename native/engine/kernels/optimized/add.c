/* add.c – optimized ADD, int8, bit-exact with the reference: broadcasting as flat runs
 * (opt_elementwise.h), each operand's rescale as one SMMULR plus a branch-free
 * rounding shift, a repeated (broadcast) operand rescaled once per run.
 * float32 and int32 run the reference kernel. */

#include <stddef.h>
#include <stdint.h>

#include "broadcast.h"
#include "kernel.h"
#include "opt_common.h"
#include "opt_elementwise.h"
#include "quant.h"

extern const eng_kernel_t eng_kernel_add_ref;

#define LEFT_SHIFT    20
/* Elements from which a plain add builds its rescale tables. */
#define ADD_TABLE_MIN 1024

/* One rescale x -> RoundingDivideByPOT(SRDHM(x, mult), e), e = -TFLM shift >= 0. */
typedef struct rescale {
  int32_t mult, e, round, neg; /* round = 2^(e-1) (0 for e = 0), neg = -1 when e > 0 */
} rescale_t;

typedef struct add_opt {
  eng_opt_elementwise_t ew;
  rescale_t r1, r2, ro;
  int32_t tables; /* scratch index + 1 of the two 256-entry rescale tables; 0: none */
} add_opt_t;
_Static_assert(offsetof(add_opt_t, ew) == 0, "eng_opt_elementwise_prepare fills the first member");

static void make_rescale(rescale_t *r, int32_t mult, int32_t shift) {
  int32_t e = -shift;
  e = e > 31 ? 31 : e; /* as RoundingDivideByPOT clamps */
  r->mult = mult;
  r->e = e;
  r->round = e > 0 ? (int32_t)(1u << (e - 1)) : 0;
  r->neg = e > 0 ? -1 : 0;
}

/* x2 = 2 * x with |x2| < 2^31; mult >= 0, so SRDHM(x, mult) = SMMULR(2x, mult). The
 * sum below stays far inside int32 (|x| < 2^29 here, round <= 2^30). */
ENG_OPT_INLINE int32_t rescale(int32_t x2, const rescale_t *r) {
  const int32_t v = eng_smmulr(x2, r->mult);
  return (v + r->round + ((v >> 31) & r->neg)) >> r->e;
}

static eng_status_t add_prepare(eng_node_t *node) {
  const eng_tensor_t *a, *b, *out;
  eng_status_t st;
  add_opt_t *op =
      eng_opt_elementwise_prepare(node, &eng_kernel_add_ref, sizeof *op, &a, &b, &out, &st);
  if (op == NULL) {
    return st;
  }
  /* The reference's parameters (it accepted them: every shift <= 0). */
  const double twice_max = 2.0 * (double)(a->scale > b->scale ? a->scale : b->scale);
  int32_t m, s;
  eng_quantize_multiplier((double)a->scale / twice_max, &m, &s);
  make_rescale(&op->r1, m, s);
  eng_quantize_multiplier((double)b->scale / twice_max, &m, &s);
  make_rescale(&op->r2, m, s);
  eng_quantize_multiplier(twice_max / ((double)(1 << LEFT_SHIFT) * (double)out->scale), &m, &s);
  make_rescale(&op->ro, m, s);
  /* |x + off| <= 255, so (x + off) << (20 + 1) < 2^29 and each rescaled operand < 2^28:
   * every SMMULR argument below fits with its doubling. */
  op->ew.fast = 1;
#if !defined(__OPTIMIZE_SIZE__)
  /* Large plain (not broadcast) adds rescale through tables: an operand's rescaled value
   * depends on its int8 value only, so 2 x 256 values built per invoke (about 10
   * instructions each) replace two rescales per element. */
  if (op->ew.bc.outer == 1 && op->ew.bc.sa && op->ew.bc.sb && op->ew.bc.run >= ADD_TABLE_MIN) {
    int32_t idx;
    if ((st = eng_request_scratch(node, 2 * 256 * sizeof(int32_t), &idx)) != ENG_OK) return st;
    op->tables = idx + 1;
  }
#endif
  return ENG_OK;
}

ENG_OPT_INLINE int32_t side(int32_t x, int32_t off, const rescale_t *r) {
  return rescale((int32_t)((uint32_t)(x + off) << (LEFT_SHIFT + 1)), r);
}

ENG_OPT_INLINE int8_t finish(const add_opt_t *op, int32_t s) {
  int32_t v = rescale((int32_t)((uint32_t)s << 1), &op->ro) + op->ew.out_off;
  v = v < op->ew.act_min ? op->ew.act_min : v;
  return (int8_t)(v > op->ew.act_max ? op->ew.act_max : v);
}

/* One run; sa/sb are constants at every call site, so each case compiles to its own
 * loop and a repeated operand's rescale is hoisted. */
ENG_OPT_INLINE void add_run(const add_opt_t *op, const int8_t *a, const int8_t *b, int8_t *y,
                            uint32_t n, const int sa, const int sb) {
  if (!sa) {
    const int32_t va = side(*a, op->ew.off1, &op->r1);
    for (uint32_t i = 0; i < n; i++)
      y[i] = finish(op, va + side(b[sb ? i : 0], op->ew.off2, &op->r2));
  } else if (!sb) {
    const int32_t vb = side(*b, op->ew.off2, &op->r2);
    for (uint32_t i = 0; i < n; i++) y[i] = finish(op, side(a[i], op->ew.off1, &op->r1) + vb);
  } else {
    for (uint32_t i = 0; i < n; i++) {
      y[i] = finish(op, side(a[i], op->ew.off1, &op->r1) + side(b[i], op->ew.off2, &op->r2));
    }
  }
}

static void add_s8(const add_opt_t *op, const int8_t *a, const int8_t *b, int8_t *y) {
  ENG_OPT_BC_RUNS(&op->ew.bc, add_run, op, a, b, y);
}

#if !defined(__OPTIMIZE_SIZE__)
/* A plain add through the tables (ta, tb: 256 entries each, indexed by the byte). */
static __attribute__((noinline)) void add_tables(const add_opt_t *op, int32_t *ta, int32_t *tb,
                                                 const int8_t *a, const int8_t *b, int8_t *y) {
  for (int32_t x = -128; x < 128; x++) {
    ta[(uint8_t)x] = side(x, op->ew.off1, &op->r1);
    tb[(uint8_t)x] = side(x, op->ew.off2, &op->r2);
  }
  /* locals: the int8 stores cannot alias them */
  const rescale_t ro = op->ro;
  const int32_t out_off = op->ew.out_off, lo = op->ew.act_min, hi = op->ew.act_max;
  const uint32_t n = op->ew.bc.run;
  for (uint32_t i = 0; i < n; i++) {
    const int32_t s2 = (int32_t)((uint32_t)(ta[(uint8_t)a[i]] + tb[(uint8_t)b[i]]) << 1);
    int32_t v = rescale(s2, &ro) + out_off;
    v = v < lo ? lo : v;
    y[i] = (int8_t)(v > hi ? hi : v);
  }
}
#endif

static eng_status_t add_eval(eng_node_t *node) {
  add_opt_t *op = node->user_data;
  if (!op->ew.fast) return eng_opt_eval_ref(node, &eng_kernel_add_ref, op->ew.ref_data);
#if !defined(__OPTIMIZE_SIZE__)
  if (op->tables) {
    int32_t *t = eng_scratch(node, op->tables - 1);
    add_tables(op, t, t + 256, eng_input(node, 0)->data, eng_input(node, 1)->data,
               eng_output(node, 0)->data);
    return ENG_OK;
  }
#endif
  add_s8(op, eng_input(node, 0)->data, eng_input(node, 1)->data, eng_output(node, 0)->data);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_add_opt = {ENG_OP_ADD, NULL, eng_parse_add_options, add_prepare,
                                         add_eval};
