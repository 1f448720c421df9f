/*
 * xsinfer_platform.h – the XSPLATFORM header: what XS 13.3 needs from our port (device,
 * host target and the host compiler tool). Every TU that includes xs.h/xsAll.h sees it.
 *
 * Contract: included only through XS's xsPlatform.h (-DXSPLATFORM='"xsinfer_platform.h"').
 * mxMachinePlatform below must be identical in every translation unit (it changes the
 * layout of txMachine), so nothing may define it elsewhere. XSINFER_XS_HOST_TOOL selects
 * the configuration of the host compiler (parser on, system heap, XS's default module
 * lookup); without it the runtime port in firmware/xs provides every hook.
 */
#ifndef XSINFER_PLATFORM_H
#define XSINFER_PLATFORM_H

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#ifndef PATH_MAX
#define PATH_MAX 256
#endif

/* Extra fields of txMachine: one opaque pointer for the embedder, and the flag the
 * promise-job loop polls (fxQueuePromiseJobs only sets it). */
#define mxMachinePlatform \
  void *host;             \
  int promiseJobs;

/* Single core, no threads: XS's plain-load shared-chunk code; never mxUseGCCAtomics on
 * arm-none-eabi (64-bit atomics would need libatomic). */
#define mxUseDefaultSharedChunks    1
#define mxUseDefaultMachinePlatform 1
#define mxUseDefaultBuildKeys       1
#define mxBoundsCheck               1

#ifdef XSINFER_XS_HOST_TOOL
/* Host compiler: parser on, the system heap, XS's own defaults; it never loads modules. */
#define mxUseDefaultChunkAllocation  1
#define mxUseDefaultSlotAllocation   1
#define mxUseDefaultFindModule       1
#define mxUseDefaultLoadModule       1
#define mxUseDefaultParseScript      1
#define mxUseDefaultQueuePromiseJobs 1
#define mxUseDefaultAbort            1
#define mxUseDefaultCStackLimit      0
#define mxUseDefaultDebug            1
#else
/* Runtime port (firmware/xs): static arena, own pool for c_malloc, archive loader,
 * no parser, C stack limit from the board. */
#define mxUseDefaultChunkAllocation  0
#define mxUseDefaultSlotAllocation   0
#define mxUseDefaultFindModule       0
#define mxUseDefaultLoadModule       0
#define mxUseDefaultParseScript      0
#define mxUseDefaultQueuePromiseJobs 0
#define mxUseDefaultAbort            0
#define mxUseDefaultCStackLimit      0
/* Under mxDebug (the debug flavour) the xsbug hooks are firmware/xs/xs_debug.c's. */
#define mxUseDefaultDebug            0

#ifdef __cplusplus
extern "C" {
#endif
/* firmware/xs/xs_heap.c: XS's internal allocations come from a static pool, never the
 * system heap (there is none on the device). */
void *xsinfer_xs_malloc(size_t size);
void *xsinfer_xs_calloc(size_t count, size_t size);
void *xsinfer_xs_realloc(void *block, size_t size);
void xsinfer_xs_free(void *block);
/* firmware/xs/xs_console.c: console output goes to the board UART. */
int xsinfer_xs_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
int xsinfer_xs_vprintf(const char *format, va_list args);
/* firmware/xs/xs_port.c: time without newlib syscalls or reentrancy buffers. */
int xsinfer_xs_gettimeofday(struct timeval *tv, void *tz);
struct tm *xsinfer_xs_localtime(const time_t *t);
time_t xsinfer_xs_mktime(struct tm *tm);
int xsinfer_xs_rand(void);
void xsinfer_xs_exit(int status) __attribute__((noreturn));
#ifdef __cplusplus
}
#endif

#define c_malloc        xsinfer_xs_malloc
#define c_calloc        xsinfer_xs_calloc
#define c_realloc       xsinfer_xs_realloc
#define c_free          xsinfer_xs_free
#define c_malloc_uint32 xsinfer_xs_malloc
#define c_free_uint32   xsinfer_xs_free
#define c_printf        xsinfer_xs_printf
#define c_vprintf       xsinfer_xs_vprintf
#define c_exit          xsinfer_xs_exit
#define c_rand          xsinfer_xs_rand
#define c_srand(SEED)   ((void)(SEED))
#define c_localtime     xsinfer_xs_localtime
#define c_mktime        xsinfer_xs_mktime
#define c_gettimeofday  xsinfer_xs_gettimeofday
typedef struct timeval c_timeval;

#ifdef XSINFER_XS_PROFILE_TU
/* Only xsProfile.c (profiling flavour, firmware/xs/xs_profile.c): its clock is the board's
 * tick counter, its memory a pool of its own, and its FILE* writes go out as wire records
 * (the profile's `FILE *` is an xs_profile.c stream, never a newlib FILE). The default-file
 * branch (fopen, time, localtime, strftime) is never taken: a stream is always given. */
struct tm;
int xsinfer_xs_profile_clock(struct timeval *tv, void *tz);
void *xsinfer_xs_profile_malloc(size_t size);
void *xsinfer_xs_profile_calloc(size_t count, size_t size);
void *xsinfer_xs_profile_realloc(void *block, size_t size);
void xsinfer_xs_profile_free(void *block);
int xsinfer_xs_profile_fprintf(FILE *stream, const char *format, ...);
int xsinfer_xs_profile_fclose(FILE *stream);
FILE *xsinfer_xs_profile_fopen(const char *name, const char *mode);
size_t xsinfer_xs_profile_strftime(char *s, size_t max, const char *format, const struct tm *tm);
#undef c_gettimeofday
#undef c_malloc
#undef c_calloc
#undef c_realloc
#undef c_free
#define c_gettimeofday xsinfer_xs_profile_clock
#define c_malloc       xsinfer_xs_profile_malloc
#define c_calloc       xsinfer_xs_profile_calloc
#define c_realloc      xsinfer_xs_profile_realloc
#define c_free         xsinfer_xs_profile_free
#define fprintf        xsinfer_xs_profile_fprintf
#define fclose         xsinfer_xs_profile_fclose
#define fopen          xsinfer_xs_profile_fopen
#define strftime       xsinfer_xs_profile_strftime
#define localtime      xsinfer_xs_localtime
#define time(timer)    ((time_t)((void)(timer), 0))
#endif
#endif /* XSINFER_XS_HOST_TOOL */

#endif
