/*
 * recognize_commands.c – RecognizeCommands (TFLM's earlier micro_speech example) in C,
 * the twin of device/lib/recognize-commands.ts; see recognize_commands.h.
 */
#include "recognize_commands.h"

#include <string.h>

int rc_init(rc_state_t *s, int32_t average_window_ms, int32_t detection_threshold,
            int32_t suppression_ms, int32_t minimum_count, int32_t categories) {
  if (categories < 1 || categories > RC_MAX_CATEGORIES) {
    return -1;
  }
  memset(s, 0, sizeof *s);
  s->average_window_ms = average_window_ms;
  s->detection_threshold = detection_threshold;
  s->suppression_ms = suppression_ms;
  s->minimum_count = minimum_count;
  s->categories = categories;
  s->previous_top = 0;
  s->previous_top_time = INT32_MIN;
  return 0;
}

int rc_process(rc_state_t *s, const uint8_t *scores, int32_t time_ms, rc_result_t *result) {
  const int32_t cats = s->categories;
  if (s->size > 0 && time_ms < s->times[s->front]) {
    return -1;
  }
  if (s->size >= RC_MAX_RESULTS) {
    s->dropped++; /* TFLM: "Couldn't push_back latest result, too many already!" */
  } else {
    const int32_t slot = (s->front + s->size) % RC_MAX_RESULTS;
    s->times[slot] = time_ms;
    memcpy(s->scores[slot], scores, (size_t)cats);
    s->size++;
  }
  const int64_t limit = (int64_t)time_ms - s->average_window_ms;
  while (s->size > 0 && s->times[s->front] < limit) {
    s->front = (s->front + 1) % RC_MAX_RESULTS;
    s->size--;
  }
  const int32_t count = s->size;
  const int64_t earliest = s->times[s->front];
  if (count < s->minimum_count || (int64_t)time_ms - earliest < s->average_window_ms / 4) {
    result->label = s->previous_top;
    result->score = 0;
    result->is_new = 0;
    return 0;
  }
  int32_t average[RC_MAX_CATEGORIES] = {0};
  for (int32_t k = 0; k < count; ++k) {
    const uint8_t *row = s->scores[(s->front + k) % RC_MAX_RESULTS];
    for (int32_t i = 0; i < cats; ++i) {
      average[i] += row[i];
    }
  }
  int32_t top = 0, top_score = 0;
  for (int32_t i = 0; i < cats; ++i) {
    const int32_t a = average[i] / count;
    if (a > top_score) {
      top_score = a;
      top = i;
    }
  }
  const int64_t since_last = (s->previous_top == 0 || s->previous_top_time == INT32_MIN)
                                 ? INT32_MAX
                                 : (int64_t)time_ms - s->previous_top_time;
  if (top_score > s->detection_threshold &&
      (top != s->previous_top || since_last > s->suppression_ms)) {
    s->previous_top = top;
    s->previous_top_time = time_ms;
    result->is_new = 1;
  } else {
    result->is_new = 0;
  }
  result->label = top;
  result->score = top_score;
  return 0;
}

void rc_stream_init(rc_stream_t *st, uint32_t seed) {
  st->state = seed;
}

static uint32_t stream_next(rc_stream_t *st) {
  st->state = st->state * 1664525u + 1013904223u;
  return st->state >> 24;
}

void rc_stream_fill(rc_stream_t *st, int32_t t, uint8_t out[4]) {
  const int32_t segment = t / 90;
  const int32_t phase = t % 90;
  const int32_t label = (segment * 7 + 3) % 5;
  const int32_t level = 196 + (segment * 37) % 60;
  for (int32_t i = 0; i < 4; ++i) {
    int32_t v = (int32_t)(stream_next(st) >> 2);
    if (i == label && phase < 30 + (segment % 3) * 30) {
      v = level - (int32_t)(stream_next(st) >> 4);
    }
    out[i] = (uint8_t)(v & 0xFF);
  }
}
