/*
 * xsarc.c – host tool: compiles ES modules to XS 13.3 bytecode, packs them into an XS_A
 * archive whose key IDs are already the ones the device will assign (predicted on a
 * machine created with the device's creation values), and writes it as a C image that
 * the firmware maps in place from flash.
 *
 * Usage: xsarc --name NAME --main PATH --creation c0,..,c11 [--pool-extra BYTES]
 *              [--arena-extra BYTES] [--debug] [--base BASE.xsa] --out-xsa FILE
 *              [--out-c FILE] [--out-prep FILE] PATH=FILE.js ...
 * --out-prep: also write the built-ins as a txPreparation in C (xsprep.c), which the
 * firmware clones with fxPrepareMachine instead of building them in RAM.
 * --base: a deployed archive for a device that maps BASE.xsa first, then this one on a
 * fresh machine: IDs are predicted for that sequence, and a DEPL atom records the base
 * archive's CRC-32 and the main module (firmware/xs/xs_modules.c reads it).
 * PATH is the module's archive path ("apps/smoke/main", "timer"); every module is
 * compiled with mxCFlag, so `function f() @ "c_name";` declares a C host function.
 * Exit 0 on success; 1 with messages on stderr otherwise.
 */
#include "xsAll.h"
#include "xsScript.h"
#include "xsprep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *path;
  const char *file;
  txScript *script;
  uint16_t *local_to_global; /* local symbol index → archive symbol index */
  uint8_t *code;             /* copy with runtime IDs */
} module_t;

typedef struct {
  uint8_t *data;
  size_t size, capacity;
} buffer_t;

static char **symbols; /* archive symbol table; [0] = "" */
static uint32_t symbol_count;
static uint32_t symbol_capacity;
static txID *predicted; /* runtime key ID per archive symbol */

/* Host process: the parser's recursion depth is bounded by the OS stack, not checked. */
char *fxCStackLimit(void) {
  return NULL;
}

static void fail(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fputs("xsarc: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  exit(1);
}

static void *xalloc(size_t size) {
  void *p = calloc(1, size ? size : 1);
  if (!p) fail("out of memory");
  return p;
}

static void put(buffer_t *b, const void *data, size_t size) {
  if (b->size + size > b->capacity) {
    size_t cap = b->capacity ? b->capacity : 4096;
    while (cap < b->size + size) cap *= 2;
    b->data = realloc(b->data, cap);
    if (!b->data) fail("out of memory");
    b->capacity = cap;
  }
  memcpy(b->data + b->size, data, size);
  b->size += size;
}

static void put_u8(buffer_t *b, uint8_t v) {
  put(b, &v, 1);
}
static void put_u16le(buffer_t *b, uint16_t v) {
  uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
  put(b, x, 2);
}
static void put_be32_at(buffer_t *b, size_t at, uint32_t v) {
  b->data[at] = (uint8_t)(v >> 24);
  b->data[at + 1] = (uint8_t)(v >> 16);
  b->data[at + 2] = (uint8_t)(v >> 8);
  b->data[at + 3] = (uint8_t)v;
}

/* Opens an atom; returns its offset for end_atom, which writes the big-endian size. */
static size_t begin_atom(buffer_t *b, uint32_t tag) {
  size_t at = b->size;
  uint8_t header[8] = {
      0, 0, 0, 0, (uint8_t)(tag >> 24), (uint8_t)(tag >> 16), (uint8_t)(tag >> 8), (uint8_t)tag};
  put(b, header, 8);
  return at;
}
static void end_atom(buffer_t *b, size_t at) {
  put_be32_at(b, at, (uint32_t)(b->size - at));
}

static uint32_t symbol_index(const char *s) {
  for (uint32_t i = 0; i < symbol_count; i++)
    if (!strcmp(symbols[i], s)) return i;
  if (symbol_count == symbol_capacity) {
    symbol_capacity = symbol_capacity ? symbol_capacity * 2 : 256;
    symbols = realloc(symbols, symbol_capacity * sizeof(char *));
    if (!symbols) fail("out of memory");
  }
  if (symbol_count >= 0xFFFF) fail("too many symbols");
  symbols[symbol_count] = strdup(s);
  return symbol_count++;
}

static char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) fail("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *data = xalloc((size_t)n + 1);
  if (n > 0 && fread(data, 1, (size_t)n, f) != (size_t)n) fail("cannot read %s", path);
  fclose(f);
  *size = (size_t)n;
  return data;
}

typedef struct {
  const uint8_t *data;
  size_t size, offset;
} stream_t;

/* Bytes as unsigned values: fxStringCGetter would sign-extend UTF-8 bytes. */
static int stream_get(void *s) {
  stream_t *st = s;
  return st->offset < st->size ? st->data[st->offset++] : C_EOF;
}

/* `dir/name` resolved to an absolute path, or NULL. */
static char *resolve(const char *base_file, const char *name, char *out) {
  char joined[PATH_MAX * 2];
  const char *slash = strrchr(base_file, '/');
  if (name[0] == '/' || !slash)
    snprintf(joined, sizeof joined, "%s", name);
  else
    snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - base_file), base_file, name);
  return realpath(joined, out);
}

/* The module's `//# sourceMappingURL=` (tsc's .js.map): XS's source-map reader
 * (xsSourceMap.c) replaces each generated line with its source line, and the module's
 * path becomes the source's (the .ts file), so breaks, exceptions and breakpoints speak
 * TypeScript positions. A map that cannot be read fails the build. */
static void source_map(txParser *parser, const char *file, const char *map_name) {
  char map_path[PATH_MAX], source_path[PATH_MAX];
  if (!resolve(file, map_name, map_path)) fail("%s: source map %s not found", file, map_name);
  size_t size;
  char *text = read_file(map_path, &size);
  stream_t stream = {(const uint8_t *)text, size, 0};
  txString source = NULL;
  parser->path = fxNewParserSymbol(parser, map_path);
  fxParserSourceMap(parser, &stream, stream_get, parser->flags, &source);
  if (parser->errorCount || !source) fail("%s: source map unreadable", map_path);
  if (!resolve(map_path, source, source_path)) fail("%s: source %s not found", map_path, source);
  parser->path = fxNewParserSymbol(parser, source_path);
  free(text);
}

static txScript *compile(txMachine *the, const char *file, const char *shown, int debug) {
  size_t size;
  char *source = read_file(file, &size);
  stream_t stream = {(const uint8_t *)source, size, 0};
  txParser parser;
  txParserJump jump;
  txScript *script = NULL;
  fxInitializeParser(&parser, the, 1024 * 1024, 1993);
  parser.firstJump = &jump;
  if (c_setjmp(jump.jmp_buf) == 0) {
    txString map_name = NULL;
    parser.path = fxNewParserSymbol(&parser, (txString)shown);
    if (debug) {
      /* xsbug opens the file a break or an exception names: the absolute path. */
      char real[PATH_MAX];
      if (realpath(file, real)) parser.path = fxNewParserSymbol(&parser, real);
    }
    fxParserTree(&parser, &stream, stream_get, mxCFlag | (debug ? mxDebugFlag : 0),
                 debug ? &map_name : NULL);
    if (debug && map_name && parser.errorCount == 0) source_map(&parser, file, map_name);
    fxParserHoist(&parser);
    fxParserBind(&parser);
    script = fxParserCode(&parser);
  }
  int errors = parser.errorCount;
  fxTerminateParser(&parser);
  free(source);
  if (errors || !script) fail("%s: %d error(s)", file, errors ? errors : 1);
  return script;
}

/* Rewrites every ID operand of `code` to its predicted runtime ID and appends the archive
 * symbol index of each operand to `maps` (the MAPS atom XS's mapper expects). */
static void remap(module_t *m, buffer_t *maps) {
  uint8_t *p = m->code;
  uint8_t *end = m->code + m->script->codeSize;
  while (p < end) {
    txS1 size = gxCodeSizes[*p];
    if (size > 0)
      p += size;
    else if (size == 0) {
      uint16_t local = (uint16_t)(p[1] | (p[2] << 8));
      uint16_t global = 0;
      if (local != XS_NO_ID) global = m->local_to_global[local];
      txID id = global ? predicted[global] : XS_NO_ID;
      p[1] = (uint8_t)id;
      p[2] = (uint8_t)(id >> 8);
      put_u16le(maps, global);
      p += 1 + sizeof(txID);
    } else if (size == -1)
      p += 2 + p[1];
    else if (size == -2)
      p += 3 + (p[1] | (p[2] << 8));
    else if (size == -4)
      p += 5 + (uint32_t)(p[1] | (p[2] << 8) | (p[3] << 16) | ((uint32_t)p[4] << 24));
    else
      fail("%s: unknown opcode size %d", m->path, size);
  }
  if (p != end) fail("%s: code walk overran", m->path);
}

static uint32_t crc32_ieee(const uint8_t *data, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; i++) {
    crc ^= data[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static uint32_t be32_at(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Registers the base archive's symbols in its order, as the device's xsinfer_xs_map does,
 * and checks each gets the ID the base recorded (else the creation values differ). */
static void register_base(txMachine *the, const uint8_t *base, size_t size) {
  if (size < 16 || be32_at(base + 4) != XS_ATOM_ARCHIVE || be32_at(base) != size)
    fail("--base: not an XS archive");
  const uint8_t *p = base + 8, *end = base + size, *symb = NULL, *iden = NULL;
  uint32_t symb_bytes = 0, iden_bytes = 0;
  while (end - p >= 8) {
    uint32_t n = be32_at(p), tag = be32_at(p + 4);
    if (n < 8 || n > (uint32_t)(end - p)) fail("--base: malformed atom");
    if (tag == XS_ATOM_SYMBOLS) symb = p + 8, symb_bytes = n - 8;
    if (tag == XS_ATOM_IDENTIFIERS) iden = p + 8, iden_bytes = n - 8;
    p += n;
  }
  if (!symb || !iden || symb_bytes < 2) fail("--base: no SYMB/IDEN atoms");
  uint16_t count = (uint16_t)(symb[0] | (symb[1] << 8));
  if (iden_bytes != (uint32_t)count * 2u) fail("--base: IDEN does not match SYMB");
  const char *s = (const char *)symb + 2;
  const char *s_end = (const char *)symb + symb_bytes;
  for (uint16_t i = 0; i < count; i++) {
    size_t len = strnlen(s, (size_t)(s_end - s));
    if (s + len >= s_end) fail("--base: truncated symbol table");
    if (i > 0) {
      txID id = fxNewNameX(the, (txString)s);
      if (id != (txID)(iden[2 * i] | (iden[2 * i + 1] << 8)))
        fail("--base: symbol %s got ID %d, the base recorded %d (other creation values?)", s, id,
             iden[2 * i] | (iden[2 * i + 1] << 8));
    }
    s += len + 1;
  }
}

static void write_file(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f)) fail("cannot write %s", path);
}

static void write_c(const char *path, const buffer_t *archive, const char *main_path,
                    const int32_t *c, uint32_t pool_extra, uint32_t arena_extra,
                    uint32_t module_count) {
  FILE *f = fopen(path, "w");
  if (!f) fail("cannot write %s", path);
  fprintf(f,
          "/* xs_archive.c – generated by xsarc (%u modules, %zu bytes): the XS archive in\n"
          " * flash plus the static memory sized from the creation values. Do not edit. */\n",
          module_count, archive->size);
  fprintf(f, "#include <stdint.h>\n\n#include \"xsinfer_xs_image.h\"\n\n");
  fprintf(f, "static const uint8_t archive[%zu] __attribute__((aligned(4))) = {", archive->size);
  for (size_t i = 0; i < archive->size; i++)
    fprintf(f, "%s0x%02x,", (i % 16) ? " " : "\n  ", archive->data[i]);
  fprintf(f, "\n};\n\n");
  if (c[11] > 0)
    fprintf(f, "#define ARENA_BYTES %uu\n", (unsigned)c[11]);
  else
    fprintf(f, "#define ARENA_BYTES (%uu + (%uu + %uu) * XSINFER_XS_SLOT_BYTES + %uu)\n",
            (unsigned)c[0], (unsigned)c[2], (unsigned)c[4], arena_extra);
  fprintf(f, "#define POOL_BYTES ((%uu + %uu + %uu) * sizeof(void *) + %uu)\n\n", (unsigned)c[5],
          (unsigned)c[7], (unsigned)c[8], pool_extra);
  fprintf(f, "static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));\n");
  fprintf(f, "static uint8_t pool[POOL_BYTES] __attribute__((aligned(8)));\n\n");
  fprintf(f, "const xsinfer_xs_image_t xsinfer_xs_image = {\n");
  fprintf(f, "  .archive = archive,\n  .archive_bytes = sizeof(archive),\n");
  fprintf(f, "  .main_module = \"%s\",\n", main_path);
  fprintf(f, "  .creation = {%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d},\n", c[0], c[1], c[2],
          c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);
  fprintf(f, "  .arena = arena,\n  .arena_bytes = sizeof(arena),\n");
  fprintf(f, "  .pool = pool,\n  .pool_bytes = sizeof(pool),\n};\n");
  if (fclose(f)) fail("cannot write %s", path);
}

int main(int argc, char **argv) {
  const char *name = "xsinfer", *main_path = NULL, *out_xsa = NULL, *out_c = NULL,
             *base_file = NULL, *out_prep = NULL;
  int32_t creation[12] = {0};
  int have_creation = 0, debug = 0;
  /* --symbols-in-ram: the archive's symbols are registered at boot, in RAM, not in the flash
   * preparation (a chip short of flash: manifest defines.xs.symbolsInRam). */
  int symbols_in_ram = 0;
  uint32_t pool_extra = 16384, arena_extra = 0;
  module_t *modules = xalloc((size_t)argc * sizeof(module_t));
  uint32_t module_count = 0;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--name") && i + 1 < argc)
      name = argv[++i];
    else if (!strcmp(a, "--main") && i + 1 < argc)
      main_path = argv[++i];
    else if (!strcmp(a, "--out-xsa") && i + 1 < argc)
      out_xsa = argv[++i];
    else if (!strcmp(a, "--out-c") && i + 1 < argc)
      out_c = argv[++i];
    else if (!strcmp(a, "--out-prep") && i + 1 < argc)
      out_prep = argv[++i];
    else if (!strcmp(a, "--pool-extra") && i + 1 < argc)
      pool_extra = (uint32_t)strtoul(argv[++i], NULL, 0);
    else if (!strcmp(a, "--arena-extra") && i + 1 < argc)
      arena_extra = (uint32_t)strtoul(argv[++i], NULL, 0);
    else if (!strcmp(a, "--debug"))
      debug = 1;
    else if (!strcmp(a, "--symbols-in-ram"))
      symbols_in_ram = 1;
    else if (!strcmp(a, "--base") && i + 1 < argc)
      base_file = argv[++i];
    else if (!strcmp(a, "--creation") && i + 1 < argc) {
      char *s = argv[++i];
      for (int k = 0; k < 12; k++) {
        char *e;
        long v = strtol(s, &e, 0);
        if (e == s || (k < 11 && *e != ',') || (k == 11 && *e))
          fail("--creation needs 12 integers");
        creation[k] = (int32_t)v;
        s = e + 1;
      }
      have_creation = 1;
    } else if (a[0] != '-' && strchr(a, '=')) {
      char *eq = strchr(a, '=');
      *eq = 0;
      modules[module_count].path = a;
      modules[module_count].file = eq + 1;
      module_count++;
    } else
      fail("bad argument %s", a);
  }
  if (!have_creation || !(out_c || (base_file && out_xsa)) || !module_count)
    fail("need --creation, --out-c (or --base and --out-xsa) and modules");
  if (!main_path) main_path = modules[0].path;

  /* The prediction machine: same XS build, same creation as the device, so its key
   * table after creation matches the device's exactly. */
  txCreation cr = {creation[0], creation[1], creation[2], creation[3], creation[4],  creation[5],
                   creation[6], creation[7], creation[8], creation[9], creation[10], creation[11]};
  cr.incrementalKeyCount = creation[6];
  txMachine *the = fxCreateMachine(&cr, "xsarc", NULL, XS_NO_ID);
  if (!the) fail("cannot create machine");
  uint32_t keys_after_creation = the->keyIndex;
  xsprep_stats_t prep = {0};
  txMachine *root = NULL;
  if (out_prep) {
    /* A second fresh machine, consumed by the writer: the device's clone starts with
     * exactly its keys, so the IDs predicted below hold for it too. */
    root = fxCreateMachine(&cr, "xsprep", NULL, XS_NO_ID);
    if (!root) fail("cannot create machine");
    if (root->keyIndex != the->keyIndex) fail("preparation machine has other keys");
  }

  symbol_index(""); /* entry 0: no ID */
  for (uint32_t i = 0; i < module_count; i++) symbol_index(modules[i].path);
  int main_found = 0;
  for (uint32_t i = 0; i < module_count; i++) main_found |= !strcmp(modules[i].path, main_path);
  if (!main_found) fail("main module %s is not among the modules", main_path);

  for (uint32_t i = 0; i < module_count; i++) {
    module_t *m = &modules[i];
    m->script = compile(the, m->file, m->path, debug);
    const uint8_t *p = (const uint8_t *)m->script->symbolsBuffer;
    uint16_t count = (uint16_t)(p[0] | (p[1] << 8));
    p += 2;
    m->local_to_global = xalloc(count * sizeof(uint16_t) + 2);
    for (uint16_t k = 1; k < count; k++) {
      m->local_to_global[k] = (uint16_t)symbol_index((const char *)p);
      p += strlen((const char *)p) + 1;
    }
    m->code = xalloc((size_t)m->script->codeSize);
    memcpy(m->code, m->script->codeBuffer, (size_t)m->script->codeSize);
  }

  uint8_t *base = NULL;
  size_t base_size = 0;
  if (base_file) {
    base = (uint8_t *)read_file(base_file, &base_size);
    register_base(the, base, base_size);
  }

  /* Register in archive order, as the device's xsinfer_xs_map will. */
  predicted = xalloc(symbol_count * sizeof(txID));
  for (uint32_t i = 1; i < symbol_count; i++) predicted[i] = fxNewNameX(the, symbols[i]);
  if (root) {
    /* The built-in archive's symbols go into the preparation too, registered in archive
     * order as the device would: they get the predicted IDs, and xsinfer_xs_map finds
     * them already there and skips registering them at boot (a deployed archive, mapped
     * over this one, still registers its own). */
    if (!base_file && !symbols_in_ram)
      for (uint32_t i = 1; i < symbol_count; i++)
        if (fxNewNameX(root, symbols[i]) != predicted[i]) fail("preparation key IDs differ");
    prep = xsprep_write(root, out_prep, creation);
  }

  buffer_t maps = {0};
  for (uint32_t i = 0; i < module_count; i++) remap(&modules[i], &maps);

  buffer_t a = {0};
  size_t whole = begin_atom(&a, XS_ATOM_ARCHIVE);
  size_t at = begin_atom(&a, XS_ATOM_VERSION);
  uint8_t version[4] = {XS_MAJOR_VERSION, XS_MINOR_VERSION, XS_PATCH_VERSION, 0};
  put(&a, version, 4);
  end_atom(&a, at);
  at = begin_atom(&a, XS_ATOM_SIGNATURE);
  uint8_t digest[XS_DIGEST_SIZE] = {0}; /* XS does not check it */
  put(&a, digest, sizeof(digest));
  end_atom(&a, at);
  at = begin_atom(&a, XS_ATOM_NAME);
  put(&a, name, strlen(name) + 1);
  end_atom(&a, at);
  at = begin_atom(&a, XS_ATOM_SYMBOLS);
  put_u16le(&a, (uint16_t)symbol_count);
  for (uint32_t i = 0; i < symbol_count; i++) put(&a, symbols[i], strlen(symbols[i]) + 1);
  end_atom(&a, at);
  at = begin_atom(&a, XS_ATOM_IDENTIFIERS);
  for (uint32_t i = 0; i < symbol_count; i++) put_u16le(&a, predicted[i]);
  end_atom(&a, at);
  at = begin_atom(&a, XS_ATOM_MAPS);
  put(&a, maps.data, maps.size);
  end_atom(&a, at);
  at = begin_atom(&a, XS_ATOM_MODULES);
  size_t code_bytes = 0;
  for (uint32_t i = 0; i < module_count; i++) {
    size_t p = begin_atom(&a, XS_ATOM_PATH);
    put(&a, modules[i].path, strlen(modules[i].path) + 1);
    end_atom(&a, p);
    p = begin_atom(&a, XS_ATOM_CODE);
    put(&a, modules[i].code, (size_t)modules[i].script->codeSize);
    end_atom(&a, p);
    code_bytes += (size_t)modules[i].script->codeSize;
  }
  end_atom(&a, at);
  at = begin_atom(&a, XS_ATOM_RESOURCES);
  end_atom(&a, at);
  at = begin_atom(&a, XS_ATOM_HOSTS);
  uint32_t host_count = 0;
  for (uint32_t i = 0; i < module_count; i++) {
    const module_t *m = &modules[i];
    if (!m->script->hostsBuffer) continue;
    const uint8_t *h = (const uint8_t *)m->script->hostsBuffer;
    uint16_t n = (uint16_t)(h[0] | (h[1] << 8));
    h += 2;
    put_u16le(&a, (uint16_t)i);
    put_u16le(&a, n);
    for (uint16_t k = 0; k < n; k++) {
      uint16_t local = (uint16_t)(h[1] | (h[2] << 8));
      txID id = local != XS_NO_ID ? predicted[m->local_to_global[local]] : XS_NO_ID;
      put_u8(&a, h[0]);
      put_u16le(&a, id);
      size_t len = strlen((const char *)h + 3) + 1;
      put(&a, h + 3, len);
      h += 3 + len;
      host_count++;
    }
  }
  end_atom(&a, at);
  if (base) {
    at = begin_atom(&a, 0x4445504Cu /* 'DEPL' */);
    uint32_t fields[3] = {1u, crc32_ieee(base, base_size), 0u};
    for (int k = 0; k < 3; k++) {
      uint8_t le[4] = {(uint8_t)fields[k], (uint8_t)(fields[k] >> 8), (uint8_t)(fields[k] >> 16),
                       (uint8_t)(fields[k] >> 24)};
      put(&a, le, 4);
    }
    put(&a, main_path, strlen(main_path) + 1);
    end_atom(&a, at);
  }
  end_atom(&a, whole);

  if (out_xsa) write_file(out_xsa, a.data, a.size);
  if (out_c) write_c(out_c, &a, main_path, creation, pool_extra, arena_extra, module_count);
  /* One JSON line for the build driver. */
  printf(
      "{\"modules\":%u,\"symbols\":%u,\"idOperands\":%zu,\"codeBytes\":%zu,"
      "\"archiveBytes\":%zu,\"hostFunctions\":%u,\"keysAfterCreation\":%u,\"keysAfterMap\":%u,"
      "\"preparation\":{\"slots\":%u,\"items\":%u,\"heapCount\":%u,\"stackCount\":%u,"
      "\"aliases\":%u,\"keys\":%u,\"callbacks\":%u}}\n",
      module_count, symbol_count, maps.size / 2, code_bytes, a.size, host_count,
      keys_after_creation, (unsigned)the->keyIndex, prep.slots, prep.items, prep.heap_count,
      prep.stack_count, prep.aliases, prep.keys, prep.callbacks);
  return 0;
}
