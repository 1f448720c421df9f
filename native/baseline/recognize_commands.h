/*
 * recognize_commands.h – RecognizeCommands of TFLM's earlier micro_speech example (the C
 * twin of device/lib/recognize-commands.ts): averages uint8 scores (int8 output + 128)
 * over a time window and reports a command when the best average passes the threshold,
 * is not suppressed by a recent detection and enough results are in the window.
 *
 * Contract
 * - Same logic and edge cases as TFLM's recognize_commands.cc: a fixed queue of
 *   RC_MAX_RESULTS results (a push into a full queue is dropped and counted), a time
 *   earlier than the OLDEST queued result is rejected (returns -1, outputs untouched),
 *   category 0 ("silence") never suppresses the next detection.
 * - No allocation; the state is the caller's struct. Times are int32 milliseconds.
 */
#ifndef XSINFER_BASELINE_RECOGNIZE_COMMANDS_H
#define XSINFER_BASELINE_RECOGNIZE_COMMANDS_H

#include <stdint.h>

#define RC_MAX_RESULTS    50
#define RC_MAX_CATEGORIES 8

typedef struct rc_state {
  int32_t average_window_ms;
  int32_t detection_threshold;
  int32_t suppression_ms;
  int32_t minimum_count;
  int32_t categories;
  int32_t times[RC_MAX_RESULTS];
  uint8_t scores[RC_MAX_RESULTS][RC_MAX_CATEGORIES];
  int32_t front;
  int32_t size;
  int32_t previous_top;
  int32_t previous_top_time;
  uint32_t dropped; /* pushes refused because the queue was full */
} rc_state_t;

typedef struct rc_result {
  int32_t label;  /* 0 silence, 1 unknown, 2 yes, 3 no */
  int32_t score;  /* average score of label (0 while too few results) */
  int32_t is_new; /* 1 when this call detected a new command */
} rc_result_t;

/* TFLM's defaults: rc_init(s, 1000, 200, 1500, 3, 4). Returns -1 for categories outside
 * 1..RC_MAX_CATEGORIES. */
int rc_init(rc_state_t *s, int32_t average_window_ms, int32_t detection_threshold,
            int32_t suppression_ms, int32_t minimum_count, int32_t categories);

/* Feeds one result (s->categories scores) at time_ms. 0 on success, -1 when time_ms is
 * earlier than the oldest queued result (result untouched). */
int rc_process(rc_state_t *s, const uint8_t *scores, int32_t time_ms, rc_result_t *result);

/* The synthetic score stream shared with the TS twin (ScoreStream): same LCG and shape. */
typedef struct rc_stream {
  uint32_t state;
} rc_stream_t;
void rc_stream_init(rc_stream_t *st, uint32_t seed);
void rc_stream_fill(rc_stream_t *st, int32_t t, uint8_t out[4]);

#endif
