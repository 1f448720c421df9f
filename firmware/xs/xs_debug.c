/*
 * xs_debug.c – the hooks XS 13.3's debugger calls under mxDebug (xsAll.h: fxConnect,
 * fxDisconnect, fxIsConnected, fxIsReadable, fxReceive, fxSend), over the program's link
 * (xsinfer_xs_debug.h). Without mxDebug (release images) only the stubs are built.
 */
#include "xsAll.h"

#include "xsinfer_xs_debug.h"

#ifdef mxDebug

static const xsinfer_xs_debug_link_t *debug_link;
static int connected;

int xsinfer_xs_debug_available(void) {
  return 1;
}

void xsinfer_xs_debug_set_link(const xsinfer_xs_debug_link_t *link) {
  debug_link = link;
}

int xsinfer_xs_debug_connected(void) {
  return connected;
}

/* XS logs in from machine creation and fxLogin: the connection itself is made only by
 * xsinfer_xs_debug_attach, when the host says a debugger listens. */
void fxConnect(txMachine *the) {
  (void)the;
}

void fxDisconnect(txMachine *the) {
  (void)the;
  connected = 0;
}

txBoolean fxIsConnected(txMachine *the) {
  (void)the;
  return connected ? 1 : 0;
}

txBoolean fxIsReadable(txMachine *the) {
  (void)the;
  return connected && debug_link->pending() > 0;
}

void fxReceive(txMachine *the) {
  /* XS parses what we leave in debugBuffer[0, debugOffset) and calls again until a
   * command lets it continue. */
  size_t n =
      connected ? debug_link->receive((uint8_t *)the->debugBuffer, sizeof the->debugBuffer) : 0;
  if (n == 0) connected = 0;
  the->debugOffset = (txSize)n;
}

void fxSend(txMachine *the, txBoolean more) {
  if (connected) debug_link->send((const uint8_t *)the->echoBuffer, (size_t)the->echoOffset, more);
}

int32_t xsinfer_xs_debug_attach(xsMachine *the) {
  if (!the || !debug_link) return -1;
  connected = 1;
  /* A fresh parse: whatever a previous connection left half-read is gone. */
  the->debugState = 0;
  the->debugOffset = 0;
  xsBeginHost(the);
  fxLogin(the);
  xsEndHost(the);
  return 0;
}

void xsinfer_xs_debug_service(xsMachine *the) {
  if (!the || !connected || !debug_link->pending()) return;
  xsBeginHost(the);
  fxDebugCommand(the);
  xsEndHost(the);
}

void xsinfer_xs_debug_detach(xsMachine *the) {
  if (!the || !connected) return;
  xsBeginHost(the);
  fxLogout(the);
  xsEndHost(the);
  connected = 0;
}

#else

int xsinfer_xs_debug_available(void) {
  return 0;
}

void xsinfer_xs_debug_set_link(const xsinfer_xs_debug_link_t *link) {
  (void)link;
}

int32_t xsinfer_xs_debug_attach(xsMachine *the) {
  (void)the;
  return -1;
}

void xsinfer_xs_debug_service(xsMachine *the) {
  (void)the;
}

void xsinfer_xs_debug_detach(xsMachine *the) {
  (void)the;
}

int xsinfer_xs_debug_connected(void) {
  return 0;
}

#endif
