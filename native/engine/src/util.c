/*
 * util.c – names (ops, types, statuses), type sizes and the tiny printf-like formatter
 * the engine uses for error messages (no stdio on the device).
 */
#include <stdarg.h>
#include <string.h>

#include "internal.h"

/* TFLite BuiltinOperator names, indexed by code (schema order). */
static const char *const builtin_names[] = {
    "ADD",
    "AVERAGE_POOL_2D",
    "CONCATENATION",
    "CONV_2D",
    "DEPTHWISE_CONV_2D",
    "DEPTH_TO_SPACE",
    "DEQUANTIZE",
    "EMBEDDING_LOOKUP",
    "FLOOR",
    "FULLY_CONNECTED",
    "HASHTABLE_LOOKUP",
    "L2_NORMALIZATION",
    "L2_POOL_2D",
    "LOCAL_RESPONSE_NORMALIZATION",
    "LOGISTIC",
    "LSH_PROJECTION",
    "LSTM",
    "MAX_POOL_2D",
    "MUL",
    "RELU",
    "RELU_N1_TO_1",
    "RELU6",
    "RESHAPE",
    "RESIZE_BILINEAR",
    "RNN",
    "SOFTMAX",
    "SPACE_TO_DEPTH",
    "SVDF",
    "TANH",
    "CONCAT_EMBEDDINGS",
    "SKIP_GRAM",
    "CALL",
    "CUSTOM",
    "EMBEDDING_LOOKUP_SPARSE",
    "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN",
    "GATHER",
    "BATCH_TO_SPACE_ND",
    "SPACE_TO_BATCH_ND",
    "TRANSPOSE",
    "MEAN",
    "SUB",
    "DIV",
    "SQUEEZE",
    "UNIDIRECTIONAL_SEQUENCE_LSTM",
    "STRIDED_SLICE",
    "BIDIRECTIONAL_SEQUENCE_RNN",
    "EXP",
    "TOPK_V2",
    "SPLIT",
    "LOG_SOFTMAX",
    "DELEGATE",
    "BIDIRECTIONAL_SEQUENCE_LSTM",
    "CAST",
    "PRELU",
    "MAXIMUM",
    "ARG_MAX",
    "MINIMUM",
    "LESS",
    "NEG",
    "PADV2",
    "GREATER",
    "GREATER_EQUAL",
    "LESS_EQUAL",
    "SELECT",
    "SLICE",
    "SIN",
    "TRANSPOSE_CONV",
    "SPARSE_TO_DENSE",
    "TILE",
    "EXPAND_DIMS",
    "EQUAL",
    "NOT_EQUAL",
    "LOG",
    "SUM",
    "SQRT",
    "RSQRT",
    "SHAPE",
    "POW",
    "ARG_MIN",
    "FAKE_QUANT",
    "REDUCE_PROD",
    "REDUCE_MAX",
    "PACK",
    "LOGICAL_OR",
    "ONE_HOT",
    "LOGICAL_AND",
    "LOGICAL_NOT",
    "UNPACK",
    "REDUCE_MIN",
    "FLOOR_DIV",
    "REDUCE_ANY",
    "SQUARE",
    "ZEROS_LIKE",
    "FILL",
    "FLOOR_MOD",
    "RANGE",
    "RESIZE_NEAREST_NEIGHBOR",
    "LEAKY_RELU",
    "SQUARED_DIFFERENCE",
    "MIRROR_PAD",
    "ABS",
    "SPLIT_V",
    "UNIQUE",
    "CEIL",
    "REVERSE_V2",
    "ADD_N",
    "GATHER_ND",
    "COS",
    "WHERE",
    "RANK",
    "ELU",
    "REVERSE_SEQUENCE",
    "MATRIX_DIAG",
    "QUANTIZE",
    "MATRIX_SET_DIAG",
    "ROUND",
    "HARD_SWISH",
    "IF",
    "WHILE",
    "NON_MAX_SUPPRESSION_V4",
    "NON_MAX_SUPPRESSION_V5",
    "SCATTER_ND",
    "SELECT_V2",
    "DENSIFY",
    "SEGMENT_SUM",
    "BATCH_MATMUL",
    "PLACEHOLDER_FOR_GREATER_OP_CODES",
    "CUMSUM",
    "CALL_ONCE",
    "BROADCAST_TO",
    "RFFT2D",
    "CONV_3D",
    "IMAG",
    "REAL",
    "COMPLEX_ABS",
    "HASHTABLE",
    "HASHTABLE_FIND",
    "HASHTABLE_IMPORT",
    "HASHTABLE_SIZE",
    "REDUCE_ALL",
    "CONV_3D_TRANSPOSE",
    "VAR_HANDLE",
    "READ_VARIABLE",
    "ASSIGN_VARIABLE",
    "BROADCAST_ARGS",
    "RANDOM_STANDARD_NORMAL",
    "BUCKETIZE",
    "RANDOM_UNIFORM",
    "MULTINOMIAL",
    "GELU",
    "DYNAMIC_UPDATE_SLICE",
    "RELU_0_TO_1",
    "UNSORTED_SEGMENT_PROD",
    "UNSORTED_SEGMENT_MAX",
    "UNSORTED_SEGMENT_SUM",
    "ATAN2",
    "UNSORTED_SEGMENT_MIN",
    "SIGN",
    "BITCAST",
    "BITWISE_XOR",
    "RIGHT_SHIFT",
};

const char *eng_builtin_name(int32_t code) {
  if (code < 0 || (uint32_t)code >= sizeof builtin_names / sizeof builtin_names[0]) {
    return "UNKNOWN";
  }
  return builtin_names[code];
}

const char *eng_type_name(eng_type_t type) {
  static const char *const names[] = {"float32", "float16",    "int32",  "uint8",     "int64",
                                      "string",  "bool",       "int16",  "complex64", "int8",
                                      "float64", "complex128", "uint64", "resource",  "variant",
                                      "uint32",  "uint16",     "int4"};
  if ((uint32_t)type >= sizeof names / sizeof names[0]) {
    return "unknown";
  }
  return names[type];
}

uint32_t eng_type_size(eng_type_t type) {
  switch (type) {
    case ENG_FLOAT32:
    case ENG_INT32:
    case ENG_UINT32: return 4;
    case ENG_FLOAT16:
    case ENG_INT16:
    case ENG_UINT16: return 2;
    case ENG_UINT8:
    case ENG_INT8:
    case ENG_BOOL: return 1;
    case ENG_INT64:
    case ENG_UINT64:
    case ENG_FLOAT64:
    case ENG_COMPLEX64: return 8;
    case ENG_COMPLEX128: return 16;
    default: return 0;
  }
}

const char *eng_status_name(eng_status_t status) {
  switch (status) {
    case ENG_OK: return "ok";
    case ENG_ERR_MALFORMED: return "malformed model";
    case ENG_ERR_UNSUPPORTED_OP: return "unsupported op";
    case ENG_ERR_UNSUPPORTED_TYPE: return "unsupported type";
    case ENG_ERR_SHAPE: return "shape mismatch";
    case ENG_ERR_ARENA: return "arena too small";
    case ENG_ERR_ARG: return "bad argument";
    case ENG_ERR_STATE: return "bad state";
    case ENG_ERR_KERNEL: return "kernel failure";
    default: return "error";
  }
}

/* ---- formatter ---- */

typedef struct sink {
  char *buf;
  uint32_t cap;
  uint32_t len;
} sink_t;

static void put_char(sink_t *s, char c) {
  if (s->len + 1 < s->cap) {
    s->buf[s->len++] = c;
    s->buf[s->len] = '\0';
  }
}

static void put_str(sink_t *s, const char *str, uint32_t max) {
  for (uint32_t i = 0; str != NULL && i < max && str[i] != '\0'; i++) {
    put_char(s, str[i]);
  }
}

static void put_uint(sink_t *s, uint32_t v, uint32_t base) {
  char tmp[12];
  uint32_t n = 0;
  do {
    const uint32_t d = v % base;
    tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v != 0 && n < sizeof tmp);
  while (n > 0) {
    put_char(s, tmp[--n]);
  }
}

uint32_t eng_vformat(char *buf, uint32_t cap, uint32_t at, const char *fmt, va_list ap) {
  sink_t s = {buf, cap, at};
  if (cap == 0) {
    return 0;
  }
  if (s.len >= cap) {
    s.len = cap - 1;
  }
  buf[s.len] = '\0';
  for (const char *p = fmt; *p != '\0'; p++) {
    if (*p != '%') {
      put_char(&s, *p);
      continue;
    }
    p++;
    /* %.*s: length-limited string (model strings are not NUL-terminated). */
    if (p[0] == '.' && p[1] == '*' && p[2] == 's') {
      const uint32_t max = (uint32_t)va_arg(ap, int);
      put_str(&s, va_arg(ap, const char *), max);
      p += 2;
      continue;
    }
    switch (*p) {
      case 'd': {
        const int32_t v = va_arg(ap, int32_t);
        if (v < 0) {
          put_char(&s, '-');
          put_uint(&s, (uint32_t)0 - (uint32_t)v, 10);
        } else {
          put_uint(&s, (uint32_t)v, 10);
        }
        break;
      }
      case 'u': put_uint(&s, va_arg(ap, uint32_t), 10); break;
      case 'x': put_uint(&s, va_arg(ap, uint32_t), 16); break;
      case 's': put_str(&s, va_arg(ap, const char *), 0xFFFFFFFFu); break;
      case 'c': put_char(&s, (char)va_arg(ap, int)); break;
      case '%': put_char(&s, '%'); break;
      case '\0': return s.len;
      default: put_char(&s, '?'); break;
    }
  }
  return s.len;
}

uint32_t eng_format(char *buf, uint32_t cap, uint32_t at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const uint32_t n = eng_vformat(buf, cap, at, fmt, ap);
  va_end(ap);
  return n;
}

eng_status_t eng_set_error(eng_error_t *e, eng_status_t code, int32_t op, const char *fmt, ...) {
  va_list ap;
  e->code = code;
  e->op_index = op;
  e->bytes_needed = 0;
  e->message[0] = '\0';
  va_start(ap, fmt);
  eng_vformat(e->message, sizeof e->message, 0, fmt, ap);
  va_end(ap);
  return code;
}
