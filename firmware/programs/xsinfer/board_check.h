/* board_check.h – the main firmware's `check` command (xsinfer board-check): runs one item
 * (clock, echo, core, ram, flash) and answers with an ack carrying its figures, or an
 * error. Only between runs; the RAM item invalidates JS interpreters over the arenas. */
#ifndef XSINFER_BOARD_CHECK_H
#define XSINFER_BOARD_CHECK_H

#include "wire.h"

void board_check_handle(const wire_cmd_t *cmd);

#endif
