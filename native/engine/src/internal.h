/*
 * internal.h – interpreter state shared by the engine's own sources (interp.c, util.c);
 * kernels never include this (they see kernel.h only).
 */
#ifndef XSINFER_ENGINE_INTERNAL_H
#define XSINFER_ENGINE_INTERNAL_H

#include <stdarg.h>

#include "flatbuf.h"
#include "kernel.h"
#include "plan.h"

#define ENG_ALIGN      ENG_PLAN_ALIGN /* arena ends and planned (head) buffers */
#define ENG_TAIL_ALIGN 8u             /* persistent allocations */

/* The reader a kernel's options parser gets (kernel.h): the op's BuiltinOptions table. */
struct eng_options_reader {
  fb_table_t table;
  int present;  /* the op has an options table */
  uint8_t type; /* its BuiltinOptions union type */
  int bad;      /* a field read went out of bounds */
};

/* The interpreter object lives at the top of the arena tail, so every byte here counts
 * against the arena (TFLM's allocator object does the same): vectors of the model are
 * kept as positions and re-read from the flatbuffer when only prepare or error paths
 * need them. */
struct eng_interp {
  fb_buf_t fb;
  uint8_t *arena;
  uint32_t arena_bytes;
  uint32_t tail_end; /* end of the last 16-aligned block */
  uint32_t tail_low; /* tail occupies [tail_low, tail_end) */
  uint32_t head_bytes;
  uint32_t tail_missing; /* persistent bytes refused while the arena was short */
  uint32_t temp_top;     /* end of the temporary records at the head (allocate only) */
  uint8_t head_start;    /* first 16-aligned byte of the arena */
  uint8_t set;           /* eng_kernel_set_t */
  uint8_t allocated, allocate_failed, preserve_all, in_prepare;
  uint16_t num_scratch; /* scratch requests recorded during prepare */
  /* Compact eval-time tensor records (ENG_EVAL_TENSOR_BYTES each): eval_tensor(). During
   * prepare, full records sit at the head (prep_tensors()). */
  uint8_t *tensors;
  eng_node_t *nodes;
  uint16_t num_tensors, num_ops;
  uint16_t sg_inputs_len, sg_outputs_len;
  uint32_t sg_inputs_pos, sg_outputs_pos; /* int32 vectors in the model */
  eng_ticks_fn ticks;
  eng_op_profile_fn on_op;
  void *profile_user;
  eng_error_t error;
};

static inline eng_tensor_t *eval_tensor(const eng_interp_t *it, uint32_t index) {
  return (eng_tensor_t *)(void *)(it->tensors + index * (uint32_t)ENG_EVAL_TENSOR_BYTES);
}

static inline eng_tensor_t *prep_tensors(const eng_interp_t *it) {
  return (eng_tensor_t *)(void *)(it->arena + it->head_start);
}

/* Fills *e (op index op, message from fmt as eng_format) and returns code. */
eng_status_t eng_set_error(eng_error_t *e, eng_status_t code, int32_t op, const char *fmt, ...);
uint32_t eng_vformat(char *buf, uint32_t cap, uint32_t at, const char *fmt, va_list ap);
uint32_t eng_format(char *buf, uint32_t cap, uint32_t at, const char *fmt, ...);

#endif
