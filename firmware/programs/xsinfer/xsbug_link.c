/* xsbug_link.c – XS's debugger stream over the wire link (xsbug_link.h). Bytes from the
 * debugger wait in a static ring until XS's fxReceive takes them; XS's output becomes
 * `xsbug` records, drained when XS finishes a message outside a timed region, or at
 * once when XS waits for the debugger (the user is stepping). */
#include <string.h>

#include "device_link.h"
#include "xsbug_link.h"
#include "xsinfer_xs_debug.h"

#ifdef mxDebug

enum { RING_BYTES = 2048 };

static uint8_t ring[RING_BYTES];
static uint32_t ring_head, ring_tail; /* bytes [tail, head) modulo RING_BYTES */
static int waiting;                   /* inside XS's receive: the debugger holds the machine */
static int detach_requested;

static uint32_t ring_used(void) {
  return ring_head - ring_tail;
}

static void link_send(const uint8_t *data, size_t len, int more) {
  /* A break's message (frames, locals, globals, modules) can exceed the held queue: let
   * wire_queue_end write the queue to make room, which happens only while XS reports to
   * a connected debugger. */
  uint8_t held = device_wire.held;
  wire_hold(&device_wire, 0);
  wire_xsbug(&device_wire, data, (uint32_t)len);
  wire_hold(&device_wire, held);
  if (!more && !held) wire_drain(&device_wire);
}

static size_t link_pending(void) {
  return ring_used();
}

/* An `xsbug` command: its bytes join the ring. Returns 0 when acked. */
static int take(const wire_cmd_t *cmd) {
  if (cmd->u.xsbug.len > RING_BYTES - ring_used()) {
    wire_error(&device_wire, cmd, WIRE_ERR_TOO_LARGE,
               "xsbug: the debugger's bytes overflow the ring");
    return -1;
  }
  for (uint32_t i = 0; i < cmd->u.xsbug.len; i++)
    ring[(ring_head++) % RING_BYTES] = cmd->u.xsbug.data[i];
  if (cmd->u.xsbug.detach) detach_requested = 1;
  wire_ack(&device_wire, cmd);
  return 0;
}

static size_t link_receive(uint8_t *data, size_t cap) {
  waiting = 1;
  wire_drain(&device_wire);
  while (ring_used() == 0 && !detach_requested) {
    wire_cmd_t cmd;
    if (!wire_poll(&device_wire, &cmd)) continue;
    if (cmd.type == WIRE_CMD_XSBUG)
      take(&cmd);
    else
      wire_error(&device_wire, &cmd, WIRE_ERR_BAD_STATE,
                 "the debugger holds the machine (break): only xsbug commands until it resumes");
    wire_drain(&device_wire);
  }
  waiting = 0;
  size_t n = 0;
  while (n < cap && ring_used() > 0) data[n++] = ring[(ring_tail++) % RING_BYTES];
  if (n == 0) detach_requested = 0; /* the receive that reports the detach consumes it */
  return n;
}

static const xsinfer_xs_debug_link_t debug_link = {link_send, link_receive, link_pending};

void xsbug_link_init(void) {
  xsinfer_xs_debug_set_link(&debug_link);
}

void xsbug_link_handle(const wire_cmd_t *cmd) {
  if (waiting) return; /* not reached: link_receive takes its own commands */
  if (take(cmd) != 0) return;
  wire_drain(&device_wire);
  xsMachine *the = js_machine();
  if (cmd->u.xsbug.attach) {
    ring_head = ring_tail = 0;
    detach_requested = 0;
    xsinfer_xs_debug_attach(the);
  } else if (detach_requested) {
    detach_requested = 0;
    xsinfer_xs_debug_detach(the);
  } else {
    xsinfer_xs_debug_service(the);
  }
  wire_drain(&device_wire);
}

#else /* a release image: no debugger, no ring */

void xsbug_link_init(void) {}

void xsbug_link_handle(const wire_cmd_t *cmd) {
  wire_error(&device_wire, cmd, WIRE_ERR_UNSUPPORTED,
             "this firmware has no debugger: build and boot it with --debug");
}

#endif
