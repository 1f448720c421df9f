/*
 * fully_connected.c – FULLY_CONNECTED, TFLM reference semantics: float32, and int8
 * with int32 bias, per-tensor or per-channel weights, keep_num_dims, optional bias.
 */
#include "kernel.h"
#include "quant.h"

typedef struct fc_data {
  uint32_t batches, out_depth, accum_depth;
  int32_t input_offset, filter_offset, output_offset;
  int32_t multiplier, shift;     /* per-tensor */
  int32_t *multipliers, *shifts; /* per-channel (NULL otherwise) */
  union {                        /* int8 clamp or float32 clamp, never both */
    struct {
      int32_t act_min, act_max;
    };
    struct {
      float fmin, fmax;
    };
  };
} fc_data_t;

static eng_status_t fc_prepare(eng_node_t *node) {
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *w = eng_input(node, 1);
  const eng_tensor_t *bias = eng_input(node, 2);
  const eng_tensor_t *out = eng_output(node, 0);
  const eng_fc_options_t *o = &node->options->fc;
  if (in == NULL || w == NULL || out == NULL) {
    return eng_fail(node, ENG_ERR_SHAPE, "needs input, weights and output");
  }
  if (o->weights_format != 0) {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "weights format %d", o->weights_format);
  }
  if (w->rank != 2 || out->rank < 1) {
    return eng_fail(node, ENG_ERR_SHAPE, "weights must be 2-D");
  }
  fc_data_t *d = eng_alloc_persistent(node, sizeof *d);
  if (d == NULL) {
    return eng_fail(node, ENG_ERR_ARENA, "op data");
  }
  d->out_depth = (uint32_t)w->dims[0];
  d->accum_depth = (uint32_t)w->dims[1];
  const uint32_t in_elems = eng_tensor_elements(in);
  const uint32_t out_elems = eng_tensor_elements(out);
  if (d->accum_depth == 0 || d->out_depth == 0 || in_elems % d->accum_depth != 0 ||
      (uint32_t)eng_dim(out, -1) != d->out_depth ||
      out_elems / d->out_depth != in_elems / d->accum_depth) {
    return eng_fail(node, ENG_ERR_SHAPE, "input/weights/output shapes do not match");
  }
  d->batches = out_elems / d->out_depth;
  if (bias != NULL && eng_tensor_elements(bias) != d->out_depth) {
    return eng_fail(node, ENG_ERR_SHAPE, "bias has %u elements, expected %u",
                    eng_tensor_elements(bias), d->out_depth);
  }
  if (in->type == ENG_FLOAT32) {
    if (w->type != ENG_FLOAT32 || out->type != ENG_FLOAT32 ||
        (bias != NULL && bias->type != ENG_FLOAT32)) {
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE,
                      "float32 input needs float32 weights/bias/output");
    }
    eng_activation_range_float(o->activation, &d->fmin, &d->fmax);
  } else if (in->type == ENG_INT8) {
    if (w->type != ENG_INT8 || out->type != ENG_INT8 || (bias != NULL && bias->type != ENG_INT32)) {
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE,
                      "int8 input needs int8 weights, int32 bias, int8 output");
    }
    if (in->quant_count == 0 || w->quant_count == 0 || out->quant_count == 0) {
      return eng_fail(node, ENG_ERR_MALFORMED, "int8 tensors need quantization parameters");
    }
    if (w->quant_count > 1) {
      if (w->quant_count != d->out_depth) {
        return eng_fail(node, ENG_ERR_SHAPE, "%u weight scales for %u outputs", w->quant_count,
                        d->out_depth);
      }
      d->multipliers = eng_alloc_persistent(node, d->out_depth * sizeof(int32_t));
      d->shifts = eng_alloc_persistent(node, d->out_depth * sizeof(int32_t));
      if (d->multipliers == NULL || d->shifts == NULL) {
        return eng_fail(node, ENG_ERR_ARENA, "per-channel multipliers");
      }
      eng_per_channel_multipliers(in, w, out, d->out_depth, d->multipliers, d->shifts);
    } else {
      eng_quantize_multiplier(eng_conv_real_multiplier(in->scale, w->scale, out->scale),
                              &d->multiplier, &d->shift);
    }
    d->input_offset = -in->zero_point;
    d->filter_offset = -w->zero_point;
    d->output_offset = out->zero_point;
    if (eng_activation_range_quantized(o->activation, ENG_INT8, out->scale, out->zero_point,
                                       &d->act_min, &d->act_max) != ENG_OK) {
      return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "activation %d", (int32_t)o->activation);
    }
  } else {
    return eng_fail(node, ENG_ERR_UNSUPPORTED_TYPE, "input type %s",
                    eng_type_name((eng_type_t)in->type));
  }
  node->user_data = d;
  return ENG_OK;
}

static eng_status_t fc_eval(eng_node_t *node) {
  const fc_data_t *d = node->user_data;
  const eng_tensor_t *in = eng_input(node, 0);
  const eng_tensor_t *w = eng_input(node, 1);
  const eng_tensor_t *bias = eng_input(node, 2);
  eng_tensor_t *out = eng_output(node, 0);
  const uint32_t depth = d->accum_depth;
  if (in->type == ENG_FLOAT32) {
    const float *x = in->data;
    const float *wt = w->data;
    const float *b = bias != NULL ? bias->data : NULL;
    float *y = out->data;
    for (uint32_t n = 0; n < d->batches; n++) {
      for (uint32_t c = 0; c < d->out_depth; c++) {
        float total = 0.0f;
        for (uint32_t k = 0; k < depth; k++) {
          total += x[n * depth + k] * wt[c * depth + k];
        }
        const float bv = b != NULL ? b[c] : 0.0f;
        y[n * d->out_depth + c] = eng_clampf(total + bv, d->fmin, d->fmax);
      }
    }
    return ENG_OK;
  }
  const int8_t *x = in->data;
  const int8_t *wt = w->data;
  const int32_t *b = bias != NULL ? bias->data : NULL;
  int8_t *y = out->data;
  for (uint32_t n = 0; n < d->batches; n++) {
    for (uint32_t c = 0; c < d->out_depth; c++) {
      /* Accumulate in uint32 so hostile weights/biases wrap instead of overflowing
       * (undefined in int32); valid models never get near 2^31. */
      uint32_t acc = 0;
      const int8_t *xr = x + n * depth;
      const int8_t *wr = wt + c * depth;
      if (d->multipliers != NULL) {
        for (uint32_t k = 0; k < depth; k++) {
          acc += (uint32_t)((int32_t)wr[k] * ((int32_t)xr[k] + d->input_offset));
        }
      } else {
        for (uint32_t k = 0; k < depth; k++) {
          acc +=
              (uint32_t)(((int32_t)wr[k] + d->filter_offset) * ((int32_t)xr[k] + d->input_offset));
        }
      }
      if (b != NULL) {
        acc += (uint32_t)b[c];
      }
      const int32_t m = d->multipliers != NULL ? d->multipliers[c] : d->multiplier;
      const int32_t s = d->multipliers != NULL ? d->shifts[c] : d->shift;
      const int32_t v =
          (int32_t)((uint32_t)eng_requantize((int32_t)acc, m, s) + (uint32_t)d->output_offset);
      y[n * d->out_depth + c] = (int8_t)eng_clamp32(v, d->act_min, d->act_max);
    }
  }
  return ENG_OK;
}

eng_status_t eng_parse_fc_options(eng_node_t *node, eng_options_reader_t *r,
                                  eng_builtin_options_t *o) {
  const eng_status_t st = eng_options_type(node, r, 8); /* FullyConnectedOptions */
  if (st != ENG_OK) {
    return st;
  }
  o->fc.activation = (eng_activation_t)eng_option_i8(r, 0, 0);
  o->fc.weights_format = eng_option_i8(r, 1, 0);
  o->fc.keep_num_dims = eng_option_bool(r, 2, 0);
  return ENG_OK;
}

const eng_kernel_t eng_kernel_fully_connected_ref = {ENG_OP_FULLY_CONNECTED, NULL,
                                                     eng_parse_fc_options, fc_prepare, fc_eval};
