/*
 * xs_modules.c – maps an XS_A archive in place from flash (symbols registered in archive
 * order, IDs checked against the host's prediction, nothing written), resolves and loads
 * its modules for XS (fxFindModule/fxLoadModule), binds `@ "name"` host functions from
 * the archive's trailing HOST atom, and wraps C memory as typed-array views.
 *
 * Archive layout (big-endian atom sizes, tags as in xsCommon.h): XS_A { VERS SIGN NAME
 * SYMB IDEN MAPS MODS{PATH CODE}* RSRC{PATH DATA}* HOST? }. HOST is ours: records of
 * { u16 module index, u16 count, count × { s8 length, u16 key ID, C name NUL } }, all
 * little endian. XS's own fxMapArchive stops after RSRC, so the extra atom is harmless.
 * A deployed archive (xsarc --base) maps as an overlay on top of the built-in one and
 * carries one more atom of ours after HOST: DEPL { u32 format, u32 CRC-32 of the base
 * archive, u32 reserved, main module path NUL }, little endian.
 */
#include "xsAll.h"

#include "xs_internal.h"
#include "xsinfer_xs.h"

#define MAX_MODULES          96
#define XS_ATOM_DEPLOY       0x4445504Cu /* 'DEPL' */
#define DEPLOY_FORMAT        1u
#define MAX_HOSTS_PER_MODULE 64
#define MAX_PATH             128

typedef struct module {
  const char *path;
  const uint8_t *code;
  uint32_t code_bytes;
  const uint8_t *hosts; /* at the record's count field, or NULL */
  txID id;
} module_t;

static module_t modules[MAX_MODULES];
static uint32_t module_count;
static const module_t *loading; /* module whose body fxResolveModule is about to run */
static const xsinfer_xs_host_t *host_table;
static uint32_t host_table_count;

void xsinfer_xs_set_hosts(const struct xsinfer_xs_host *hosts, uint32_t count) {
  host_table = hosts;
  host_table_count = count;
}

uint32_t xsinfer_xs_module_count(void) {
  return module_count;
}

const char *xsinfer_xs_module_path(uint32_t index) {
  return index < module_count ? modules[index].path : NULL;
}

/* ---- archive reading ---- */

static uint32_t be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint16_t le16(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

typedef struct atom {
  const uint8_t *data; /* payload */
  uint32_t bytes;      /* payload size */
  uint32_t tag;
} atom_t;

/* Reads the atom at *p (bounded by end); advances *p past it. */
static int next_atom(const uint8_t **p, const uint8_t *end, atom_t *out) {
  if (end - *p < 8) return 0;
  uint32_t size = be32(*p);
  if (size < 8 || size > (uint32_t)(end - *p)) return 0;
  out->tag = be32(*p + 4);
  out->data = *p + 8;
  out->bytes = size - 8;
  *p += size;
  return 1;
}

static int expect_atom(const uint8_t **p, const uint8_t *end, uint32_t tag, atom_t *out) {
  return next_atom(p, end, out) && out->tag == tag;
}

/* A NUL-terminated string inside [p, end); returns its end+1 or NULL. */
static const uint8_t *skip_string(const uint8_t *p, const uint8_t *end) {
  while (p < end && *p) p++;
  return p < end ? p + 1 : NULL;
}

static int host_known(const char *cname) {
  for (uint32_t k = 0; k < host_table_count; k++)
    if (!c_strcmp(host_table[k].name, cname)) return 1;
  return 0;
}

/* overlay: append the modules to those already mapped (later archives shadow earlier
 * ones) and demand the exact XS version and every host function at once, so a deployed
 * archive that would fail at import is refused before it replaces anything. */
/* Whether the machine already has the archive's symbols with their predicted IDs: the
 * preparation the firmware was built with registered them (xsarc). Checked on the last
 * symbol (registered last, so all before it are there) and on the first; the archive
 * and the preparation come from one xsarc run, so a match is that archive's. */
static int symbols_prepared(txMachine *the, const uint8_t *names, const uint8_t *end,
                            const uint8_t *iden, uint16_t count) {
  if (count < 2) return 0;
  const uint8_t *first = skip_string(names, end); /* entry 0 is "" */
  if (!first || end - first < 2 || end[-1] != 0) return 0;
  /* The last name ends at the atom's end: back to the NUL before it. */
  const uint8_t *last = end - 1;
  while (last > first && last[-1] != 0) last--;
  txID first_id = (txID)le16(iden + 2u);
  txID last_id = (txID)le16(iden + 2u * (count - 1u));
  if (last_id >= the->keyIndex || first_id >= the->keyIndex) return 0;
  const char *a = fxGetKeyName(the, first_id);
  const char *b = fxGetKeyName(the, last_id);
  return a && b && !c_strcmp(a, (const char *)first) && !c_strcmp(b, (const char *)last);
}

static int32_t map_archive(txMachine *the, const uint8_t *archive, uint32_t size, int overlay) {
  const uint8_t *p = archive;
  const uint8_t *end = archive + size;
  atom_t whole, vers, sign, name, symb, iden, maps, mods, rsrc, host;
  if (!next_atom(&p, end, &whole) || whole.tag != XS_ATOM_ARCHIVE) return -1;
  p = whole.data;
  end = whole.data + whole.bytes;
  if (!expect_atom(&p, end, XS_ATOM_VERSION, &vers) || vers.bytes != 4) return -1;
  if (vers.data[0] != XS_MAJOR_VERSION || vers.data[1] != XS_MINOR_VERSION) return -2;
  if (overlay && vers.data[2] != XS_PATCH_VERSION) return -2;
  if (!expect_atom(&p, end, XS_ATOM_SIGNATURE, &sign) || sign.bytes != XS_DIGEST_SIZE) return -1;
  if (!expect_atom(&p, end, XS_ATOM_NAME, &name)) return -1;
  if (!expect_atom(&p, end, XS_ATOM_SYMBOLS, &symb) || symb.bytes < 2) return -1;
  if (!expect_atom(&p, end, XS_ATOM_IDENTIFIERS, &iden)) return -1;
  if (!expect_atom(&p, end, XS_ATOM_MAPS, &maps)) return -1;
  if (!expect_atom(&p, end, XS_ATOM_MODULES, &mods)) return -1;
  if (!expect_atom(&p, end, XS_ATOM_RESOURCES, &rsrc)) return -1;
  int has_hosts = next_atom(&p, end, &host) && host.tag == XS_ATOM_HOSTS;
  if (overlay && !has_hosts) return -1; /* xsarc always writes HOST, if empty */

  /* Symbols first, in archive order, before anything else creates a key: the code in
   * flash already holds the IDs the host predicted for this exact order. */
  uint16_t count = le16(symb.data);
  if (iden.bytes != (uint32_t)count * 2u) return -1;
  const uint8_t *s = symb.data + 2;
  const uint8_t *s_end = symb.data + symb.bytes;
  if (count == 0 || !(s = skip_string(s, s_end))) return -1; /* entry 0 is "" */
  int32_t mismatches = 0;
  if (!overlay && symbols_prepared(the, symb.data + 2, s_end, iden.data, count)) {
    /* The flash preparation holds them already, with these IDs (xsarc --out-prep). */
  } else {
    for (uint16_t i = 1; i < count; i++) {
      const uint8_t *next = skip_string(s, s_end);
      if (!next) return -1;
      txID id = fxNewNameX(the, (txString)s);
      if (id != le16(iden.data + 2u * i)) mismatches++;
      s = next;
    }
  }
  if (mismatches) return -100 - mismatches;

  uint32_t first = overlay ? module_count : 0;
  module_count = first;
  const uint8_t *m = mods.data;
  const uint8_t *m_end = mods.data + mods.bytes;
  atom_t path, code;
  while (m < m_end) {
    if (!expect_atom(&m, m_end, XS_ATOM_PATH, &path) ||
        !expect_atom(&m, m_end, XS_ATOM_CODE, &code))
      return -1;
    if (path.bytes == 0 || path.data[path.bytes - 1] != 0) return -1;
    if (module_count == MAX_MODULES) return -3;
    module_t *mod = &modules[module_count++];
    mod->path = (const char *)path.data;
    mod->code = code.data;
    mod->code_bytes = code.bytes;
    mod->hosts = NULL;
    mod->id = fxNewNameX(the, (txString)path.data); /* in SYMB, so no new key */
  }
  if (has_hosts) {
    const uint8_t *h = host.data;
    const uint8_t *h_end = host.data + host.bytes;
    while (h_end - h >= 4) {
      uint32_t index = first + le16(h);
      uint16_t n = le16(h + 2);
      if (index >= module_count) return -1;
      modules[index].hosts = h + 2;
      h += 4;
      for (uint16_t i = 0; i < n; i++) {
        if (h_end - h < 4) return -1;
        const uint8_t *cname = h + 3;
        if (!(h = skip_string(cname, h_end))) return -1;
        if (overlay && !host_known((const char *)cname)) return -4;
      }
    }
  }
  return 0;
}

static int32_t map_checked(xsMachine *the, const uint8_t *archive, uint32_t size, int overlay) {
  volatile int32_t result = -1; /* survives the longjmp of an exception */
  volatile uint32_t before = module_count;
  xsBeginHost(the);
  {
    xsTry {
      result = map_archive(the, archive, size, overlay);
    }
    xsCatch {
      result = -1;
    }
  }
  xsEndHost(the);
  if (result != 0) module_count = overlay ? before : 0;
  return result;
}

int32_t xsinfer_xs_map(xsMachine *the, const uint8_t *archive, uint32_t size) {
  int32_t result = map_checked(the, archive, size, 0);
  if (result != 0) xsinfer_xs_printf("xs: %s\n", xsinfer_xs_map_error(result));
  return result;
}

int32_t xsinfer_xs_map_overlay(xsMachine *the, const uint8_t *archive, uint32_t size) {
  return map_checked(the, archive, size, 1);
}

const char *xsinfer_xs_map_error(int32_t result) {
  switch (result) {
    case 0: return "ok";
    case -1: return "archive malformed";
    case -2: return "archive built for another XS version";
    case -3: return "archive has too many modules";
    case -4:
      return "archive calls a native function this firmware lacks (native-module ABI mismatch)";
    default:
      return "archive symbols did not get their predicted IDs (built for another base image)";
  }
}

int32_t xsinfer_xs_deploy_info(const uint8_t *archive, uint32_t size,
                               xsinfer_xs_deploy_info_t *out) {
  const uint8_t *p = archive;
  const uint8_t *end = archive + size;
  atom_t whole, a;
  c_memset(out, 0, sizeof(*out));
  out->xs_runtime[0] = XS_MAJOR_VERSION;
  out->xs_runtime[1] = XS_MINOR_VERSION;
  out->xs_runtime[2] = XS_PATCH_VERSION;
  if (!next_atom(&p, end, &whole) || whole.tag != XS_ATOM_ARCHIVE) return -1;
  p = whole.data;
  end = whole.data + whole.bytes;
  if (!expect_atom(&p, end, XS_ATOM_VERSION, &a) || a.bytes != 4) return -1;
  out->xs_version[0] = a.data[0];
  out->xs_version[1] = a.data[1];
  out->xs_version[2] = a.data[2];
  if (a.data[0] != XS_MAJOR_VERSION || a.data[1] != XS_MINOR_VERSION ||
      a.data[2] != XS_PATCH_VERSION)
    return -2;
  while (next_atom(&p, end, &a)) {
    if (a.tag != XS_ATOM_DEPLOY) continue;
    if (a.bytes < 13 || le32(a.data) != DEPLOY_FORMAT) return -5;
    if (!skip_string(a.data + 12, a.data + a.bytes)) return -1;
    out->base_crc = le32(a.data + 4);
    out->main_module = (const char *)a.data + 12;
    return 0;
  }
  return -5;
}

/* ---- module resolution and loading ---- */

static const module_t *module_by_id(txID id) {
  for (uint32_t i = module_count; i-- > 0;)
    if (modules[i].id == id) return &modules[i];
  return NULL;
}

static void strip_extension(char *path) {
  char *dot = c_strrchr(path, '.');
  char *slash = c_strrchr(path, '/');
  if (dot && (!slash || dot > slash) &&
      (!c_strcmp(dot, ".js") || !c_strcmp(dot, ".mjs") || !c_strcmp(dot, ".ts")))
    *dot = 0;
}

/* Joins a relative specifier ("./x", "../y/z") to the directory of `base`. */
static int join_relative(char *out, const char *base, const char *spec) {
  size_t len = c_strlen(base);
  if (len >= MAX_PATH) return 0;
  c_memcpy(out, base, len + 1);
  char *slash = c_strrchr(out, '/');
  len = slash ? (size_t)(slash - out) : 0;
  out[len] = 0;
  while (1) {
    if (spec[0] == '.' && spec[1] == '/')
      spec += 2;
    else if (spec[0] == '.' && spec[1] == '.' && spec[2] == '/') {
      if (len == 0) return 0; /* above the archive root */
      slash = c_strrchr(out, '/');
      len = slash ? (size_t)(slash - out) : 0;
      out[len] = 0;
      spec += 3;
    } else
      break;
  }
  size_t rest = c_strlen(spec);
  if (len + 1 + rest >= MAX_PATH) return 0;
  if (len) out[len++] = '/';
  c_memcpy(out + len, spec, rest + 1);
  return 1;
}

txID fxFindModule(txMachine *the, txSlot *realm, txID referrer, txSlot *name) {
  (void)realm;
  char spec[MAX_PATH];
  char path[MAX_PATH];
  fxToStringBuffer(the, name, spec, sizeof(spec));
  if (spec[0] == '.' && (spec[1] == '/' || (spec[1] == '.' && spec[2] == '/'))) {
    if (referrer == XS_NO_ID) return XS_NO_ID;
    if (!join_relative(path, fxGetKeyName(the, referrer), spec)) return XS_NO_ID;
  } else {
    c_strcpy(path, spec);
  }
  strip_extension(path);
  for (uint32_t i = module_count; i-- > 0;)
    if (!c_strcmp(modules[i].path, path)) return modules[i].id;
  return XS_NO_ID;
}

static void build_hosts(txMachine *the) {
  static txHostFunctionBuilder builders[MAX_HOSTS_PER_MODULE];
  const module_t *mod = loading;
  const uint8_t *h = mod->hosts;
  uint16_t n = le16(h);
  if (n > MAX_HOSTS_PER_MODULE)
    mxRangeError("module %s declares %d host functions (max %d)", mod->path, n,
                 MAX_HOSTS_PER_MODULE);
  h += 2;
  for (uint16_t i = 0; i < n; i++) {
    const char *cname = (const char *)h + 3;
    txCallback callback = NULL;
    for (uint32_t k = 0; k < host_table_count; k++) {
      if (!c_strcmp(host_table[k].name, cname)) {
        callback = host_table[k].callback;
        break;
      }
    }
    if (!callback)
      mxReferenceError("host function \"%s\" (module %s) is not in this firmware", cname,
                       mod->path);
    builders[i].callback = callback;
    builders[i].length = (txS1)h[0];
    builders[i].id = le16(h + 1);
    h += 3 + c_strlen(cname) + 1;
  }
  /* fxBuildHosts copies each builder into a function object, so the static array can be
   * reused by the next module. */
  fxBuildHosts(the, n, builders);
  mxPullSlot(mxResult);
}

void fxLoadModule(txMachine *the, txSlot *module, txID moduleID) {
  const module_t *mod = module_by_id(moduleID);
  if (!mod) return;
  txScript script;
  c_memset(&script, 0, sizeof(script));
  /* No symbolsBuffer: fxRunScript would remap the code in place and free it. */
  script.callback = mod->hosts ? (void *)build_hosts : NULL;
  script.codeBuffer = (txS1 *)mod->code;
  script.codeSize = (txSize)mod->code_bytes;
  script.path = (txString)mod->path;
  script.version[0] = XS_MAJOR_VERSION;
  script.version[1] = XS_MINOR_VERSION;
  script.version[2] = XS_PATCH_VERSION;
  const module_t *outer = loading;
  loading = mod;
  fxResolveModule(the, module, moduleID, &script, C_NULL, C_NULL);
  loading = outer;
}

/* ---- typed-array views over C memory ---- */

void xsinfer_xs_view(xsMachine *the, xsSlot *out, const char *ctor, void *data, uint32_t bytes,
                     int read_only) {
  /* The host object becomes an ArrayBuffer-like: typed arrays read host.data through
   * the same union member as an ArrayBuffer's address, bounded by the buffer info that
   * fxSetHostBuffer attaches. It stays on the XS stack (a GC root) until the view holds it. */
  txID id = fxFindID(the, (txString)ctor);
  if (id == XS_NO_ID) mxTypeError("no constructor %s", ctor);
  fxNewHostObject(the, NULL);
  txSlot *host = the->stack;
  fxSetHostBuffer(the, host, data, (txSize)bytes);
  if (read_only) fxPetrifyHostBuffer(the, host);
  *out = xsNew1(xsGlobal, id, *host);
  mxPop();
}

/* XS has no public call for a typed array's memory: a typed-array instance is an object
 * whose first internal property holds its type dispatch (an entry of gxTypeDispatches),
 * then the view (byte offset and size, size < 0 tracking a resizable buffer), then a
 * reference to its buffer, whose first property holds the address (an ArrayBuffer's
 * chunk or a host buffer's C memory, NULL once detached) and its flags (XS_DONT_SET_FLAG:
 * read only); xsDataView.c reads them the same way. fxGetDataViewSize gives 0 for a view
 * out of its (resized) buffer's bounds. */
/* gxTypeDispatches' order (xsDefaults.c) → ours. */
static const uint8_t typed_kinds[mxTypeArrayCount] = {
    XSINFER_TYPED_BIGINT64, XSINFER_TYPED_BIGUINT64,    XSINFER_TYPED_FLOAT32,
    XSINFER_TYPED_FLOAT64,  XSINFER_TYPED_INT8,         XSINFER_TYPED_INT16,
    XSINFER_TYPED_INT32,    XSINFER_TYPED_UINT8,        XSINFER_TYPED_UINT16,
    XSINFER_TYPED_UINT32,   XSINFER_TYPED_UINT8_CLAMPED};

int xsinfer_xs_typed_array(xsMachine *the, const xsSlot *value, xsinfer_xs_typed_t *out) {
  const txSlot *slot = (const txSlot *)value;
  if (slot->kind != XS_REFERENCE_KIND) return -1;
  txSlot *instance = slot->value.reference;
  txSlot *dispatch = instance->next;
  if (!dispatch || dispatch->kind != XS_TYPED_ARRAY_KIND) return -1;
  txSlot *view = dispatch->next;
  txSlot *buffer = view->next;
  const txTypeDispatch *type = dispatch->value.typedArray.dispatch;
  ptrdiff_t index = type - gxTypeDispatches;
  if (index < 0 || index >= mxTypeArrayCount) return -1;
  txSlot *array_buffer = buffer->value.reference->next;
  if (array_buffer->value.arrayBuffer.address == C_NULL) return -2;
  txInteger bytes = fxGetDataViewSize(the, view, buffer);
  out->data = (uint8_t *)array_buffer->value.arrayBuffer.address + view->value.dataView.offset;
  out->length = (uint32_t)bytes >> type->shift;
  out->kind = typed_kinds[index];
  out->element_bytes = (uint8_t)type->size;
  out->read_only = (array_buffer->flag & XS_DONT_SET_FLAG) != 0;
  return 0;
}

/* A host function's frame (xs.h's xsArgc and xsArg): the argument count at frame[-1],
 * argument i at frame[-2 - i]. Read in place, without xs.h's copy into the scratch slot
 * and its call per accessor. */
static txSlot *host_arg(xsMachine *the, int32_t index) {
  txSlot *frame = the->frame;
  if (index < 0 || index >= (frame - 1)->value.integer) return C_NULL;
  return frame - 2 - index;
}

int xsinfer_xs_arg_number(xsMachine *the, int32_t index, int32_t *integer, double *number) {
  return xsinfer_xs_number((const xsSlot *)host_arg(the, index), integer, number);
}

int xsinfer_xs_arg_integer(xsMachine *the, int32_t index, int32_t *out) {
  const txSlot *arg = host_arg(the, index);
  if (!arg || arg->kind != XS_INTEGER_KIND) return 0;
  *out = arg->value.integer;
  return 1;
}

void xsinfer_xs_result_integer(xsMachine *the, int32_t value) {
  txSlot *result = mxResult;
  result->kind = XS_INTEGER_KIND;
  result->value.integer = value;
}

int xsinfer_xs_number(const xsSlot *value, int32_t *integer, double *number) {
  const txSlot *arg = (const txSlot *)value;
  if (!arg || arg->kind == XS_UNDEFINED_KIND) return XSINFER_ARG_ABSENT;
  if (arg->kind == XS_INTEGER_KIND) {
    *integer = arg->value.integer;
    *number = arg->value.integer;
    return XSINFER_ARG_INTEGER;
  }
  if (arg->kind == XS_NUMBER_KIND) {
    *number = arg->value.number;
    return XSINFER_ARG_NUMBER;
  }
  return XSINFER_ARG_OTHER;
}

int xsinfer_xs_arg_typed(xsMachine *the, int32_t index, xsinfer_xs_typed_t *out) {
  const txSlot *arg = host_arg(the, index);
  if (!arg) return -3;
  return xsinfer_xs_typed_array(the, (const xsSlot *)arg, out);
}

/* ---- host functions bound to values ---- */

/* XS has no public call for a host function with data of its own. A host function's
 * second internal property is its home slot, whose `object` (a method's [[HomeObject]],
 * for `super`) XS leaves NULL for host functions and never reads for them; the collector
 * marks the instance it points at with the marker of the collection in progress
 * (xsMemory.c, XS_HOME_KIND). (The callback slot's `closures` would be marked with
 * fxMarkValue even in a non-compacting collection, setting chunk marks that collection
 * never clears: not usable for values that own chunks.) The binding is an ordinary XS
 * array held there, [params, values...]: params a host object whose chunk holds the C
 * parameters, then the bound values. It is kept alive with the function, swept and moved
 * like any array, and read in place by the callback. */
void xsinfer_xs_bind(xsMachine *the, xsSlot *out, const char *name, xsCallback callback,
                     int32_t length, const xsSlot *values, int32_t count, const void *params,
                     uint32_t params_bytes) {
  txID id = name ? fxID(the, (txString)name) : XS_NO_ID;
  fxNewArray(the, count + 1); /* stack: array (rooted while the rest allocates) */
  fxNewHostObject(the, NULL); /* stack: params, array */
  fxSetHostChunk(the, the->stack, (void *)params, (txSize)params_bytes);
  txSlot *host = the->stack; /* stack slots stay put while more are pushed */
  txSlot *array = the->stack + 1;
  for (int32_t i = 0; i <= count; i++) {
    txSlot *value = i == 0 ? host : (txSlot *)&values[i - 1];
    mxPushSlot(value);
    mxPushSlot(array);
    fxSetIndex(the, (txIndex)i); /* consumes the array, leaves the value */
    mxPop();
  }
  mxPop();                                                /* stack: array */
  fxNewHostFunction(the, callback, length, id, XS_NO_ID); /* stack: function, array */
  mxFunctionInstanceHome(the->stack->value.reference)->value.home.object =
      (the->stack + 1)->value.reference;
  *out = *(xsSlot *)the->stack;
  the->stack += 2;
}

const xsSlot *xsinfer_xs_bound(xsMachine *the, int32_t *count, const void **params) {
  /* A host call's function slot is always a reference to a function instance, whose
   * second property is its home slot; a bound function's home object is the binding
   * array (a method's would be an object without an array behaviour). */
  txSlot *binding = mxFunctionInstanceHome(mxFunction->value.reference)->value.home.object;
  txSlot *array = binding ? binding->next : C_NULL;
  if (!array || array->kind != XS_ARRAY_KIND) {
    *count = 0;
    *params = C_NULL;
    return C_NULL;
  }
  txSlot *items = array->value.array.address;
  *params = items[0].value.reference->next->value.host.data;
  *count = (int32_t)array->value.array.length - 1;
  return (const xsSlot *)(items + 1);
}

/* object[id] = a number, in place when the object is an ordinary RAM object that owns a
 * writable data property `id` (what XS's own set ends with: kind and value replaced);
 * anything else (missing, accessor, read only, exotic, aliased in flash) through xsSet. */
void xsinfer_xs_set_number(xsMachine *the, const xsSlot *object, xsIdentifier id, int is_integer,
                           int32_t integer, double number) {
  const txSlot *ref = (const txSlot *)object;
  if (ref->kind == XS_REFERENCE_KIND) {
    txSlot *instance = ref->value.reference;
    txSlot *p = instance->next;
    if (instance->ID == XS_NO_ID && !(instance->flag & XS_EXOTIC_FLAG) &&
        !(p && (p->flag & XS_INTERNAL_FLAG))) {
      while (p && p->ID != id) p = p->next;
      if (p && p->kind != XS_ACCESSOR_KIND && !(p->flag & XS_DONT_SET_FLAG)) {
        if (is_integer) {
          p->kind = XS_INTEGER_KIND;
          p->value.integer = integer;
        } else {
          p->kind = XS_NUMBER_KIND;
          p->value.number = number;
        }
        return;
      }
    }
  }
  if (is_integer)
    xsSet(*object, id, xsInteger(integer));
  else
    xsSet(*object, id, xsNumber(number));
}
