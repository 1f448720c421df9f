/*
 * plan.c – the arena planner (contract in plan.h).
 */
#include "plan.h"

#include <string.h>

#define UNPLACED 0xFFFFFFFFu

static uint32_t word(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}

static uint32_t count_of(const uint8_t *list) {
  return word(list - 4);
}

static const eng_tensor_t *tensor(const eng_plan_graph_t *g, uint32_t i) {
  return (const eng_tensor_t *)(const void *)(g->tensors + (size_t)i * g->tensor_stride);
}

uint32_t eng_plan_buffer_of(const eng_plan_item_t *items, uint32_t i) {
  for (uint32_t guard = 0; items[i].first == ENG_PLAN_SHARED && guard < 0x8000u; guard++) {
    i = items[i].offset;
  }
  return i;
}

static void widen(eng_plan_item_t *p, int16_t op) {
  if (p->first < 0) {
    p->first = op;
  }
  if (p->last < op) {
    p->last = op;
  }
}

/* RESHAPE only reinterprets bytes, so its output can share its input's buffer: the
 * shared buffer lives as long as either tensor, and RESHAPE's eval skips the copy when
 * the pointers are equal (TFLM copies). Every tensor has a single writer (its producing
 * op; variables are excluded), so sharing cannot let a later write clobber a reader. */
static void share_reshapes(const eng_plan_graph_t *g, eng_plan_item_t *items) {
  for (uint32_t o = 0; o < g->num_ops; o++) {
    const eng_node_t *n = &g->nodes[o];
    if (n->builtin != ENG_OP_RESHAPE || count_of(n->inputs) < 1 || count_of(n->outputs) != 1) {
      continue;
    }
    const int32_t in = (int32_t)word(n->inputs);
    const uint32_t out = word(n->outputs);
    if (in < 0 || (uint32_t)in == out) {
      continue;
    }
    const uint32_t root = eng_plan_buffer_of(items, (uint32_t)in);
    eng_plan_item_t *r = &items[root];
    eng_plan_item_t *q = &items[out];
    if (r->size == 0 || q->size == 0 || r->size != q->size ||
        tensor(g, root)->bytes != tensor(g, out)->bytes) {
      continue;
    }
    if (q->first < r->first) {
      r->first = q->first;
    }
    if (q->last > r->last) {
      r->last = q->last;
    }
    q->size = 0;
    q->first = ENG_PLAN_SHARED;
    q->offset = root;
  }
}

void eng_plan_lifetimes(const eng_plan_graph_t *g, eng_plan_item_t *items, int share) {
  const int16_t last = (int16_t)(g->num_ops > 0 ? g->num_ops - 1 : 0);
  for (uint32_t i = 0; i < g->num_tensors; i++) {
    items[i].first = -1;
    items[i].last = -1;
    items[i].size = 0;
    items[i].offset = 0;
  }
  for (uint32_t i = 0; i < g->num_inputs; i++) {
    widen(&items[word(g->inputs + 4 * i)], 0);
  }
  for (uint32_t o = 0; o < g->num_ops; o++) {
    const eng_node_t *n = &g->nodes[o];
    for (uint32_t i = 0, count = count_of(n->inputs); i < count; i++) {
      const int32_t idx = (int32_t)word(n->inputs + 4 * i);
      if (idx >= 0) {
        widen(&items[idx], (int16_t)o); /* read before written: live from here */
      }
    }
    for (uint32_t i = 0, count = count_of(n->outputs); i < count; i++) {
      widen(&items[word(n->outputs + 4 * i)], (int16_t)o);
    }
  }
  for (uint32_t i = 0; i < g->num_outputs; i++) {
    eng_plan_item_t *p = &items[word(g->outputs + 4 * i)];
    widen(p, 0);
    p->last = last;
  }
  for (uint32_t i = 0; i < g->num_tensors; i++) {
    const eng_tensor_t *t = tensor(g, i);
    eng_plan_item_t *p = &items[i];
    if (t->is_const || t->is_variable || p->first < 0 || t->bytes == 0) {
      p->size = 0;
      continue;
    }
    p->size = eng_plan_align(t->bytes);
    if (g->preserve_all) {
      p->first = 0;
      p->last = last;
    }
  }
  if (share && !g->preserve_all) {
    share_reshapes(g, items);
  }
}

static int32_t next_to_place(const eng_plan_item_t *items, uint32_t count) {
  int32_t best = -1;
  for (uint32_t k = 0; k < count; k++) {
    const eng_plan_item_t *p = &items[k];
    if (p->size == 0 || p->offset != UNPLACED) {
      continue;
    }
    if (best < 0 || p->size > items[best].size ||
        (p->size == items[best].size && p->first < items[best].first)) {
      best = (int32_t)k;
    }
  }
  return best;
}

/* O(n^2) selection × O(n) checks; n is tens to a few hundred, once per allocate. */
uint32_t eng_plan_place(eng_plan_item_t *items, uint32_t count) {
  uint32_t head = 0;
  for (uint32_t k = 0; k < count; k++) {
    if (items[k].size > 0) {
      items[k].offset = UNPLACED; /* size-0 items keep their offset (the shared tensor) */
    }
  }
  for (int32_t best; (best = next_to_place(items, count)) >= 0;) {
    eng_plan_item_t *bp = &items[best];
    uint32_t at = 0;
    for (int moved = 1; moved;) {
      moved = 0;
      for (uint32_t k = 0; k < count; k++) {
        const eng_plan_item_t *q = &items[k];
        if ((int32_t)k == best || q->size == 0 || q->offset == UNPLACED || q->last < bp->first ||
            q->first > bp->last) {
          continue; /* itself, unplaced, or lifetimes disjoint */
        }
        if (q->offset < at + bp->size && at < q->offset + q->size) {
          at = q->offset + q->size;
          moved = 1;
        }
      }
    }
    bp->offset = at;
    if (at + bp->size > head) {
      head = at + bp->size;
    }
  }
  return head;
}

static uint32_t plan_once(const eng_plan_graph_t *g, const eng_scratch_req_t *reqs,
                          uint32_t num_scratch, eng_plan_item_t *items, int share) {
  eng_plan_lifetimes(g, items, share);
  for (uint32_t r = 0; r < num_scratch; r++) {
    eng_plan_item_t *p = &items[g->num_tensors + r];
    p->size = eng_plan_align(reqs[r].bytes);
    p->first = (int16_t)reqs[r].node;
    p->last = (int16_t)reqs[r].node;
  }
  return eng_plan_place(items, g->num_tensors + num_scratch);
}

/* Sharing saves RESHAPE's copy but stretches a lifetime, which can make the greedy
 * packing worse: plan both ways and redo the shared plan unless the other is smaller. */
uint32_t eng_plan(const eng_plan_graph_t *g, const eng_scratch_req_t *reqs, uint32_t num_scratch,
                  eng_plan_item_t *items) {
  const uint32_t shared = plan_once(g, reqs, num_scratch, items, 1);
  const uint32_t separate = plan_once(g, reqs, num_scratch, items, 0);
  if (separate < shared) {
    return separate;
  }
  return plan_once(g, reqs, num_scratch, items, 1);
}
