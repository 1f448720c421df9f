/*
 * xsinfer_xs_profile.h – XS's sampling profiler (xsProfile.c, mxProfile) in the profiling
 * flavour of the firmware (CMake -DXSINFER_XS_PROFILE=ON, build/<target>+profile).
 *
 * Contract:
 * - Only defined when XSINFER_XS_PROFILE is (a release image has none of it).
 * - start: creates XS's profiler over a static pool of its own (never XS's pool, never a
 *   heap) and turns on metering, so the interpreter checks the profiler on backward branches
 *   and calls as well as after host calls and collections. The sample clock counts the
 *   board's ticks since the start (xsinfer_xs_profile_origin) in units of `quantum` (≥ 1)
 *   ticks: XS samples every 1,250 units, so the interval is 1,250 × quantum ticks; the
 *   profile's times are in these units. XS's typed-array element accessor takes no sample
 *   of its own: its time goes to the JS function that indexed the array.
 * - stop: writes the Chrome DevTools .cpuprofile JSON through `out` in pieces of at most
 *   XSINFER_XS_PROFILE_CHUNK bytes (the last one with last = 1), frees the profiler and ends
 *   metering. Call both outside timed regions; stop without a start does nothing.
 * - When the pool runs low (or the clock would pass 2^31 units) the clock stops advancing,
 *   so no further sample is taken (the profile ends early instead of XS aborting):
 *   xsinfer_xs_profile_truncated() says so.
 */
#ifndef XSINFER_XS_PROFILE_H
#define XSINFER_XS_PROFILE_H

#include <stdint.h>

#include "xs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XSINFER_XS_PROFILE_CHUNK 384u

typedef void (*xsinfer_xs_profile_out_fn)(void *user, const char *data, uint32_t len, int last);

void xsinfer_xs_profile_start(xsMachine *the, uint32_t quantum);
void xsinfer_xs_profile_stop(xsMachine *the, xsinfer_xs_profile_out_fn out, void *user);
int xsinfer_xs_profile_active(void);
int xsinfer_xs_profile_truncated(void);
/* Board ticks at the last start: clock unit 0. */
uint64_t xsinfer_xs_profile_origin(void);
/* Bytes of the profiler's pool: its size and the most in use during the last profile. */
uint32_t xsinfer_xs_profile_pool_bytes(void);
uint32_t xsinfer_xs_profile_pool_peak(void);

#ifdef __cplusplus
}
#endif

#endif
