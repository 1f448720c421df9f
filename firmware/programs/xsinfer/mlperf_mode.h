/* mlperf_mode.h – the main firmware as an MLPerf Tiny device under test (docs/mlperf.md).
 * Chosen at start: the word `mlperf` on the command line (QEMU, host) or the build define
 * `defines.mlperf.mode: 1` (boards). In this mode the UART speaks only the runner's ASCII
 * protocol (native/mlperf), never wire frames. Further command-line words: impl=js|c
 * (default c), kernels=reference|optimized (default optimized), task=kws01|ic01|vww01|ad01
 * (default kws01; ad01 scores anomalies, the others classify), model=FILE (a host file
 * read at start; otherwise the model in the upload slot, `deploy --model`). */
#ifndef XSINFER_MLPERF_MODE_H
#define XSINFER_MLPERF_MODE_H

/* Whether this start is in MLPerf mode. */
int mlperf_mode_requested(void);

/* Serves the protocol forever. Call after js_start and upload_restore. */
void mlperf_mode_run(void) __attribute__((noreturn));

#endif
