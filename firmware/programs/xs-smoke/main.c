/*
 * xs-smoke – boots XS from static memory, maps the ahead-of-time archive in place from
 * flash, imports the smoke app, runs it and prints one parseable line:
 *   XSINFER-SMOKE {"c":{boot figures in ticks},"js":{the app's result()}}
 * Exit 0 when the app ran (its own checks are in the line); 2/3/4 when creation, the
 * archive map or the JS code failed; 64 + XS status on an XS abort.
 * With an argument ("stack", "memory", "throw") it calls the app's stress(kind) instead,
 * to show each failure path ends with its own status and message.
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "console.h"
#include "xsinfer_bindings.h"
#include "xsinfer_xs.h"

#define SMOKE_MODULE "apps/smoke/main"

static void write_str(const char *s) {
  board_uart_write(s, strlen(s));
}

/* newlib-nano's printf has no 64-bit conversions: console_u64 formats them. */
static void write_u64(uint64_t v) {
  char buf[21];
  write_str(console_u64(buf, v));
}

static void field(const char *name, uint64_t v, int first) {
  if (!first) write_str(",");
  write_str("\"");
  write_str(name);
  write_str("\":");
  write_u64(v);
}

int main(void) {
  board_init();
  uint32_t host_count;
  const xsinfer_xs_host_t *hosts = xsinfer_bindings_hosts(&host_count);

  uint64_t t0 = board_ticks();
  xsMachine *the = xsinfer_xs_create(hosts, host_count);
  uint64_t t1 = board_ticks();
  if (!the) board_exit(XSINFER_XS_EXIT_CREATE);
  xsinfer_xs_stats_t created;
  xsinfer_xs_stats(the, &created);

  if (xsinfer_xs_map(the, xsinfer_xs_image.archive, xsinfer_xs_image.archive_bytes) != 0)
    board_exit(XSINFER_XS_EXIT_MAP);
  uint64_t t2 = board_ticks();
  xsinfer_xs_stats_t mapped;
  xsinfer_xs_stats(the, &mapped);

  int status = 0;
  uint64_t t3 = 0, t4 = 0;
  xsBeginHost(the);
  {
    xsVars(2);
    xsTry {
      t3 = board_ticks();
      xsVar(0) = xsAwaitImport(SMOKE_MODULE, XS_IMPORT_NAMESPACE);
      t4 = board_ticks();
      const char *mode = board_cmdline();
      if (mode && mode[0]) {
        (void)xsCall1(xsVar(0), xsID("stress"), xsString(mode));
        write_str("xs: stress returned\n");
        board_exit(1);
      }
      (void)xsCall0(xsVar(0), xsID("run"));
      xsinfer_xs_run_jobs(the);
      xsVar(1) = xsCall0(xsVar(0), xsID("result"));
      const board_tick_unit_t *u = board_tick_unit();
      write_str("XSINFER-SMOKE {\"c\":{\"unit\":\"");
      write_str(u->unit);
      write_str("\"");
      field("num", u->num, 0);
      field("den", u->den, 0);
      field("createTicks", t1 - t0, 0);
      field("mapTicks", t2 - t1, 0);
      field("importTicks", t4 - t3, 0);
      field("archiveBytes", xsinfer_xs_image.archive_bytes, 0);
      field("modules", xsinfer_xs_module_count(), 0);
      field("slotBytes", created.slot_bytes, 0);
      field("slotsAfterCreate", created.slots_used, 0);
      field("chunksAfterCreate", created.chunks_used, 0);
      field("keysAfterCreate", created.keys_used, 0);
      field("keysAfterMap", mapped.keys_used, 0);
      field("poolPeakAfterCreate", created.pool_peak, 0);
      /* The same boot figures converted to the unit (instructions on QEMU). */
      field("createInUnit", (t1 - t0) * u->num / u->den, 0);
      field("mapInUnit", (t2 - t1) * u->num / u->den, 0);
      field("importInUnit", (t4 - t3) * u->num / u->den, 0);
      write_str("},\"js\":");
      /* The result string lives in the XS heap; nothing allocates while it is written. */
      xsStringValue js = xsToString(xsVar(1));
      board_uart_write(js, strlen(js));
      write_str("}\n");
    }
    xsCatch {
      xsStringValue message = xsToString(xsException);
      write_str("xs: exception: ");
      write_str(message);
      write_str("\n");
      status = XSINFER_XS_EXIT_EXCEPTION;
    }
  }
  xsEndHost(the);
  board_uart_flush();
  board_exit(status);
}
