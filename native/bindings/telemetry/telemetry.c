/*
 * telemetry.c – host function of the JS module "telemetry": send(name, value) walks the JS
 * value with the xsmc API and writes it as msgpack into the record the program's sink
 * opened (contract and value mapping in telemetry/telemetry.h).
 */
#include "telemetry/telemetry.h"

#include <math.h>
#include <string.h>

#include "xsmc.h"

static const xsinfer_telemetry_sink_t *sink;
/* Set while a value is being walked: a getter or proxy trap that calls send() again
 * would otherwise write into the record that is still open. */
static int busy;

void xsinfer_telemetry_set_sink(const xsinfer_telemetry_sink_t *s) {
  sink = s;
}

/* Built-in keys. XS creates its built-in keys in one fixed order in every machine, so
 * the IDs stay valid when a program deletes the machine and creates another (deploy). */
static struct {
  int ready;
  xsIdentifier length, buffer, byte_offset, object, keys, get_prototype_of, constructor, name,
      symbol, to_string_tag;
} ids;

static void ensure_ids(xsMachine *the) {
  if (ids.ready) return;
  ids.length = xsID("length");
  ids.buffer = xsID("buffer");
  ids.byte_offset = xsID("byteOffset");
  ids.object = xsID("Object");
  ids.keys = xsID("keys");
  ids.get_prototype_of = xsID("getPrototypeOf");
  ids.constructor = xsID("constructor");
  ids.name = xsID("name");
  ids.symbol = xsID("Symbol");
  ids.to_string_tag = xsID("toStringTag");
  ids.ready = 1;
}

/* ---- msgpack of JS primitives ---- */

#define SAFE_INTEGER 9007199254740991.0 /* 2^53 - 1 */

static void put_number(wire_mp_t *mp, double d) {
  /* The range test also rejects NaN before the cast (which would be undefined). */
  if (d >= -SAFE_INTEGER && d <= SAFE_INTEGER && d == (double)(int64_t)d &&
      !(d == 0.0 && signbit(d)))
    wire_mp_int(mp, (int64_t)d);
  else
    wire_mp_double(mp, d);
}

/* Header of a str of n bytes, for the one case wire_mp_strn cannot take (below). */
static void str_header(wire_mp_t *mp, uint32_t n) {
  uint8_t h[5];
  uint32_t k;
  if (n < 32u) {
    h[0] = (uint8_t)(0xa0u | n);
    k = 1;
  } else if (n <= 0xffu) {
    h[0] = 0xd9;
    h[1] = (uint8_t)n;
    k = 2;
  } else if (n <= 0xffffu) {
    h[0] = 0xda;
    h[1] = (uint8_t)(n >> 8);
    h[2] = (uint8_t)n;
    k = 3;
  } else {
    h[0] = 0xdb;
    h[1] = (uint8_t)(n >> 24);
    h[2] = (uint8_t)(n >> 16);
    h[3] = (uint8_t)(n >> 8);
    h[4] = (uint8_t)n;
    k = 5;
  }
  wire_mp_raw(mp, h, k);
}

/* XS keeps strings as C strings in UTF-8 with U+0000 written C0 80 (which is not UTF-8):
 * those pairs go out as 00 so the host decodes the string JS had. */
static void put_string(wire_mp_t *mp, const char *s) {
  size_t len = strlen(s);
  if (!memchr(s, 0xc0, len)) {
    wire_mp_strn(mp, s, (uint32_t)len);
    return;
  }
  uint32_t nuls = 0;
  for (size_t i = 0; i + 1 < len; i++)
    if ((uint8_t)s[i] == 0xc0 && (uint8_t)s[i + 1] == 0x80) nuls++;
  str_header(mp, (uint32_t)(len - nuls));
  size_t run = 0;
  for (size_t i = 0; i + 1 < len; i++) {
    if ((uint8_t)s[i] == 0xc0 && (uint8_t)s[i + 1] == 0x80) {
      wire_mp_raw(mp, s + run, (uint32_t)(i - run));
      wire_mp_raw(mp, "", 1);
      run = i + 2;
      i++;
    }
  }
  wire_mp_raw(mp, s + run, (uint32_t)(len - run));
}

/* ---- the walk ---- */

enum { CONTAINER_ARRAY = 1, CONTAINER_OBJECT = 2 };

/* xsVar layout: two scratch slots, then per nesting level the value at that level and,
 * for an object, its Object.keys() array (for an array: its length, briefly). */
#define VAR_TMP          0
#define VAR_TMP2         1
#define VAR_VALUE(depth) (2 + 2 * (int32_t)(depth))
#define VAR_KEYS(depth)  (3 + 2 * (int32_t)(depth))

typedef struct encoder {
  wire_mp_t *mp;
  uint32_t levels;                             /* levels whose two vars exist */
  uint32_t index[XSINFER_TELEMETRY_MAX_DEPTH]; /* element or key index being written */
  uint8_t kind[XSINFER_TELEMETRY_MAX_DEPTH];   /* CONTAINER_* of each open level */
} encoder_t;

static void encode(xsMachine *the, encoder_t *e, uint32_t depth);

/* Vars are added as the walk goes deeper (nothing else is on the stack between calls),
 * so a flat value costs two slots, not the whole depth. */
static void ensure_level(xsMachine *the, encoder_t *e, uint32_t depth) {
  while (e->levels <= depth) {
    xsmcVars(2);
    e->levels++;
  }
}

static void append(char *out, size_t cap, size_t *n, const char *text) {
  while (*text && *n + 1 < cap) out[(*n)++] = *text++;
  out[*n] = 0;
}

/* Where in the value the walk is, as JS would spell it ("value.a[2].b"), cut at cap. */
static void path_of(xsMachine *the, const encoder_t *e, uint32_t depth, char *out, size_t cap) {
  size_t n = 0;
  out[0] = 0;
  append(out, cap, &n, "value");
  for (uint32_t l = 0; l < depth; l++) {
    char part[16];
    if (e->kind[l] == CONTAINER_ARRAY) {
      uint32_t v = e->index[l];
      char digits[11];
      int k = 0;
      do {
        digits[k++] = (char)('0' + v % 10u);
        v /= 10u;
      } while (v);
      size_t p = 0;
      part[p++] = '[';
      while (k) part[p++] = digits[--k];
      part[p++] = ']';
      part[p] = 0;
      append(out, cap, &n, part);
    } else {
      xsmcGetIndex(xsVar(VAR_TMP), xsVar(VAR_KEYS(l)), e->index[l]);
      append(out, cap, &n, ".");
      append(out, cap, &n, xsmcToString(xsVar(VAR_TMP)));
    }
  }
  if (n + 1 >= cap && cap > 3) memcpy(out + cap - 3, "..", 3);
}

static void refuse(xsMachine *the, const encoder_t *e, uint32_t depth, const char *what) {
  char path[36];
  path_of(the, e, depth, path, sizeof path);
  xsTypeError("telemetry: %s: %s cannot be sent (JSON-like values and typed arrays only)", path,
              what);
}

/* XS's instanceof test is "b is a or on a's prototype chain"; both ways only for a === b
 * (a prototype chain has no cycle). */
static int same(xsMachine *the, xsSlot *a, xsSlot *b) {
  return xsmcIsInstanceOf(*a, *b) && xsmcIsInstanceOf(*b, *a);
}

/* A container at depth MAX_DEPTH: a cycle when two containers on the path are one object
 * (only checked here, on the way to an exception, so a normal send pays nothing). */
static void too_deep(xsMachine *the, const encoder_t *e, uint32_t depth) {
  char path[40];
  path_of(the, e, depth, path, sizeof path);
  for (uint32_t j = 1; j <= depth; j++)
    for (uint32_t i = 0; i < j; i++)
      if (same(the, &xsVar(VAR_VALUE(i)), &xsVar(VAR_VALUE(j))))
        xsRangeError("telemetry: %s: a cycle (the value contains itself)", path);
  xsRangeError("telemetry: %s: nested deeper than %u arrays/objects", path,
               (unsigned)XSINFER_TELEMETRY_MAX_DEPTH);
}

/* A count read from a length property; more elements than bytes left cannot fit. */
static uint32_t count_of(xsMachine *the, wire_mp_t *mp, xsSlot *slot) {
  double n = xsmcToNumber(*slot);
  uint32_t room = mp->cap - mp->len;
  if (!(n >= 0.0) || n > (double)room) {
    mp->failed = 1;
    return 0;
  }
  return (uint32_t)n;
}

static void encode_array(xsMachine *the, encoder_t *e, uint32_t depth) {
  wire_mp_t *mp = e->mp;
  e->kind[depth] = CONTAINER_ARRAY;
  xsmcGet(xsVar(VAR_KEYS(depth)), xsVar(VAR_VALUE(depth)), ids.length);
  uint32_t n = count_of(the, mp, &xsVar(VAR_KEYS(depth)));
  wire_mp_array(mp, n);
  ensure_level(the, e, depth + 1);
  for (uint32_t i = 0; i < n && !mp->failed; i++) {
    e->index[depth] = i;
    xsmcGetIndex(xsVar(VAR_VALUE(depth + 1)), xsVar(VAR_VALUE(depth)), i);
    encode(the, e, depth + 1);
  }
}

/* The map of a plain object's own enumerable string keys. Right after plain() said yes:
 * VAR_TMP still holds the Object constructor. */
static void encode_object(xsMachine *the, encoder_t *e, uint32_t depth) {
  wire_mp_t *mp = e->mp;
  xsSlot *value = &xsVar(VAR_VALUE(depth));
  xsSlot *keys = &xsVar(VAR_KEYS(depth));
  e->kind[depth] = CONTAINER_OBJECT;
  xsmcCall(*keys, xsVar(VAR_TMP), ids.keys, value, NULL);
  xsmcGet(xsVar(VAR_TMP2), *keys, ids.length);
  /* A key and its value take at least two bytes. */
  uint32_t n = count_of(the, mp, &xsVar(VAR_TMP2));
  wire_mp_map(mp, n);
  ensure_level(the, e, depth + 1);
  xsSlot *child = &xsVar(VAR_VALUE(depth + 1));
  for (uint32_t i = 0; i < n && !mp->failed; i++) {
    e->index[depth] = i;
    xsmcGetIndex(*child, *keys, i);
    put_string(mp, xsmcToString(*child)); /* written before anything can collect it */
    xsmcGetAt(*child, *value, *child);
    encode(the, e, depth + 1);
  }
}

/* Plain: prototype null or Object.prototype. XS's instanceof test on Object.prototype and
 * the prototype is true only when they are one object (Object.prototype has none).
 * Leaves the Object constructor in VAR_TMP for encode_object. */
static int plain(xsMachine *the, xsSlot *value) {
  xsmcGet(xsVar(VAR_TMP), xsGlobal, ids.object);
  xsmcCall(xsVar(VAR_TMP2), xsVar(VAR_TMP), ids.get_prototype_of, value, NULL);
  return xsmcTypeOf(xsVar(VAR_TMP2)) == xsNullType ||
         xsmcIsInstanceOf(xsObjectPrototype, xsVar(VAR_TMP2));
}

/* "a Map object", "a Point object": the constructor's name when it has one. */
static void refuse_object(xsMachine *the, const encoder_t *e, uint32_t depth) {
  char what[40] = "an object with a prototype";
  xsmcGet(xsVar(VAR_TMP2), xsVar(VAR_VALUE(depth)), ids.constructor);
  if (xsmcIsCallable(xsVar(VAR_TMP2))) {
    xsmcGet(xsVar(VAR_TMP2), xsVar(VAR_TMP2), ids.name);
    int type = xsmcTypeOf(xsVar(VAR_TMP2));
    if (type == xsStringType || type == xsStringXType) {
      size_t n = 0;
      what[0] = 0;
      append(what, sizeof what - 8, &n, "a ");
      append(what, sizeof what - 8, &n, xsmcToString(xsVar(VAR_TMP2)));
      append(what, sizeof what, &n, " object");
    }
  }
  refuse(the, e, depth, what);
}

enum { EL_I8, EL_U8, EL_I16, EL_U16, EL_I32, EL_U32, EL_F32, EL_F64 };

static const struct {
  const char *name;
  uint8_t bytes;
  uint8_t type;
} typed_kinds[] = {
    {"Int8Array", 1, EL_I8},    {"Uint8Array", 1, EL_U8},    {"Uint8ClampedArray", 1, EL_U8},
    {"Int16Array", 2, EL_I16},  {"Uint16Array", 2, EL_U16},  {"Int32Array", 4, EL_I32},
    {"Uint32Array", 4, EL_U32}, {"Float32Array", 4, EL_F32}, {"Float64Array", 8, EL_F64},
};

/* Elements straight from the buffer (no XS call between the pointer and the reads, so
 * the collector cannot move it); memcpy because a host buffer may be unaligned. */
static void encode_typed_array(xsMachine *the, encoder_t *e, uint32_t depth) {
  wire_mp_t *mp = e->mp;
  xsSlot *value = &xsVar(VAR_VALUE(depth));
  xsmcGet(xsVar(VAR_TMP), xsGlobal, ids.symbol);
  xsmcGet(xsVar(VAR_TMP), xsVar(VAR_TMP), ids.to_string_tag);
  xsmcGetAt(xsVar(VAR_TMP), *value, xsVar(VAR_TMP));
  const char *tag =
      xsmcTypeOf(xsVar(VAR_TMP)) == xsUndefinedType ? "typed array" : xsmcToString(xsVar(VAR_TMP));
  uint32_t k = 0;
  while (k < sizeof typed_kinds / sizeof typed_kinds[0] && strcmp(typed_kinds[k].name, tag) != 0)
    k++;
  if (k == sizeof typed_kinds / sizeof typed_kinds[0]) {
    char what[32] = "a ";
    size_t n = 2;
    append(what, sizeof what, &n, tag);
    refuse(the, e, depth, what);
  }
  const uint32_t size = typed_kinds[k].bytes;
  xsmcGet(xsVar(VAR_TMP2), *value, ids.byte_offset);
  double offset = xsmcToNumber(xsVar(VAR_TMP2));
  xsmcGet(xsVar(VAR_TMP2), *value, ids.length);
  uint32_t n = count_of(the, mp, &xsVar(VAR_TMP2));
  if (mp->failed) return;
  xsmcGet(xsVar(VAR_TMP), *value, ids.buffer);
  void *data;
  xsUnsignedValue bytes;
  _xsmcGetBuffer(the, &xsVar(VAR_TMP), &data, &bytes, 0);
  if (!(offset >= 0.0) || offset + (double)n * size > (double)bytes)
    xsRangeError("telemetry: typed array out of its buffer's bounds");
  const uint8_t *p = (const uint8_t *)data + (uint32_t)offset;
  wire_mp_array(mp, n);
/* The n elements of type T at p, each written by put (a no-op once mp has failed). */
#define PUT_ELEMENTS(T, put)                 \
  for (uint32_t i = 0; i < n; i++) {         \
    T v;                                     \
    memcpy(&v, p + sizeof(T) * i, sizeof v); \
    put(mp, v);                              \
  }
  switch (typed_kinds[k].type) {
    case EL_I8: PUT_ELEMENTS(int8_t, wire_mp_int); break;
    case EL_U8: PUT_ELEMENTS(uint8_t, wire_mp_uint); break;
    case EL_I16: PUT_ELEMENTS(int16_t, wire_mp_int); break;
    case EL_U16: PUT_ELEMENTS(uint16_t, wire_mp_uint); break;
    case EL_I32: PUT_ELEMENTS(int32_t, wire_mp_int); break;
    case EL_U32: PUT_ELEMENTS(uint32_t, wire_mp_uint); break;
    case EL_F32: PUT_ELEMENTS(float, put_number); break;
    default: PUT_ELEMENTS(double, put_number); break;
  }
#undef PUT_ELEMENTS
}

/* Arrays first: they are most of what telemetry is made of. */
static void encode_reference(xsMachine *the, encoder_t *e, uint32_t depth) {
  xsSlot *value = &xsVar(VAR_VALUE(depth));
  if (xsmcIsCallable(*value)) refuse(the, e, depth, "a function");
  if (xsmcIsInstanceOf(*value, xsArrayPrototype)) {
    if (depth >= XSINFER_TELEMETRY_MAX_DEPTH) too_deep(the, e, depth);
    encode_array(the, e, depth);
  } else if (xsmcIsInstanceOf(*value, xsTypedArrayPrototype)) {
    encode_typed_array(the, e, depth); /* before plain(): its call ≈660 instructions, this ≈100 */
  } else if (plain(the, value)) {
    if (depth >= XSINFER_TELEMETRY_MAX_DEPTH) too_deep(the, e, depth);
    encode_object(the, e, depth);
  } else if (xsmcIsInstanceOf(*value, xsArrayBufferPrototype) ||
             xsmcIsInstanceOf(*value, xsDataViewPrototype)) {
    void *data;
    xsUnsignedValue bytes;
    _xsmcGetBuffer(the, value, &data, &bytes, 0);
    wire_mp_bin(e->mp, data, bytes);
  } else {
    refuse_object(the, e, depth);
  }
}

/* The value in xsVar(VAR_VALUE(depth)). */
static void encode(xsMachine *the, encoder_t *e, uint32_t depth) {
  xsSlot *value = &xsVar(VAR_VALUE(depth));
  switch (xsmcTypeOf(*value)) {
    case xsUndefinedType:
    case xsNullType: wire_mp_nil(e->mp); break;
    case xsBooleanType: wire_mp_bool(e->mp, xsmcToBoolean(*value)); break;
    case xsIntegerType: wire_mp_int(e->mp, xsmcToInteger(*value)); break;
    case xsNumberType: put_number(e->mp, xsmcToNumber(*value)); break;
    case xsStringType:
    case xsStringXType: put_string(e->mp, xsmcToString(*value)); break;
    case xsSymbolType: refuse(the, e, depth, "a symbol"); break;
    case xsBigIntType:
    case xsBigIntXType: refuse(the, e, depth, "a bigint"); break;
    default: encode_reference(the, e, depth); break;
  }
}

/* ---- send(name, value) ---- */

void xs_telemetry_send(xsMachine *the) {
  if (!sink)
    xsUnknownError(
        "telemetry: this firmware program has no telemetry link (user records need the main "
        "firmware)");
  if (busy)
    xsUnknownError(
        "telemetry: send() called by a getter or proxy trap of the value another send() is "
        "reading");
  int32_t argc = xsmcArgc;
  int type = argc >= 1 ? xsmcTypeOf(xsArg(0)) : xsUndefinedType;
  if (type != xsStringType && type != xsStringXType)
    xsTypeError("telemetry: send(name, value): name must be a string");
  char name[XSINFER_TELEMETRY_MAX_NAME + 1];
  {
    const char *text = xsmcToString(xsArg(0));
    size_t len = strlen(text);
    if (len == 0 || len > XSINFER_TELEMETRY_MAX_NAME)
      xsRangeError("telemetry: name must be 1 to %u bytes of UTF-8, not %u",
                   (unsigned)XSINFER_TELEMETRY_MAX_NAME, (unsigned)len);
    for (size_t i = 0; i + 1 < len; i++)
      if ((uint8_t)text[i] == 0xc0 && (uint8_t)text[i + 1] == 0x80)
        xsRangeError("telemetry: name must not contain U+0000");
    memcpy(name, text, len + 1);
  }
  ensure_ids(the);
  xsmcVars(4); /* scratch + level 0 */
  if (argc >= 2) xsVar(VAR_VALUE(0)) = xsArg(1);

  wire_mp_t *mp = sink->begin(sink->ctx, name);
  if (!mp) xsUnknownError("telemetry: the link is building another record; send() again later");
  encoder_t e;
  e.mp = mp;
  e.levels = 1;
  busy = 1;
  xsTry {
    encode(the, &e, 0);
    if (mp->failed)
      xsRangeError(
          "telemetry: record \"%.20s\" is larger than one wire frame: %u bytes of msgpack at most",
          name, (unsigned)mp->cap);
  }
  xsCatch {
    busy = 0;
    sink->cancel(sink->ctx);
    xsThrow(xsException);
  }
  busy = 0;
  sink->end(sink->ctx);
}
