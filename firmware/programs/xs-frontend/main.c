/*
 * xs-frontend – runs the pure-TypeScript audio front end (device/lib/frontend) under XS
 * over the 4 embedded clips × 49 frames against the golden features, then the C engine
 * running audio_preprocessor_int8.tflite over the same frames, and RecognizeCommands in
 * C on the synthetic score stream the TS twin also ran. Prints one parseable line:
 *   XSINFER-FRONTEND {"c":{...},"js":{...},"rc":{"match":...,"c":"..","js":".."}}
 * Exit 0 when every frame of both front ends matches and the RecognizeCommands twins
 * agree, 1 when something mismatched, 2/3/4 or 64 + N for XS failures.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "board.h"
#include "console.h"
#include "recognize_commands.h"
#include "xsinfer/engine.h"
#include "xsinfer_bindings.h"
#include "xsinfer_xs.h"

#define CHECK_MODULE "lib/frontend/device-check"

enum {
  CLIPS = 4,
  CLIP_SAMPLES = 16000,
  FRAMES = 49,
  STRIDE = 320,
  FRAME_SAMPLES = 480,
  FEATURES = 40
};
enum { RC_STEPS = 700, RC_SEED = 12345 }; /* = RC_STEPS / RC_SEED in device-check.ts */
enum { ARENA_BYTES = 24 * 1024, DIGEST_BYTES = 4096 };

static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));
static char c_digest[DIGEST_BYTES];
static int8_t features[FEATURES];

static void write_str(const char *s) {
  board_uart_write(s, strlen(s));
}

/* newlib-nano's printf has no 64-bit conversions: console_u64 formats them. */
static void write_u64(uint64_t v) {
  char buf[21];
  write_str(console_u64(buf, v));
}

static void field(const char *name, uint64_t v) {
  write_str(",\"");
  write_str(name);
  write_str("\":");
  write_u64(v);
}

typedef struct {
  uint32_t pass, fail, clip_pass;
  uint64_t create_ticks; /* interpreter create + allocate, per clip (the C "reset") */
  uint64_t frame_min, frame_max, frame_sum;
  uint64_t clip_ticks[CLIPS];
  char first_mismatch[96];
  char error[160];
} c_figures_t;

/* The C engine's front end, as native/baseline/micro_speech.c runs it: a fresh
 * interpreter per clip, each frame = copy 480 samples in, invoke, copy 40 features out. */
static int run_c_frontend(c_figures_t *f) {
  const asset_t *model = asset_find("models/audio_preprocessor_int8.tflite");
  const asset_t *clips = asset_find("micro_speech/clips.i16");
  const asset_t *golden = asset_find("micro_speech/features.i8");
  if (!model || !clips || !golden) {
    snprintf(f->error, sizeof f->error, "missing asset");
    return -1;
  }
  const int16_t *samples = (const int16_t *)(const void *)clips->data;
  const int8_t *expected = (const int8_t *)golden->data;
  f->frame_min = UINT64_MAX;
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t c = 0; c < CLIPS; ++c) {
      eng_error_t err;
      const uint64_t t0 = board_ticks();
      eng_interp_t *it = eng_interp_create(model->data, model->bytes, arena, sizeof arena,
                                           ENG_KERNELS_REFERENCE, &err);
      eng_status_t st = it ? eng_interp_allocate(it) : err.code;
      eng_tensor_info_t in, out;
      if (st == ENG_OK) st = eng_interp_input(it, 0, &in);
      if (st == ENG_OK) st = eng_interp_output(it, 0, &out);
      const uint64_t t1 = board_ticks();
      if (st != ENG_OK) {
        snprintf(f->error, sizeof f->error, "engine: %s",
                 it ? eng_interp_error(it)->message : err.message);
        return -1;
      }
      if (pass == 0 && c == 0) f->create_ticks = t1 - t0;
      int clip_ok = 1;
      for (uint32_t k = 0; k < FRAMES; ++k) {
        const uint64_t a = board_ticks();
        memcpy(in.data, samples + c * CLIP_SAMPLES + k * STRIDE, FRAME_SAMPLES * sizeof(int16_t));
        st = eng_interp_invoke(it);
        memcpy(features, out.data, FEATURES);
        const uint64_t b = board_ticks();
        if (st != ENG_OK) {
          snprintf(f->error, sizeof f->error, "invoke: %s", eng_interp_error(it)->message);
          return -1;
        }
        const int8_t *want = expected + (c * FRAMES + k) * FEATURES;
        int bad = -1;
        for (int i = 0; i < FEATURES && bad < 0; ++i) {
          if (features[i] != want[i]) bad = i;
        }
        if (pass == 0) {
          /* pass 0: every frame timed alone (the figure the TS pass 1 reports) */
          const uint64_t d = b - a;
          f->frame_sum += d;
          if (d < f->frame_min) f->frame_min = d;
          if (d > f->frame_max) f->frame_max = d;
          if (bad < 0) {
            f->pass++;
          } else {
            if (f->fail++ == 0) {
              snprintf(f->first_mismatch, sizeof f->first_mismatch,
                       "clip %u frame %u index %d: got %d, want %d", (unsigned)c, (unsigned)k, bad,
                       features[bad], want[bad]);
            }
          }
        } else if (bad >= 0) {
          clip_ok = 0;
        }
      }
      if (pass == 1) {
        f->clip_ticks[c] = board_ticks() - t0; /* create + 49 frames (+ the checks, a few k) */
        f->clip_pass += (uint32_t)clip_ok;
      }
    }
  }
  return 0;
}

static void append(char **p, char *end, const char *text) {
  size_t n = strlen(text);
  if ((size_t)(end - *p) <= n) n = (size_t)(end - *p) - 1;
  memcpy(*p, text, n);
  *p += n;
  **p = 0;
}

/* The C twin's decisions on the stream device-check.ts feeds the TS twin. */
static void run_c_rc(void) {
  rc_state_t s;
  rc_stream_t st;
  rc_result_t r = {0, 0, 0};
  rc_init(&s, 1000, 200, 1500, 3, 4);
  rc_stream_init(&st, RC_SEED);
  char *p = c_digest;
  char *end = c_digest + sizeof c_digest;
  char item[48];
  int first = 1;
  for (int32_t t = 0; t < RC_STEPS; ++t) {
    uint8_t scores[4];
    rc_stream_fill(&st, t, scores);
    const int32_t time = t % 97 == 96 ? t * 20 - 1500 : t * 20;
    if (rc_process(&s, scores, time, &r) != 0) {
      snprintf(item, sizeof item, "%sE%ld", first ? "" : ",", (long)t);
    } else if (r.is_new) {
      snprintf(item, sizeof item, "%s%ld:%ld:%ld", first ? "" : ",", (long)t, (long)r.label,
               (long)r.score);
    } else {
      continue;
    }
    append(&p, end, item);
    first = 0;
  }
  snprintf(item, sizeof item, "%sD%lu,L%ld:%ld", first ? "" : ",", (unsigned long)s.dropped,
           (long)r.label, (long)r.score);
  append(&p, end, item);
}

int main(void) {
  board_init();
  uint32_t host_count;
  const xsinfer_xs_host_t *hosts = xsinfer_bindings_hosts(&host_count);
  xsMachine *the = xsinfer_xs_create(hosts, host_count);
  if (!the) board_exit(XSINFER_XS_EXIT_CREATE);
  if (xsinfer_xs_map(the, xsinfer_xs_image.archive, xsinfer_xs_image.archive_bytes) != 0) {
    board_exit(XSINFER_XS_EXIT_MAP);
  }

  static c_figures_t cf;
  const int c_status = run_c_frontend(&cf);
  run_c_rc();

  int status = 0;
  xsBeginHost(the);
  {
    xsVars(2);
    xsTry {
      xsVar(0) = xsAwaitImport(CHECK_MODULE, XS_IMPORT_NAMESPACE);
      (void)xsCall0(xsVar(0), xsID("run"));
      xsVar(1) = xsCall0(xsVar(0), xsID("rcDigest"));
      const int rc_match = strcmp(xsToString(xsVar(1)), c_digest) == 0;
      const board_tick_unit_t *u = board_tick_unit();
      write_str("XSINFER-FRONTEND {\"c\":{\"unit\":\"");
      write_str(u->unit);
      write_str("\"");
      field("num", u->num);
      field("den", u->den);
      field("frames", CLIPS * FRAMES);
      field("pass", cf.pass);
      field("fail", cf.fail);
      field("clipPass", cf.clip_pass);
      field("createTicks", cf.create_ticks);
      write_str(",\"frameTicks\":{\"min\":");
      write_u64(cf.frame_min);
      field("max", cf.frame_max);
      field("sum", cf.frame_sum);
      write_str("},\"clipTicks\":[");
      for (int c = 0; c < CLIPS; ++c) {
        if (c) write_str(",");
        write_u64(cf.clip_ticks[c]);
      }
      write_str("],\"firstMismatch\":\"");
      write_str(cf.first_mismatch);
      write_str("\",\"error\":\"");
      write_str(cf.error);
      write_str("\"},\"rc\":{\"match\":");
      write_str(rc_match ? "true" : "false");
      write_str(",\"c\":\"");
      write_str(c_digest);
      write_str("\",\"js\":\"");
      write_str(xsToString(xsVar(1)));
      write_str("\"},\"js\":");
      xsVar(1) = xsCall0(xsVar(0), xsID("result"));
      write_str(xsToString(xsVar(1)));
      write_str("}\n");
      if (c_status != 0 || cf.fail != 0 || !rc_match) status = 1;
      if (!strstr(xsToString(xsVar(1)), "\"fail\":0,")) status = 1;
    }
    xsCatch {
      write_str("xs: exception: ");
      write_str(xsToString(xsException));
      write_str("\n");
      status = XSINFER_XS_EXIT_EXCEPTION;
    }
  }
  xsEndHost(the);
  board_uart_flush();
  board_exit(status);
}
