/*
 * checks.h – C-level checks of native/wire run inside wire-selftest (see checks.c).
 */
#ifndef XSINFER_WIRE_SELFTEST_CHECKS_H
#define XSINFER_WIRE_SELFTEST_CHECKS_H

#include "wire.h"

/* Run every check and queue one `user` record "c-checks" {passed, failed, firstFailure}. */
void wire_checks_run(wire_t *link);

#endif
