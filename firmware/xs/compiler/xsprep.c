/*
 * xsprep.c – part of the host tool xsarc: serialises a freshly created XS machine (the
 * built-ins) as C source for the target, a txPreparation that fxPrepareMachine clones from
 * flash instead of building every built-in in RAM at boot.
 *
 * The tool runs on a 64-bit host and the target has 16-byte slots, so nothing is dumped as
 * bytes: every slot becomes a designated initialiser in which pointers are symbolic
 * (&heap[i], callbacks by their exported name found with dladdr, strings as literals),
 * and arm-none-eabi-gcc lays it out. Semantics followed (XS 13.3, xsAPI.c/xsMemory.c/
 * xsType.c): the clone reads the root's stack as its prototypes, its key array and
 * name/symbol tables by reference; shared slots carry XS_MARK_FLAG so the collector never
 * writes them; a writable instance or closure gets an alias ID (1-based: ID 0 is
 * XS_NO_ID, "not aliased") and is copied into RAM on its first write; array items sit
 * right after a fake chunk header because fxGetIndexSize reads the size before them.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "xsAll.h"
#include "xsprep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
  txSlot *heap; /* header slot of a heap block; slots are heap+1 .. limit-1 */
  txSlot *limit;
  int32_t *index; /* emitted index per slot, 0 = free */
  struct block *next;
} block_t;

typedef struct {
  txMachine *the;
  FILE *f;
  block_t *blocks;
  int32_t count;    /* next free index in the emitted heap */
  char **callbacks; /* names already declared */
  uint32_t callback_count, callback_capacity;
  uint32_t bigint_count;
} prep_t;

static void prep_fail(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fputs("xsarc: preparation: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  exit(1);
}

static int32_t slot_index(prep_t *p, const txSlot *slot) {
  for (block_t *b = p->blocks; b; b = b->next)
    if (slot > b->heap && slot < b->limit) return b->index[slot - b->heap];
  return -1;
}

/* A pointer to a heap slot as a C expression, or NULL. */
static void put_address(prep_t *p, const txSlot *slot) {
  if (!slot) {
    fputs("NULL", p->f);
    return;
  }
  int32_t i = slot_index(p, slot);
  if (i <= 0) prep_fail("a slot points outside the live heap (%p)", (const void *)slot);
  fprintf(p->f, "(txSlot *)&xs_prep_heap[%d]", i);
}

/* ".field = { a, b }" for the value members that are two slot pointers. */
static void put_pair(prep_t *p, const char *field, const txSlot *a, const txSlot *b) {
  fprintf(p->f, ".%s = { ", field);
  put_address(p, a);
  fputs(", ", p->f);
  put_address(p, b);
  fputs(" }", p->f);
}

static void put_string(prep_t *p, const char *s) {
  if (!s) {
    fputs("NULL", p->f);
    return;
  }
  fputs("(txString)\"", p->f);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if (*c == '"' || *c == '\\')
      fprintf(p->f, "\\%c", *c);
    else if (*c < 0x20 || *c >= 0x7F)
      fprintf(p->f, "\\%03o", *c);
    else if (*c == '?')
      fputs("\\?", p->f); /* no trigraphs */
    else
      fputc(*c, p->f);
  }
  fputc('"', p->f);
}

static void put_number(prep_t *p, double n) {
  if (n != n)
    fputs("C_NAN", p->f);
  else if (n == C_INFINITY)
    fputs("C_INFINITY", p->f);
  else if (n == -C_INFINITY)
    fputs("-C_INFINITY", p->f);
  else
    fprintf(p->f, "%a", n); /* hexadecimal: exact on any compiler */
}

/* The exported C name of a function pointer in this process (xsarc links with -rdynamic;
 * every XS built-in callback is an extern fx* function, the same symbol on the target). */
static const char *function_name(prep_t *p, const void *fn) {
  Dl_info info;
  if (!fn) return "NULL";
  if (!dladdr(fn, &info) || !info.dli_sname || info.dli_saddr != fn)
    prep_fail("no exported symbol for callback %p (static function?)", fn);
  for (uint32_t i = 0; i < p->callback_count; i++)
    if (!strcmp(p->callbacks[i], info.dli_sname)) return p->callbacks[i];
  if (p->callback_count == p->callback_capacity) {
    p->callback_capacity = p->callback_capacity ? 2 * p->callback_capacity : 512;
    p->callbacks = realloc(p->callbacks, p->callback_capacity * sizeof(char *));
    if (!p->callbacks) prep_fail("out of memory");
  }
  return p->callbacks[p->callback_count++] = strdup(info.dli_sname);
}

static int dispatch_index(const void *d, const void *base, size_t size) {
  for (int i = 0; i < mxTypeArrayCount; i++)
    if (d == (const char *)base + (size_t)i * size) return i;
  prep_fail("typed array dispatch %p is not in the XS tables", d);
  return -1;
}

/* One slot as an initialiser. `item` marks array items, whose first field holds the
 * index instead of a next pointer. `shared` adds XS_MARK_FLAG (heap, not stack). */
static void put_slot(prep_t *p, const txSlot *s, int item, int shared) {
  FILE *f = p->f;
  txFlag flag = s->flag;
  if (shared) flag |= XS_MARK_FLAG;
  if (s->kind == XS_INSTANCE_KIND && shared) flag |= XS_DONT_MARSHALL_FLAG;
  txKind kind = s->kind;
  if (kind == XS_STRING_KIND)
    kind = XS_STRING_X_KIND;
  else if (kind == XS_KEY_KIND)
    kind = XS_KEY_X_KIND;
  else if (kind == XS_CALLBACK_KIND)
    kind = XS_CALLBACK_X_KIND;
  else if (kind == XS_BIGINT_KIND)
    kind = XS_BIGINT_X_KIND;
  fputs("  { .next = ", f);
  if (item)
    fprintf(f, "(txSlot *)(uintptr_t)%d", *(const txInteger *)s);
  else
    put_address(p, s->next);
  fprintf(f, ", .ID = %d, .flag = 0x%02x, .kind = %d, .value", (int)s->ID, (unsigned)(txU1)flag,
          (int)kind);
  switch (s->kind) {
    case XS_UNINITIALIZED_KIND:
    case XS_UNDEFINED_KIND:
    case XS_NULL_KIND:
    case XS_STACK_KIND: fputs(".number = 0", f); break;
    case XS_BOOLEAN_KIND: fprintf(f, ".boolean = %d", s->value.boolean); break;
    case XS_INTEGER_KIND:
    case XS_PROMISE_KIND: fprintf(f, ".integer = %d", s->value.integer); break;
    case XS_NUMBER_KIND:
    case XS_DATE_KIND:
      fputs(".number = ", f);
      put_number(p, s->value.number);
      break;
    case XS_STRING_KIND:
    case XS_STRING_X_KIND:
      fputs(".string = ", f);
      put_string(p, s->value.string);
      break;
    case XS_SYMBOL_KIND: fprintf(f, ".symbol = %d", s->value.symbol); break;
    case XS_BIGINT_KIND:
    case XS_BIGINT_X_KIND:
      fprintf(f, ".bigint = { (txU4 *)B%u, %u, %u }", p->bigint_count++, s->value.bigint.size,
              s->value.bigint.sign);
      break;
    case XS_REFERENCE_KIND:
      fputs(".reference = ", f);
      put_address(p, s->value.reference);
      break;
    case XS_CLOSURE_KIND:
      fputs(".closure = ", f);
      put_address(p, s->value.closure);
      break;
    case XS_INSTANCE_KIND:
      fputs(".instance = { NULL, ", f);
      put_address(p, s->value.instance.prototype);
      fputs(" }", f);
      break;
    case XS_ARRAY_KIND:
      if (s->value.array.address)
        fprintf(f, ".array = { (txSlot *)&xs_prep_heap[%d], %u }", slot_index(p, s) + 2,
                s->value.array.length);
      else
        fprintf(f, ".array = { NULL, %u }", s->value.array.length);
      break;
    case XS_BUFFER_INFO_KIND:
      fprintf(f, ".bufferInfo = { %d, %d }", s->value.bufferInfo.length,
              s->value.bufferInfo.maxLength);
      break;
    case XS_CALLBACK_KIND:
    case XS_CALLBACK_X_KIND:
      fprintf(f, ".callback = { %s, ", function_name(p, (const void *)s->value.callback.address));
      put_address(p, s->value.callback.closures);
      fputs(" }", f);
      break;
    case XS_CODE_X_KIND:
      if (s->value.code.address != (txByte *)gxNoCode)
        prep_fail("bytecode outside gxNoCode: only built-ins can be prepared");
      fputs(".code = { (txByte *)gxNoCode, ", f);
      put_address(p, s->value.code.closures);
      fputs(" }", f);
      break;
    case XS_DATA_VIEW_KIND:
      fprintf(f, ".dataView = { %d, %d }", s->value.dataView.offset, s->value.dataView.size);
      break;
    case XS_HOST_KIND:
      if (s->value.host.data) prep_fail("host object with data");
      fprintf(f, ".host = { NULL, { .destructor = %s } }",
              function_name(p, (const void *)s->value.host.variant.destructor));
      break;
    case XS_MODULE_KIND:
    case XS_PROGRAM_KIND:
      fputs(".module = { ", f);
      put_address(p, s->value.module.realm);
      fprintf(f, ", %d }", s->value.module.id);
      break;
    case XS_PROXY_KIND: put_pair(p, "proxy", s->value.proxy.handler, s->value.proxy.target); break;
    case XS_TYPED_ARRAY_KIND:
      fprintf(
          f,
          ".typedArray = { (txTypeDispatch *)&gxTypeDispatches[%d], (txTypeAtomics "
          "*)&gxTypeAtomics[%d] }",
          dispatch_index(s->value.typedArray.dispatch, gxTypeDispatches, sizeof(txTypeDispatch)),
          dispatch_index(s->value.typedArray.atomics, gxTypeAtomics, sizeof(txTypeAtomics)));
      break;
    case XS_WEAK_MAP_KIND:
    case XS_WEAK_SET_KIND:
      fputs(".weakList = { ", f);
      put_address(p, s->value.weakList.first);
      fputs(", NULL }", f);
      break;
    case XS_ACCESSOR_KIND:
      put_pair(p, "accessor", s->value.accessor.getter, s->value.accessor.setter);
      break;
    case XS_AT_KIND: fprintf(f, ".at = { 0x%x, %d }", s->value.at.index, s->value.at.id); break;
    case XS_ERROR_KIND:
      fputs(".error = { ", f);
      put_address(p, s->value.error.info);
      fprintf(f, ", %d }", (int)s->value.error.which);
      break;
    case XS_HOME_KIND: put_pair(p, "home", s->value.home.object, s->value.home.module); break;
    case XS_KEY_KIND:
    case XS_KEY_X_KIND:
      fputs(".key = { ", f);
      put_string(p, s->value.key.string);
      fprintf(f, ", 0x%xu }", (unsigned)s->value.key.sum);
      break;
    case XS_LIST_KIND: put_pair(p, "list", s->value.list.first, s->value.list.last); break;
    case XS_PRIVATE_KIND:
      put_pair(p, "private", s->value.private.check, s->value.private.first);
      break;
    case XS_EXPORT_KIND:
      put_pair(p, "export", s->value.export.closure, s->value.export.module);
      break;
    default:
      /* Chunks we cannot place in flash (code, regexp, buffers, map tables) or kinds a
     * fresh machine never holds: refuse rather than emit something half-right. */
      prep_fail("slot kind %d is not supported in a preparation", (int)s->kind);
  }
  fputs(" },\n", f);
}

/* Alias IDs from 1 (0 = XS_NO_ID = "never aliased"): writable instances, and closures
 * whose variable can change, are copied into RAM by the clone on first write. */
static txID assign_aliases(prep_t *p) {
  txID alias = 1;
  for (block_t *b = p->blocks; b; b = b->next)
    for (txSlot *s = b->heap + 1; s < b->limit; s++) {
      if (!b->index[s - b->heap] || s->kind != XS_INSTANCE_KIND) continue;
      int frozen = (s->flag & XS_DONT_PATCH_FLAG) != 0;
      for (txSlot *q = s->next; frozen && q; q = q->next) {
        if (q->kind == XS_ARRAY_KIND && q->value.array.address) {
          txSlot *item = q->value.array.address;
          for (txIndex n = fxGetIndexSize(p->the, q); n > 0; n--, item++) {
            if (item->kind != XS_ACCESSOR_KIND && !(item->flag & XS_DONT_SET_FLAG)) frozen = 0;
            if (!(item->flag & XS_DONT_DELETE_FLAG)) frozen = 0;
          }
        } else {
          if (q->kind != XS_ACCESSOR_KIND && !(q->flag & XS_DONT_SET_FLAG)) frozen = 0;
          if (!(q->flag & XS_DONT_DELETE_FLAG)) frozen = 0;
        }
      }
      s->ID = frozen ? XS_NO_ID : alias++;
    }
  for (block_t *b = p->blocks; b; b = b->next)
    for (txSlot *s = b->heap + 1; s < b->limit; s++) {
      if (!b->index[s - b->heap] || s->kind != XS_CLOSURE_KIND) continue;
      txSlot *closure = s->value.closure;
      if (closure->flag & XS_DONT_SET_FLAG) {
        if (closure->ID != XS_NO_ID) closure->flag |= XS_DONT_DELETE_FLAG;
      } else {
        if (closure->ID == XS_NO_ID) closure->ID = alias++;
        s->flag &= ~XS_DONT_SET_FLAG;
      }
    }
  return alias;
}

/* Turns the machine into a root the clone expects (what fxShareMachine does before its
 * own sharing): no realm in the modules, mxException = realm closures, mxProgram = module
 * list, mxHosts = module IDs, job queues dropped; then collects garbage. */
static void make_root(txMachine *the) {
  txSlot *realm = mxModuleInstanceInternal(mxProgram.value.reference)->value.module.realm;
  txSlot *modules = mxOwnModules(realm)->value.reference;
  for (txSlot *m = modules->next; m; m = m->next)
    mxModuleInstanceInternal(m->value.reference)->value.module.realm = NULL;
  mxModuleInstanceInternal(mxProgram.value.reference)->value.module.realm = NULL;
  mxException.kind = XS_REFERENCE_KIND;
  mxException.value.reference = mxRealmClosures(realm)->value.reference;
  mxProgram.value.reference = modules;
  txSlot *target = fxNewInstance(the);
  for (txSlot *m = modules->next; m; m = m->next) {
    target = target->next = fxNewSlot(the);
    target->value.symbol = mxModuleInstanceInternal(m->value.reference)->value.module.id;
    target->kind = XS_SYMBOL_KIND;
    target->ID = target->value.symbol;
  }
  mxPull(mxHosts);
  mxModuleQueue = mxUndefined;
  mxDuringJobs = mxUndefined;
  mxFinalizationRegistries = mxUndefined;
  mxPendingJobs = mxUndefined;
  mxRunningJobs = mxUndefined;
  mxBreakpoints = mxUndefined;
  mxHostInspectors = mxUndefined;
  mxInstanceInspectors = mxUndefined;
  /* The global's intrinsics cache (XS_GLOBAL_KIND table) is written on lookup misses, and
   * flash cannot be written: make the root global an ordinary object, the shape XS builds
   * under mxLink. The clone's own global is an ordinary object with this one as prototype. */
  txSlot *global = mxGlobal.value.reference;
  if (global->next && global->next->kind == XS_GLOBAL_KIND) {
    global->next = global->next->next;
    global->flag &= ~XS_EXOTIC_FLAG;
  }
  fxCollectGarbage(the);
}

static void put_table(prep_t *p, const char *name, txSlot **table, txSize count) {
  fprintf(p->f, "static txSlot *const %s[%d] = {\n", name, (int)(count ? count : 1));
  for (txSize i = 0; i < count; i++) {
    fputs("  ", p->f);
    put_address(p, table[i]);
    fputs(",\n", p->f);
  }
  if (!count) fputs("  NULL,\n", p->f);
  fputs("};\n\n", p->f);
}

xsprep_stats_t xsprep_write(txMachine *the, const char *path, const int32_t *c) {
  prep_t prep = {0}, *p = &prep;
  xsprep_stats_t stats = {0};
  p->the = the;
  make_root(the);

  /* Free slots after the collection: the free list. */
  block_t **tail = &p->blocks;
  for (txSlot *heap = the->firstHeap; heap; heap = heap->next) {
    block_t *b = calloc(1, sizeof(block_t));
    if (!b) prep_fail("out of memory");
    b->heap = heap;
    b->limit = heap->value.reference;
    b->index = calloc((size_t)(b->limit - heap), sizeof(int32_t));
    if (!b->index) prep_fail("out of memory");
    *tail = b;
    tail = &b->next;
  }
  uint8_t **free_maps = calloc(64, sizeof(uint8_t *));
  uint32_t block_count = 0;
  for (block_t *b = p->blocks; b; b = b->next) {
    if (block_count == 64) prep_fail("too many heap blocks");
    free_maps[block_count++] = calloc((size_t)(b->limit - b->heap), 1);
  }
  for (txSlot *s = the->freeHeap; s; s = s->next) {
    uint32_t k = 0;
    for (block_t *b = p->blocks; b; b = b->next, k++)
      if (s > b->heap && s < b->limit) free_maps[k][s - b->heap] = 1;
  }
  /* Indexes: 0 is the heap header; an array with items takes its slot, a fake chunk
   * header and the items, contiguously. */
  p->count = 1;
  uint32_t k = 0;
  for (block_t *b = p->blocks; b; b = b->next, k++)
    for (txSlot *s = b->heap + 1; s < b->limit; s++) {
      if (free_maps[k][s - b->heap]) continue;
      b->index[s - b->heap] = p->count++;
      stats.slots++;
      if (s->kind == XS_ARRAY_KIND && s->value.array.address) {
        txIndex n = fxGetIndexSize(the, s);
        p->count += 1 + (int32_t)n;
        stats.items += n;
      }
    }
  txID alias_count = assign_aliases(p);

  char *tmp = malloc(strlen(path) + 8);
  sprintf(tmp, "%s.tmp", path);
  p->f = fopen(tmp, "w");
  if (!p->f) prep_fail("cannot write %s", path);
  FILE *body = tmpfile();
  if (!body) prep_fail("no temporary file");
  FILE *f = p->f;
  p->f = body;

  /* Heap. */
  fprintf(body, "static const txSlot xs_prep_heap[%d] = {\n", p->count + 1);
  fprintf(body,
          "  { .next = NULL, .ID = 0, .flag = 0x80, .kind = XS_REFERENCE_KIND, .value.reference = "
          "(txSlot *)&xs_prep_heap[%d] },\n",
          p->count);
  k = 0;
  for (block_t *b = p->blocks; b; b = b->next, k++)
    for (txSlot *s = b->heap + 1; s < b->limit; s++) {
      if (!b->index[s - b->heap]) continue;
      put_slot(p, s, 0, 1);
      if (s->kind == XS_ARRAY_KIND && s->value.array.address) {
        txIndex n = fxGetIndexSize(the, s);
        /* txChunk.size lies in the value of this slot, i.e. sizeof(txChunk) bytes before
         * the first item, exactly where fxGetIndexSize looks. */
        fprintf(body,
                "  { .next = NULL, .ID = 0, .flag = 0x80, .kind = XS_INTEGER_KIND, .value.integer "
                "= %u * sizeof(txSlot) },\n",
                n);
        for (txIndex i = 0; i < n; i++) put_slot(p, s->value.array.address + i, 1, 1);
      }
    }
  fputs(
      "  { .next = NULL, .ID = 0, .flag = 0x80, .kind = XS_REFERENCE_KIND, .value.reference = NULL "
      "},\n};\n\n",
      body);

  /* Stack: the root's prototypes and machine values, top part only. */
  txSize stack_count = (txSize)(the->stackTop - the->stack);
  fprintf(body, "static const txSlot xs_prep_stack[%d] = {\n", (int)stack_count);
  for (txSlot *s = the->stack; s < the->stackTop; s++) put_slot(p, s, 0, 0);
  fputs("};\n\n", body);

  put_table(p, "xs_prep_keys", the->keyArray, the->keyIndex);
  put_table(p, "xs_prep_names", the->nameTable, the->nameModulo);
  put_table(p, "xs_prep_symbols", the->symbolTable, the->symbolModulo);

  fprintf(body, "static const txPreparation xs_prep = {\n");
  fprintf(body, "  .version = { XS_MAJOR_VERSION, XS_MINOR_VERSION, XS_PATCH_VERSION, 0 },\n");
  fprintf(body, "  .aliasCount = %d,\n  .heapCount = %d,\n  .heap = (txSlot *)xs_prep_heap,\n",
          (int)alias_count, p->count + 1);
  fprintf(body, "  .stackCount = %d,\n  .stack = (txSlot *)xs_prep_stack,\n  .colors = NULL,\n",
          (int)stack_count);
  fprintf(body, "  .keyCount = %d,\n  .keys = (txSlot **)xs_prep_keys,\n", (int)the->keyIndex);
  fprintf(body, "  .nameModulo = %d,\n  .names = (txSlot **)xs_prep_names,\n",
          (int)the->nameModulo);
  fprintf(body, "  .symbolModulo = %d,\n  .symbols = (txSlot **)xs_prep_symbols,\n",
          (int)the->symbolModulo);
  fprintf(body, "  .scriptCount = 0,\n  .scripts = NULL,\n  .profileID = %d,\n",
          (int)the->profileID);
  fprintf(body, "  .creation = { %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d },\n", c[0], c[1],
          c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);
  fprintf(body, "  .main = NULL,\n};\n\n");
  fprintf(body, "const void *const xsinfer_xs_preparation = &xs_prep;\n");

  /* Header, declarations, then the body. */
  fprintf(f,
          "/* xs_preparation.c – generated by xsarc: the XS built-ins (%u slots, %u array items,\n"
          " * %u keys) as a txPreparation in flash for fxPrepareMachine. Do not edit. */\n",
          stats.slots, stats.items, (unsigned)the->keyIndex);
  fprintf(f, "#include \"xsAll.h\"\n\n");
  fprintf(
      f,
      "_Static_assert(XS_MAJOR_VERSION == %d && XS_MINOR_VERSION == %d && XS_PATCH_VERSION == %d,\n"
      "               \"xs_preparation.c was generated for another XS version\");\n\n",
      XS_MAJOR_VERSION, XS_MINOR_VERSION, XS_PATCH_VERSION);
  for (uint32_t i = 0; i < p->callback_count; i++)
    fprintf(f, "extern void %s(txMachine *);\n", p->callbacks[i]);
  fprintf(f, "\nstatic const txSlot xs_prep_heap[%d];\n\n", p->count + 1);
  if (p->bigint_count) prep_fail("BigInt constants in the built-ins are not supported");
  rewind(body);
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), body)) > 0)
    if (fwrite(buffer, 1, n, f) != n) prep_fail("cannot write %s", path);
  fclose(body);
  if (fclose(f)) prep_fail("cannot write %s", path);
  if (rename(tmp, path)) prep_fail("cannot write %s", path);
  free(tmp);
  stats.heap_count = (uint32_t)p->count + 1;
  stats.stack_count = (uint32_t)stack_count;
  stats.aliases = (uint32_t)alias_count;
  stats.keys = (uint32_t)the->keyIndex;
  stats.callbacks = p->callback_count;
  return stats;
}
