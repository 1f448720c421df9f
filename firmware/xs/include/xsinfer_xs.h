/*
 * xsinfer_xs.h – the device's XS runtime: create the machine in static memory, map an
 * ahead-of-time archive in place from flash, import its modules, run promise jobs.
 *
 * Contract:
 * - Call order: xsinfer_xs_create → xsinfer_xs_map (before anything creates a key: the
 *   archive's code carries key IDs predicted on the host) → xsinfer_xs_import/...
 * - Nothing here allocates from the system heap; the arena and the pool for XS's own
 *   c_malloc come from the generated image (gen/xs_archive.c, xsinfer_xs_image).
 * - An XS abort (memory full, stack overflow, keys exhausted, fatal check) prints one
 *   line "xs: abort: <reason> (status N)" and stops the program via
 *   board_exit(XSINFER_XS_EXIT_ABORT + N). Nothing returns after an abort.
 * - One machine at a time; not reentrant. A program may delete it and create a fresh one
 *   (deploy), mapping the built-in archive again and then a deployed one.
 */
#ifndef XSINFER_XS_H
#define XSINFER_XS_H

#include <stddef.h>
#include <stdint.h>

#include "xs.h"
#include "xsinfer_xs_image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Exit statuses used by programs that run XS (board_exit). Abort adds XS's status
 * (0 debugger, 1 memory, 2 stack overflow, 3 fatal check, 4 dead strip, 5 unhandled
 * exception, 6 keys, 7 computation, 8 unhandled rejection). */
enum {
  XSINFER_XS_EXIT_CREATE = 2,    /* machine creation failed */
  XSINFER_XS_EXIT_MAP = 3,       /* archive rejected or predicted IDs do not match */
  XSINFER_XS_EXIT_EXCEPTION = 4, /* a JS exception reached the program */
  XSINFER_XS_EXIT_ABORT = 64,    /* + XS abort status */
};

/* A C host function the archive may bind by name (`@ "name"` in a module). */
typedef struct xsinfer_xs_host {
  const char *name;
  void (*callback)(xsMachine *the);
} xsinfer_xs_host_t;

/* Heap figures. Slots are counted in slots of slot_bytes each; chunks in bytes. */
typedef struct xsinfer_xs_stats {
  uint32_t slot_bytes;
  uint32_t slots_used, slots_peak, slots_reserved;
  uint32_t chunks_used, chunks_peak, chunks_reserved;
  uint32_t arena_bytes, arena_free; /* static arena shared by chunks (up) and slots (down) */
  uint32_t pool_bytes, pool_used, pool_peak; /* pool behind XS's c_malloc */
  uint32_t stack_slots, stack_peak_slots;    /* JS stack (xs slots) */
  uint32_t keys_used, keys_reserved;
} xsinfer_xs_stats_t;

/* Create the machine with the image's creation values. `hosts` (sorted or not, names
 * unique) is the table of C functions archives may bind; it must outlive the machine.
 * Returns NULL if creation failed (after printing why). */
xsMachine *xsinfer_xs_create(const xsinfer_xs_host_t *hosts, uint32_t host_count);

/* Map an XS_A archive in place (no copy, no write). Registers its symbols and checks that
 * each gets the ID the host predicted. Returns 0, or a negative code after printing why:
 * -1 malformed, -2 wrong XS version, -3 too many modules, -N-100 = N IDs mismatched. */
int32_t xsinfer_xs_map(xsMachine *the, const uint8_t *archive, uint32_t size);

/* Map a deployed archive (built by xsarc --base against exactly the archive mapped
 * before it) on top: its modules shadow same-named ones. Demands the exact XS version
 * and resolves every host function it names now. Call right after xsinfer_xs_map on a
 * fresh machine. Returns 0 or a code as xsinfer_xs_map (-4: a host function is missing);
 * prints nothing. On failure the module table is as before, but keys may have been
 * created: discard the machine. */
int32_t xsinfer_xs_map_overlay(xsMachine *the, const uint8_t *archive, uint32_t size);

/* One line saying what a map result means. */
const char *xsinfer_xs_map_error(int32_t result);

/* What a deployed archive says about itself (its DEPL atom); pointers into the archive. */
typedef struct xsinfer_xs_deploy_info {
  uint8_t xs_version[3];   /* from VERS */
  uint8_t xs_runtime[3];   /* the XS this firmware runs */
  uint32_t base_crc;       /* CRC-32 of the built-in archive it was predicted against */
  const char *main_module; /* e.g. "apps/mnist_v2/main" */
} xsinfer_xs_deploy_info_t;

/* Reads VERS and DEPL without mapping. Returns 0, -1 malformed, -2 other XS version
 * (xs_version says which), -5 not a deployable archive (no DEPL or unknown format). */
int32_t xsinfer_xs_deploy_info(const uint8_t *archive, uint32_t size,
                               xsinfer_xs_deploy_info_t *out);

/* Delete the machine (everything it took from the pool goes back); the next
 * xsinfer_xs_create starts over with an empty arena. */
void xsinfer_xs_delete(xsMachine *the);

/* Number of modules in the mapped archive(s) and their paths (e.g. "apps/smoke/main"). */
uint32_t xsinfer_xs_module_count(void);
const char *xsinfer_xs_module_path(uint32_t index);

/* Run queued promise jobs until none is left. Call inside xsBeginHost/xsTry. */
void xsinfer_xs_run_jobs(xsMachine *the);

void xsinfer_xs_stats(xsMachine *the, xsinfer_xs_stats_t *out);

/* Where XS's text goes (console output, abort messages): the board UART unless a program
 * that owns the link (the main firmware's wire protocol) routes it, e.g. into log records. */
typedef void (*xsinfer_xs_output_fn)(const char *text, size_t len);
void xsinfer_xs_set_output(xsinfer_xs_output_fn fn);

/* Called on an XS abort, after the message and before the program stops, so a program can
 * report it over its link (status: XS's abort status; reason: "memory full", ...). */
typedef void (*xsinfer_xs_abort_fn)(int status, const char *reason);
enum {
  XSINFER_XS_ABORT_MEMORY = 1,
  XSINFER_XS_ABORT_STACK = 2
}; /* XS's abort statuses (xsAll.h) */
void xsinfer_xs_set_abort_handler(xsinfer_xs_abort_fn fn);

/* Text as is through the same route as XS's console (the program's output function, else
 * the board UART); counts one text call (board_io.text_calls). The JS module board's
 * write() uses it, so on the main firmware its text becomes a `log` record, not raw bytes
 * between frames. */
void xsinfer_xs_write(const char *text, size_t len);

/* Print through the board UART (no heap; lines longer than 255 bytes are cut). */
int xsinfer_xs_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Typed-array view over existing C memory, zero copy: an XS host object whose host data
 * points at `data` (xsSetHostBuffer) wrapped by `new <ctor>(host)`. The memory must stay
 * valid while JS holds the view; read_only views (e.g. flash) throw on store.
 * `ctor` is a global constructor name such as "Int8Array". Leaves the view in *out. */
void xsinfer_xs_view(xsMachine *the, xsSlot *out, const char *ctor, void *data, uint32_t bytes,
                     int read_only);

/* A typed array's memory for a host function, zero copy. */
typedef enum xsinfer_typed_kind {
  XSINFER_TYPED_INT8,
  XSINFER_TYPED_UINT8,
  XSINFER_TYPED_UINT8_CLAMPED,
  XSINFER_TYPED_INT16,
  XSINFER_TYPED_UINT16,
  XSINFER_TYPED_INT32,
  XSINFER_TYPED_UINT32,
  XSINFER_TYPED_FLOAT32,
  XSINFER_TYPED_FLOAT64,
  XSINFER_TYPED_BIGINT64,
  XSINFER_TYPED_BIGUINT64,
} xsinfer_typed_kind_t;

typedef struct xsinfer_xs_typed {
  void *data;            /* first element; valid until JS runs again (a GC may move chunks) */
  uint32_t length;       /* elements */
  uint8_t kind;          /* xsinfer_typed_kind_t */
  uint8_t element_bytes; /* 1, 2, 4 or 8 */
  uint8_t read_only;     /* stores would throw in JS (flash views) */
} xsinfer_xs_typed_t;

/* Fills *out and returns 0 when *value is a typed array over a live buffer; returns -1
 * for anything else and -2 for a detached buffer; a view out of its (resized) buffer's
 * bounds has length 0. Throws nothing. The pointer stays valid only while no JS code and
 * no XS allocation runs: a host function takes it, works, and returns. */
int xsinfer_xs_typed_array(xsMachine *the, const xsSlot *value, xsinfer_xs_typed_t *out);

/* Arguments of the running host function read in place (cheaper than xs.h's xsArg,
 * xsTypeOf and xsToInteger, which copy each slot and call once per accessor). */
enum {
  XSINFER_ARG_ABSENT = 0,  /* missing or undefined */
  XSINFER_ARG_INTEGER = 1, /* an XS integer: *integer and *number */
  XSINFER_ARG_NUMBER = 2,  /* another number (a double): *number */
  XSINFER_ARG_OTHER = 3,   /* anything else */
};
int xsinfer_xs_arg_number(xsMachine *the, int32_t index, int32_t *integer, double *number);
/* Argument `index` when it is an XS integer (what JS passes for small integers): 1 and
 * *out; 0 for anything else (then xsinfer_xs_arg_number says what it is). */
int xsinfer_xs_arg_integer(xsMachine *the, int32_t index, int32_t *out);
/* xsResult = xsInteger(value) without xs.h's round trip through the scratch slot. */
void xsinfer_xs_result_integer(xsMachine *the, int32_t value);
/* The same for any slot (NULL: absent), e.g. a bound value (xsinfer_xs_bound). */
int xsinfer_xs_number(const xsSlot *value, int32_t *integer, double *number);
/* xsinfer_xs_typed_array on argument `index`; -3 when it is missing. */
int xsinfer_xs_arg_typed(xsMachine *the, int32_t index, xsinfer_xs_typed_t *out);

/* A host function bound to values, the native twin of a closure: calling it runs
 * `callback`, which reads them with xsinfer_xs_bound. The values (typed arrays, objects,
 * numbers) are copied into an array the function keeps alive, `params` (C parameters,
 * copied) into a host chunk beside them; nothing else can reach or change either. Leaves
 * the function in *out. A helper "prepared" in an app's setup binds its fixed arguments
 * this way, so each timed call passes only what varies. `name` (or NULL) is the
 * function's name, which profiles and stack traces show. */
void xsinfer_xs_bind(xsMachine *the, xsSlot *out, const char *name, xsCallback callback,
                     int32_t length, const xsSlot *values, int32_t count, const void *params,
                     uint32_t params_bytes);
/* The running host function's bound values in place (*count of them) and its params;
 * NULL, 0 and NULL for a function not made by xsinfer_xs_bind. Valid until JS runs again
 * or XS allocates (a collection may move them). */
const xsSlot *xsinfer_xs_bound(xsMachine *the, int32_t *count, const void **params);
/* object[id] = integer (is_integer) or number, as JS's assignment: in place for an own
 * writable data property of an ordinary object, else through xsSet (setters, new
 * properties, read-only errors). May allocate only in the xsSet case. */
void xsinfer_xs_set_number(xsMachine *the, const xsSlot *object, xsIdentifier id, int is_integer,
                           int32_t integer, double number);

#ifdef __cplusplus
}
#endif

#endif
