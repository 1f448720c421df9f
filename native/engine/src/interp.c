/*
 * interp.c – the interpreter: builds the tensor and node tables from a verified model
 * (model.c) in the caller's arena, looks up each op's kernel, runs each op's options
 * parser and prepare, commits the arena plan (plan.c) and runs the ops. Everything it
 * needs lives in the caller's arena.
 */
#include <string.h>

#include "internal.h"
#include "model.h"

/* int32 vector entries of the model on the hot path (node inputs/outputs): one load on
 * our little-endian targets (memcpy: the model may leave them unaligned). */
static inline uint32_t ld32(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t v;
  memcpy(&v, p, sizeof v);
  return v;
#else
  return fb_load_u32(p);
#endif
}

/* Node input/output lists point at a model vector's first element; the element count is
 * the word before it. Ops without a list point here. */
static const uint32_t k_empty_list[1] = {0};
#define EMPTY_LIST ((const uint8_t *)(const void *)(k_empty_list + 1))

static uint32_t list_len(const uint8_t *list) {
  return ld32(list - 4);
}

static uint32_t align_up(uint32_t v) {
  return (v + (ENG_ALIGN - 1)) & ~(ENG_ALIGN - 1);
}

/* ---- arena ---- */

static uint32_t align_tail(uint32_t v) {
  return (v + (ENG_TAIL_ALIGN - 1)) & ~(ENG_TAIL_ALIGN - 1);
}

static void *tail_alloc(eng_interp_t *it, uint32_t bytes) {
  const uint32_t need = align_tail(bytes);
  const uint32_t floor = it->temp_top > it->head_start ? it->temp_top : it->head_start;
  if (need < bytes || it->tail_low < floor || it->tail_low - floor < need) {
    it->tail_missing += need;
    return NULL;
  }
  it->tail_low -= need;
  void *p = it->arena + it->tail_low;
  memset(p, 0, need);
  return p;
}

static int tensor_index_ok(const eng_interp_t *it, int32_t idx, int allow_absent) {
  return (allow_absent && idx == -1) || (idx >= 0 && (uint32_t)idx < it->num_tensors);
}

static eng_status_t decode_op(eng_interp_t *it, const eng_model_t *m, uint32_t index, eng_node_t *n,
                              eng_error_t *err) {
  fb_table_t op, opt;
  fb_vec_t ins, outs;
  uint32_t opcode, custom_len;
  const char *custom;
  uint8_t opt_type;
  int32_t builtin;
  int present;
  if (fb_vec_table(&m->ops, index, &op) != 0 || fb_u32(&op, OP_OPCODE, 0, &opcode) != 0 ||
      fb_vector(&op, OP_INPUTS, 4, &ins) != 0 || fb_vector(&op, OP_OUTPUTS, 4, &outs) != 0 ||
      fb_u8(&op, OP_OPTIONS_TYPE, 0, &opt_type) != 0 ||
      fb_table(&op, OP_OPTIONS, &opt, &present) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, (int32_t)index, "op %u: table out of bounds",
                         index);
  }
  if (opcode >= m->opcodes.len || opcode > 0xFFFFu ||
      eng_model_opcode(&m->fb, &m->opcodes, opcode, &builtin, &custom, &custom_len) != 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, (int32_t)index, "op %u: operator code %u invalid",
                         index, opcode);
  }
  if (ins.len > 0xFFFFu || outs.len > 0xFFFFu || outs.len == 0) {
    return eng_set_error(err, ENG_ERR_MALFORMED, (int32_t)index, "op %u: bad input/output count",
                         index);
  }
  n->interp = it;
  /* Present vectors carry their length in the word before the first element. */
  n->inputs = fb_has(&op, OP_INPUTS) == 1 ? m->fb.data + ins.pos : EMPTY_LIST;
  n->outputs = m->fb.data + outs.pos;
  if (list_len(n->inputs) != ins.len || list_len(n->outputs) != outs.len) {
    return eng_set_error(err, ENG_ERR_MALFORMED, (int32_t)index, "op %u: bad input/output vectors",
                         index);
  }
  for (uint32_t i = 0; i < ins.len; i++) {
    if (!tensor_index_ok(it, (int32_t)fb_load_u32(n->inputs + 4 * i), 1)) {
      return eng_set_error(err, ENG_ERR_MALFORMED, (int32_t)index,
                           "op %u: input %u: tensor index out of range", index, i);
    }
  }
  for (uint32_t i = 0; i < outs.len; i++) {
    if (!tensor_index_ok(it, (int32_t)fb_load_u32(n->outputs + 4 * i), 0)) {
      return eng_set_error(err, ENG_ERR_MALFORMED, (int32_t)index,
                           "op %u: output %u: tensor index out of range", index, i);
    }
  }
  const uint8_t *copts;
  uint32_t copts_len;
  const int cst = eng_model_op_custom_options(&m->fb, &op, &copts, &copts_len);
  if (cst == -1) {
    return eng_set_error(err, ENG_ERR_MALFORMED, (int32_t)index,
                         "op %u: custom options out of bounds", index);
  }
  if (cst == -2) {
    return eng_set_error(err, ENG_ERR_MALFORMED, (int32_t)index,
                         "op %u: large custom options beyond the model", index);
  }
  n->custom_options = copts;
  n->custom_options_len = (uint16_t)(copts_len > 0xFFFFu ? 0xFFFFu : copts_len);
  n->kernel = eng_kernel_lookup((eng_kernel_set_t)it->set, builtin, custom, custom_len);
  if (n->kernel == NULL) {
    eng_set_error(err, ENG_ERR_UNSUPPORTED_OP, (int32_t)index, "unsupported op ");
    uint32_t at = (uint32_t)strlen(err->message);
    at = eng_model_op_name(err->message, sizeof err->message, at, builtin, custom, custom_len);
    eng_format(err->message, sizeof err->message, at, " (op %u)", index);
    return ENG_ERR_UNSUPPORTED_OP;
  }
  if (builtin < 0 || builtin > 0xFF) {
    return eng_set_error(err, ENG_ERR_UNSUPPORTED_OP, (int32_t)index, "op %u: builtin code %d",
                         index, builtin);
  }
  n->builtin = (uint8_t)builtin;
  (void)opt_type;
  (void)present;
  return ENG_OK;
}

/* ---- public: create ---- */

eng_interp_t *eng_interp_create(const uint8_t *model, size_t model_bytes, void *arena,
                                size_t arena_bytes, eng_kernel_set_t kernels, eng_error_t *err) {
  eng_error_t local;
  eng_error_t *e = err != NULL ? err : &local;
  eng_model_t m;
  memset(e, 0, sizeof *e);
  e->op_index = -1;
  if (arena == NULL || arena_bytes > 0xFFFFFFF0u) {
    eng_set_error(e, ENG_ERR_ARG, -1, "arena missing or too large");
    return NULL;
  }
  if (kernels != ENG_KERNELS_REFERENCE && kernels != ENG_KERNELS_OPTIMIZED) {
    eng_set_error(e, ENG_ERR_ARG, -1, "unknown kernel set %u", (uint32_t)kernels);
    return NULL;
  }
  if (eng_model_open(model, model_bytes, &m, e) != ENG_OK) {
    return NULL;
  }
  uint8_t *base = arena;
  const uint32_t head_start = (uint32_t)((ENG_ALIGN - ((uintptr_t)base % ENG_ALIGN)) % ENG_ALIGN);
  const uint32_t end = (uint32_t)arena_bytes;
  const uint32_t tail_end =
      end >= head_start ? (uint32_t)(((uintptr_t)base + end) & ~(uintptr_t)(ENG_ALIGN - 1)) -
                              (uint32_t)(uintptr_t)base
                        : 0;
  const uint32_t fixed = align_tail(sizeof(eng_interp_t)) +
                         align_tail(m.tensors.len * (uint32_t)ENG_EVAL_TENSOR_BYTES) +
                         align_tail(m.ops.len * (uint32_t)sizeof(eng_node_t));
  if (arena_bytes < head_start || tail_end < head_start || tail_end - head_start < fixed) {
    eng_set_error(
        e, ENG_ERR_ARENA, -1, "arena too small: needs at least %u bytes (%u given)",
        fixed + head_start + (uint32_t)(arena_bytes - (tail_end > arena_bytes ? 0 : tail_end)),
        (uint32_t)arena_bytes);
    e->bytes_needed = fixed + ENG_ALIGN;
    return NULL;
  }
  eng_interp_t *it = (eng_interp_t *)(base + tail_end - align_tail(sizeof(eng_interp_t)));
  memset(it, 0, sizeof *it);
  it->fb = m.fb;
  it->arena = base;
  it->arena_bytes = (uint32_t)arena_bytes;
  it->head_start = (uint8_t)head_start;
  it->tail_end = tail_end;
  it->tail_low = tail_end - align_tail(sizeof(eng_interp_t));
  it->temp_top = head_start;
  it->set = (uint8_t)kernels;
  if (m.inputs.len > 0xFFFFu || m.outputs.len > 0xFFFFu) {
    eng_set_error(e, ENG_ERR_MALFORMED, -1, "subgraph 0: too many inputs/outputs");
    return NULL;
  }
  it->sg_inputs_pos = m.inputs.pos;
  it->sg_inputs_len = (uint16_t)m.inputs.len;
  it->sg_outputs_pos = m.outputs.pos;
  it->sg_outputs_len = (uint16_t)m.outputs.len;
  it->num_tensors = (uint16_t)m.tensors.len;
  it->num_ops = (uint16_t)m.ops.len;
  it->error.op_index = -1;
  it->tensors = tail_alloc(it, m.tensors.len * (uint32_t)ENG_EVAL_TENSOR_BYTES);
  it->nodes = tail_alloc(it, m.ops.len * (uint32_t)sizeof(eng_node_t));
  if ((m.tensors.len && it->tensors == NULL) || (m.ops.len && it->nodes == NULL)) {
    eng_set_error(e, ENG_ERR_ARENA, -1, "arena too small for the tensor and node tables");
    return NULL;
  }
  for (uint32_t i = 0; i < m.tensors.len; i++) {
    eng_tensor_t full;
    if (eng_model_tensor(&m, i, &full, e, 1) != ENG_OK) {
      return NULL;
    }
    memcpy(eval_tensor(it, i), &full, ENG_EVAL_TENSOR_BYTES);
  }
  for (uint32_t i = 0; i < m.inputs.len; i++) {
    if (!tensor_index_ok(it, (int32_t)fb_load_u32(fb_vec_elem(&m.inputs, i, 4)), 0)) {
      eng_set_error(e, ENG_ERR_MALFORMED, -1, "subgraph input %u: tensor index out of range", i);
      return NULL;
    }
  }
  for (uint32_t i = 0; i < m.outputs.len; i++) {
    if (!tensor_index_ok(it, (int32_t)fb_load_u32(fb_vec_elem(&m.outputs, i, 4)), 0)) {
      eng_set_error(e, ENG_ERR_MALFORMED, -1, "subgraph output %u: tensor index out of range", i);
      return NULL;
    }
  }
  for (uint32_t i = 0; i < m.ops.len; i++) {
    if (decode_op(it, &m, i, &it->nodes[i], e) != ENG_OK) {
      return NULL;
    }
  }
  return it;
}

/* ---- kernel-facing helpers ---- */

static void node_custom(const eng_interp_t *it, const eng_node_t *n, const char **name,
                        uint32_t *len) {
  fb_table_t root, op;
  fb_vec_t opcodes;
  uint32_t opcode;
  int32_t builtin;
  *name = NULL;
  *len = 0;
  if (eng_model_op_table(&it->fb, (uint32_t)(n - it->nodes), &op) != 0 ||
      fb_u32(&op, OP_OPCODE, 0, &opcode) != 0 || fb_root(&it->fb, &root) != 0 ||
      fb_vector(&root, MODEL_OPCODES, 4, &opcodes) != 0 || opcode >= opcodes.len ||
      eng_model_opcode(&it->fb, &opcodes, opcode, &builtin, name, len) != 0) {
    *name = NULL;
    *len = 0;
  }
}

/* Prepare sees full records (quantization included) at the head; eval the compact table. */
static eng_tensor_t *tensor_at(const eng_node_t *node, const uint8_t *list, uint32_t i) {
  if (i >= list_len(list)) {
    return NULL;
  }
  const int32_t idx = (int32_t)ld32(list + 4 * i);
  if (idx < 0) {
    return NULL;
  }
  const eng_interp_t *it = node->interp;
  if (it->in_prepare) {
    return prep_tensors(it) + idx;
  }
  return eval_tensor(it, (uint32_t)idx);
}

eng_tensor_t *eng_input(const eng_node_t *node, uint32_t i) {
  return tensor_at(node, node->inputs, i);
}

eng_tensor_t *eng_output(const eng_node_t *node, uint32_t i) {
  return tensor_at(node, node->outputs, i);
}

uint32_t eng_num_inputs(const eng_node_t *node) {
  return list_len(node->inputs);
}
uint32_t eng_num_outputs(const eng_node_t *node) {
  return list_len(node->outputs);
}

int32_t eng_node_index(const eng_node_t *node) {
  return (int32_t)(node - node->interp->nodes);
}

uint32_t eng_custom_options(const eng_node_t *node, const uint8_t **data) {
  fb_table_t op;
  uint32_t len = 0;
  *data = NULL;
  if (eng_model_op_table(&node->interp->fb, (uint32_t)eng_node_index(node), &op) != 0 ||
      eng_model_op_custom_options(&node->interp->fb, &op, data, &len) != 0) {
    *data = NULL;
    return 0;
  }
  return len;
}

uint32_t eng_tensor_elements(const eng_tensor_t *t) {
  uint32_t n = 1;
  for (uint32_t d = 0; d < t->rank; d++) {
    n *= (uint32_t)t->dims[d];
  }
  return n;
}

int32_t eng_dim(const eng_tensor_t *t, int32_t i) {
  if (i < 0) {
    i += t->rank;
  }
  if (i < 0 || i >= (int32_t)t->rank) {
    return 1;
  }
  return t->dims[i];
}

int eng_same_shape(const eng_tensor_t *a, const eng_tensor_t *b) {
  if (a->rank != b->rank) {
    return 0;
  }
  for (uint32_t d = 0; d < a->rank; d++) {
    if (a->dims[d] != b->dims[d]) {
      return 0;
    }
  }
  return 1;
}

float eng_channel_scale(const eng_tensor_t *t, uint32_t c) {
  if (t->scales_raw == NULL || c >= t->quant_count) {
    return t->scale;
  }
  return fb_load_f32(t->scales_raw + 4 * c);
}

int32_t eng_channel_zero_point(const eng_tensor_t *t, uint32_t c) {
  if (t->zps_raw == NULL || c >= t->quant_count) {
    return t->zero_point;
  }
  return (int32_t)(int64_t)fb_load_u64(t->zps_raw + 8 * c);
}

void *eng_alloc_persistent(eng_node_t *node, size_t bytes) {
  eng_interp_t *it = node->interp;
  if (!it->in_prepare || bytes > ENG_MODEL_MAX_TENSOR_BYTES) {
    return NULL;
  }
  return tail_alloc(it, (uint32_t)bytes);
}

eng_status_t eng_request_scratch(eng_node_t *node, size_t bytes, int32_t *index) {
  eng_interp_t *it = node->interp;
  if (!it->in_prepare || bytes > ENG_MODEL_MAX_TENSOR_BYTES ||
      node->num_scratch >= ENG_MAX_SCRATCH_PER_NODE || it->num_scratch >= 0xFFFFu) {
    return eng_fail(node, ENG_ERR_ARENA, "too many scratch buffers");
  }
  /* Recorded at the head (free until planning); the tail must not cross it. */
  if (it->tail_low < it->temp_top || it->tail_low - it->temp_top < sizeof(eng_scratch_req_t)) {
    it->tail_missing += (uint32_t)sizeof(eng_scratch_req_t);
    return eng_fail(node, ENG_ERR_ARENA, "no room to record a scratch request");
  }
  eng_scratch_req_t *req = (eng_scratch_req_t *)(void *)(it->arena + it->temp_top);
  req->node = (uint16_t)eng_node_index(node);
  req->slot = node->num_scratch;
  req->bytes = (uint32_t)bytes;
  it->temp_top += (uint32_t)sizeof(eng_scratch_req_t);
  it->num_scratch++;
  *index = node->num_scratch;
  node->num_scratch++;
  return ENG_OK;
}

void *eng_scratch(const eng_node_t *node, int32_t index) {
  if (index < 0 || index >= node->num_scratch) {
    return NULL;
  }
  const eng_interp_t *it = node->interp;
  return it->arena + it->head_start + node->scratch_offsets[index];
}

eng_status_t eng_fail(eng_node_t *node, eng_status_t code, const char *fmt, ...) {
  eng_interp_t *it = node->interp;
  eng_error_t *e = &it->error;
  const int32_t index = eng_node_index(node);
  va_list ap;
  e->code = code;
  e->op_index = index;
  e->message[0] = '\0';
  const char *custom;
  uint32_t custom_len;
  node_custom(it, node, &custom, &custom_len);
  uint32_t at =
      eng_model_op_name(e->message, sizeof e->message, 0, node->builtin, custom, custom_len);
  at = eng_format(e->message, sizeof e->message, at, " (op %d): ", index);
  va_start(ap, fmt);
  eng_vformat(e->message, sizeof e->message, at, fmt, ap);
  va_end(ap);
  return code;
}

eng_status_t eng_expect_type(eng_node_t *node, const eng_tensor_t *t, const char *what,
                             eng_type_t type) {
  if (t == NULL) {
    return eng_fail(node, ENG_ERR_SHAPE, "%s missing", what);
  }
  if (t->type != type) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "%s is %s, expected %s", what,
                    eng_type_name((eng_type_t)t->type), eng_type_name(type));
  }
  return ENG_OK;
}

eng_status_t eng_fail_type(eng_node_t *node, const eng_tensor_t *t) {
  return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "type %s", eng_type_name((eng_type_t)t->type));
}

/* ---- builtin options: read by the op's kernel (its parser, beside the kernel) ---- */

static eng_status_t parse_options(eng_interp_t *it, eng_node_t *n, eng_builtin_options_t *o) {
  fb_table_t op;
  eng_options_reader_t r;
  memset(&r, 0, sizeof r);
  memset(o, 0, sizeof *o);
  if (eng_model_op_table(&it->fb, (uint32_t)eng_node_index(n), &op) != 0 ||
      fb_u8(&op, OP_OPTIONS_TYPE, 0, &r.type) != 0 ||
      fb_table(&op, OP_OPTIONS, &r.table, &r.present) != 0) {
    return eng_fail(n, ENG_ERR_MALFORMED, "builtin options out of bounds");
  }
  if (n->kernel->parse == NULL) {
    return ENG_OK;
  }
  const eng_status_t st = n->kernel->parse(n, &r, o);
  if (st == ENG_OK && r.bad) {
    return eng_fail(n, ENG_ERR_MALFORMED, "builtin options out of bounds");
  }
  return st;
}

/* ---- public: allocate / invoke ---- */

/* Fails allocate for want of arena: `need` bytes in all ("at least" when not every op
 * could be prepared to the end). */
static eng_status_t arena_short(eng_interp_t *it, uint32_t need, int at_least) {
  it->allocate_failed = 1;
  eng_set_error(&it->error, ENG_ERR_ARENA, -1, "arena too small: needs %s%u bytes (%u given)",
                at_least ? "at least " : "", need, it->arena_bytes);
  it->error.bytes_needed = need;
  return ENG_ERR_ARENA;
}

/* The full tensor records prepare sees (quantization included), at the head. */
static eng_status_t load_prepare_tensors(eng_interp_t *it) {
  eng_model_t m;
  eng_error_t e;
  if (eng_model_open(it->fb.data, it->fb.size, &m, &e) != ENG_OK) {
    it->allocate_failed = 1;
    it->error = e;
    return e.code;
  }
  eng_tensor_t *full = prep_tensors(it);
  for (uint32_t i = 0; i < it->num_tensors; i++) {
    fb_table_t tt;
    memset(&full[i], 0, sizeof full[i]);
    memcpy(&full[i], eval_tensor(it, i), ENG_EVAL_TENSOR_BYTES);
    if (fb_vec_table(&m.tensors, i, &tt) != 0) {
      eng_set_error(&e, ENG_ERR_MALFORMED, -1, "tensor %u: table out of bounds", i);
    } else {
      e.code = eng_model_quant(&m, &tt, i, &full[i], &e, 0);
    }
    if (e.code != ENG_OK) {
      it->allocate_failed = 1;
      it->error = e;
      return e.code;
    }
  }
  return ENG_OK;
}

/* Each op's options parser, then its prepare, in op order. A prepare that ran out of tail
 * does not stop the others (*short_of_tail is set), so the error can say how much tail the
 * model needs; any other failure ends allocate. */
static eng_status_t prepare_ops(eng_interp_t *it, int *short_of_tail) {
  eng_builtin_options_t opts;
  *short_of_tail = 0;
  for (uint32_t i = 0; i < it->num_ops; i++) {
    eng_node_t *n = &it->nodes[i];
    eng_status_t st = parse_options(it, n, &opts);
    if (st == ENG_OK && n->kernel->prepare != NULL) {
      n->options = &opts;
      st = n->kernel->prepare(n);
    }
    n->options = NULL;
    if (st != ENG_OK) {
      if (st != ENG_ERR_ARENA || it->tail_missing == 0) {
        it->allocate_failed = 1;
        return st;
      }
      *short_of_tail = 1;
    }
  }
  return ENG_OK;
}

/* Variable tensors and the scratch-offset table (one word per request; a node's requests
 * are consecutive, so its first one marks where its words start) in the tail. */
static uint32_t *alloc_tail_records(eng_interp_t *it, const eng_scratch_req_t *reqs) {
  for (uint32_t i = 0; i < it->num_tensors; i++) {
    eng_tensor_t *t = eval_tensor(it, i);
    if (t->is_variable && !t->is_const && t->bytes > 0) {
      t->data = tail_alloc(it, t->bytes);
    }
  }
  if (it->num_scratch == 0) {
    return NULL;
  }
  uint32_t *table = tail_alloc(it, it->num_scratch * (uint32_t)sizeof(uint32_t));
  for (uint32_t r = 0; table != NULL && r < it->num_scratch; r++) {
    if (reqs[r].slot == 0) {
      it->nodes[reqs[r].node].scratch_offsets = table + r;
    }
  }
  return table;
}

/* Reads every plan record before anything is written over the temporary area. */
static void commit_plan(eng_interp_t *it, const eng_plan_item_t *items, uint32_t *scratch_table) {
  for (uint32_t r = 0; r < it->num_scratch; r++) {
    scratch_table[r] = items[it->num_tensors + r].offset;
  }
  for (uint32_t i = 0; i < it->num_tensors; i++) {
    if (items[i].size > 0) {
      eval_tensor(it, i)->data = it->arena + it->head_start + items[i].offset;
    }
  }
  for (uint32_t i = 0; i < it->num_tensors; i++) {
    if (items[i].first == ENG_PLAN_SHARED) {
      eval_tensor(it, i)->data = eval_tensor(it, eng_plan_buffer_of(items, i))->data;
    }
  }
}

eng_status_t eng_interp_allocate(eng_interp_t *it) {
  if (it == NULL) {
    return ENG_ERR_ARG;
  }
  if (it->allocated) {
    return ENG_OK;
  }
  if (it->allocate_failed) {
    return it->error.code;
  }
  const uint32_t slack = it->head_start + (it->arena_bytes - it->tail_end);
  /* Temporary records at the head, in order: full tensor records for prepare, the scratch
   * requests prepare makes, then the planner's items (all gone once the plan is
   * committed). */
  const uint64_t prep_end =
      (uint64_t)it->head_start + (uint64_t)it->num_tensors * sizeof(eng_tensor_t);
  if (prep_end > it->tail_low) {
    return arena_short(
        it, slack + (uint32_t)(prep_end - it->head_start) + (it->tail_end - it->tail_low), 1);
  }
  eng_status_t st = load_prepare_tensors(it);
  if (st != ENG_OK) {
    return st;
  }
  it->temp_top = (uint32_t)prep_end;
  it->in_prepare = 1;
  int short_of_tail;
  st = prepare_ops(it, &short_of_tail);
  if (st != ENG_OK) {
    it->in_prepare = 0;
    return st;
  }
  const eng_scratch_req_t *reqs = (const eng_scratch_req_t *)(const void *)(it->arena + prep_end);
  uint32_t *scratch_table = alloc_tail_records(it, reqs);
  it->in_prepare = 0;
  const uint32_t items_at = align_up(it->temp_top);
  const uint32_t count = it->num_tensors + it->num_scratch;
  const uint64_t temp_end = (uint64_t)items_at + (uint64_t)count * sizeof(eng_plan_item_t);
  const uint32_t temp_peak = (uint32_t)(temp_end - it->head_start);
  const uint32_t tail_used = it->tail_end - it->tail_low;
  if (temp_end > it->tail_low) {
    /* No room even for the planner's records: report what is known. */
    return arena_short(it, slack + temp_peak + tail_used + it->tail_missing, 1);
  }
  eng_plan_item_t *items = (eng_plan_item_t *)(void *)(it->arena + items_at);
  const eng_plan_graph_t graph = {
      .nodes = it->nodes,
      .num_ops = it->num_ops,
      .tensors = it->tensors,
      .tensor_stride = (uint32_t)ENG_EVAL_TENSOR_BYTES,
      .num_tensors = it->num_tensors,
      .inputs = it->fb.data + it->sg_inputs_pos,
      .num_inputs = it->sg_inputs_len,
      .outputs = it->fb.data + it->sg_outputs_pos,
      .num_outputs = it->sg_outputs_len,
      .preserve_all = it->preserve_all,
  };
  const uint32_t head = eng_plan(&graph, reqs, it->num_scratch, items);
  if (short_of_tail || it->tail_missing > 0 || it->tail_low - it->head_start < head) {
    const uint32_t used = head > temp_peak ? head : temp_peak;
    return arena_short(it, slack + used + tail_used + it->tail_missing, short_of_tail);
  }
  commit_plan(it, items, scratch_table);
  it->head_bytes = head;
  it->temp_top = it->head_start;
  it->allocated = 1;
  return ENG_OK;
}

eng_status_t eng_interp_invoke(eng_interp_t *it) {
  if (it == NULL) {
    return ENG_ERR_ARG;
  }
  if (!it->allocated) {
    return eng_set_error(&it->error, ENG_ERR_STATE, -1, "invoke before a successful allocate");
  }
  for (uint32_t i = 0; i < it->num_ops; i++) {
    eng_node_t *n = &it->nodes[i];
    eng_status_t st;
    if (it->on_op == NULL) {
      st = n->kernel->eval(n);
    } else {
      const uint64_t t0 = it->ticks != NULL ? it->ticks() : 0;
      st = n->kernel->eval(n);
      const uint64_t t1 = it->ticks != NULL ? it->ticks() : 0;
      it->on_op(it->profile_user, (int32_t)i, n->builtin, t1 - t0);
    }
    if (st != ENG_OK) {
      if (it->error.code == ENG_OK) {
        eng_fail(n, ENG_ERR_KERNEL, "eval failed");
      }
      return st;
    }
  }
  return ENG_OK;
}

/* ---- public: accessors ---- */

uint32_t eng_interp_input_count(const eng_interp_t *it) {
  return it ? it->sg_inputs_len : 0;
}
uint32_t eng_interp_output_count(const eng_interp_t *it) {
  return it ? it->sg_outputs_len : 0;
}
uint32_t eng_interp_tensor_count(const eng_interp_t *it) {
  return it ? it->num_tensors : 0;
}
uint32_t eng_interp_op_count(const eng_interp_t *it) {
  return it ? it->num_ops : 0;
}

/* The full record of tensor `index` (quantization re-read from the model, which the
 * caller keeps alive for the interpreter's lifetime) with the live data pointer. */
static eng_status_t full_tensor(const eng_interp_t *it, uint32_t index, eng_tensor_t *t,
                                fb_table_t *tt) {
  eng_model_t m;
  eng_error_t e;
  if (eng_model_open(it->fb.data, it->fb.size, &m, &e) != ENG_OK ||
      eng_model_tensor(&m, index, t, &e, 0) != ENG_OK || fb_vec_table(&m.tensors, index, tt) != 0) {
    return ENG_ERR_MALFORMED;
  }
  /* tt refers to m's buffer record: point it at the interpreter's (same bytes). */
  tt->buf = &it->fb;
  t->data = eval_tensor(it, index)->data;
  return ENG_OK;
}

eng_status_t eng_interp_tensor(const eng_interp_t *it, uint32_t index, eng_tensor_info_t *out) {
  if (it == NULL || out == NULL || index >= it->num_tensors) {
    return ENG_ERR_ARG;
  }
  eng_tensor_t full;
  fb_table_t tt;
  memset(out, 0, sizeof *out);
  if (full_tensor(it, index, &full, &tt) != ENG_OK) {
    return ENG_ERR_MALFORMED;
  }
  const eng_tensor_t *t = &full;
  out->data = t->data;
  out->bytes = t->bytes;
  out->type = (eng_type_t)t->type;
  out->rank = t->rank;
  for (uint32_t d = 0; d < t->rank; d++) {
    out->dims[d] = t->dims[d];
  }
  out->quantized = t->quant_count > 0;
  out->scale = t->scale;
  out->zero_point = t->zero_point;
  out->num_channels = t->quant_count;
  out->quantized_dimension = t->quant_dim;
  /* Name: re-read from the model (not kept in the tensor table to save arena). */
  const char *name = NULL;
  uint32_t name_len = 0;
  if (fb_string(&tt, TENSOR_NAME, &name, &name_len) == 0) {
    out->name = name;
    out->name_len = name_len;
  }
  return ENG_OK;
}

eng_status_t eng_interp_input(const eng_interp_t *it, uint32_t i, eng_tensor_info_t *out) {
  if (it == NULL || i >= it->sg_inputs_len) {
    return ENG_ERR_ARG;
  }
  return eng_interp_tensor(it, fb_load_u32(it->fb.data + it->sg_inputs_pos + 4 * i), out);
}

eng_status_t eng_interp_output(const eng_interp_t *it, uint32_t i, eng_tensor_info_t *out) {
  if (it == NULL || i >= it->sg_outputs_len) {
    return ENG_ERR_ARG;
  }
  return eng_interp_tensor(it, fb_load_u32(it->fb.data + it->sg_outputs_pos + 4 * i), out);
}

eng_status_t eng_interp_channel_param(const eng_interp_t *it, uint32_t index, uint32_t c,
                                      float *scale, int32_t *zero_point) {
  eng_tensor_t full;
  fb_table_t tt;
  if (it == NULL || index >= it->num_tensors || full_tensor(it, index, &full, &tt) != ENG_OK ||
      c >= full.quant_count) {
    return ENG_ERR_ARG;
  }
  *scale = eng_channel_scale(&full, c);
  *zero_point = eng_channel_zero_point(&full, c);
  return ENG_OK;
}

int32_t eng_interp_op_builtin(const eng_interp_t *it, uint32_t op) {
  return it != NULL && op < it->num_ops ? it->nodes[op].builtin : -1;
}

const char *eng_interp_op_name(const eng_interp_t *it, uint32_t op) {
  if (it == NULL || op >= it->num_ops) {
    return "UNKNOWN";
  }
  /* Custom names are not NUL-terminated in the model: report the builtin name
   * ("CUSTOM"); eng_interp_op_custom_name gives the code. */
  return eng_builtin_name(it->nodes[op].builtin);
}

uint32_t eng_interp_op_custom_name(const eng_interp_t *it, uint32_t op, const char **name) {
  *name = NULL;
  if (it == NULL || op >= it->num_ops) {
    return 0;
  }
  uint32_t len;
  node_custom(it, &it->nodes[op], name, &len);
  return len;
}

/* Up to cap tensor indices of op's inputs (outputs 0) or outputs (1) into out. */
static uint32_t op_tensor_list(const eng_interp_t *it, uint32_t op, int outputs, int32_t *out,
                               uint32_t cap) {
  if (it == NULL || op >= it->num_ops) {
    return 0;
  }
  const uint8_t *list = outputs ? it->nodes[op].outputs : it->nodes[op].inputs;
  uint32_t k = 0;
  for (const uint32_t count = list_len(list); k < count && k < cap; k++) {
    out[k] = (int32_t)ld32(list + 4 * k);
  }
  return k;
}

uint32_t eng_interp_op_outputs(const eng_interp_t *it, uint32_t op, int32_t *out, uint32_t cap) {
  return op_tensor_list(it, op, 1, out, cap);
}

uint32_t eng_interp_op_inputs(const eng_interp_t *it, uint32_t op, int32_t *out, uint32_t cap) {
  return op_tensor_list(it, op, 0, out, cap);
}

eng_status_t eng_interp_preserve_all(eng_interp_t *it, int enable) {
  if (it == NULL) {
    return ENG_ERR_ARG;
  }
  if (it->allocated || it->allocate_failed) {
    return eng_set_error(&it->error, ENG_ERR_STATE, -1, "preserve_all must be set before allocate");
  }
  it->preserve_all = enable != 0;
  return ENG_OK;
}

void eng_interp_arena_usage(const eng_interp_t *it, eng_arena_usage_t *out) {
  memset(out, 0, sizeof *out);
  if (it == NULL) {
    return;
  }
  out->head_bytes = it->head_bytes;
  out->tail_bytes = it->tail_end - it->tail_low;
  out->total_bytes = out->head_bytes + out->tail_bytes;
  out->arena_bytes = it->arena_bytes;
}

const eng_error_t *eng_interp_error(const eng_interp_t *it) {
  return it != NULL ? &it->error : NULL;
}

void eng_interp_set_profiler(eng_interp_t *it, eng_ticks_fn ticks, eng_op_profile_fn on_op,
                             void *user) {
  if (it == NULL) {
    return;
  }
  it->ticks = ticks;
  it->on_op = on_op;
  it->profile_user = user;
}
