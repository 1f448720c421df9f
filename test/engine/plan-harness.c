/*
 * plan-harness.c – unit checks of the arena planner (native/engine/src/plan.c) on small
 * hand-built graphs and on random ones: lifetimes, RESHAPE buffer sharing, placement.
 * Built with plan.c alone (the planner needs no other engine source) by
 * test/engine/plan-unit.test.ts; prints "PLAN OK <checks>" or the failed checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

static unsigned g_checks, g_failed;
#define CHECK(cond, ...)                          \
  do {                                            \
    ++g_checks;                                   \
    if (!(cond)) {                                \
      ++g_failed;                                 \
      printf("FAIL %s:%d: ", __FILE__, __LINE__); \
      printf(__VA_ARGS__);                        \
      printf("\n");                               \
    }                                             \
  } while (0)

#define MAX_T 64
#define MAX_O 64

/* A graph under construction: lists are stored as the model stores them (count word, then
 * int32 entries), so nodes point one word past the count. */
typedef struct {
  eng_tensor_t tensors[MAX_T];
  eng_node_t nodes[MAX_O];
  int32_t lists[MAX_O * 2][12];
  int32_t inputs[8], outputs[8];
  uint32_t nt, no;
  eng_plan_graph_t g;
} graph_t;

static const uint8_t *list_of(int32_t *slot, const int32_t *v, uint32_t n) {
  slot[0] = (int32_t)n;
  memcpy(slot + 1, v, n * sizeof *v);
  return (const uint8_t *)(const void *)(slot + 1);
}

static void graph_init(graph_t *gr, uint32_t num_tensors, const uint32_t *bytes) {
  memset(gr, 0, sizeof *gr);
  gr->nt = num_tensors;
  for (uint32_t i = 0; i < num_tensors; i++) {
    gr->tensors[i].bytes = bytes[i];
  }
}

static void add_op(graph_t *gr, uint8_t builtin, const int32_t *in, uint32_t nin,
                   const int32_t *out, uint32_t nout) {
  eng_node_t *n = &gr->nodes[gr->no];
  n->builtin = builtin;
  n->inputs = list_of(gr->lists[2 * gr->no], in, nin);
  n->outputs = list_of(gr->lists[2 * gr->no + 1], out, nout);
  gr->no++;
}

static const eng_plan_graph_t *graph_done(graph_t *gr, const int32_t *in, uint32_t nin,
                                          const int32_t *out, uint32_t nout) {
  memcpy(gr->inputs, in, nin * sizeof *in);
  memcpy(gr->outputs, out, nout * sizeof *out);
  gr->g = (eng_plan_graph_t){
      .nodes = gr->nodes,
      .num_ops = gr->no,
      .tensors = (const uint8_t *)gr->tensors,
      .tensor_stride = sizeof(eng_tensor_t),
      .num_tensors = gr->nt,
      .inputs = (const uint8_t *)gr->inputs,
      .num_inputs = nin,
      .outputs = (const uint8_t *)gr->outputs,
      .num_outputs = nout,
  };
  return &gr->g;
}

/* Every placed pair whose lifetimes meet is disjoint in bytes; offsets aligned; returns
 * the highest end. */
static uint32_t check_placement(const eng_plan_item_t *items, uint32_t count, const char *what) {
  uint32_t end = 0;
  for (uint32_t a = 0; a < count; a++) {
    if (items[a].size == 0) continue;
    CHECK(items[a].offset % ENG_PLAN_ALIGN == 0 && items[a].size % ENG_PLAN_ALIGN == 0,
          "%s: item %u aligned", what, a);
    if (items[a].offset + items[a].size > end) end = items[a].offset + items[a].size;
    for (uint32_t b = a + 1; b < count; b++) {
      if (items[b].size == 0) continue;
      const int live_together = !(items[a].last < items[b].first || items[b].last < items[a].first);
      const int bytes_meet = items[a].offset < items[b].offset + items[b].size &&
                             items[b].offset < items[a].offset + items[a].size;
      CHECK(!(live_together && bytes_meet), "%s: items %u and %u overlap", what, a, b);
    }
  }
  return end;
}

static void test_chain(void) {
  /* t0 -op0-> t1 -op1-> t2 */
  graph_t gr;
  const uint32_t bytes[] = {100, 200, 50};
  graph_init(&gr, 3, bytes);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){0}, 1, (int32_t[]){1}, 1);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){1}, 1, (int32_t[]){2}, 1);
  const eng_plan_graph_t *g = graph_done(&gr, (int32_t[]){0}, 1, (int32_t[]){2}, 1);
  eng_plan_item_t it[3];
  eng_plan_lifetimes(g, it, 1);
  CHECK(it[0].first == 0 && it[0].last == 0, "input lifetime [%d,%d]", it[0].first, it[0].last);
  CHECK(it[1].first == 0 && it[1].last == 1, "middle lifetime [%d,%d]", it[1].first, it[1].last);
  CHECK(it[2].first == 1 && it[2].last == 1, "output lifetime [%d,%d]", it[2].first, it[2].last);
  CHECK(it[0].size == 112 && it[1].size == 208 && it[2].size == 64, "sizes rounded to 16");
  const uint32_t head = eng_plan_place(it, 3);
  /* largest first at 0; the input meets it at op 0, the output at op 1; input and output
   * never meet, so they share the bytes after it */
  CHECK(it[1].offset == 0 && it[0].offset == 208 && it[2].offset == 208, "offsets %u %u %u",
        it[0].offset, it[1].offset, it[2].offset);
  CHECK(head == 320, "head %u", head);
  CHECK(check_placement(it, 3, "chain") == head, "head is the highest end");
}

static void test_unplanned_and_edges(void) {
  /* t0 input, t1 const, t2 variable, t3 untouched, t4 zero bytes, t5 read before written,
   * t6 output nobody reads after op 0 */
  graph_t gr;
  const uint32_t bytes[] = {16, 16, 16, 16, 0, 16, 16};
  graph_init(&gr, 7, bytes);
  gr.tensors[1].is_const = 1;
  gr.tensors[2].is_variable = 1;
  add_op(&gr, ENG_OP_ADD, (int32_t[]){0, 1, -1, 2, 4}, 5, (int32_t[]){6}, 1);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){5}, 1, (int32_t[]){4}, 1);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){0}, 1, (int32_t[]){5}, 1);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){0}, 1, (int32_t[]){2}, 1);
  const eng_plan_graph_t *g = graph_done(&gr, (int32_t[]){0}, 1, (int32_t[]){6}, 1);
  eng_plan_item_t it[7];
  eng_plan_lifetimes(g, it, 1);
  CHECK(it[1].size == 0 && it[2].size == 0, "constants and variables are not planned");
  CHECK(it[3].size == 0 && it[3].first == -1, "an untouched tensor is not planned");
  CHECK(it[4].size == 0, "a zero-byte tensor is not planned");
  CHECK(it[5].first == 1 && it[5].last == 2, "read at op 1 before written at op 2: [%d,%d]",
        it[5].first, it[5].last);
  CHECK(it[6].first == 0 && it[6].last == 3, "subgraph output lives to the last op: [%d,%d]",
        it[6].first, it[6].last);
  CHECK(it[0].first == 0 && it[0].last == 3, "input read by ops 0, 2, 3: [%d,%d]", it[0].first,
        it[0].last);
  gr.g.preserve_all = 1;
  eng_plan_lifetimes(g, it, 1);
  CHECK(it[5].first == 0 && it[5].last == 3 && it[0].first == 0 && it[6].last == 3,
        "preserve_all: whole run");
  const uint32_t head = eng_plan_place(it, 7);
  CHECK(head == 48, "preserve_all: every planned tensor has its own bytes (%u)", head);
}

static void test_reshape_sharing(void) {
  /* t0 -ADD-> t1 -RESHAPE-> t2 -RESHAPE-> t3 -ADD-> t4; t5 -RESHAPE-> t6 (other size) */
  graph_t gr;
  const uint32_t bytes[] = {64, 64, 64, 64, 32, 48, 32};
  graph_init(&gr, 7, bytes);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){0}, 1, (int32_t[]){1}, 1);
  add_op(&gr, ENG_OP_RESHAPE, (int32_t[]){1}, 1, (int32_t[]){2}, 1);
  add_op(&gr, ENG_OP_RESHAPE, (int32_t[]){2, -1}, 2, (int32_t[]){3}, 1);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){3, 5}, 2, (int32_t[]){4}, 1);
  add_op(&gr, ENG_OP_RESHAPE, (int32_t[]){5}, 1, (int32_t[]){6}, 1);
  const eng_plan_graph_t *g = graph_done(&gr, (int32_t[]){0, 5}, 2, (int32_t[]){4, 6}, 2);
  eng_plan_item_t it[7];
  eng_plan_lifetimes(g, it, 1);
  CHECK(it[2].first == ENG_PLAN_SHARED && it[3].first == ENG_PLAN_SHARED && it[2].size == 0 &&
            it[3].size == 0,
        "reshape outputs share");
  CHECK(eng_plan_buffer_of(it, 3) == 1 && eng_plan_buffer_of(it, 2) == 1 &&
            eng_plan_buffer_of(it, 1) == 1,
        "a chain of reshapes uses the first buffer");
  CHECK(it[1].first == 0 && it[1].last == 3, "the shared buffer spans both lifetimes [%d,%d]",
        it[1].first, it[1].last);
  CHECK(it[6].first != ENG_PLAN_SHARED && it[6].size == 32, "different byte size: no sharing");
  eng_plan_lifetimes(g, it, 0);
  CHECK(it[2].size == 64 && it[3].size == 64 && it[1].last == 1, "sharing off: own buffers");
  gr.g.preserve_all = 1;
  eng_plan_lifetimes(g, it, 1);
  CHECK(it[2].size == 64, "preserve_all: no sharing");
}

static void test_scratch_and_choice(void) {
  graph_t gr;
  const uint32_t bytes[] = {32, 32, 32};
  graph_init(&gr, 3, bytes);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){0}, 1, (int32_t[]){1}, 1);
  add_op(&gr, ENG_OP_ADD, (int32_t[]){1}, 1, (int32_t[]){2}, 1);
  const eng_plan_graph_t *g = graph_done(&gr, (int32_t[]){0}, 1, (int32_t[]){2}, 1);
  const eng_scratch_req_t reqs[2] = {{0, 0, 100}, {1, 0, 90}};
  eng_plan_item_t it[5];
  const uint32_t head = eng_plan(g, reqs, 2, it);
  CHECK(it[3].first == 0 && it[3].last == 0 && it[3].size == 112, "scratch 0 lives at op 0");
  CHECK(it[4].first == 1 && it[4].last == 1 && it[4].size == 96, "scratch 1 lives at op 1");
  CHECK(it[3].offset == 0 && it[4].offset == 0, "scratch of different ops share bytes");
  CHECK(check_placement(it, 5, "scratch") == head && head == 176, "head %u", head);
}

static uint64_t g_rng = 0x2545F4914F6CDD1Dull;
static uint32_t rnd(uint32_t n) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 7;
  g_rng ^= g_rng << 17;
  return (uint32_t)(g_rng % n);
}

/* Random graphs: each op reads earlier tensors and writes new ones, some ops RESHAPE. The
 * plan must be overlap-free, report its true head, and be the smaller of the two ways. */
static void test_random(void) {
  for (int round = 0; round < 400; round++) {
    graph_t gr;
    uint32_t bytes[MAX_T];
    const uint32_t nt = 4 + rnd(40);
    for (uint32_t i = 0; i < nt; i++) bytes[i] = 1 + rnd(4000);
    graph_init(&gr, nt, bytes);
    uint32_t produced = 1 + rnd(3); /* tensors [0, produced) are subgraph inputs */
    int32_t sg_in[8];
    const uint32_t nin = produced;
    for (uint32_t i = 0; i < nin; i++) sg_in[i] = (int32_t)i;
    while (produced < nt && gr.no < MAX_O) {
      const int reshape = rnd(4) == 0;
      int32_t in[3], out[1];
      const uint32_t nread = reshape ? 1 : 1 + rnd(3);
      for (uint32_t k = 0; k < nread; k++) in[k] = rnd(8) == 0 ? -1 : (int32_t)rnd(produced);
      if (reshape && in[0] < 0) in[0] = (int32_t)(produced - 1);
      out[0] = (int32_t)produced;
      if (reshape) gr.tensors[produced].bytes = gr.tensors[in[0]].bytes;
      add_op(&gr, reshape ? ENG_OP_RESHAPE : ENG_OP_ADD, in, nread, out, 1);
      produced++;
    }
    const int32_t sg_out[2] = {(int32_t)(produced - 1), (int32_t)rnd(produced)};
    const eng_plan_graph_t *g = graph_done(&gr, sg_in, nin, sg_out, 2);
    eng_plan_item_t it[MAX_T], alt[MAX_T];
    eng_plan_lifetimes(g, alt, 1);
    const uint32_t shared = eng_plan_place(alt, nt);
    CHECK(check_placement(alt, nt, "random shared") == shared, "round %d: shared head", round);
    eng_plan_lifetimes(g, alt, 0);
    const uint32_t separate = eng_plan_place(alt, nt);
    CHECK(check_placement(alt, nt, "random separate") == separate, "round %d: head", round);
    const uint32_t head = eng_plan(g, NULL, 0, it);
    CHECK(head == (separate < shared ? separate : shared), "round %d: the smaller plan", round);
    CHECK(check_placement(it, nt, "random") == head, "round %d: items match the head", round);
    for (uint32_t i = 0; i < nt; i++) {
      const uint32_t b = eng_plan_buffer_of(it, i);
      if (b != i) {
        CHECK(gr.tensors[b].bytes == gr.tensors[i].bytes && it[b].size > 0,
              "round %d: tensor %u shares a buffer of its size", round, i);
      }
    }
  }
}

int main(void) {
  test_chain();
  test_unplanned_and_edges();
  test_reshape_sharing();
  test_scratch_and_choice();
  test_random();
  if (g_failed) {
    printf("PLAN FAILED %u of %u\n", g_failed, g_checks);
    return 1;
  }
  printf("PLAN OK %u\n", g_checks);
  return 0;
}
