/*
 * conv-harness.c – host test driver for the reference CONV_2D, DEPTHWISE_CONV_2D,
 * MAX_POOL_2D and AVERAGE_POOL_2D kernels. Built and driven by
 * test/engine/conv-kernels.test.ts (gcc, ASan + UBSan); not firmware code.
 *
 * The oracle below is a deliberately naive transcription of the documented TFLM reference
 * loops (every tap bounds-checked, flat NHWC indexing, nothing hoisted); the kernels under
 * test clip windows once per row/column and walk pointers, so agreement means the
 * optimised loop structure computes exactly the documented semantics.
 *
 * Modes:
 *   random <iterations> <seed>
 *       random shapes/strides/dilations/padding/groups/depth multipliers/activations,
 *       int8 and float32, cores vs oracle; prints "RANDOM <runs> <fails>".
 *   check <model> <kind> <padding> <stride_h> <stride_w> <dil_h> <dil_w> <depth_mult>
 *         <filter_h> <filter_w> <activation> <bias_tensor|-1> <cases> <seed>
 *       kind 0 conv, 1 depthwise, 2 max pool, 3 average pool. The model (one op, tensor 0
 *       input, 1 filter for convs, last output) runs through the real engine
 *       (create/allocate/invoke, reference set) on random inputs and is compared with the
 *       oracle fed from the interpreter's own tensor info; prints "CHECK <cases> <fails>".
 *   exec <model>
 *       stdin: the input's elements; stdout "OUT v..", or "ERROR <status> <message>"
 *       (exit 3) when create/allocate/invoke refuses the model.
 *   mutate <model>
 *       every byte of the model set to byte^0x01, byte^0x80, 0x00 and 0xFF in turn, each
 *       variant created, allocated and (if accepted) invoked on a patterned input: the
 *       sanitizers turn any out-of-bounds access into a failure. Prints
 *       "MUTATE <variants> <accepted> <rejected>".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_io.h"
#include "conv_common.h"
#include "quant.h"
#include "xsinfer/engine.h"

enum { KIND_CONV, KIND_DW, KIND_MAX, KIND_AVG };
enum { MAX_ELEMS = 1 << 16, MAX_CH = 512, ARENA_BYTES = 512 * 1024 };

typedef struct {
  int kind;
  eng_nhwc_t in, filter, out;
  int padding, stride_h, stride_w, dil_h, dil_w, depth_mult, filter_h, filter_w, act;
  int groups;
} shape_t;

typedef struct {
  int32_t in_zp, out_zp;
  int32_t mult[MAX_CH], shift[MAX_CH];
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
} quant_t;

static uint32_t rng_state;
static uint32_t rnd(void) {
  rng_state = rng_state * 1664525u + 1013904223u;
  return rng_state >> 8;
}
static int rnd_in(int lo, int hi) {
  return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

static int out_size(int padding, int in, int filter, int stride, int dil) {
  const int effective = (filter - 1) * dil + 1;
  return padding == ENG_PADDING_SAME ? (in + stride - 1) / stride
                                     : (in + stride - effective) / stride;
}
static int lead_pad(int stride, int dil, int in, int filter, int out) {
  const int total = (out - 1) * stride + (filter - 1) * dil + 1 - in;
  return total > 0 ? total / 2 : 0;
}
static int at(const eng_nhwc_t *d, int b, int y, int x, int c) {
  return ((b * d->h + y) * d->w + x) * d->c + c;
}
static int32_t clamp_i(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}
static float clamp_f(float v, float lo, float hi) {
  v = (v < lo) ? lo : v;    /* std::max(v, lo) */
  return (hi < v) ? hi : v; /* std::min(., hi) */
}

/* TFLM CalculateActivationRangeQuantized for int8, written out independently. */
static void act_range_q(int act, float scale, int32_t zp, int32_t *lo, int32_t *hi) {
  *lo = -128;
  *hi = 127;
  const int32_t q0 = zp + (int32_t)roundf(0.0f / scale);
  if (act == ENG_ACT_RELU) {
    *lo = q0 > *lo ? q0 : *lo;
  } else if (act == ENG_ACT_RELU6) {
    const int32_t q6 = zp + (int32_t)roundf(6.0f / scale);
    *lo = q0 > *lo ? q0 : *lo;
    *hi = q6 < *hi ? q6 : *hi;
  } else if (act == ENG_ACT_RELU_N1_TO_1) {
    const int32_t qm1 = zp + (int32_t)roundf(-1.0f / scale);
    const int32_t qp1 = zp + (int32_t)roundf(1.0f / scale);
    *lo = qm1 > *lo ? qm1 : *lo;
    *hi = qp1 < *hi ? qp1 : *hi;
  }
}

static void act_range_f(int act, float *lo, float *hi) {
  *lo = -3.40282347e+38f;
  *hi = 3.40282347e+38f;
  if (act == ENG_ACT_RELU) {
    *lo = 0.0f;
  } else if (act == ENG_ACT_RELU6) {
    *lo = 0.0f;
    *hi = 6.0f;
  } else if (act == ENG_ACT_RELU_N1_TO_1) {
    *lo = -1.0f;
    *hi = 1.0f;
  }
}

/* The naive oracle: int8 when q != NULL, else float32 before the activation clamp
 * (oracle_float_act applies it, as TFLM does last). */
static void oracle(const shape_t *s, const quant_t *q, const void *input, const void *filter,
                   const void *bias, void *output) {
  const int pad_h = lead_pad(s->stride_h, s->dil_h, s->in.h, s->filter_h, s->out.h);
  const int pad_w = lead_pad(s->stride_w, s->dil_w, s->in.w, s->filter_w, s->out.w);
  const int8_t *in8 = input, *f8 = filter;
  const int32_t *b32 = bias;
  const float *inf = input, *ff = filter, *bf = bias;
  for (int b = 0; b < s->out.n; b++)
    for (int oy = 0; oy < s->out.h; oy++)
      for (int ox = 0; ox < s->out.w; ox++)
        for (int oc = 0; oc < s->out.c; oc++) {
          const int iy0 = oy * s->stride_h - pad_h, ix0 = ox * s->stride_w - pad_w;
          int32_t acc = 0, count = 0, max8 = -128;
          float total = 0.0f, maxf = -3.40282347e+38f;
          for (int ky = 0; ky < s->filter_h; ky++)
            for (int kx = 0; kx < s->filter_w; kx++) {
              const int iy = iy0 + s->dil_h * ky, ix = ix0 + s->dil_w * kx;
              if (iy < 0 || iy >= s->in.h || ix < 0 || ix >= s->in.w) continue;
              if (s->kind == KIND_CONV) {
                const int per_group = s->out.c / s->groups, g = oc / per_group;
                for (int ic = 0; ic < s->filter.c; ic++) {
                  const int ii = at(&s->in, b, iy, ix, ic + g * s->filter.c);
                  const int fi = at(&s->filter, oc, ky, kx, ic);
                  if (q)
                    acc += f8[fi] * (in8[ii] - q->in_zp);
                  else
                    total += inf[ii] * ff[fi];
                }
              } else if (s->kind == KIND_DW) {
                const int ii = at(&s->in, b, iy, ix, oc / s->depth_mult);
                const int fi = at(&s->filter, 0, ky, kx, oc);
                if (q)
                  acc += f8[fi] * (in8[ii] - q->in_zp);
                else
                  total += inf[ii] * ff[fi];
              } else {
                const int ii = at(&s->in, b, iy, ix, oc);
                count++;
                if (q) {
                  acc += in8[ii];
                  max8 = in8[ii] > max8 ? in8[ii] : max8;
                } else {
                  total += inf[ii];
                  maxf = maxf < inf[ii] ? inf[ii] : maxf;
                }
              }
            }
          const int o = at(&s->out, b, oy, ox, oc);
          if (s->kind <= KIND_DW) {
            if (q) {
              if (b32) acc += b32[oc];
              acc = eng_requantize(acc, q->mult[oc], q->shift[oc]) + q->out_zp;
              ((int8_t *)output)[o] = (int8_t)clamp_i(acc, q->act_min, q->act_max);
            } else {
              ((float *)output)[o] = total + (bf ? bf[oc] : 0.0f);
            }
          } else if (s->kind == KIND_MAX) {
            if (q)
              ((int8_t *)output)[o] = (int8_t)clamp_i(max8, q->act_min, q->act_max);
            else
              ((float *)output)[o] = maxf;
          } else {
            if (q) {
              const int32_t avg = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
              ((int8_t *)output)[o] = (int8_t)clamp_i(avg, q->act_min, q->act_max);
            } else {
              ((float *)output)[o] = total / (float)count;
            }
          }
        }
}

static void oracle_float_act(const shape_t *s, float *out) {
  float lo, hi;
  act_range_f(s->act, &lo, &hi);
  const int n = s->out.n * s->out.h * s->out.w * s->out.c;
  for (int i = 0; i < n; i++) out[i] = clamp_f(out[i], lo, hi);
}

static void run_cores(const shape_t *s, const quant_t *q, const void *input, const void *filter,
                      const void *bias, void *output) {
  eng_conv_params_t p = {0};
  p.stride_h = s->stride_h;
  p.stride_w = s->stride_w;
  p.dilation_h = s->dil_h;
  p.dilation_w = s->dil_w;
  p.pad_h = lead_pad(s->stride_h, s->dil_h, s->in.h, s->filter_h, s->out.h);
  p.pad_w = lead_pad(s->stride_w, s->dil_w, s->in.w, s->filter_w, s->out.w);
  p.depth_multiplier = s->depth_mult;
  act_range_f(s->act, &p.act_min_f, &p.act_max_f);
  if (q) {
    p.input_offset = -q->in_zp;
    p.output_offset = q->out_zp;
    p.act_min = q->act_min;
    p.act_max = q->act_max;
  }
  eng_pool_params_t pp = {s->stride_h, s->stride_w, s->filter_h, s->filter_w, p.pad_h,
                          p.pad_w,     p.act_min,   p.act_max,   p.act_min_f, p.act_max_f};
  switch (s->kind) {
    case KIND_CONV:
      if (q)
        eng_ref_conv_s8(&p, q->mult, q->shift, &s->in, input, &s->filter, filter, bias, &s->out,
                        output);
      else
        eng_ref_conv_f32(&p, &s->in, input, &s->filter, filter, bias, &s->out, output);
      break;
    case KIND_DW:
      if (q)
        eng_ref_depthwise_conv_s8(&p, q->mult, q->shift, &s->in, input, &s->filter, filter, bias,
                                  &s->out, output);
      else
        eng_ref_depthwise_conv_f32(&p, &s->in, input, &s->filter, filter, bias, &s->out, output);
      break;
    case KIND_MAX:
      if (q)
        eng_ref_max_pool_s8(&pp, &s->in, input, &s->out, output);
      else
        eng_ref_max_pool_f32(&pp, &s->in, input, &s->out, output);
      break;
    default:
      if (q)
        (void)eng_ref_avg_pool_s8(&pp, &s->in, input, &s->out, output);
      else
        (void)eng_ref_avg_pool_f32(&pp, &s->in, input, &s->out, output);
      break;
  }
}

static int elems(const eng_nhwc_t *d) {
  return d->n * d->h * d->w * d->c;
}

static int mode_random(int iterations, uint32_t seed) {
  static int8_t in8[MAX_ELEMS], f8[MAX_ELEMS], want8[MAX_ELEMS], got8[MAX_ELEMS];
  static float inf[MAX_ELEMS], ff[MAX_ELEMS], wantf[MAX_ELEMS], gotf[MAX_ELEMS];
  static int32_t bias32[MAX_CH];
  static float biasf[MAX_CH];
  static quant_t q;
  rng_state = seed;
  int runs = 0, fails = 0;
  for (int it = 0; it < iterations; it++) {
    shape_t s = {0};
    s.kind = it % 4;
    s.in = (eng_nhwc_t){rnd_in(1, 2), rnd_in(1, 9), rnd_in(1, 9), rnd_in(1, 6)};
    s.padding = rnd_in(0, 1);
    s.stride_h = rnd_in(1, 3);
    s.stride_w = rnd_in(1, 3);
    s.dil_h = s.kind <= KIND_DW ? rnd_in(1, 3) : 1;
    s.dil_w = s.kind <= KIND_DW ? rnd_in(1, 3) : 1;
    s.filter_h = rnd_in(1, 4);
    s.filter_w = rnd_in(1, 4);
    s.act = rnd_in(0, 3);
    s.groups = 1;
    s.depth_mult = 1;
    int out_c = s.in.c;
    if (s.kind == KIND_CONV) {
      const int g = rnd_in(1, 3);
      s.groups = s.in.c % g == 0 ? g : 1;
      out_c = s.groups * rnd_in(1, 3);
      s.filter = (eng_nhwc_t){out_c, s.filter_h, s.filter_w, s.in.c / s.groups};
    } else if (s.kind == KIND_DW) {
      s.depth_mult = rnd_in(1, 3);
      out_c = s.in.c * s.depth_mult;
      s.filter = (eng_nhwc_t){1, s.filter_h, s.filter_w, out_c};
    }
    const int oh = out_size(s.padding, s.in.h, s.filter_h, s.stride_h, s.dil_h);
    const int ow = out_size(s.padding, s.in.w, s.filter_w, s.stride_w, s.dil_w);
    if (oh < 1 || ow < 1) continue;
    s.out = (eng_nhwc_t){s.in.n, oh, ow, out_c};
    const int n_in = elems(&s.in), n_f = s.kind <= KIND_DW ? elems(&s.filter) : 0;
    const int n_out = elems(&s.out);
    for (int i = 0; i < n_in; i++) {
      in8[i] = (int8_t)rnd_in(-128, 127);
      inf[i] = (float)rnd_in(-1000, 1000) / 100.0f;
    }
    for (int i = 0; i < n_f; i++) {
      f8[i] = (int8_t)rnd_in(-127, 127);
      ff[i] = (float)rnd_in(-1000, 1000) / 300.0f;
    }
    const int has_bias = rnd_in(0, 1), per_tensor = rnd_in(0, 1);
    for (int c = 0; c < out_c; c++) {
      bias32[c] = rnd_in(-20000, 20000);
      biasf[c] = (float)rnd_in(-100, 100) / 10.0f;
      eng_quantize_multiplier((double)rnd_in(1, 4000) / 100000.0, &q.mult[c], &q.shift[c]);
      if (per_tensor) {
        q.mult[c] = q.mult[0];
        q.shift[c] = q.shift[0];
      }
    }
    q.in_zp = rnd_in(-128, 127);
    q.out_zp = rnd_in(-128, 127);
    act_range_q(s.act, (float)rnd_in(5, 100) / 1000.0f, q.out_zp, &q.act_min, &q.act_max);
    if (s.kind >= KIND_MAX) q.in_zp = q.out_zp; /* pooling keeps the quantization */
    const void *b8 = has_bias ? bias32 : NULL, *bfp = has_bias ? biasf : NULL;
    memset(got8, 0x5a, (size_t)n_out);
    memset(want8, 0xa5, (size_t)n_out);
    oracle(&s, &q, in8, f8, b8, want8);
    run_cores(&s, &q, in8, f8, b8, got8);
    memset(gotf, 0xff, (size_t)n_out * sizeof(float));
    oracle(&s, NULL, inf, ff, bfp, wantf);
    oracle_float_act(&s, wantf);
    run_cores(&s, NULL, inf, ff, bfp, gotf);
    runs++;
    if (memcmp(want8, got8, (size_t)n_out) != 0 ||
        memcmp(wantf, gotf, (size_t)n_out * sizeof(float)) != 0) {
      if (fails < 5) {
        printf(
            "MISMATCH kind %d in %dx%dx%dx%d filter %dx%d stride %d,%d dil %d,%d pad %d "
            "groups %d mult %d act %d\n",
            s.kind, (int)s.in.n, (int)s.in.h, (int)s.in.w, (int)s.in.c, s.filter_h, s.filter_w,
            s.stride_h, s.stride_w, s.dil_h, s.dil_w, s.padding, s.groups, s.depth_mult, s.act);
      }
      fails++;
    }
  }
  printf("RANDOM %d %d\n", runs, fails);
  return fails != 0;
}

static uint8_t g_arena[ARENA_BYTES] __attribute__((aligned(16)));

/* create + allocate; prints ERROR and exits 3 on refusal. */
static eng_interp_t *open_model(const char *path) {
  size_t len;
  const uint8_t *model = harness_read_file(path, &len);
  eng_error_t err;
  eng_interp_t *it =
      eng_interp_create(model, len, g_arena, sizeof g_arena, ENG_KERNELS_REFERENCE, &err);
  if (it == NULL) {
    printf("ERROR %s %s\n", eng_status_name(err.code), err.message);
    exit(3);
  }
  if (eng_interp_allocate(it) != ENG_OK) {
    printf("ERROR %s %s\n", eng_status_name(eng_interp_error(it)->code),
           eng_interp_error(it)->message);
    exit(3);
  }
  return it;
}

static void to_nhwc(const eng_tensor_info_t *t, eng_nhwc_t *d) {
  d->n = t->dims[0];
  d->h = t->dims[1];
  d->w = t->dims[2];
  d->c = t->dims[3];
}

static int mode_check(char **argv) {
  eng_interp_t *it = open_model(argv[0]);
  shape_t s = {0};
  s.kind = atoi(argv[1]);
  s.padding = atoi(argv[2]);
  s.stride_h = atoi(argv[3]);
  s.stride_w = atoi(argv[4]);
  s.dil_h = atoi(argv[5]);
  s.dil_w = atoi(argv[6]);
  s.depth_mult = atoi(argv[7]);
  s.filter_h = atoi(argv[8]);
  s.filter_w = atoi(argv[9]);
  s.act = atoi(argv[10]);
  const int bias_tensor = atoi(argv[11]);
  const int cases = atoi(argv[12]);
  rng_state = (uint32_t)strtoul(argv[13], NULL, 10);

  eng_tensor_info_t in, out, filter = {0}, bias = {0};
  eng_interp_input(it, 0, &in);
  eng_interp_output(it, 0, &out);
  to_nhwc(&in, &s.in);
  to_nhwc(&out, &s.out);
  if (s.kind <= KIND_DW) {
    eng_interp_tensor(it, 1, &filter);
    to_nhwc(&filter, &s.filter);
    s.groups = s.kind == KIND_CONV ? (int)(s.in.c / s.filter.c) : 1;
    if (bias_tensor >= 0) eng_interp_tensor(it, (uint32_t)bias_tensor, &bias);
  }
  static quant_t q;
  const int is_int8 = in.type == ENG_INT8;
  if (is_int8) {
    q.in_zp = in.zero_point;
    q.out_zp = out.zero_point;
    act_range_q(s.act, out.scale, out.zero_point, &q.act_min, &q.act_max);
    for (int c = 0; s.kind <= KIND_DW && c < s.out.c; c++) {
      float fs = filter.scale;
      int32_t zp;
      if (filter.num_channels > 1) eng_interp_channel_param(it, 1, (uint32_t)c, &fs, &zp);
      eng_quantize_multiplier((double)in.scale * (double)fs / (double)out.scale, &q.mult[c],
                              &q.shift[c]);
    }
  }
  static uint8_t want[MAX_ELEMS * 4];
  const int n_in = elems(&s.in), n_out = elems(&s.out);
  int fails = 0;
  for (int k = 0; k < cases; k++) {
    for (int i = 0; i < n_in; i++) {
      if (is_int8)
        ((int8_t *)in.data)[i] = (int8_t)rnd_in(-128, 127);
      else
        ((float *)in.data)[i] = (float)rnd_in(-2000, 2000) / 100.0f;
    }
    if (eng_interp_invoke(it) != ENG_OK) {
      printf("ERROR %s %s\n", eng_status_name(eng_interp_error(it)->code),
             eng_interp_error(it)->message);
      return 3;
    }
    oracle(&s, is_int8 ? &q : NULL, in.data, filter.data, bias_tensor >= 0 ? bias.data : NULL,
           want);
    if (!is_int8) oracle_float_act(&s, (float *)want);
    const size_t bytes = (size_t)n_out * (is_int8 ? 1u : 4u);
    if (memcmp(want, out.data, bytes) != 0) {
      for (size_t i = 0; i < bytes; i++) {
        if (want[i] != ((uint8_t *)out.data)[i]) {
          printf("MISMATCH case %d byte %u\n", k, (unsigned)i);
          break;
        }
      }
      fails++;
    }
  }
  printf("CHECK %d %d\n", cases, fails);
  return fails != 0;
}

static int mode_exec(const char *path) {
  eng_interp_t *it = open_model(path);
  eng_tensor_info_t in, out;
  eng_interp_input(it, 0, &in);
  eng_interp_output(it, 0, &out);
  const uint32_t n_in = in.bytes / eng_type_size(in.type);
  for (uint32_t i = 0; i < n_in; i++) {
    double v;
    if (scanf("%lf", &v) != 1) {
      fprintf(stderr, "truncated input\n");
      return 2;
    }
    if (in.type == ENG_INT8)
      ((int8_t *)in.data)[i] = (int8_t)v;
    else
      ((float *)in.data)[i] = (float)v;
  }
  if (eng_interp_invoke(it) != ENG_OK) {
    printf("ERROR %s %s\n", eng_status_name(eng_interp_error(it)->code),
           eng_interp_error(it)->message);
    return 3;
  }
  printf("OUT");
  const uint32_t n_out = out.bytes / eng_type_size(out.type);
  for (uint32_t i = 0; i < n_out; i++) {
    if (out.type == ENG_INT8)
      printf(" %d", ((int8_t *)out.data)[i]);
    else
      printf(" %.9g", (double)((float *)out.data)[i]);
  }
  printf("\n");
  return 0;
}

static int mode_mutate(const char *path) {
  size_t len;
  uint8_t *orig = harness_read_file(path, &len);
  uint8_t *model = aligned_alloc(16, (len + 15u) / 16u * 16u);
  static const uint8_t kinds[4] = {0x01, 0x80, 0x00, 0xFF};
  int variants = 0, accepted = 0, rejected = 0;
  for (size_t i = 0; i < len; i++) {
    for (int k = 0; k < 4; k++) {
      memcpy(model, orig, len);
      model[i] = k < 2 ? (uint8_t)(orig[i] ^ kinds[k]) : kinds[k];
      if (model[i] == orig[i]) continue;
      variants++;
      eng_error_t err;
      eng_interp_t *it =
          eng_interp_create(model, len, g_arena, sizeof g_arena, ENG_KERNELS_REFERENCE, &err);
      if (it == NULL || eng_interp_allocate(it) != ENG_OK) {
        rejected++;
        continue;
      }
      eng_tensor_info_t in;
      if (eng_interp_input(it, 0, &in) == ENG_OK && in.data != NULL) {
        for (uint32_t b = 0; b < in.bytes; b++) ((uint8_t *)in.data)[b] = (uint8_t)(b * 37u);
      }
      (void)eng_interp_invoke(it);
      accepted++;
    }
  }
  free(model);
  free(orig);
  printf("MUTATE %d %d %d\n", variants, accepted, rejected);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "random") == 0) {
    return mode_random(atoi(argv[2]), (uint32_t)strtoul(argv[3], NULL, 10));
  }
  if (argc == 16 && strcmp(argv[1], "check") == 0) {
    return mode_check(argv + 2);
  }
  if (argc == 3 && strcmp(argv[1], "mutate") == 0) {
    return mode_mutate(argv[2]);
  }
  if (argc == 3 && strcmp(argv[1], "exec") == 0) {
    return mode_exec(argv[2]);
  }
  fprintf(stderr,
          "usage: conv-harness random <n> <seed> | check <model> ... | exec <model> | mutate "
          "<model>\n");
  return 2;
}
