/* generic.c – any model with int8, uint8 or float32 input 0 and output 0, fed from the
 * uploaded input set (baseline/input_set.h): POPULATE copies the case's raw tensor bytes
 * into the input (or generates them from the set's seed), RESPOND reads the output by the
 * set's kind: classification (dequantize, top-k, label = top-1), anomaly (mean squared
 * error of the dequantized reconstruction against the dequantized input, as MLPerf Tiny's
 * AD benchmark scores it), regression (the dequantized vector). The TypeScript twin is
 * device/apps/generic/main.ts; both say the same when the model or the set does not fit. */
#include <stdio.h>
#include <string.h>

#include "xsinfer/platform.h"
#include "baseline/app.h"
#include "baseline/generic.h"
#include "baseline/input_set.h"

static input_set_t set;
static eng_type_t in_type, out_type;
static float in_scale, out_scale;
static int32_t in_zero_point, out_zero_point;
static uint32_t in_count, out_count;
static uint32_t top_k;
static int32_t top_index[GENERIC_TOP_K_MAX];
static float top_value[GENERIC_TOP_K_MAX];
static float *values; /* the dequantized output (in the aux arena; not for anomaly) */

static eng_status_t refuse(app_ctx_t *ctx, eng_status_t code, const char *message) {
  ctx->error.code = code;
  ctx->error.op_index = -1;
  snprintf(ctx->error.message, sizeof ctx->error.message, "generic: %s", message);
  return code;
}

static int supported(eng_type_t type) {
  return type == ENG_INT8 || type == ENG_UINT8 || type == ENG_FLOAT32;
}

/* Element i of a tensor of `type` as a float: dequantized, or the float itself. */
static float dequantize(eng_type_t type, const void *data, uint32_t i, float scale,
                        int32_t zero_point) {
  if (type == ENG_INT8) return (float)((int32_t)((const int8_t *)data)[i] - zero_point) * scale;
  if (type == ENG_UINT8) return (float)((int32_t)((const uint8_t *)data)[i] - zero_point) * scale;
  return ((const float *)data)[i];
}

/* The raw integer behind element i (a float tensor has none: 0). */
static int32_t raw(eng_type_t type, const void *data, uint32_t i) {
  if (type == ENG_INT8) return ((const int8_t *)data)[i];
  if (type == ENG_UINT8) return ((const uint8_t *)data)[i];
  return 0;
}

/* The first xorshift32 state of a case of a seeded set (never 0). */
static uint32_t seed_state(uint32_t case_index) {
  uint32_t x = set.seed ^ ((case_index + 1u) * 0x9e3779b9u);
  return x ? x : 1u;
}

static uint32_t xorshift(uint32_t x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

/* A generated element of `type` from a state's top bits: int8/uint8 its top byte, float32
 * uniform in [-1, 1). Written to data[i]; returned as the float the anomaly check uses. */
static float generated(eng_type_t type, uint32_t x, void *data, uint32_t i) {
  if (type == ENG_INT8) {
    int8_t q = (int8_t)(x >> 24);
    if (data) ((int8_t *)data)[i] = q;
    return (float)((int32_t)q - in_zero_point) * in_scale;
  }
  if (type == ENG_UINT8) {
    uint8_t q = (uint8_t)(x >> 24);
    if (data) ((uint8_t *)data)[i] = q;
    return (float)((int32_t)q - in_zero_point) * in_scale;
  }
  float f = (float)(x >> 8) * (2.0f / 16777216.0f) - 1.0f;
  if (data) ((float *)data)[i] = f;
  return f;
}

static eng_status_t setup(app_ctx_t *ctx) {
  if (!ctx->model_name)
    return refuse(ctx, ENG_ERR_ARG, "a run must name the model (run/bench --model)");
  const asset_t *blob = asset_find(INPUT_SET_ASSET);
  if (!blob)
    return refuse(ctx, ENG_ERR_ARG,
                  "no input set: upload one as " INPUT_SET_ASSET " (bench --inputs)");
  const char *why = input_set_parse(blob->data, blob->bytes, &set);
  if (why) {
    char message[96];
    snprintf(message, sizeof message, "input set: %s", why);
    return refuse(ctx, ENG_ERR_ARG, message);
  }
  ctx->interp = eng_interp_create(ctx->model_data, ctx->model_bytes, ctx->arena, ctx->arena_bytes,
                                  ctx->kernels, &ctx->error);
  if (!ctx->interp) return ctx->error.code;
  eng_status_t status = eng_interp_allocate(ctx->interp);
  if (status == ENG_OK &&
      (eng_interp_input_count(ctx->interp) < 1 || eng_interp_output_count(ctx->interp) < 1))
    return refuse(ctx, ENG_ERR_SHAPE, "the model has no input 0 or no output 0");
  if (status == ENG_OK) status = eng_interp_input(ctx->interp, 0, &ctx->input);
  if (status == ENG_OK) status = eng_interp_output(ctx->interp, 0, &ctx->output);
  if (status != ENG_OK) {
    ctx->error = *eng_interp_error(ctx->interp);
    return status;
  }
  in_type = ctx->input.type;
  out_type = ctx->output.type;
  char message[112];
  if (!supported(in_type) || !supported(out_type)) {
    snprintf(message, sizeof message,
             "input 0 is %s, output 0 is %s: the generic app takes int8, uint8 or float32",
             eng_type_name(in_type), eng_type_name(out_type));
    return refuse(ctx, ENG_ERR_SHAPE, message);
  }
  in_count = ctx->input.bytes / eng_type_size(in_type);
  out_count = ctx->output.bytes / eng_type_size(out_type);
  in_scale = ctx->input.scale;
  in_zero_point = ctx->input.zero_point;
  out_scale = ctx->output.scale;
  out_zero_point = ctx->output.zero_point;
  if (set.input_bytes != ctx->input.bytes) {
    snprintf(message, sizeof message, "input set has %lu bytes per case, input 0 takes %lu",
             (unsigned long)set.input_bytes, (unsigned long)ctx->input.bytes);
    return refuse(ctx, ENG_ERR_SHAPE, message);
  }
  if (set.output_bytes != 0 && set.output_bytes != ctx->output.bytes) {
    snprintf(message, sizeof message, "input set expects %lu output bytes, output 0 has %lu",
             (unsigned long)set.output_bytes, (unsigned long)ctx->output.bytes);
    return refuse(ctx, ENG_ERR_SHAPE, message);
  }
  if (set.kind == INPUT_SET_ANOMALY && in_count != out_count) {
    snprintf(message, sizeof message, "anomaly scoring needs as many outputs as inputs (%lu, %lu)",
             (unsigned long)out_count, (unsigned long)in_count);
    return refuse(ctx, ENG_ERR_SHAPE, message);
  }
  if (set.kind != INPUT_SET_ANOMALY) {
    if ((uint64_t)out_count * sizeof(float) > ctx->aux_bytes) {
      snprintf(message, sizeof message, "%lu output values do not fit the %lu-byte aux arena",
               (unsigned long)out_count, (unsigned long)ctx->aux_bytes);
      return refuse(ctx, ENG_ERR_ARENA, message);
    }
    values = (float *)(void *)ctx->aux_arena;
  }
  top_k = set.top_k == 0 ? 1u : set.top_k;
  if (top_k > GENERIC_TOP_K_MAX) top_k = GENERIC_TOP_K_MAX;
  if (top_k > out_count) top_k = out_count;
  ctx->cases = set.cases;
  ctx->unchecked = set.expected == NULL;
  ctx->check = generic_check;
  return ENG_OK;
}

/* RESPOND scores an anomaly against the input of the case POPULATE filled last. */
static uint32_t populated_case;

static void populate(app_ctx_t *ctx, uint32_t case_index) {
  populated_case = case_index;
  if (set.source == INPUT_SET_FROM_DATA) {
    memcpy(ctx->input.data, set.inputs + (size_t)case_index * set.input_bytes, set.input_bytes);
    return;
  }
  void *dst = ctx->input.data;
  uint32_t x = seed_state(case_index);
  for (uint32_t i = 0; i < in_count; i++) {
    x = xorshift(x);
    generated(in_type, x, dst, i);
  }
}

/* Top-k by dequantized score, highest first; ties keep the lower index first. */
static void respond_classification(const void *out, app_result_t *result) {
  uint32_t count = 0;
  for (uint32_t i = 0; i < out_count; i++) {
    float p = dequantize(out_type, out, i, out_scale, out_zero_point);
    values[i] = p;
    if (count < top_k || p > top_value[count - 1]) {
      uint32_t j = count < top_k ? count++ : top_k - 1;
      while (j > 0 && top_value[j - 1] < p) {
        top_value[j] = top_value[j - 1];
        top_index[j] = top_index[j - 1];
        j--;
      }
      top_value[j] = p;
      top_index[j] = (int32_t)i;
    }
  }
  result->label = top_index[0];
  result->score = raw(out_type, out, (uint32_t)top_index[0]);
  result->value = top_value[0];
}

/* Mean of the squared differences, summed in float32 in element order. */
static void respond_anomaly(const void *out, uint32_t case_index, app_result_t *result) {
  float sum = 0.0f;
  if (set.source == INPUT_SET_FROM_DATA) {
    const uint8_t *ref = set.inputs + (size_t)case_index * set.input_bytes;
    for (uint32_t i = 0; i < out_count; i++) {
      float d = dequantize(out_type, out, i, out_scale, out_zero_point) -
                dequantize(in_type, ref, i, in_scale, in_zero_point);
      sum += d * d;
    }
  } else {
    uint32_t x = seed_state(case_index);
    for (uint32_t i = 0; i < out_count; i++) {
      x = xorshift(x);
      float d =
          dequantize(out_type, out, i, out_scale, out_zero_point) - generated(in_type, x, NULL, i);
      sum += d * d;
    }
  }
  result->label = -1;
  result->score = 0;
  result->value = sum / (float)out_count;
}

static void respond_regression(const void *out, app_result_t *result) {
  for (uint32_t i = 0; i < out_count; i++)
    values[i] = dequantize(out_type, out, i, out_scale, out_zero_point);
  result->label = -1;
  result->score = raw(out_type, out, 0);
  result->value = values[0];
}

static void respond(app_ctx_t *ctx, app_result_t *result) {
  const void *out = ctx->output.data;
  if (set.kind == INPUT_SET_CLASSIFICATION)
    respond_classification(out, result);
  else if (set.kind == INPUT_SET_ANOMALY)
    respond_anomaly(out, populated_case, result);
  else
    respond_regression(out, result);
}

int generic_check(const app_ctx_t *ctx, uint32_t case_index, const app_result_t *result) {
  (void)result;
  if (!set.expected) return 0;
  return memcmp(ctx->output.data, set.expected + (size_t)case_index * set.output_bytes,
                set.output_bytes) == 0;
}

uint32_t generic_top_k(const int32_t **index, const float **value) {
  *index = top_index;
  *value = top_value;
  return top_k;
}

const float *generic_values(uint32_t *count) {
  *count = out_count;
  return set.kind != INPUT_SET_ANOMALY ? values : NULL;
}

const c_app_t c_app_generic = {"generic", 1, setup, populate, respond};
