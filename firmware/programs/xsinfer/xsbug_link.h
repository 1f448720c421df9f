/* xsbug_link.h – the main firmware's side of XS's debugger: wire `xsbug` commands and
 * records (docs/protocol.md, "Debugging") carry the xsbug stream between XS's hooks
 * (firmware/xs/xsinfer_xs_debug.h) and the host's relay.
 *
 * Contract: xsbug_link_init once after the wire is up; xsbug_link_handle answers every
 * `xsbug` command the main loop receives (ack, or error 4 in a release image). While XS
 * waits for the debugger (a break, a step, the login) this module pumps the wire itself,
 * answering `xsbug` commands and refusing every other with error 3 badState. */
#ifndef XSINFER_XSBUG_LINK_H
#define XSINFER_XSBUG_LINK_H

#include "wire.h"

void xsbug_link_init(void);
void xsbug_link_handle(const wire_cmd_t *cmd);

#endif
