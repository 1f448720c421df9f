/*
 * xsinfer_xs_debug.h – XS's debugger (xsbug protocol) on the device: the platform hooks
 * XS calls under mxDebug (fxConnect, fxSend, fxReceive, …) carried over a link the
 * program provides (the main firmware: wire `xsbug` frames, docs/protocol.md).
 *
 * Contract:
 * - Only the debug flavour (CMake XSINFER_XS_DEBUG=ON → mxDebug) has a debugger; in a
 *   release image xsinfer_xs_debug_available() is 0, every other call returns -1 or does
 *   nothing, and no XS debugger code is linked.
 * - The debugger is connected only between xsinfer_xs_debug_attach() and a detach (the
 *   program's, a `<logout/>` or `<abort/>` from the debugger, or the link's receive
 *   returning 0). A machine created while nothing is attached runs as if there were no
 *   debugger (XS's login at creation finds no connection).
 * - XS's own buffers (echo and debug, 256 bytes each) live in txMachine, in the pool behind
 *   c_malloc; breakpoints are XS slots. Nothing here allocates.
 * - link.send may be called at any time XS reports (console, exceptions, breaks), also
 *   inside a timed region; link.receive blocks the machine until the debugger answers
 *   (a break, a step, the login), pumping the program's link meanwhile.
 * - One machine at a time, not reentrant; attach and service run XS code (host frame) and
 *   must not be called from inside XS.
 */
#ifndef XSINFER_XS_DEBUG_H
#define XSINFER_XS_DEBUG_H

#include <stddef.h>
#include <stdint.h>

#include "xs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xsinfer_xs_debug_link {
  /* Bytes of XS's xsbug stream for the debugger; more: the same message continues. */
  void (*send)(const uint8_t *data, size_t len, int more);
  /* Waits for bytes from the debugger and copies at most cap; 0 means it went away. */
  size_t (*receive)(uint8_t *data, size_t cap);
  /* Bytes from the debugger waiting now (does not block). */
  size_t (*pending)(void);
} xsinfer_xs_debug_link_t;

/* 1 in the debug flavour, 0 in a release image. */
int xsinfer_xs_debug_available(void);
/* The link XS's hooks use; it must outlive the machine. */
void xsinfer_xs_debug_set_link(const xsinfer_xs_debug_link_t *link);
/* Connects the debugger: XS sends <login> and handles the debugger's commands until one
 * lets it go (set-all-breakpoints, go, …). Returns 0, or -1 without a debugger or link. */
int32_t xsinfer_xs_debug_attach(xsMachine *the);
/* Between runs: lets XS read and act on the debugger's waiting commands (breakpoints set
 * or cleared while the app is not running). */
void xsinfer_xs_debug_service(xsMachine *the);
/* Disconnects (XS stops reporting to the debugger and clears stepping). */
void xsinfer_xs_debug_detach(xsMachine *the);
/* 1 while the debugger is connected. */
int xsinfer_xs_debug_connected(void);

#ifdef __cplusplus
}
#endif

#endif
